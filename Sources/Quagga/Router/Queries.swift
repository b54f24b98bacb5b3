import BGPWire
import BGPSpeaker
import Device

/// The device's live state in the shapes the Quagga displays take.
extension NetworkDevice {
    /// bgpd's peers and IPv4 Loc-RIB; nil without `router bgp`.
    public func bgpState() -> BGPState? {
        let cfg = config
        guard let bgp = cfg.bgp else { return nil }
        return BGPState(routerID: cfg.effectiveRouterID, asn: bgp.asn, peers: peerSummaries(), entries: bgpRoutes(),
                        clock: withSpeaker { $0.clock() } ?? 0)
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
        let clock = withSpeaker { $0.clock() } ?? 0
        routes += ZebraRoute.bgp(bgpRoutes(), clock: clock, interface: { cfg.interface(reaching: $0) })
        return ZebraRoute.selecting(routes)
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
