import BGPWire
import BGPSpeaker

/// One route of the device's IP routing table, before a vendor lays it out.
public struct IPRouteEntry: Hashable, Sendable {
    public enum Source: Hashable, Sendable { case direct, `static`, ebgp, ibgp }
    public var prefix: IPv4Prefix
    public var proto: Source
    public var preference: Int
    public var cost: UInt32
    public var nextHop: IPv4Address
    /// Vendor interface name (`Vlanif98`), or nil when no interface reaches the next hop.
    public var interface: String?
    /// The next hop is not on a connected subnet (VRP flag `R`).
    public var relay: Bool
    /// In the FIB: the best route for the prefix (BGP paths that lost are `<Inactive>`).
    public var active: Bool

    public init(prefix: IPv4Prefix, proto: Source, preference: Int, cost: UInt32 = 0, nextHop: IPv4Address,
                interface: String?, relay: Bool = false, active: Bool = true) {
        self.prefix = prefix; self.proto = proto; self.preference = preference; self.cost = cost; self.nextHop = nextHop
        self.interface = interface; self.relay = relay; self.active = active
    }
}

extension RunningConfig {
    /// The interface whose subnet holds `address` (the out-interface of a route via it).
    public func interface(reaching address: IPv4Address) -> String? {
        interfaces.first { i in !i.shutdown && i.addresses.contains { $0.length < 32 && $0.network.contains(address) } }?.name
    }

    /// Connected subnets of interfaces that are not shut down, one per address.
    public var connectedRoutes: [IPRouteEntry] {
        interfaces.filter { !$0.shutdown }.flatMap { i in
            i.addresses.map { a in
                IPRouteEntry(prefix: IPv4Prefix(a.address, length: a.length), proto: .direct, preference: 0,
                             nextHop: a.address, interface: i.name)
            }
        }
    }

    /// Static routes as table entries (preference 60 unless set).
    public var staticRouteEntries: [IPRouteEntry] {
        staticRoutes.map { r in
            let out = r.interface ?? r.nextHop.flatMap(interface(reaching:))
            return IPRouteEntry(prefix: r.prefix, proto: .static, preference: r.preference ?? 60, nextHop: r.nextHop ?? .zero,
                                interface: out, relay: r.nextHop.map { interface(reaching: $0) == nil } ?? false)
        }
    }
}

extension NetworkDevice {
    /// BGP paths as routing-table entries: the best (and multipath) paths are active, the others inactive.
    /// Locally originated paths are left out: the route they come from is already in the table.
    public func bgpRouteEntries() -> [IPRouteEntry] {
        let cfg = config
        return bgpRoutes().compactMap { e -> IPRouteEntry? in
            guard case .v4(let prefix) = e.prefix, case .peer(_, _, let external) = e.source, case .v4(let nh) = e.nextHop else { return nil }
            let out = cfg.interface(reaching: nh)
            return IPRouteEntry(prefix: prefix, proto: external ? .ebgp : .ibgp, preference: 255, cost: e.attributes.med ?? 0,
                                nextHop: nh, interface: out, relay: out == nil || !external, active: e.isBest || e.isMultipath)
        }
    }

    /// The whole IPv4 table: connected, static, then BGP; sorted by prefix, preference.
    public func ipRoutingTable() -> [IPRouteEntry] {
        let cfg = config
        let all = cfg.connectedRoutes + cfg.staticRouteEntries + bgpRouteEntries().filter(\.active)
        return all.sorted { ($0.prefix, $0.preference) < ($1.prefix, $1.preference) }
    }
}
