import Glibc

/// A NETLINK_ROUTE socket: request/ack, dumps, and batches of requests whose acks are read together.
///
/// The socket talks to the network namespace it was opened in (`NetlinkSocket.open(in:)`), for its
/// whole life, whichever thread later uses it. It is not thread-safe: one owner at a time.
/// Link, address, route and bridge-VLAN operations are extensions in the files beside this one.
public final class NetlinkSocket {
    /// The socket descriptor, for callers that poll it (monitors).
    public let descriptor: Int32
    private var nextSequence: UInt32
    private var buffer: [UInt8]
    /// How many acks may be outstanding in a batch without overflowing the receive buffer.
    private var ackWindow = 512

    /// Opens a socket in the calling thread's current network namespace.
    /// - Parameter groups: RTNLGRP_* multicast groups to join (for monitors); empty for request sockets.
    public init(groups: [UInt32] = []) throws {
        let fd = socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), NL.NETLINK_ROUTE)
        guard fd >= 0 else { throw KernelError.fromErrno("opening a netlink socket") }
        descriptor = fd
        nextSequence = UInt32(truncatingIfNeeded: time(nil)) &* 2654435761
        buffer = [UInt8](repeating: 0, count: 1 << 16)
        var one: Int32 = 1
        // Extended acks give the kernel's reason text; capped acks keep error replies small.
        _ = setsockopt(fd, NL.SOL_NETLINK, NL.NETLINK_EXT_ACK, &one, 4)
        _ = setsockopt(fd, NL.SOL_NETLINK, NL.NETLINK_CAP_ACK, &one, 4)
        // Room for many acks of a batch, or a burst of route notifications.
        var size: Int32 = 4 << 20
        if setsockopt(fd, SOL_SOCKET, NL.SO_RCVBUFFORCE, &size, 4) != 0 {
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, 4)
        }
        if setsockopt(fd, SOL_SOCKET, NL.SO_SNDBUFFORCE, &size, 4) != 0 {
            _ = setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, 4)
        }
        // An ack costs about 1 KiB of receive buffer (skb overhead included); without CAP_NET_ADMIN the
        // buffer stays at rmem_max, so size the batch window from what we actually got.
        var granted: Int32 = 0
        var grantedLength = socklen_t(4)
        if getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &granted, &grantedLength) == 0 {
            ackWindow = max(16, min(512, Int(granted) / 2048))
        }
        // sockaddr_nl: family, pad, port id 0 (the kernel assigns one), groups 0.
        var address = [UInt8](repeating: 0, count: 12)
        address[0] = UInt8(AF_NETLINK & 0xff)
        let bound = address.withUnsafeBytes { raw in
            bind(fd, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), 12)
        }
        guard bound == 0 else {
            let error = KernelError.fromErrno("binding a netlink socket")
            close(fd)
            throw error
        }
        for group in groups {
            var g = group
            guard setsockopt(fd, NL.SOL_NETLINK, NL.NETLINK_ADD_MEMBERSHIP, &g, 4) == 0 else {
                let error = KernelError.fromErrno("joining netlink group \(group)")
                close(fd)
                throw error
            }
        }
    }

    /// Opens a socket inside `namespace` (nil = the calling thread's current namespace).
    public static func open(in namespace: NetworkNamespace?, groups: [UInt32] = []) throws -> NetlinkSocket {
        guard let namespace else { return try NetlinkSocket(groups: groups) }
        return try namespace.run { try NetlinkSocket(groups: groups) }
    }

    deinit { close(descriptor) }

    // MARK: Request / reply

    /// Sends one request with NLM_F_ACK and waits for its ack.
    /// - Parameter doing: what the request does, for the error text ("adding address 10.0.0.1/24 to v0").
    /// - Throws: `KernelError` with the kernel's errno and extended-ack message.
    public func perform(_ request: NetlinkRequest, doing: @autoclosure () -> String) throws {
        _ = try exchange(request, dump: false, doing: doing)
    }

    /// Sends a request that the kernel answers with data (a non-dump GET) and returns the replies.
    public func query(_ request: NetlinkRequest, doing: @autoclosure () -> String) throws -> [NetlinkMessage] {
        try exchange(request, dump: false, doing: doing)
    }

    /// Runs a dump (NLM_F_DUMP) and returns every part of the multi-part reply. A dump the kernel
    /// marks interrupted (the table changed meanwhile) is retried a few times.
    public func dump(_ request: NetlinkRequest, doing: @autoclosure () -> String) throws -> [NetlinkMessage] {
        var request = request
        request.flags |= NL.NLM_F_DUMP
        var attempt = 0
        while true {
            let parts = try exchange(request, dump: true, doing: doing)
            attempt += 1
            if !parts.contains(where: { $0.flags & NL.NLM_F_DUMP_INTR != 0 }) || attempt >= 5 { return parts }
        }
    }

    private func exchange(_ request: NetlinkRequest, dump: Bool, doing: () -> String) throws -> [NetlinkMessage] {
        let sequence = takeSequence()
        let ackFlag = dump ? 0 : NL.NLM_F_ACK
        try send(request.encoded(sequence: sequence, extraFlags: NL.NLM_F_REQUEST | ackFlag), doing: doing)
        var replies: [NetlinkMessage] = []
        while true {
            for message in try receive(doing: doing) where message.sequence == sequence {
                switch message.type {
                case NL.NLMSG_ERROR:
                    if let error = decodeError(message, doing: doing) { throw error }
                    return replies
                case NL.NLMSG_DONE:
                    if let code = message.payload.readInteger(at: 0, as: Int32.self), code < 0 {
                        throw KernelError(doing(), code: -code)
                    }
                    return replies
                case NL.NLMSG_NOOP, NL.NLMSG_OVERRUN:
                    continue
                default:
                    replies.append(message)
                }
            }
        }
    }

    // MARK: Batches

    /// One request of a batch that the kernel refused.
    public struct BatchFailure: Error, Sendable, CustomStringConvertible {
        /// Position of the request in the array given to `performBatch`.
        public var index: Int
        public var error: KernelError
        public var description: String { error.description }
    }

    /// Sends many requests, each with NLM_F_ACK, packed several to a datagram, and reads the acks in
    /// windows so the receive buffer never overflows. A refused request does not stop the others.
    /// - Parameters:
    ///   - requests: the requests, in the order the kernel should apply them.
    ///   - describe: names request `i` for its error text; called only for failures.
    /// - Returns: the failures, in request order; empty when everything was applied.
    /// - Throws: `KernelError` only when the socket itself fails.
    public func performBatch(_ requests: [NetlinkRequest], describe: (Int) -> String) throws -> [BatchFailure] {
        let window = ackWindow
        let datagramLimit = 60_000
        var failures: [BatchFailure] = []
        var start = 0
        while start < requests.count {
            let end = min(start + window, requests.count)
            let firstSequence = takeSequence(count: UInt32(end - start))
            var datagram: [UInt8] = []
            for i in start..<end {
                let bytes = requests[i].encoded(sequence: firstSequence &+ UInt32(i - start),
                                                extraFlags: NL.NLM_F_REQUEST | NL.NLM_F_ACK)
                if !datagram.isEmpty && datagram.count + bytes.count > datagramLimit {
                    try send(datagram, doing: { "sending a batch of \(requests.count) netlink requests" })
                    datagram.removeAll(keepingCapacity: true)
                }
                datagram.append(contentsOf: bytes)
            }
            if !datagram.isEmpty {
                try send(datagram, doing: { "sending a batch of \(requests.count) netlink requests" })
            }
            var pending = Set((0..<(end - start)).map { firstSequence &+ UInt32($0) })
            while !pending.isEmpty {
                for message in try receive(doing: { "reading acks of a batch of \(requests.count) requests" })
                where message.type == NL.NLMSG_ERROR && pending.contains(message.sequence) {
                    pending.remove(message.sequence)
                    let index = start + Int(message.sequence &- firstSequence)
                    if let error = decodeError(message, doing: { describe(index) }) {
                        failures.append(BatchFailure(index: index, error: error))
                    }
                }
            }
            start = end
        }
        return failures.sorted { $0.index < $1.index }
    }

    // MARK: Monitoring

    /// Reads whatever notifications are queued, waiting up to `timeout` milliseconds for the first
    /// (-1 = forever, 0 = do not wait). Used by monitors; returns an empty array on timeout.
    /// - Throws: `KernelError` with ENOBUFS when notifications were lost (re-dump to resynchronise).
    public func receiveNotifications(timeout: Int32) throws -> [NetlinkMessage] {
        var descriptor = pollfd(fd: self.descriptor, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&descriptor, 1, timeout)
            if ready < 0 && errno == EINTR { continue }
            guard ready >= 0 else { throw KernelError.fromErrno("waiting for netlink notifications") }
            if ready == 0 { return [] }
            return try receive(doing: { "reading netlink notifications" })
        }
    }

    // MARK: Plumbing

    private func takeSequence(count: UInt32 = 1) -> UInt32 {
        // Keep a window's numbers contiguous: start over rather than wrap inside one.
        if nextSequence == 0 || nextSequence > UInt32.max - count - 1 { nextSequence = 1 }
        let first = nextSequence
        nextSequence += count
        return first
    }

    private func send(_ bytes: [UInt8], doing: () -> String) throws {
        while true {
            let sent = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, 0) }
            if sent >= 0 { return }
            if errno == EINTR { continue }
            throw KernelError.fromErrno(doing())
        }
    }

    /// One datagram, split into messages. Grows the buffer when the kernel says it was truncated.
    private func receive(doing: () -> String) throws -> [NetlinkMessage] {
        while true {
            // Peek the size first so a large dump part is never cut.
            let size = buffer.withUnsafeMutableBytes {
                recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_PEEK | MSG_TRUNC))
            }
            if size < 0 {
                if errno == EINTR { continue }
                throw KernelError.fromErrno(doing())
            }
            if size > buffer.count { buffer = [UInt8](repeating: 0, count: netlinkAlign(size)) }
            let got = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if got < 0 {
                if errno == EINTR { continue }
                throw KernelError.fromErrno(doing())
            }
            return NetlinkMessage.split(buffer[0..<got])
        }
    }

    /// nil for an ack (error 0), else the error with any extended-ack text.
    private func decodeError(_ message: NetlinkMessage, doing: () -> String) -> KernelError? {
        guard let code = message.payload.readInteger(at: 0, as: Int32.self) else {
            return KernelError.invalid(doing(), "short netlink error message")
        }
        if code == 0 { return nil }
        var text: String?
        if message.flags & NL.NLM_F_ACK_TLVS != 0 {
            // After the error code comes the original header, plus its payload unless the ack was capped.
            var skip = 4 + NL.headerSize
            if message.flags & NL.NLM_F_CAPPED == 0,
               let originalLength = message.payload.readInteger(at: 4, as: UInt32.self) {
                skip = 4 + netlinkAlign(Int(originalLength))
            }
            if skip <= message.payload.count {
                let tlvs = NetlinkAttributes(message.payload.dropFirst(skip))
                text = tlvs.string(NL.NLMSGERR_ATTR_MSG)
            }
        }
        return KernelError(doing(), code: -code, kernelMessage: text)
    }
}

/// The name the contracts use for the route socket.
public typealias NetlinkRoute = NetlinkSocket
