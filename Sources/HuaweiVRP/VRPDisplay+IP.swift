import BGPWire
import Device

extension VRPDisplay {
    static let flagsLegend = "Route Flags: R - relay, D - download to fib"
    static let dashes = String(repeating: "-", count: 78)
    static let routeHeader = "Destination/Mask    Proto   Pre  Cost      Flags NextHop         Interface"

    static func protoName(_ p: IPRouteEntry.Source) -> String {
        switch p {
        case .direct: return "Direct"
        case .static: return "Static"
        case .ebgp: return "EBGP"
        case .ibgp: return "IBGP"
        }
    }

    /// BGP routes always carry `R` on VRP (seed 003), plus `D` once in the FIB.
    static func flags(_ e: IPRouteEntry) -> String {
        let relay = e.relay || e.proto == .ebgp || e.proto == .ibgp
        return (relay ? "R" : "") + (e.active ? "D" : "")
    }

    /// One row: destination right-aligned so the `/` sits at column 15 (§A.7); ECMP rows leave it blank.
    static func routeRow(_ e: IPRouteEntry, showDestination: Bool) -> String {
        let destination = showDestination ? Col.right(e.prefix.address.description, 15) + Col.left("/\(e.prefix.length)", 5) : String(repeating: " ", count: 20)
        return destination + Col.left(protoName(e.proto), 8) + Col.left(String(e.preference), 5) + Col.left(String(e.cost), 10)
            + Col.right(flags(e), 3) + "   " + Col.left(e.nextHop.description, 16) + (e.interface ?? "NULL0")
    }

    static func rows(_ entries: [IPRouteEntry]) -> [String] {
        var out: [String] = []
        var previous: IPv4Prefix?
        for e in entries {
            out.append(routeRow(e, showDestination: e.prefix != previous))
            previous = e.prefix
        }
        return out
    }

    static func counts(_ entries: [IPRouteEntry]) -> String {
        "         Destinations : " + Col.left(String(Set(entries.map(\.prefix)).count), 8) + " Routes : \(entries.count)"
    }

    /// The connected entries VRP shows for each address: the subnet, the address itself and the subnet
    /// broadcast via 127.0.0.1, plus the InLoopBack0 routes. A /32 address is its host entry alone.
    public static func expandDirect(_ entries: [IPRouteEntry]) -> [IPRouteEntry] {
        let loopback = IPv4Address(127, 0, 0, 1)
        var out: [IPRouteEntry] = []
        for e in entries {
            guard e.proto == .direct else { out.append(e); continue }
            // A /32 (a loopback address) is only the host entry: via 127.0.0.1 on its own interface.
            guard e.prefix.length < 32 else {
                out.append(IPRouteEntry(prefix: e.prefix, proto: .direct, preference: 0, nextHop: loopback, interface: e.interface))
                continue
            }
            out.append(e)
            let host = IPv4Prefix(e.nextHop, length: 32)
            if e.prefix.length < 32 {
                out.append(IPRouteEntry(prefix: host, proto: .direct, preference: 0, nextHop: loopback, interface: e.interface))
            }
            if e.prefix.length < 31 {
                let broadcast = IPv4Address(e.prefix.address.value | ~IPv4Prefix.mask(e.prefix.length))
                out.append(IPRouteEntry(prefix: IPv4Prefix(broadcast, length: 32), proto: .direct, preference: 0, nextHop: loopback, interface: e.interface))
            }
        }
        for (p, len) in [(IPv4Address(127, 0, 0, 0), UInt8(8)), (loopback, 32), (IPv4Address(127, 255, 255, 255), 32), (IPv4Address(255, 255, 255, 255), 32)] {
            out.append(IPRouteEntry(prefix: IPv4Prefix(p, length: len), proto: .direct, preference: 0, nextHop: loopback, interface: "InLoopBack0"))
        }
        return out.sorted { ($0.prefix, $0.preference) < ($1.prefix, $1.preference) }
    }

