import BGPWire
import BGPSpeaker

/// Where the daemon puts its best routes: the namespace's kernel table (`NetlinkFIB`, routes with protocol bgp) or
/// a stand-in in tests. Called on the loop thread only.
public protocol FIB: AnyObject {
    /// Adds or replaces the route; several next hops make an ECMP (multipath) route.
    func install(_ prefix: Prefix, nextHops: [IPAddress]) throws
    /// Adds or replaces a blackhole route (packets dropped silently).
    func blackhole(_ prefix: Prefix) throws
    func remove(_ prefix: Prefix) throws
}

/// One route of the namespace's main table, as redistribution and next-hop resolution need it.
public struct KernelRoute: Hashable, Sendable {
    public enum Origin: Hashable, Sendable {
        /// The kernel's own route for an interface's subnet (proto kernel, scope link).
        case connected
        /// Added by an administrator (proto boot or static).
        case staticRoute
        /// Installed by a BGP daemon (proto bgp): never used to resolve BGP next hops.
        case bgp
        case other
    }
    public var prefix: Prefix
    public var gateways: [IPAddress]
    public var origin: Origin
    public var metric: UInt32
    public init(prefix: Prefix, gateways: [IPAddress] = [], origin: Origin, metric: UInt32 = 0) {
        self.prefix = prefix; self.gateways = gateways; self.origin = origin; self.metric = metric
    }
}

/// The namespace's routing table, read for `redistribute` and next-hop resolution.
public protocol KernelRouteSource: AnyObject {
    func routes() throws -> [KernelRoute]
}

/// Resolves BGP next hops over the kernel's connected and static routes, recursively, the way an IGP-less fabric
/// needs: a next hop is usable when a non-BGP route covers it and, for a route via a gateway, that gateway is
/// itself reachable. The metric is the sum of the route metrics along the way.
public struct NextHopTable: Hashable, Sendable {
    private let routes: [KernelRoute]

    public init(routes: [KernelRoute]) {
        self.routes = routes.filter { $0.origin != .bgp }.sorted { $0.prefix.length > $1.prefix.length }
    }

    public func resolve(_ nextHop: IPAddress) -> NextHopResolution? {
        resolve(nextHop, depth: 0).map { NextHopResolution(igpMetric: $0) }
    }

    private func resolve(_ address: IPAddress, depth: Int) -> UInt32? {
        guard depth < 8, let route = routes.first(where: { Self.covers($0.prefix, address) }) else { return nil }
        if route.gateways.isEmpty { return route.metric }
        let metrics = route.gateways.compactMap { gw -> UInt32? in
            gw == address ? nil : resolve(gw, depth: depth + 1)
        }
        guard let best = metrics.min() else { return nil }
        return route.metric &+ best
    }

    static func covers(_ prefix: Prefix, _ address: IPAddress) -> Bool {
        switch (prefix, address) {
        case (.v4(let p), .v4(let a)): p.contains(a)
        case (.v6(let p), .v6(let a)): p.contains(a)
        default: false
        }
    }

    /// Prefixes to originate for `redistribute connected` (host routes and link-local left out).
    public var connectedPrefixes: [Prefix] {
        routes.filter { $0.origin == .connected && !Self.isLinkLocal($0.prefix) }.map(\.prefix)
    }

    /// Prefixes to originate for `redistribute static`.
    public var staticPrefixes: [Prefix] {
        routes.filter { $0.origin == .staticRoute }.map(\.prefix)
    }

    private static func isLinkLocal(_ p: Prefix) -> Bool {
        if case .v6(let v6) = p { return v6.address.isLinkLocal }
        return false
    }
}
