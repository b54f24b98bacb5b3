import Glibc

/// An IPv4 or IPv6 address as the kernel sees it: 4 or 16 bytes in network order.
///
/// Kernel keeps its own small address type so it needs nothing but Glibc; callers holding
/// BGPWire addresses convert with `InetAddress(bytes: a.octets)` / `InetAddress(bytes: a.bytes)`,
/// or through text with `InetAddress(a.description)`.
public struct InetAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// 4 bytes (IPv4) or 16 bytes (IPv6), network order.
    public let bytes: [UInt8]

    /// Wraps 4 or 16 bytes; nil for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = Array(bytes)
    }

    /// An IPv4 address from a host-order integer (0x0a000001 = 10.0.0.1).
    public init(ipv4 value: UInt32) {
        bytes = [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }

    /// An IPv6 address from two host-order 64-bit halves.
    public init(ipv6High high: UInt64, low: UInt64) {
        bytes = (0..<8).map { UInt8(high >> (56 - 8 * UInt64($0)) & 0xff) }
            + (0..<8).map { UInt8(low >> (56 - 8 * UInt64($0)) & 0xff) }
    }

    /// Parses "10.0.0.1" or "2001:db8::1" (inet_pton rules); nil otherwise.
    public init?(_ text: String) {
        if let v4 = InetAddress.parse(text, family: AF_INET, size: 4) {
            bytes = v4
        } else if let v6 = InetAddress.parse(text, family: AF_INET6, size: 16) {
            bytes = v6
        } else {
            return nil
        }
    }

    private static func parse(_ text: String, family: Int32, size: Int) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: size)
        let ok = out.withUnsafeMutableBytes { inet_pton(family, text, $0.baseAddress) }
        return ok == 1 ? out : nil
    }

    public var isIPv4: Bool { bytes.count == 4 }
    public var isIPv6: Bool { bytes.count == 16 }
    /// AF_INET or AF_INET6.
    public var family: UInt8 { isIPv4 ? UInt8(AF_INET) : UInt8(AF_INET6) }
    /// Host-order value of an IPv4 address; nil for IPv6.
    public var ipv4Value: UInt32? {
        guard isIPv4 else { return nil }
        return bytes.reduce(0) { $0 << 8 | UInt32($1) }
    }
    public var isUnspecified: Bool { bytes.allSatisfy { $0 == 0 } }
    public var isIPv6LinkLocal: Bool { isIPv6 && bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80 }

    public static let ipv4Any = InetAddress(ipv4: 0)
    public static let ipv6Any = InetAddress(ipv6High: 0, low: 0)

    /// Text as inet_ntop writes it (RFC 5952 for IPv6).
    public var description: String {
        var buffer = [CChar](repeating: 0, count: 64)
        let family = isIPv4 ? AF_INET : AF_INET6
        let ok = bytes.withUnsafeBytes { raw in
            buffer.withUnsafeMutableBufferPointer { inet_ntop(family, raw.baseAddress, $0.baseAddress, 64) }
        }
        guard ok != nil else { return "?" }
        return String(cString: buffer)
    }

    /// IPv4 sorts before IPv6; within a family, numerically.
    public static func < (a: InetAddress, b: InetAddress) -> Bool {
        if a.bytes.count != b.bytes.count { return a.bytes.count < b.bytes.count }
        return a.bytes.lexicographicallyPrecedes(b.bytes)
    }

    /// This address with every bit after the first `length` cleared.
    public func masked(to length: UInt8) -> InetAddress {
        var out = bytes
        for i in out.indices {
            let bitsBefore = i * 8
            if bitsBefore >= Int(length) {
                out[i] = 0
            } else if bitsBefore + 8 > Int(length) {
                out[i] &= UInt8(0xff) << UInt8(8 - (Int(length) - bitsBefore))
            }
        }
        return InetAddress(uncheckedBytes: out)
    }

    init(uncheckedBytes: [UInt8]) { bytes = uncheckedBytes }
}

/// A route destination: a network address (host bits cleared) and a prefix length.
public struct InetPrefix: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let address: InetAddress
    public let length: UInt8

    /// Clears host bits, so 10.1.2.3/24 becomes 10.1.2.0/24. Lengths past the family's width are clamped.
    public init(_ address: InetAddress, length: UInt8) {
        let width = UInt8(address.bytes.count * 8)
        self.length = min(length, width)
        self.address = address.masked(to: self.length)
    }

    /// Parses "10.0.0.0/24", "2001:db8::/32", or a bare address as a host prefix.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = InetAddress(String(parts[0])) else { return nil }
        let width = address.bytes.count * 8
        var length = width
        if parts.count == 2 {
            guard let n = Int(parts[1]), n >= 0, n <= width else { return nil }
            length = n
        }
        self.init(address, length: UInt8(length))
    }

    /// The default route of a family: 0.0.0.0/0 or ::/0.
    public static let ipv4Default = InetPrefix(.ipv4Any, length: 0)
    public static let ipv6Default = InetPrefix(.ipv6Any, length: 0)

    public var isIPv4: Bool { address.isIPv4 }
    public var family: UInt8 { address.family }

    /// True when `other` falls inside this prefix.
    public func contains(_ other: InetAddress) -> Bool {
        other.bytes.count == address.bytes.count && other.masked(to: length) == address
    }

    /// "10.0.0.0/24"; host prefixes keep their length ("10.0.0.1/32").
    public var description: String { "\(address)/\(length)" }

    public static func < (a: InetPrefix, b: InetPrefix) -> Bool {
        a.address != b.address ? a.address < b.address : a.length < b.length
    }
}
