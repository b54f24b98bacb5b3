import Foundation
import BGPWire
import BGPSpeaker
import Device
import Kernel

/// The device's live state in the shapes the Quagga displays take.
extension NetworkDevice {
    /// bgpd's peers and IPv4 Loc-RIB; nil without `router bgp`.
    public func bgpState() -> BGPState? {
        let cfg = config
        guard let bgp = cfg.bgp else { return nil }
        return BGPState(routerID: cfg.effectiveRouterID, asn: bgp.asn, peers: peerSummaries(), entries: bgpRoutes(),
                        clock: withSpeaker { $0.clock() } ?? 0)
    }

    /// `net.ipv4.ip_forward` in the device's namespace (the current one when it has none); nil if unreadable.
    public var ipForwarding: Bool? {
        let value: String?
        if let namespace {
            value = try? namespace.readSysctl("net.ipv4.ip_forward")
        } else {
            value = try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_forward", encoding: .utf8)
        }
        return value.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) == "1" }
    }

    /// The first global IPv4 address the kernel has on `interface` in the device's namespace (zebra's view of an
    /// interface nobody configured through the CLI, e.g. the lab's loopback); nil without kernel access.
    public func kernelAddress(of interface: String) -> IPv4Address? {
        guard appliesKernel, let socket = try? NetlinkSocket.open(in: namespace),
              let addresses = try? socket.addresses(on: .name(interface)) else { return nil }
        return addresses.first { $0.scope == 0 && $0.address.bytes.count == 4 }.map { a in
            IPv4Address(a.address.bytes[0], a.address.bytes[1], a.address.bytes[2], a.address.bytes[3])
        }
    }

    /// `state` with the peers `prefix`'s best path went to (asked only for the one-prefix display).
    func withAdvertised(_ state: BGPState, _ prefix: Prefix) -> BGPState {
        var s = state
        s.advertisedTo[prefix] = advertisedTo(prefix)
        return s
    }

    /// zebra's table: connected and static routes from the configuration, BGP routes from the Loc-RIB
    /// (best and multipath paths of routes learned from peers, ECMP next hops on one route).
    public func zebraRoutes() -> [ZebraRoute] {
        let cfg = config
        var routes: [ZebraRoute] = cfg.interfaces.filter { !$0.shutdown }.flatMap { i in
            i.addresses.map { ZebraRoute(kind: .connected, prefix: $0.network, nextHops: [.connected(i.name)]) }
        }
        for r in cfg.staticRoutes {
            let hop: ZebraRoute.NextHop
            if let gw = r.nextHop {
                hop = .gateway(gw, interface: r.interface ?? cfg.interface(reaching: gw))
            } else if let i = r.interface, !i.hasPrefix("NULL") {
                hop = .connected(i)
            } else {
                hop = .blackhole
            }
            routes.append(ZebraRoute(kind: .staticRoute, prefix: r.prefix, nextHops: [hop], distance: r.preference ?? 1))
        }
        let kernel = appliesKernel ? ((try? KernelTable.read(namespace)) ?? KernelTable()) : KernelTable()
        // zebra learns interfaces and addresses from the kernel: the lab's own addresses show as connected too.
        for (prefix, interface) in kernel.connected where !routes.contains(where: { $0.kind == .connected && $0.prefix == prefix }) {
            routes.append(ZebraRoute(kind: .connected, prefix: prefix, nextHops: [.connected(interface)]))
        }
        routes += kernel.others.filter { k in !cfg.staticRoutes.contains { $0.prefix == k.prefix } }
        let clock = withSpeaker { $0.clock() } ?? 0
        let outInterface = { (gw: IPv4Address) in
            cfg.interface(reaching: gw) ?? kernel.connected.first { $0.prefix.contains(gw) }?.interface
        }
        routes += ZebraRoute.bgp(bgpRoutes(), clock: clock, interface: outInterface)
        return ZebraRoute.selecting(routes)
    }
}

/// The namespace's IPv4 main table as zebra would have learnt it: connected subnets, and routes someone else
/// added (`K`). Routes BGP installed are left out: they come from the Loc-RIB.
struct KernelTable {
    var connected: [(prefix: IPv4Prefix, interface: String)] = []
    var others: [ZebraRoute] = []

    static func read(_ namespace: NetworkNamespace?) throws -> KernelTable {
        let socket = try NetlinkSocket.open(in: namespace)
        let names = Dictionary(try socket.links().map { ($0.index, $0.name) }, uniquingKeysWith: { a, _ in a })
        var table = KernelTable()
        for r in try socket.routes() where r.destination.address.bytes.count == 4 && r.protocol != .bgp {
            let b = r.destination.address.bytes
            let prefix = IPv4Prefix(IPv4Address(b[0], b[1], b[2], b[3]), length: r.destination.length)
            let interface = { (hop: Kernel.NextHop) in hop.interfaceIndex.flatMap { names[$0] } }
            if r.protocol == .kernel && r.effectiveScope == .link, let name = r.nextHops.first.flatMap(interface) {
                table.connected.append((prefix, name))
                continue
            }
            let hops: [ZebraRoute.NextHop] = r.type == .blackhole ? [.blackhole] : r.nextHops.compactMap { hop in
                if let g = hop.gateway, g.bytes.count == 4 {
                    return .gateway(IPv4Address(g.bytes[0], g.bytes[1], g.bytes[2], g.bytes[3]), interface: interface(hop))
                }
                return interface(hop).map { .connected($0) }
            }
            table.others.append(ZebraRoute(kind: .kernel, prefix: prefix, nextHops: hops))
        }
        return table
    }
}

extension ZebraRoute {
    /// BGP routes as zebra holds them: one per prefix, with the best and multipath next hops; eBGP distance 20,
    /// iBGP 200, metric the MED. Locally originated paths stay out (their route is already in the table).
    public static func bgp(_ entries: [RIBEntry], clock: UInt32, interface: (IPv4Address) -> String?) -> [ZebraRoute] {
        var out: [ZebraRoute] = []
        for e in entries where e.isBest || e.isMultipath {
            guard case .v4(let prefix) = e.prefix, case .peer(_, _, let external) = e.source, case .v4(let nh) = e.nextHop else { continue }
            let hop = NextHop.gateway(nh, interface: interface(nh))
            if let last = out.last, last.prefix == prefix {
                out[out.count - 1].nextHops.append(hop)
                continue
            }
            out.append(ZebraRoute(kind: .bgp, prefix: prefix, nextHops: [hop], distance: external ? 20 : 200,
                                  metric: e.attributes.med ?? 0, uptimeSeconds: Int(clock >= e.since ? clock - e.since : 0)))
        }
        return out
    }

    /// Sorted by prefix; per prefix the lowest distance is selected and in the FIB (connected counts as 0).
    public static func selecting(_ routes: [ZebraRoute]) -> [ZebraRoute] {
        let sorted = routes.enumerated().sorted { a, b in
            a.element.prefix != b.element.prefix ? a.element.prefix < b.element.prefix
                : (a.element.distance, a.offset) < (b.element.distance, b.offset)
        }.map(\.element)
        var out: [ZebraRoute] = []
        for var r in sorted {
            let first = out.last?.prefix != r.prefix
            r.selected = first
            r.installed = first
            out.append(r)
        }
        return out
    }
}
