import BGPWire

/// One BGP session a Calico node runs, as confd would render it into a BIRD `protocol bgp` block.
/// Vendor-neutral: the node agent maps it onto the speaker's peer configuration.
public struct PeerDescription: Hashable, Sendable, CustomStringConvertible {
    /// Where the session came from; `rawValue` is the PEER TYPE text of `calicoctl node status`.
    public enum Kind: String, Hashable, Sendable {
        case mesh = "node-to-node mesh"
        case global = "global"
        case nodeSpecific = "node specific"

        /// The BIRD protocol-name prefix.
        public var protocolPrefix: String {
            switch self { case .mesh: "Mesh"; case .global: "Global"; case .nodeSpecific: "Node" }
        }
    }

    public var kind: Kind
    public var address: IPAddress
    /// Explicit remote port (`neighbor … port N`); nil means 179.
    public var port: UInt16?
    public var remoteAS: ASNumber
    /// The AS this node speaks on this session (BGPPeer `localASNumber`, else the node AS).
    public var localAS: ASNumber
    /// True when `local as` must be rendered because `localASNumber` overrides the node AS.
    public var localASOverridden: Bool
    /// `rr client;` on the reflector's side; `clusterID` is then this node's cluster ID.
    public var isRouteReflectorClient: Bool
    public var clusterID: IPv4Address?
    public var password: String?
    /// `next hop keep;` (keepOriginalNextHop on eBGP, or nextHopMode Keep).
    public var keepNextHop: Bool
    /// `next hop self;` (nextHopMode Self).
    public var nextHopSelf: Bool
    /// `ttl security on; multihop N;` when set; explicit peers otherwise get plain `multihop;`.
    public var ttlSecurityHops: Int?
    /// Explicit (Global/Node) peers render `multihop;`; mesh peers rely on iBGP's default.
    public var multihop: Bool
    /// This side waits for the other to connect (`passive on;`).
    public var passive: Bool
    /// The local address to bind (source address = the node IP), nil for `sourceAddress: None`.
    public var sourceAddress: IPAddress?
    public var gracefulRestartSeconds: Int?
    public var keepaliveSeconds: Int?
    public var allowLocalAS: Int?
    /// The peer address is another Calico node's BGP address.
    public var isCalicoNode: Bool
    /// BGPFilter names, in order.
    public var filters: [String]
    /// `calico_export_to_bgp_peers(true)`: peer AS equals the effective local AS (iBGP).
    public var isInternal: Bool { remoteAS == localAS }

    /// BIRD protocol name: `Mesh_172_20_0_12`, `Global_10_192_0_1_port_150`, `Node_fd00__12`.
    public var protocolName: String {
        let sep: Character = address.family == .ipv4 ? "." : ":"
        let id = address.description.map { $0 == sep ? "_" : String($0) }.joined()
        // Explicit peers are keyed by `<ip>-<port>`, so their names carry the port; mesh names never do.
        let portSuffix = kind == .mesh ? "" : (port.map { "_port_\($0)" } ?? "")
        return "\(kind.protocolPrefix)_\(id)" + portSuffix
    }

    public var description: String {
        var parts = ["\(protocolName) \(address) AS\(remoteAS) (\(kind.rawValue))"]
        if localASOverridden { parts.append("local-as \(localAS)") }
        if isRouteReflectorClient { parts.append("rr-client cluster \(clusterID.map(String.init(describing:)) ?? "?")") }
        if passive { parts.append("passive") }
        if keepNextHop { parts.append("next-hop-keep") }
        if nextHopSelf { parts.append("next-hop-self") }
        if password != nil { parts.append("password") }
        return parts.joined(separator: " ")
    }
}

/// The BIRD 1.6 defaults calico's bgp_template leaves in force (it sets none of these itself), for
/// mapping a PeerDescription onto a speaker's peer settings.
public enum BirdDefaults {
    public static let holdTime: UInt16 = 240
    public static let keepaliveTime: UInt16 = 80
    /// `connect retry time 5;` from the template.
    public static let connectRetryTime: UInt16 = 5
    /// `graceful restart;` is on; the advertised restart time defaults to 120 s.
    public static let gracefulRestartTime: UInt16 = 120
    /// TTL of a plain `multihop;` (and of iBGP sessions, which BIRD treats as multihop).
    public static let multihopTTL: UInt8 = 64
}

extension PeerDescription {
    /// The IP TTL the session uses: `ttl security` hops, else 64 for multihop/iBGP, else 1.
    public var ttl: UInt8 {
        if let hops = ttlSecurityHops { return UInt8(clamping: hops) }
        return multihop || isInternal ? BirdDefaults.multihopTTL : 1
    }
}
