#if canImport(Glibc)
import Glibc
#endif
import BGPWire

/// Non-blocking TCP sockets with the options BGP needs: TTL / hop limit (RFC 4271 eBGP single hop, multihop),
/// TCP MD5 signatures (RFC 2385) and no Nagle delay. Every call returns or throws at once; nothing blocks.
enum TCPSocket {
    /// A listening socket. "::" listens dual-stack (IPv4 peers appear as IPv4-mapped addresses).
    static func listen(on address: IPAddress, port: UInt16) throws -> Int32 {
        let local = SocketAddress(address, port: port)
        let fd = try open(family: local.family)
        do {
            try setInt(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR")
            if local.family == AF_INET6 { try setInt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, address == .v6(.zero) ? 0 : 1, "IPV6_V6ONLY") }
            var (s, len) = local.storage
            let rc = withUnsafePointer(to: &s) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
            guard rc == 0 else { throw SystemError("bind \(local)") }
            guard Glibc.listen(fd, 64) == 0 else { throw SystemError("listen \(local)") }
            return fd
        } catch {
            close(fd); throw error
        }
    }

    /// Starts connecting to `peer`; completion is signalled by POLLOUT, then `pendingError` says how it went.
    static func connect(to peer: SocketAddress, from source: IPAddress?, ttl: UInt8, md5Password: String?) throws -> Int32 {
        let fd = try open(family: peer.family)
        do {
            try setInt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1, "TCP_NODELAY")
            try setTTL(fd, family: peer.family, ttl: ttl)
            if let md5Password { try setMD5(fd, family: peer.family, peer: peer.ip, password: md5Password) }
            if let source {
                try setInt(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR")
                var (s, len) = SocketAddress(source, port: 0).storage
                let rc = withUnsafePointer(to: &s) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
                guard rc == 0 else { throw SystemError("bind source \(source)") }
            }
            var (s, len) = peer.storage
            let rc = withUnsafePointer(to: &s) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, len) } }
            guard rc == 0 || errno == EINPROGRESS else { throw SystemError("connect \(peer)") }
            return fd
        } catch {
            close(fd); throw error
        }
    }

    /// Accepts one pending connection, non-blocking; nil when none is waiting.
    static func accept(_ listener: Int32) -> (fd: Int32, peer: SocketAddress)? {
        var s = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let fd = withUnsafeMutablePointer(to: &s) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.accept(listener, $0, &len) }
        }
        guard fd >= 0 else { return nil }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        guard let peer = SocketAddress(storage: s) else { close(fd); return nil }
        return (fd, peer)
    }

    /// The outcome of a non-blocking connect (SO_ERROR); 0 = connected.
    static func pendingError(_ fd: Int32) -> Int32 {
        var err: Int32 = 0
        var len = socklen_t(4)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
        return err
    }

    static func localAddress(_ fd: Int32) -> SocketAddress? {
        var s = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &s) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return rc == 0 ? SocketAddress(storage: s) : nil
    }

    static func family(of fd: Int32) -> Int32 {
        var s = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &s) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int32(s.ss_family)
    }

    /// Outgoing TTL (IPv4) or hop limit (IPv6): 1 for a directly connected eBGP peer, N for multihop, 255 for iBGP.
    static func setTTL(_ fd: Int32, family: Int32, ttl: UInt8) throws {
        if family == AF_INET6 {
            try setInt(fd, Int32(IPPROTO_IPV6), IPV6_UNICAST_HOPS, Int32(ttl), "IPV6_UNICAST_HOPS")
            // A dual-stack socket may carry IPv4: set that TTL too (ignored when it does not apply).
            _ = try? setInt(fd, Int32(IPPROTO_IP), IP_TTL, Int32(ttl), "IP_TTL")
        } else {
            try setInt(fd, Int32(IPPROTO_IP), IP_TTL, Int32(ttl), "IP_TTL")
        }
    }

    /// TCP_MD5SIG (RFC 2385) for one peer address; an empty password removes the key.
    /// `struct tcp_md5sig` = sockaddr_storage addr (128) · u8 flags · u8 prefixlen · u16 keylen · u32 ifindex ·
    /// u8 key[80]; built as bytes so the layout does not depend on how the C header imports.
    static func setMD5(_ fd: Int32, family: Int32, peer: IPAddress, password: String) throws {
        let key = Array(password.utf8)
        guard key.count <= 80 else { throw SystemError("TCP_MD5SIG \(peer): password longer than 80 bytes", code: EINVAL) }
        var address = SocketAddress(peer, port: 0)
        if family == AF_INET6 { address = address.mappedToIPv6 }
        var (s, _) = address.storage
        var record = [UInt8](repeating: 0, count: 216)
        withUnsafeBytes(of: &s) { raw in for i in 0..<128 { record[i] = raw[i] } }
        let keylen = UInt16(key.count)
        withUnsafeBytes(of: keylen) { raw in record[130] = raw[0]; record[131] = raw[1] }
        for (i, b) in key.enumerated() { record[136 + i] = b }
        let tcpMD5SIG: Int32 = 14
        let rc = setsockopt(fd, Int32(IPPROTO_TCP), tcpMD5SIG, record, socklen_t(record.count))
        guard rc == 0 else { throw SystemError("TCP_MD5SIG \(peer)") }
    }

    private static func open(family: Int32) throws -> Int32 {
        let fd = socket(family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SystemError("socket") }
        return fd
    }

    private static func setInt(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32, _ what: String) throws {
        var v = value
        guard setsockopt(fd, level, name, &v, socklen_t(4)) == 0 else { throw SystemError("setsockopt \(what)") }
    }
}