    /// `display ip routing-table`.
    public static func ipRoutingTable(_ entries: [IPRouteEntry]) -> [String] {
        let all = expandDirect(entries)
        return [flagsLegend, dashes, "Routing Tables: Public", counts(all), "", routeHeader, ""] + rows(all)
    }

    /// `display ip routing-table protocol bgp`: the BGP routes split into `<Active>` and `<Inactive>`.
    public static func ipRoutingTableBGP(_ bgp: [IPRouteEntry]) -> [String] {
        let active = bgp.filter(\.active), inactive = bgp.filter { !$0.active }
        var out = [flagsLegend, dashes, "Public routing table : BGP", counts(bgp), ""]
        for (title, list) in [("<Active>", active), ("<Inactive>", inactive)] {
            out += ["BGP routing table status : \(title)", counts(list)]
            if !list.isEmpty { out += ["", routeHeader, ""] + rows(list) }
            out.append("")
        }
        return out
    }

    // MARK: interfaces

    static func physical(_ i: InterfaceConfig) -> String { i.shutdown ? "*down" : "up" }
    static func protocolState(_ i: InterfaceConfig) -> String {
        if i.shutdown { return "down" }
        return i.name.hasPrefix("LoopBack") || i.name.hasPrefix("NULL") ? "up(s)" : "up"
    }

    /// Layer-3 interfaces: VLAN interfaces, loopbacks, routed ports, and NULL0.
    static func layer3(_ c: RunningConfig) -> [InterfaceConfig] {
        var list = c.interfaces.filter { $0.effectiveMode == .routed }
        if !list.contains(where: { $0.name == "NULL0" }) { list.append(InterfaceConfig(name: "NULL0")) }
        return list.sorted { $0.name < $1.name }
    }

    /// `display ip interface brief` (§A.8).
    public static func ipInterfaceBrief(_ c: RunningConfig) -> [String] {
        let list = layer3(c)
        let up = list.filter { !$0.shutdown }.count
        var out = ["*down: administratively down", "^down: standby", "(l): loopback", "(s): spoofing",
                   "The number of interface that is UP in Physical is \(up)",
                   "The number of interface that is DOWN in Physical is \(list.count - up)",
                   "The number of interface that is UP in Protocol is \(up)",
                   "The number of interface that is DOWN in Protocol is \(list.count - up)", "",
                   "Interface                         IP Address/Mask      Physical   Protocol  "]
        for i in list {
            let address = i.addresses.first.map { "\($0.address)/\($0.length)" } ?? "unassigned"
            out.append(Col.left(i.name, 34) + Col.left(address, 21) + Col.left(physical(i), 11) + Col.left(protocolState(i), 10))
        }
        return out
    }

    /// `display interface brief` (§A.8): every configured interface plus NULL0.
    public static func interfaceBrief(_ c: RunningConfig) -> [String] {
        var list = c.interfaces
        if !list.contains(where: { $0.name == "NULL0" }) { list.append(InterfaceConfig(name: "NULL0")) }
        var out = ["PHY: Physical", "*down: administratively down", "(l): loopback", "(s): spoofing", "(b): BFD down",
                   "(e): ETHOAM down", "(dl): DLDP down", "(d): Dampening Suppressed", "InUti/OutUti: input utility/output utility",
                   "Interface                   PHY   Protocol  InUti OutUti   inErrors  outErrors"]
        for i in list.sorted(by: { $0.name < $1.name }) {
            let utility = i.isLogical ? "--" : "0%"
            out.append(Col.left(i.name, 28) + Col.left(physical(i), 6) + Col.left(protocolState(i), 9) + Col.right(utility, 6)
                       + Col.right(utility, 7) + Col.right(0, 11) + Col.right(0, 11))
        }
        return out
    }

    /// `GigabitEthernet0/0/1` → `GE0/0/1` in `display vlan`.
    static func short(_ name: String) -> String {
        for (long, s) in [("XGigabitEthernet", "XGE"), ("GigabitEthernet", "GE"), ("Eth-Trunk", "Eth-Trunk")] where name.hasPrefix(long) {
            return s + name.dropFirst(long.count)
        }
        return name
    }

