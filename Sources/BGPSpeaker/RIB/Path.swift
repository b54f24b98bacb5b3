import BGPWire

/// Where a locally originated route comes from.
public enum OriginSource: Int, Hashable, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    /// `network` statement: ORIGIN igp.
    case network
    /// Redistributed interface subnet: ORIGIN incomplete.
    case connected
    /// Redistributed static route: ORIGIN incomplete.
    case staticRoute
    /// A `network … blackhole` prefix: advertised with ORIGIN igp and installed as a blackhole.
    case blackhole
    /// An aggregate: ORIGIN igp.
    case aggregate

    /// The ORIGIN a route from this source carries unless told otherwise.
    public var defaultOrigin: Origin {
        switch self {
        case .network, .blackhole, .aggregate: .igp
        case .connected, .staticRoute: .incomplete
        }
    }
    public var description: String {
        switch self {
        case .network: "network"
        case .connected: "connected"
        case .staticRoute: "static"
        case .blackhole: "blackhole"
        case .aggregate: "aggregate"
        }
    }
    public static func < (a: OriginSource, b: OriginSource) -> Bool { a.rawValue < b.rawValue }
}

/// Who a route came from, as shown by `show ip bgp` and `display bgp routing-table`.
public enum RouteSource: Hashable, Sendable {
    case peer(IPAddress, routerID: IPv4Address, external: Bool)
    case local(OriginSource)
}

/// The compact source of a stored path: a peer slot or a local origin (3 bytes, so a `Path` is 16).
enum PathSource: Hashable {
    case peer(UInt16)
    case local(OriginSource)
}

/// One candidate route for a prefix: the interned attributes, where it came from and a few flags.
/// This is the whole per-path cost of the Loc-RIB; everything else is looked up through `source`.
struct Path {
    var attributes: AttributeSet
    let source: PathSource
    /// Kept after the peer's session dropped with graceful restart (RFC 4724), until refreshed or swept.
    var isStale: Bool = false
    /// `Speaker.clock` when this path arrived or last changed (for "Route Duration", "Last update").
    /// Fits in the padding after `source` and `isStale`, so a path stays 16 bytes.
    var since: UInt32 = 0

    var nextHop: IPAddress { attributes.nextHop }
    var isLocal: Bool { if case .local = source { return true } else { return false } }

    /// Same route as far as export is concerned (the stale flag does not matter).
    func exportsLike(_ other: Path?) -> Bool {
        guard let other else { return false }
        return attributes === other.attributes && source == other.source
    }
}
