import BGPWire

/// Routes to send to one peer that share attributes, so the encoder can pack many prefixes per UPDATE.
public struct OutboundBatch: Hashable, Sendable {
    /// Attributes without MP_REACH/MP_UNREACH; the encoder adds those for IPv6. For IPv4 announcements
    /// `attributes.nextHop` equals `nextHop`.
    public var attributes: PathAttributes
    public var nextHop: IPAddress
    public var announce: [Prefix]
    public var withdraw: [Prefix]
    /// Set on a batch that is only the End-of-RIB marker for this family (RFC 4724 §2).
    public var endOfRIB: AddressFamily?

    public init(attributes: PathAttributes, nextHop: IPAddress, announce: [Prefix], withdraw: [Prefix],
                endOfRIB: AddressFamily? = nil) {
        self.attributes = attributes; self.nextHop = nextHop; self.announce = announce; self.withdraw = withdraw
        self.endOfRIB = endOfRIB
    }
}

/// A change for the kernel's forwarding table.
public enum FIBChange: Hashable, Sendable {
    /// Install or replace the route; more than one next hop is ECMP.
    case install(Prefix, nextHops: [IPAddress])
    case blackhole(Prefix)
    case remove(Prefix)

    public var prefix: Prefix {
        switch self {
        case .install(let p, _), .blackhole(let p), .remove(let p): p
        }
    }
}

/// How the IGP reaches a BGP next hop.
public struct NextHopResolution: Hashable, Sendable {
    /// The cost compared by decision step "lowest IGP cost" (RFC 4271 §9.1.2.2 e).
    public var igpMetric: UInt32
    public init(igpMetric: UInt32 = 0) { self.igpMetric = igpMetric }
}

/// One path as shown by `show ip bgp`, `display bgp routing-table` and `bgpd status`.
public struct RIBEntry: Hashable, Sendable {
    public var prefix: Prefix
    public var attributes: PathAttributes
    public var nextHop: IPAddress
    public var source: RouteSource
    public var isBest: Bool
    /// Used for ECMP alongside the best path (not set on the best path itself).
    public var isMultipath: Bool
    /// For the best path, the decision step that made it win; for another path, the step that eliminated
    /// it. Nil outside the Loc-RIB and for paths that were never compared.
    public var bestReason: BestPathReason?
    public var isStale: Bool
    /// The next hop resolves (locally originated paths always do).
    public var isValid: Bool
    /// `Speaker.clock` when the path arrived or last changed; 0 outside the Loc-RIB.
    public var since: UInt32

    public init(prefix: Prefix, attributes: PathAttributes, nextHop: IPAddress, source: RouteSource, isBest: Bool = false,
                isMultipath: Bool = false, bestReason: BestPathReason? = nil, isStale: Bool = false, isValid: Bool = true,
                since: UInt32 = 0) {
        self.prefix = prefix; self.attributes = attributes; self.nextHop = nextHop; self.source = source
        self.isBest = isBest; self.isMultipath = isMultipath; self.bestReason = bestReason
        self.isStale = isStale; self.isValid = isValid; self.since = since
    }
}