    /// The `Ports` cell of one VLAN: `UT:`/`TG:` at column 13, ports in 16-wide cells, four to a line, more
    /// lines indented to the first port (VRP5's layout as remembered from eNSP; [unverified], spec has no sample).
    static func portCells(tag: String, _ ports: [String]) -> [String] {
        var lines: [String] = []
        var i = 0
        while i < ports.count {
            let row = ports[i..<min(i + 4, ports.count)].map { Col.left($0, 16) }.joined()
            lines.append((i == 0 ? String(repeating: " ", count: 13) + tag + ":" : String(repeating: " ", count: 16)) + row)
            i += 4
        }
        return lines.map { String($0.reversed().drop { $0 == " " }.reversed()) }
    }

    /// `display vlan`: VLANs with their untagged and tagged ports, then the VLAN attributes table.
    public static func vlans(_ c: RunningConfig) -> [String] {
        let ids = ([1] + c.vlans.sorted())
        let ports = c.interfaces.filter { !$0.isLogical }
        let rule = String(repeating: "-", count: 80)
        var out = ["The total number of vlans is : \(ids.count)", rule,
                   "U: Up;         D: Down;         TG: Tagged;         UT: Untagged;",
                   "MP: Vlan-mapping;               ST: Vlan-stacking;",
                   "#: ProtocolTransparent-vlan;    *: Management-vlan;", rule, "",
                   "VID  Type    Ports", rule]
        for vid in ids {
            var untagged: [String] = [], tagged: [String] = []
            for p in ports {
                let cell = short(p.name) + (p.shutdown ? "(D)" : "(U)")
                switch p.effectiveMode {
                case .access(let v) where v == vid: untagged.append(cell)
                case .trunk(let allowed) where allowed.contains(vid):
                    if vid == 1 { untagged.append(cell) } else { tagged.append(cell) }
                default: break
                }
            }
            var cells = (untagged.isEmpty ? [] : portCells(tag: "UT", untagged)) + (tagged.isEmpty ? [] : portCells(tag: "TG", tagged))
            let head = Col.left(String(vid), 5) + "common"
            if cells.isEmpty { cells = [head] } else { cells[0] = head + cells[0].dropFirst(head.count) }
            out += cells
        }
        out += ["", "VID  Status  Property      MAC-LRN Statistics Description", rule]
        for vid in ids {
            let label = "VLAN " + String(repeating: "0", count: max(0, 4 - String(vid).count)) + String(vid)
            out.append(Col.left(String(vid), 5) + "enable  default       enable  disable    " + label)
        }
        return out
    }

    /// `0 week, 0 day, 2 hours, 3 minutes`: VRP writes the unit in the singular for 0 and 1.
    public static func uptime(_ seconds: Int) -> String {
        let minutes = max(0, seconds) / 60
        let parts = [(minutes / (7 * 24 * 60), "week"), (minutes / (24 * 60) % 7, "day"), (minutes / 60 % 24, "hour"), (minutes % 60, "minute")]
        return parts.map { n, unit in "\(n) \(unit)" + (n > 1 ? "s" : "") }.joined(separator: ", ")
    }

    /// `display version`, with the device's own uptime; the board block describes the lab's one MPU.
    public static func version(uptimeSeconds: Int) -> [String] {
        let up = uptime(uptimeSeconds)
        return ["Huawei Versatile Routing Platform Software",
                "VRP (R) software, Version 5.170 (S9700 V200R011C10SPC500)",
                "Copyright (C) 2000-2018 HUAWEI TECH CO., LTD",
                "HUAWEI S9712 Terminal uptime is \(up)",
                "",
                "MPU 9(Master) : uptime is \(up)",
                "SDRAM Memory Size    : 4096 M bytes",
                "Flash Memory Size    : 1024 M bytes",
                "MPU version information :",
                "1. PCB      Version  : LE0DSRUA VER A",
                "2. MAB      Version  : 0",
                "3. Board    Type     : LE0MSRUA",
                "4. BootROM  Version  : 020c.0001",
                "5. CPLD     Version  : 103"]
    }
}
