#if canImport(Glibc)
import Glibc
#endif
import BGPWire
import Kernel

/// The rtnetlink route messages the daemon needs (RTM_NEWROUTE / RTM_DELROUTE / RTM_GETROUTE dump), built on the
/// Kernel module's `NetlinkSocket`. The Kernel module's own route API was not there when this was written; these
/// few messages live here so the daemon does not wait for it.
enum RouteMessage {
    static let newRoute: UInt16 = 24, delRoute: UInt16 = 25, getRoute: UInt16 = 26
    static let create: UInt16 = 0x400, replace: UInt16 = 0x100, dump: UInt16 = 0x300
    static let rtaDst: UInt16 = 1, rtaOif: UInt16 = 4, rtaGateway: UInt16 = 5, rtaPriority: UInt16 = 6
    static let rtaMultipath: UInt16 = 9, rtaTable: UInt16 = 15
    static let tableMain: UInt8 = 254
    static let protoKernel: UInt8 = 2, protoBoot: UInt8 = 3, protoStatic: UInt8 = 4
    /// The protocol number iproute2 calls `bgp`: routes this daemon owns.
    static let protoBGP: UInt8 = 186
    static let scopeUniverse: UInt8 = 0, scopeLink: UInt8 = 253
    static let typeUnicast: UInt8 = 1, typeBlackhole: UInt8 = 6

    static func family(_ p: Prefix) -> UInt8 { p.family.afi == .ipv4 ? UInt8(AF_INET) : UInt8(AF_INET6) }

    static func bytes(_ p: Prefix) -> [UInt8] {
        switch p { case .v4(let v): v.address.octets; case .v6(let v): v.address.bytes }
    }

    static func bytes(_ a: IPAddress) -> [UInt8] {
        switch a { case .v4(let v): v.octets; case .v6(let v): v.bytes }
    }

    /// rtmsg: family, dst_len, src_len, tos, table, protocol, scope, type, flags (u32).
    static func request(_ type: UInt16, flags: UInt16, prefix: Prefix, routeType: UInt8, protocol proto: UInt8) -> NetlinkRequest {
        var r = NetlinkRequest(type: type, flags: flags)
        r.append(family(prefix)); r.append(prefix.length); r.append(UInt8(0)); r.append(UInt8(0))
        r.append(tableMain); r.append(proto); r.append(scopeUniverse); r.append(routeType)
        r.append(UInt32(0))
        r.addAttribute(rtaDst, bytes: bytes(prefix))
        return r
    }
}

/// The namespace's kernel FIB: routes with protocol bgp in the main table. Open it inside the namespace.
public final class NetlinkFIB: FIB {
    private let socket: NetlinkSocket

    /// Opens a route socket in the calling thread's network namespace.
    public init() throws { socket = try NetlinkSocket() }

    public func install(_ prefix: Prefix, nextHops: [IPAddress]) throws {
        var r = RouteMessage.request(RouteMessage.newRoute, flags: RouteMessage.create | RouteMessage.replace, prefix: prefix,
                                     routeType: RouteMessage.typeUnicast, protocol: RouteMessage.protoBGP)
        let hops = nextHops.filter { $0.family == prefix.family.afi }
        if hops.count == 1 {
            r.addAttribute(RouteMessage.rtaGateway, bytes: RouteMessage.bytes(hops[0]))
        } else if hops.count > 1 {
            // RTA_MULTIPATH: rtnexthop {len u16, flags u8, hops u8, ifindex i32} + RTA_GATEWAY, per next hop.
            r.nest(RouteMessage.rtaMultipath) { m in
                for hop in hops {
                    let gateway = RouteMessage.bytes(hop)
                    m.align()
                    m.append(UInt16(8 + 4 + gateway.count)); m.append(UInt8(0)); m.append(UInt8(0)); m.append(Int32(0))
                    m.addAttribute(RouteMessage.rtaGateway, bytes: gateway)
                }
            }
        }
        try socket.perform(r, doing: "installing \(prefix) via \(hops.map(\.description).joined(separator: ", "))")
    }

    public func blackhole(_ prefix: Prefix) throws {
        let r = RouteMessage.request(RouteMessage.newRoute, flags: RouteMessage.create | RouteMessage.replace, prefix: prefix,
                                     routeType: RouteMessage.typeBlackhole, protocol: RouteMessage.protoBGP)
        try socket.perform(r, doing: "installing blackhole \(prefix)")
    }

