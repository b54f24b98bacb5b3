#!/usr/bin/env python3
"""Benchmark feeder (stdlib only): opens one iBGP session per --sources address to --target, waits until
every session is Established, then (once --go-file exists) blasts pre-encoded UPDATEs, so the feeder's own
encoding never slows the run. Sessions are then held open (KEEPALIVEs) until the process is killed.

Peer i announces --prefixes distinct IPv4 /24s (11.0.0.0 upwards, no overlap between peers), packed
--per-update prefixes per UPDATE, each UPDATE with its own AS_PATH so attributes vary as in real tables.

stdout lines:  ESTABLISHED <n> <epoch>   |   T0 <epoch> (first UPDATE about to go)   |   SENT <epoch>
"""
import argparse
import os
import select
import socket
import struct
import sys
import threading
import time

MARKER = b"\xff" * 16


def msg(kind, body):
    return MARKER + struct.pack("!HB", 19 + len(body), kind) + body


def open_msg(asn, hold, router_id):
    caps = bytes([1, 4, 0, 1, 0, 1]) + bytes([65, 4]) + struct.pack("!I", asn)
    params = bytes([2, len(caps)]) + caps
    return msg(1, struct.pack("!BHH", 4, asn if asn <= 0xFFFF else 23456, hold) + socket.inet_aton(router_id)
               + bytes([len(params)]) + params)


KEEPALIVE = msg(4, b"")


def attr(flags, code, value):
    return struct.pack("!BBB", flags, code, len(value)) + value


def encode_updates(peer_index, count, per_update, next_hop):
    """All UPDATEs for one peer, concatenated."""
    out = []
    base = 11 << 24
    nh = socket.inet_aton(next_hop)
    first = peer_index * count
    for u, start in enumerate(range(0, count, per_update)):
        path = [64600 + (u % 300), 65100 + ((u * 7 + peer_index) % 400), 4200000000 + u]
        as_path = bytes([2, len(path)]) + b"".join(struct.pack("!I", a) for a in path)
        attrs = (attr(0x40, 1, b"\x00") + attr(0x40, 2, as_path) + attr(0x40, 3, nh)
                 + attr(0x80, 4, struct.pack("!I", u % 50)) + attr(0x40, 5, struct.pack("!I", 100)))
        nlri = bytearray()
        for k in range(start, min(start + per_update, count)):
            net = base + ((first + k) << 8)
            nlri += bytes([24]) + struct.pack("!I", net)[:3]
        body = struct.pack("!H", 0) + struct.pack("!H", len(attrs)) + attrs + bytes(nlri)
        if 19 + len(body) > 4096:
            sys.exit("--per-update too large: UPDATE of %d octets" % (19 + len(body)))
        out.append(msg(2, body))
    return b"".join(out)


class Peer:
    def __init__(self, source, args):
        self.source = source
        self.args = args
        self.sock = None
        self.established = threading.Event()
        self.failed = None

    def read_messages(self, buffer):
        """Splits complete messages off buffer; returns (messages, rest)."""
        messages = []
        while len(buffer) >= 19:
            length, kind = struct.unpack("!HB", buffer[16:19])
            if len(buffer) < length:
                break
            messages.append((kind, buffer[19:length]))
            buffer = buffer[length:]
        return messages, buffer

    def connect(self):
        deadline = time.time() + 60
        while True:
            try:
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.bind((self.source, 0))
                s.connect((self.args.target, 179))
                self.sock = s
                break
            except OSError as error:
                s.close()
                if time.time() > deadline:
                    self.failed = "connect: %s" % error
                    return
                time.sleep(0.5)
        self.sock.sendall(open_msg(self.args.asn, self.args.hold, self.source))
        buffer = b""
        got_open = False
        while not self.established.is_set():
            chunk = self.sock.recv(65536)
            if not chunk:
                self.failed = "closed during OPEN exchange"
                return
            messages, buffer = self.read_messages(buffer + chunk)
            for kind, body in messages:
                if kind == 3:
                    self.failed = "NOTIFICATION %d/%d" % (body[0], body[1])
                    return
                if kind == 1:
                    got_open = True
                    self.sock.sendall(KEEPALIVE)
                elif kind == 4 and got_open:
                    self.established.set()

    def hold_open(self, stop):
        """Drains whatever the target sends and keeps the session alive."""
        next_keepalive = time.time() + self.args.hold / 3
        while not stop.is_set():
            ready, _, _ = select.select([self.sock], [], [], 1.0)
            if ready:
                try:
                    if not self.sock.recv(1 << 20):
                        print("CLOSED %s" % self.source, flush=True)
                        return
                except OSError:
                    return
            if time.time() >= next_keepalive:
                try:
                    self.sock.sendall(KEEPALIVE)
                except OSError:
                    return
                next_keepalive = time.time() + self.args.hold / 3


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--target", required=True)
    p.add_argument("--sources", required=True, help="comma-separated local addresses, one session each")
    p.add_argument("--as", dest="asn", type=int, required=True)
    p.add_argument("--prefixes", type=int, default=20000, help="prefixes per peer")
    p.add_argument("--per-update", type=int, default=100)
    p.add_argument("--hold", type=int, default=240)
    p.add_argument("--go-file", required=True)
    args = p.parse_args()

    sources = args.sources.split(",")
    payloads = [encode_updates(i, args.prefixes, args.per_update, src) for i, src in enumerate(sources)]
    peers = [Peer(src, args) for src in sources]
    threads = [threading.Thread(target=peer.connect, daemon=True) for peer in peers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    bad = [(p.source, p.failed) for p in peers if not p.established.is_set()]
    if bad:
        print("FAILED %s" % bad, flush=True)
        sys.exit(1)
    print("ESTABLISHED %d %.6f" % (len(peers), time.time()), flush=True)

    while not os.path.exists(args.go_file):
        time.sleep(0.005)
    stop = threading.Event()
    holders = [threading.Thread(target=peer.hold_open, args=(stop,), daemon=True) for peer in peers]
    for t in holders:
        t.start()
    senders = [threading.Thread(target=peer.sock.sendall, args=(payload,)) for peer, payload in zip(peers, payloads)]
    print("T0 %.6f" % time.time(), flush=True)
    for t in senders:
        t.start()
    for t in senders:
        t.join()
    print("SENT %.6f %d" % (time.time(), sum(len(x) for x in payloads)), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
