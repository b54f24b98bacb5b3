/// An IPv4 prefix; host bits are always zero (the initialisers mask them).
public struct IPv4Prefix: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let address: IPv4Address
    public let length: UInt8
    public init(_ address: IPv4Address, length: UInt8) {
        precondition(length <= 32)
        self.length = length
        self.address = IPv4Address(address.value & IPv4Prefix.mask(length))
    }
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let a = IPv4Address(parts[0]), let l = UInt8(parts[1]), l <= 32 else { return nil }
        self.init(a, length: l)
    }
    /// For decoders that have already checked the length and masked the address.
    @inline(__always)
    init(masked address: IPv4Address, length: UInt8) {
        self.length = length
        self.address = address
    }
    public static func mask(_ length: UInt8) -> UInt32 { length == 0 ? 0 : UInt32.max << (32 - UInt32(length)) }
    public var netmask: IPv4Address { IPv4Address(IPv4Prefix.mask(length)) }
    public func contains(_ a: IPv4Address) -> Bool { a.value & IPv4Prefix.mask(length) == address.value }
    public func contains(_ p: IPv4Prefix) -> Bool { p.length >= length && contains(p.address) }
    public var description: String { "\(address)/\(length)" }
    public static func < (a: IPv4Prefix, b: IPv4Prefix) -> Bool { (a.address, a.length) < (b.address, b.length) }
}

/// An IPv6 prefix; host bits are always zero.
public struct IPv6Prefix: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let address: IPv6Address
    public let length: UInt8
    public init(_ address: IPv6Address, length: UInt8) {
        precondition(length <= 128)
        self.length = length
        let (mh, ml) = IPv6Prefix.mask(length)
        self.address = IPv6Address(high: address.high & mh, low: address.low & ml)
    }
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let a = IPv6Address(parts[0]), let l = UInt8(parts[1]), l <= 128 else { return nil }
        self.init(a, length: l)
    }
    public static func mask(_ length: UInt8) -> (UInt64, UInt64) {
        let l = Int(length)
        let h: UInt64 = l == 0 ? 0 : (l >= 64 ? .max : UInt64.max << (64 - l))
        let lo: UInt64 = l <= 64 ? 0 : (l >= 128 ? .max : UInt64.max << (128 - l))
        return (h, lo)
    }
    public func contains(_ a: IPv6Address) -> Bool {
        let (mh, ml) = IPv6Prefix.mask(length)
        return a.high & mh == address.high && a.low & ml == address.low
    }
    public func contains(_ p: IPv6Prefix) -> Bool { p.length >= length && contains(p.address) }
    public var description: String { "\(address)/\(length)" }
    public static func < (a: IPv6Prefix, b: IPv6Prefix) -> Bool { (a.address, a.length) < (b.address, b.length) }
}

/// A prefix of either family: the key of every RIB.
public enum Prefix: Hashable, Comparable, Sendable, CustomStringConvertible {
    case v4(IPv4Prefix)
    case v6(IPv6Prefix)
    public init?(_ text: String) {
        if let p = IPv4Prefix(text) { self = .v4(p) } else if let p = IPv6Prefix(text) { self = .v6(p) } else { return nil }
    }
    public var family: AddressFamily { if case .v4 = self { return .ipv4Unicast } else { return .ipv6Unicast } }
    public var length: UInt8 { switch self { case .v4(let p): p.length; case .v6(let p): p.length } }
    public var description: String { switch self { case .v4(let p): p.description; case .v6(let p): p.description } }
    public static func < (a: Prefix, b: Prefix) -> Bool {
        switch (a, b) {
        case (.v4(let x), .v4(let y)): x < y
        case (.v6(let x), .v6(let y)): x < y
        case (.v4, .v6): true
        case (.v6, .v4): false
        }
    }
}
