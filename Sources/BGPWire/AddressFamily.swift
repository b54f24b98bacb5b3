/// Address Family Identifier (IANA).
public enum AFI: UInt16, Hashable, Sendable { case ipv4 = 1, ipv6 = 2 }

/// Subsequent Address Family Identifier (IANA); only unicast is carried by PeerLab.
public enum SAFI: UInt8, Hashable, Sendable { case unicast = 1, multicast = 2 }

/// An AFI/SAFI pair, as carried in the multiprotocol capability and MP_REACH/MP_UNREACH.
public struct AddressFamily: Hashable, Sendable, CustomStringConvertible {
    public var afi: AFI
    public var safi: SAFI
    public init(afi: AFI, safi: SAFI) { self.afi = afi; self.safi = safi }
    public static let ipv4Unicast = AddressFamily(afi: .ipv4, safi: .unicast)
    public static let ipv6Unicast = AddressFamily(afi: .ipv6, safi: .unicast)
    public var description: String { "\(afi == .ipv4 ? "IPv4" : "IPv6") \(safi == .unicast ? "Unicast" : "Multicast")" }
}
