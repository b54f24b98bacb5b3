#!/usr/bin/env python3
"""A minimal BGP speaker (stdlib only) that opens one session and then sends a deliberately
malformed UPDATE, reporting what the other side answers.

Events are printed one JSON object per line on stdout:
  {"event": "established", "peer_as": 65001, "peer_router_id": "10.0.0.1", "four_octet_as": true}
  {"event": "sent", "what": "...", "hex": "..."}
  {"event": "notification", "code": 3, "subcode": 10, "data": "..."}
  {"event": "closed"}              the peer closed TCP without a NOTIFICATION
  {"event": "still-established"}   --linger ended with the session still up

Cases (--case):
  attr-length-overrun   Total Path Attribute Length runs past the end of the message
                        (RFC 4271 6.3: 3/1 Malformed Attribute List; a session reset under RFC 7606)
  nlri-bad-length       an IPv4 NLRI with prefix length 33 (RFC 4271 6.3 / RFC 7606 5.3: 3/10)
  origin-length-2       announce --prefix and --keep-prefix, then an UPDATE whose ORIGIN has length 2
                        for --prefix (RFC 7606 7.1: treat-as-withdraw, session stays up), then a valid
                        UPDATE for --after-prefix; lingers with keepalives so the test can inspect the RIB
  origin-invalid-value  the same, with ORIGIN value 5 (length 1) as the error (RFC 7606 7.1: treat-as-withdraw)
"""
import argparse
import ipaddress
import json
import select
import socket
import struct
import sys
import time

MARKER = b"\xff" * 16
OPEN, UPDATE, NOTIFICATION, KEEPALIVE = 1, 2, 3, 4


def emit(**event):
    print(json.dumps(event), flush=True)


def message(kind, body):
    return MARKER + struct.pack("!HB", 19 + len(body), kind) + body


def open_message(asn, hold, router_id):
    caps = bytes([1, 4, 0, 1, 0, 1])                     # multiprotocol IPv4 unicast
    caps += bytes([65, 4]) + struct.pack("!I", asn)      # 4-octet AS
    params = bytes([2, len(caps)]) + caps
    my_as = asn if asn <= 0xFFFF else 23456              # AS_TRANS
    body = struct.pack("!BHH", 4, my_as, hold) + socket.inet_aton(router_id)
    return message(OPEN, body + bytes([len(params)]) + params)


def attribute(flags, code, value):
    if len(value) > 255:
        return struct.pack("!BBH", flags | 0x10, code, len(value)) + value
    return struct.pack("!BBB", flags, code, len(value)) + value


def nlri(prefix):
    net = ipaddress.ip_network(prefix)
    octets = (net.prefixlen + 7) // 8
    return bytes([net.prefixlen]) + net.network_address.packed[:octets]


def as_path(asn, four_octet):
    if four_octet:
        return bytes([2, 1]) + struct.pack("!I", asn)
    return bytes([2, 1]) + struct.pack("!H", asn if asn <= 0xFFFF else 23456)


def update(attrs, prefixes, withdrawn=b""):
    body = struct.pack("!H", len(withdrawn)) + withdrawn + struct.pack("!H", len(attrs)) + attrs
    return message(UPDATE, body + b"".join(nlri(p) for p in prefixes))


def valid_attributes(asn, four_octet, next_hop, origin=b"\x00"):
    return (attribute(0x40, 1, origin)
            + attribute(0x40, 2, as_path(asn, four_octet))
            + attribute(0x40, 3, socket.inet_aton(next_hop)))


class Session:
    def __init__(self, sock):
        self.sock = sock
        self.buffer = b""

    def send(self, data, what):
        self.sock.sendall(data)
        emit(event="sent", what=what, hex=data.hex())

    def read_message(self, timeout):
        """Returns (type, body), or None on timeout; raises EOFError when the peer closes."""
        deadline = time.time() + timeout
        while True:
            if len(self.buffer) >= 19:
                length, kind = struct.unpack("!HB", self.buffer[16:19])
                if length < 19:
                    raise ValueError("peer sent a message with length %d" % length)
                if len(self.buffer) >= length:
                    body = self.buffer[19:length]
                    self.buffer = self.buffer[length:]
                    return kind, body
            remaining = deadline - time.time()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([self.sock], [], [], remaining)
            if not ready:
                return None
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError()
            self.buffer += chunk


def report_notification(body):
    emit(event="notification", code=body[0], subcode=body[1] if len(body) > 1 else 0, data=body[2:].hex())