    public func remove(_ prefix: Prefix) throws {
        let r = RouteMessage.request(RouteMessage.delRoute, flags: 0, prefix: prefix, routeType: 0, protocol: RouteMessage.protoBGP)
        do {
            try socket.perform(r, doing: "removing \(prefix)")
        } catch let error as KernelError where error.code == ESRCH || error.code == ENOENT {
            // Already gone (someone flushed it): the goal is met.
        }
    }

    /// Removes every bgp-protocol route from the main table (left over by a daemon that did not shut down cleanly).
    public func flushAll() throws {
        for route in try NetlinkRoutes(socket: socket).routes() where route.origin == .bgp { try remove(route.prefix) }
    }
}

/// Reads the namespace's main routing table over rtnetlink.
public final class NetlinkRoutes: KernelRouteSource {
    private let socket: NetlinkSocket

    public init() throws { socket = try NetlinkSocket() }
    init(socket: NetlinkSocket) { self.socket = socket }

    public func routes() throws -> [KernelRoute] {
        var r = NetlinkRequest(type: RouteMessage.getRoute, flags: RouteMessage.dump)
        r.append(UInt8(AF_UNSPEC)); r.append(UInt8(0)); r.append(UInt8(0)); r.append(UInt8(0))
        r.append(UInt8(0)); r.append(UInt8(0)); r.append(UInt8(0)); r.append(UInt8(0)); r.append(UInt32(0))
        return try socket.dump(r, doing: "reading the routing table").compactMap(Self.route)
    }

    static func route(_ m: NetlinkMessage) -> KernelRoute? {
        guard m.type == RouteMessage.newRoute, m.payload.count >= 12 else { return nil }
        let p = m.payload
        let base = p.startIndex
        let family = p[base], length = p[base + 1], table = p[base + 4], proto = p[base + 5], scope = p[base + 6], type = p[base + 7]
        let attrs = NetlinkAttributes(p[(base + 12)...])
        let tableID = attrs.integer(RouteMessage.rtaTable, as: UInt32.self) ?? UInt32(table)
        guard tableID == UInt32(RouteMessage.tableMain), type == RouteMessage.typeUnicast || type == RouteMessage.typeBlackhole else { return nil }
        let prefix: Prefix
        let dst = attrs[RouteMessage.rtaDst].map(Array.init) ?? []
        if Int32(family) == AF_INET {
            let bytes = dst.count == 4 ? dst : [0, 0, 0, 0]
            guard length <= 32 else { return nil }
            prefix = .v4(IPv4Prefix(IPv4Address(bytes[0], bytes[1], bytes[2], bytes[3]), length: length))
        } else if Int32(family) == AF_INET6 {
            let bytes = dst.count == 16 ? dst : [UInt8](repeating: 0, count: 16)
            guard length <= 128 else { return nil }
            prefix = .v6(IPv6Prefix(IPv6Address(bytes: bytes), length: length))
        } else { return nil }
        var gateways: [IPAddress] = []
        if let gw = attrs[RouteMessage.rtaGateway], let a = address(gw) { gateways.append(a) }
        if let mp = attrs[RouteMessage.rtaMultipath] {
            var offset = mp.startIndex
            while mp.endIndex - offset >= 8 {
                let len = Int(UInt16(mp[offset]) | UInt16(mp[offset + 1]) << 8)
                guard len >= 8, offset + len <= mp.endIndex else { break }
                let nested = NetlinkAttributes(mp[(offset + 8)..<(offset + len)])
                if let gw = nested[RouteMessage.rtaGateway], let a = address(gw) { gateways.append(a) }
                offset += (len + 3) & ~3
            }
        }
        let origin: KernelRoute.Origin
        switch proto {
        case RouteMessage.protoBGP: origin = .bgp
        case RouteMessage.protoKernel where scope == RouteMessage.scopeLink: origin = .connected
        case RouteMessage.protoBoot, RouteMessage.protoStatic: origin = .staticRoute
        default: origin = .other
        }
        return KernelRoute(prefix: prefix, gateways: gateways, origin: origin,
                           metric: attrs.integer(RouteMessage.rtaPriority, as: UInt32.self) ?? 0)
    }

    private static func address(_ bytes: ArraySlice<UInt8>) -> IPAddress? {
        switch bytes.count {
        case 4: let b = Array(bytes); return .v4(IPv4Address(b[0], b[1], b[2], b[3]))
        case 16: return .v6(IPv6Address(bytes: bytes))
        default: return nil
        }
    }
}
