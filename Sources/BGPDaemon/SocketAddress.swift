#if canImport(Glibc)
import Glibc
#endif
import BGPWire

/// An IP address and port as the socket calls want them (`sockaddr_in` / `sockaddr_in6`).
struct SocketAddress: CustomStringConvertible {
    var ip: IPAddress
    var port: UInt16

    init(_ ip: IPAddress, port: UInt16) { self.ip = ip; self.port = port }

    /// Reads a kernel-filled address; IPv4-mapped IPv6 addresses (from dual-stack listeners) become IPv4.
    init?(storage: sockaddr_storage) {
        var s = storage
        switch Int32(s.ss_family) {
        case AF_INET:
            let sin = withUnsafeBytes(of: &s) { $0.load(as: sockaddr_in.self) }
            ip = .v4(IPv4Address(UInt32(bigEndian: sin.sin_addr.s_addr)))
            port = UInt16(bigEndian: sin.sin_port)
        case AF_INET6:
            let sin6 = withUnsafeBytes(of: &s) { $0.load(as: sockaddr_in6.self) }
            let bytes = withUnsafeBytes(of: sin6.sin6_addr) { Array($0) }
            let v6 = IPv6Address(bytes: bytes)
            if v6.high == 0 && v6.low >> 32 == 0xffff {
                ip = .v4(IPv4Address(UInt32(truncatingIfNeeded: v6.low)))
            } else {
                ip = .v6(v6)
            }
            port = UInt16(bigEndian: sin6.sin6_port)
        default:
            return nil
        }
    }

    var family: Int32 { ip.family == .ipv4 ? AF_INET : AF_INET6 }

    /// The address as a `sockaddr_storage` and its meaningful length.
    var storage: (sockaddr_storage, socklen_t) {
        var s = sockaddr_storage()
        switch ip {
        case .v4(let a):
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            sin.sin_addr.s_addr = a.value.bigEndian
            withUnsafeMutableBytes(of: &s) { $0.storeBytes(of: sin, as: sockaddr_in.self) }
            return (s, socklen_t(MemoryLayout<sockaddr_in>.size))
        case .v6(let a):
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &sin6.sin6_addr) { raw in
                for (i, b) in a.bytes.enumerated() { raw[i] = b }
            }
            withUnsafeMutableBytes(of: &s) { $0.storeBytes(of: sin6, as: sockaddr_in6.self) }
            return (s, socklen_t(MemoryLayout<sockaddr_in6>.size))
        }
    }

    /// The same address written as an IPv4-mapped IPv6 one, for keys set on a dual-stack socket.
    var mappedToIPv6: SocketAddress {
        guard case .v4(let a) = ip else { return self }
        return SocketAddress(.v6(IPv6Address(high: 0, low: 0xffff_0000_0000 | UInt64(a.value))), port: port)
    }

    var description: String { ip.family == .ipv4 ? "\(ip):\(port)" : "[\(ip)]:\(port)" }
}