def establish(session, args):
    session.send(open_message(args.asn, args.hold, args.router_id), "OPEN")
    peer_open = None
    deadline = time.time() + 30
    while time.time() < deadline:
        msg = session.read_message(deadline - time.time())
        if msg is None:
            break
        kind, body = msg
        if kind == NOTIFICATION:
            report_notification(body)
            sys.exit(2)
        if kind == OPEN and peer_open is None:
            peer_open = body
            session.send(message(KEEPALIVE, b""), "KEEPALIVE")
        elif kind == KEEPALIVE and peer_open is not None:
            peer_as = struct.unpack("!H", peer_open[1:3])[0]
            four_octet = False
            params = peer_open[10:10 + peer_open[9]]
            i = 0
            while i + 2 <= len(params):
                ptype, plen = params[i], params[i + 1]
                value = params[i + 2:i + 2 + plen]
                j = 0
                while ptype == 2 and j + 2 <= len(value):
                    code, clen = value[j], value[j + 1]
                    if code == 65 and clen == 4:
                        four_octet = True
                        peer_as = struct.unpack("!I", value[j + 2:j + 6])[0]
                    j += 2 + clen
                i += 2 + plen
            emit(event="established", peer_as=peer_as,
                 peer_router_id=socket.inet_ntoa(peer_open[5:9]), four_octet_as=four_octet)
            return four_octet
    emit(event="timeout", waiting_for="Established")
    sys.exit(3)


def await_answer(session, seconds, keepalive_every):
    """Reads until a NOTIFICATION, close, or `seconds` pass; sends KEEPALIVEs meanwhile."""
    deadline = time.time() + seconds
    next_keepalive = time.time() + keepalive_every
    while time.time() < deadline:
        try:
            msg = session.read_message(min(1.0, max(0.0, deadline - time.time())))
        except (EOFError, ConnectionResetError):
            emit(event="closed")
            return "closed"
        if msg is not None and msg[0] == NOTIFICATION:
            report_notification(msg[1])
            return "notification"
        if time.time() >= next_keepalive:
            session.sock.sendall(message(KEEPALIVE, b""))
            next_keepalive = time.time() + keepalive_every
    emit(event="still-established")
    return "timeout"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connect", required=True, help="address of the speaker under test")
    parser.add_argument("--port", type=int, default=179)
    parser.add_argument("--source", help="local address to bind")
    parser.add_argument("--as", dest="asn", type=int, required=True)
    parser.add_argument("--router-id", required=True)
    parser.add_argument("--hold", type=int, default=90)
    parser.add_argument("--case", required=True, choices=["attr-length-overrun", "nlri-bad-length", "origin-length-2", "origin-invalid-value"])
    parser.add_argument("--prefix", default="10.50.0.0/24")
    parser.add_argument("--keep-prefix", default="10.50.1.0/24")
    parser.add_argument("--after-prefix", default="10.50.2.0/24")
    parser.add_argument("--linger", type=float, default=30, help="seconds to wait for the answer")
    args = parser.parse_args()

    family = socket.AF_INET6 if ":" in args.connect else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    if args.source:
        sock.bind((args.source, 0))
    deadline = time.time() + 30
    while True:
        try:
            sock.connect((args.connect, args.port))
            break
        except OSError as error:
            if time.time() > deadline:
                emit(event="connect-failed", error=str(error))
                sys.exit(4)
            time.sleep(0.5)
            sock.close()
            sock = socket.socket(family, socket.SOCK_STREAM)
            if args.source:
                sock.bind((args.source, 0))
    session = Session(sock)
    four_octet = establish(session, args)
    next_hop = sock.getsockname()[0]

    if args.case == "attr-length-overrun":
        attrs = valid_attributes(args.asn, four_octet, next_hop)
        # Claim 200 octets of attributes where only len(attrs) follow and the message then ends.
        body = struct.pack("!H", 0) + struct.pack("!H", 200) + attrs
        session.send(message(UPDATE, body), "UPDATE total path attribute length 200 past the message end")
    elif args.case == "nlri-bad-length":
        attrs = valid_attributes(args.asn, four_octet, next_hop)
        body = struct.pack("!H", 0) + struct.pack("!H", len(attrs)) + attrs + bytes([33, 10, 50, 0, 0, 0])
        session.send(message(UPDATE, body), "UPDATE with NLRI prefix length 33")
    else:
        good = valid_attributes(args.asn, four_octet, next_hop)
        session.send(update(good, [args.prefix, args.keep_prefix]), "UPDATE %s %s" % (args.prefix, args.keep_prefix))
        origin = b"\x00\x00" if args.case == "origin-length-2" else b"\x05"
        bad = valid_attributes(args.asn, four_octet, next_hop, origin=origin)
        session.send(update(bad, [args.prefix]), "UPDATE %s with ORIGIN %s" % (args.prefix, origin.hex()))
        session.send(update(good, [args.after_prefix]), "UPDATE %s" % args.after_prefix)
    await_answer(session, args.linger, max(1, args.hold // 3))
    sock.close()


if __name__ == "__main__":
    main()
