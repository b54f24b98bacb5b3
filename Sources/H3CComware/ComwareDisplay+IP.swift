import BGPWire
import Device

extension ComwareDisplay {
    static let routeHeader = "Destination/Mask   Proto   Pre Cost        NextHop         Interface"

    /// Short interface names used in Comware tables: `GE1/0/1`, `XGE1/0/1`, `Vlan98`, `Loop0`.
    public static func short(_ name: String) -> String {
        for (long, s) in [("Ten-GigabitEthernet", "XGE"), ("GigabitEthernet", "GE"), ("Vlan-interface", "Vlan"), ("LoopBack", "Loop"),
                          ("Bridge-Aggregation", "BAGG"), ("Route-Aggregation", "RAGG"), ("InLoopBack", "InLoop")] where name.hasPrefix(long) {
            return s + name.dropFirst(long.count)
        }
        return name
    }

    static func protoName(_ p: IPRouteEntry.Source) -> String {
        switch p {
        case .direct: return "Direct"
        case .static: return "Static"
        case .ebgp, .ibgp: return "BGP"
        }
    }

    static func rows(_ entries: [IPRouteEntry]) -> [String] {
        var out: [String] = []
        var previous: IPv4Prefix?
        for e in entries {
            let destination = e.prefix == previous ? "" : e.prefix.description
            previous = e.prefix
            out.append(Col.left(destination, 19) + Col.left(protoName(e.proto), 8) + Col.left(String(e.preference), 4)
                       + Col.left(String(e.cost), 12) + Col.left(e.nextHop.description, 16) + short(e.interface ?? "NULL0"))
        }
        return out
    }

    /// The connected entries Comware shows per address (§B.7) and its fixed local routes.
    public static func expandDirect(_ entries: [IPRouteEntry]) -> [IPRouteEntry] {
        let loopback = IPv4Address(127, 0, 0, 1)
        func direct(_ a: IPv4Address, _ len: UInt8, _ nh: IPv4Address, _ i: String?) -> IPRouteEntry {
            IPRouteEntry(prefix: IPv4Prefix(a, length: len), proto: .direct, preference: 0, nextHop: nh, interface: i)
        }
        var out: [IPRouteEntry] = []
        for e in entries {
            guard e.proto == .direct else { out.append(e); continue }
            let len = e.prefix.length
            // A /32 (a loopback address) is only the address entry, via 127.0.0.1 on InLoop0 (§B.7 `1.1.1.1/32`).
            guard len < 32 else { out.append(direct(e.nextHop, 32, loopback, "InLoopBack0")); continue }
            out.append(e)
            if len < 31 { out.append(direct(e.prefix.address, 32, e.nextHop, e.interface)) }
            out.append(direct(e.nextHop, 32, loopback, "InLoopBack0"))
            if len < 31 {
                out.append(direct(IPv4Address(e.prefix.address.value | ~IPv4Prefix.mask(len)), 32, e.nextHop, e.interface))
            }
        }
        let fixed: [(IPv4Address, UInt8, IPv4Address, String)] = [
            (.zero, 32, loopback, "InLoopBack0"), (IPv4Address(127, 0, 0, 0), 8, loopback, "InLoopBack0"),
            (IPv4Address(127, 0, 0, 0), 32, loopback, "InLoopBack0"), (loopback, 32, loopback, "InLoopBack0"),
            (IPv4Address(127, 255, 255, 255), 32, loopback, "InLoopBack0"), (IPv4Address(224, 0, 0, 0), 4, .zero, "NULL0"),
            (IPv4Address(224, 0, 0, 0), 24, .zero, "NULL0"), (IPv4Address(255, 255, 255, 255), 32, loopback, "InLoopBack0"),
        ]
        out += fixed.map { direct($0.0, $0.1, $0.2, $0.3) }
        return out.sorted { ($0.prefix, $0.preference) < ($1.prefix, $1.preference) }
    }

    /// `display ip routing-table` (§B.7).
    public static func ipRoutingTable(_ entries: [IPRouteEntry]) -> [String] {
        let all = expandDirect(entries)
        return ["", "Destinations : " + Col.left(String(Set(all.map(\.prefix)).count), 8) + " Routes : \(all.count)", "", routeHeader] + rows(all)
    }

    /// `display ip routing-table protocol bgp` (§B.7): summary counts, then active and inactive routes.
    public static func ipRoutingTableBGP(_ bgp: [IPRouteEntry]) -> [String] {
        let active = bgp.filter(\.active), inactive = bgp.filter { !$0.active }
        var out = ["", "Summary count : \(bgp.count)", ""]
        out += ["BGP Routing table status : <Active>", "Summary count : \(active.count)"]
        if !active.isEmpty { out += ["", routeHeader] + rows(active) }
        out += ["", "BGP Routing table status : <Inactive>", "Summary count : \(inactive.count)"]
        if !inactive.isEmpty { out += ["", routeHeader] + rows(inactive) }
        return out
    }

    /// `display ip interface brief` (§B.8), layer-3 interfaces only.
    public static func ipInterfaceBrief(_ c: RunningConfig) -> [String] {
        var out = ["*down: administratively down", "(s): spoofing  (l): loopback",
                   "Interface                Physical Protocol IP Address      Description"]
        for i in c.interfaces where i.effectiveMode == .routed {
            let physical = i.shutdown ? "*down" : "up"
            let proto = i.shutdown ? "down" : (i.name.hasPrefix("LoopBack") ? "up(s)" : "up")
            var description = i.description ?? "--"
            if description.count > 27 { description = String(description.prefix(24)) + "..." }
            out.append(Col.left(short(i.name), 25) + Col.left(physical, 9) + Col.left(proto, 9)
                       + Col.left(i.addresses.first?.address.description ?? "--", 16) + description)
        }
        return out
    }
}
