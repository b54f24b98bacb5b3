#if canImport(Glibc)
import Glibc
#endif
import BGPWire
import Kernel

/// Conversions between BGPWire's addresses (what the speaker and Calico compute) and the Kernel module's
/// (what netlink takes).
public enum KernelAddress {
    public static func inet(_ a: IPAddress) -> InetAddress {
        switch a {
        case .v4(let v): InetAddress(ipv4: v.value)
        case .v6(let v): InetAddress(ipv6High: v.high, low: v.low)
        }
    }

    public static func inet(_ p: Prefix) -> InetPrefix {
        switch p {
        case .v4(let v): InetPrefix(InetAddress(ipv4: v.address.value), length: v.length)
        case .v6(let v): InetPrefix(InetAddress(ipv6High: v.address.high, low: v.address.low), length: v.length)
        }
    }

    public static func ip(_ a: InetAddress) -> IPAddress? {
        switch a.bytes.count {
        case 4: .v4(IPv4Address(a.bytes[0], a.bytes[1], a.bytes[2], a.bytes[3]))
        case 16: .v6(IPv6Address(bytes: a.bytes))
        default: nil
        }
    }

    /// The host route of one address (/32 or /128).
    public static func host(_ a: IPAddress) -> InetPrefix {
        InetPrefix(inet(a), length: a.family == .ipv4 ? 32 : 128)
    }

    public static func prefix(_ p: InetPrefix) -> Prefix? {
        switch ip(p.address) {
        case .v4(let a)?: .v4(IPv4Prefix(a, length: p.length))
        case .v6(let a)?: .v6(IPv6Prefix(a, length: p.length))
        case nil: nil
        }
    }
}

/// The namespace's kernel FIB over the Kernel module's rtnetlink API: routes with protocol bgp (186) in the main
/// table, so `ip route` shows them as `proto bgp` and a restart can find and flush them.
public final class NetlinkFIB: FIB {
    private let socket: NetlinkSocket
    /// Installed with metric 20 (as FRR's zebra does for BGP) so that a replace never touches a connected or
    /// static route of the same prefix, which sit at metric 0.
    public static let metric: UInt32 = 20

    /// Opens a route socket in `namespace` (nil = the calling thread's).
    public init(namespace: NetworkNamespace? = nil) throws { socket = try NetlinkSocket.open(in: namespace) }

    public func install(_ prefix: Prefix, nextHops: [IPAddress]) throws {
        let hops = nextHops.filter { $0.family == prefix.family.afi }.map { NextHop(gateway: KernelAddress.inet($0)) }
        try socket.replaceRoute(Route(KernelAddress.inet(prefix), nextHops: hops, protocol: .bgp, metric: Self.metric))
    }

    public func blackhole(_ prefix: Prefix) throws {
        try socket.replaceRoute(.blackhole(KernelAddress.inet(prefix), protocol: .bgp, metric: Self.metric))
    }

    public func remove(_ prefix: Prefix) throws {
        do {
            try socket.deleteRoute(KernelAddress.inet(prefix), protocol: .bgp, metric: Self.metric)
        } catch let error as KernelError where error.code == ESRCH || error.code == ENOENT {
            // Already gone: the goal is met.
        }
    }

    /// Removes every bgp-protocol route of the main table (left by a daemon that did not shut down cleanly).
    public func flushAll() throws {
        for route in try socket.routes() where route.protocol == .bgp {
            do {
                try socket.deleteRoute(route.destination, protocol: .bgp, metric: route.metric)
            } catch let error as KernelError where error.code == ESRCH || error.code == ENOENT {}
        }
    }
}

/// Reads the namespace's main routing table for next-hop resolution and redistribution.
public final class NetlinkRoutes: KernelRouteSource {
    private let socket: NetlinkSocket

    public init(namespace: NetworkNamespace? = nil) throws { socket = try NetlinkSocket.open(in: namespace) }

    public func routes() throws -> [KernelRoute] {
        try socket.routes().compactMap(Self.route)
    }

    static func route(_ r: Route) -> KernelRoute? {
        guard r.type == .unicast || r.type == .blackhole, let prefix = KernelAddress.prefix(r.destination) else { return nil }
        let origin: KernelRoute.Origin
        switch r.protocol {
        case .bgp: origin = .bgp
        // An interface's subnet: IPv4 marks it scope link, IPv6 leaves the scope global; neither has a gateway.
        case .kernel where r.nextHops.allSatisfy({ $0.gateway == nil }): origin = .connected
        case .boot, .static: origin = .staticRoute
        default: origin = .other
        }
        return KernelRoute(prefix: prefix, gateways: r.nextHops.compactMap { $0.gateway.flatMap(KernelAddress.ip) },
                           origin: origin, metric: r.metric ?? 0)
    }
}
