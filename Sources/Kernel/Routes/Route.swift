/// RTN_* route type. A struct over the raw byte so types PeerLab does not name still round-trip.
public struct RouteType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let unicast = RouteType(rawValue: 1)
    public static let local = RouteType(rawValue: 2)
    public static let broadcast = RouteType(rawValue: 3)
    public static let anycast = RouteType(rawValue: 4)
    public static let multicast = RouteType(rawValue: 5)
    /// Silently drops matching packets (`ip route add blackhole P`).
    public static let blackhole = RouteType(rawValue: 6)
    public static let unreachable = RouteType(rawValue: 7)
    public static let prohibit = RouteType(rawValue: 8)
    public static let `throw` = RouteType(rawValue: 9)

    /// iproute2's word ("unicast", "blackhole", …).
    public var description: String {
        let names = ["unspec", "unicast", "local", "broadcast", "anycast", "multicast", "blackhole", "unreachable", "prohibit", "throw"]
        return Int(rawValue) < names.count ? names[Int(rawValue)] : "\(rawValue)"
    }
}

/// RTPROT_*: who installed a route. The speaker installs with `.bgp` so it can tell its routes apart.
public struct RouteProtocol: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let redirect = RouteProtocol(rawValue: 1)
    /// Made by the kernel itself (connected subnets).
    public static let kernel = RouteProtocol(rawValue: 2)
    /// iproute2's default for `ip route add`.
    public static let boot = RouteProtocol(rawValue: 3)
    public static let `static` = RouteProtocol(rawValue: 4)
    public static let bird = RouteProtocol(rawValue: 12)
    public static let bgp = RouteProtocol(rawValue: 186)

    /// The name `ip route` prints (from iproute2's rt_protos table); the number for others.
    public var description: String {
        switch rawValue {
        case 1: "redirect"
        case 2: "kernel"
        case 3: "boot"
        case 4: "static"
        case 11: "zebra"
        case 12: "bird"
        case 16: "dhcp"
        case 186: "bgp"
        case 187: "isis"
        case 188: "ospf"
        case 189: "rip"
        default: "\(rawValue)"
        }
    }
}

/// RT_SCOPE_*: how far a route's destination is.
public struct RouteScope: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let universe = RouteScope(rawValue: 0)
    public static let site = RouteScope(rawValue: 200)
    /// Directly attached (`ip route add P dev X` without a gateway).
    public static let link = RouteScope(rawValue: 253)
    public static let host = RouteScope(rawValue: 254)
    public static let nowhere = RouteScope(rawValue: 255)

    public var description: String {
        switch rawValue {
        case 0: "global"
        case 200: "site"
        case 253: "link"
        case 254: "host"
        case 255: "nowhere"
        default: "\(rawValue)"
        }
    }
}

/// One way out for a route: a gateway, an interface, or both. Several make a multipath (ECMP) route.
public struct NextHop: Hashable, Sendable, CustomStringConvertible {
    public var gateway: InetAddress?
    /// The output interface; routes read back from the kernel always carry `.index`.
    public var interface: LinkID?
    /// Relative share of traffic in a multipath route, 1-256 (rtnh_hops + 1).
    public var weight: Int
    /// RTNH_F_ONLINK: take the gateway as directly reachable on `interface` even without a covering subnet.
    public var onlink: Bool

    public init(gateway: InetAddress? = nil, interface: LinkID? = nil, weight: Int = 1, onlink: Bool = false) {
        self.gateway = gateway
        self.interface = interface
        self.weight = weight
        self.onlink = onlink
    }

    /// "via 10.0.0.2 dev #3 weight 2 onlink", in `ip route`'s order.
    public var description: String {
        var parts: [String] = []
        if let gateway { parts.append("via \(gateway)") }
        if let interface { parts.append("dev \(interface)") }
        if weight != 1 { parts.append("weight \(weight)") }
        if onlink { parts.append("onlink") }
        return parts.joined(separator: " ")
    }

    /// The interface index, when the next hop names its interface by index.
    public var interfaceIndex: Int32? {
        if case .index(let index) = interface { return index }
        return nil
    }
}

/// A kernel route, as `ip route` adds and shows it.
///
/// One next hop is sent as RTA_GATEWAY/RTA_OIF, several as RTA_MULTIPATH; blackhole, unreachable and
/// prohibit routes have none. `table` is 254 (main) unless set.
public struct Route: Hashable, Sendable, CustomStringConvertible {
    public var destination: InetPrefix
    public var type: RouteType
    public var nextHops: [NextHop]
    public var `protocol`: RouteProtocol
    /// RTA_PRIORITY (`metric` in `ip route`); nil = kernel default (0 for IPv4, 1024 for IPv6).
    public var metric: UInt32?
    public var table: UInt32
    /// nil = what `ip route add` would pick: link for a unicast route without a gateway, host for
    /// local routes, universe otherwise (and always universe for IPv6).
    public var scope: RouteScope?
    /// RTA_PREFSRC: the source address for locally originated packets.
    public var preferredSource: InetAddress?

    public static let mainTable: UInt32 = 254
    public static let localTable: UInt32 = 255

    public init(_ destination: InetPrefix, type: RouteType = .unicast, nextHops: [NextHop] = [],
                protocol: RouteProtocol = .static, metric: UInt32? = nil, table: UInt32 = Route.mainTable,
                scope: RouteScope? = nil, preferredSource: InetAddress? = nil) {
        self.destination = destination
        self.type = type
        self.nextHops = nextHops
        self.protocol = `protocol`
        self.metric = metric
        self.table = table
        self.scope = scope
        self.preferredSource = preferredSource
    }

    /// A unicast route via one gateway (optionally pinned to an interface).
    public static func via(_ destination: InetPrefix, _ gateway: InetAddress, interface: LinkID? = nil,
                           protocol: RouteProtocol = .static, metric: UInt32? = nil, onlink: Bool = false) -> Route {
        Route(destination, nextHops: [NextHop(gateway: gateway, interface: interface, onlink: onlink)],
              protocol: `protocol`, metric: metric)
    }

    /// A blackhole route: matching packets are dropped.
    public static func blackhole(_ destination: InetPrefix, protocol: RouteProtocol = .static, metric: UInt32? = nil) -> Route {
        Route(destination, type: .blackhole, protocol: `protocol`, metric: metric)
    }

    /// The scope sent to the kernel when `scope` is nil, chosen as `ip route add` does.
    public var effectiveScope: RouteScope {
        if let scope { return scope }
        if !destination.isIPv4 { return .universe }
        switch type {
        case .local: return .host
        case .broadcast, .multicast, .anycast: return .link
        case .unicast where nextHops.allSatisfy({ $0.gateway == nil }): return .link
        default: return .universe
        }
    }

    /// "10.1.0.0/24 via 10.0.0.2 dev #3 proto bgp metric 20", close to `ip route`'s line.
    public var description: String {
        var parts: [String] = []
        if type != .unicast { parts.append(type.description) }
        parts.append(destination.description)
        if nextHops.count == 1 {
            parts.append(nextHops[0].description)
        } else if !nextHops.isEmpty {
            parts.append(nextHops.map { "nexthop \($0)" }.joined(separator: " "))
        }
        parts.append("proto \(self.protocol)")
        if let metric { parts.append("metric \(metric)") }
        if table != Route.mainTable { parts.append("table \(table)") }
        return parts.joined(separator: " ")
    }
}
