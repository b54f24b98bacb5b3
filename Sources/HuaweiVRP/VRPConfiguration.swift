import BGPWire
import CLIEngine
import Device

/// The VRP5 configuration text: `display current-configuration`, `display this`, and what `save` stores.
/// Blocks start with `#`; one space indents a block, two the BGP address family; the text ends with `return`.
public enum VRPConfiguration {
    public static let softwareVersion = "!Software Version V200R011C10SPC500"

    public static func text(_ c: RunningConfig) -> String { lines(c).joined(separator: "\n") }

    public static func lines(_ c: RunningConfig) -> [String] {
        var out = [softwareVersion, "#"] + globalLines(c)
        for i in c.interfaces { out += ["#"] + interfaceBlock(i) }
        if let bgp = c.bgp { out += ["#"] + bgpBlock(bgp) }
        if !c.staticRoutes.isEmpty { out += ["#"] + c.staticRoutes.map(staticRouteLine) }
        return out + ["#", "return"]
    }

    /// System-view lines: `sysname`, `vlan batch`.
    public static func globalLines(_ c: RunningConfig) -> [String] {
        var out = ["sysname \(c.hostname)"]
        if !c.vlans.isEmpty { out += ["#", "vlan batch " + ranges(c.vlans.sorted())] }
        return out
    }

    /// `10 20 to 30`: consecutive runs of three or more written as `a to b`.
    public static func ranges(_ list: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        while i < list.count {
            var j = i
            while j + 1 < list.count, list[j + 1] == list[j] + 1 { j += 1 }
            if j > i { parts.append("\(list[i]) to \(list[j])") } else { parts.append("\(list[i])") }
            i = j + 1
        }
        return parts.joined(separator: " ")
    }

    public static func interfaceBlock(_ i: InterfaceConfig) -> [String] {
        var out = ["interface \(i.name)"]
        if let d = i.description { out.append(" description \(d)") }
        if !i.isLogical {
            switch i.effectiveMode {
            case .routed:
                out.append(" undo portswitch")
            case .access(let vlan):
                if i.linkTypeSet { out.append(" port link-type access") }
                if vlan != 1 { out.append(" port default vlan \(vlan)") }
            case .trunk(let allowed):
                out.append(" port link-type trunk")
                let extra = allowed.filter { $0 != 1 }
                if !extra.isEmpty { out.append(" port trunk allow-pass vlan " + ranges(extra)) }
            }
        }
        for a in i.addresses { out.append(" ip address \(a.address) \(a.mask)") }
        if i.shutdown { out.append(" shutdown") }
        return out
    }

    public static func staticRouteLine(_ r: StaticRoute) -> String {
        var line = "ip route-static \(r.prefix.address) \(r.prefix.netmask)"
        if let out = r.interface { line += " \(out)" }
        if let nh = r.nextHop { line += " \(nh)" }
        if let p = r.preference { line += " preference \(p)" }
        return line
    }

    /// A cluster ID typed as a small integer is shown as one (`reflector cluster-id 100`).
    static func clusterText(_ id: IPv4Address) -> String { id.value < 1 << 24 ? String(id.value) : id.description }

    static func networkLine(_ p: IPv4Prefix) -> String {
        p.length == Columns.naturalLength(of: p.address.value) ? "network \(p.address)" : "network \(p.address) \(p.netmask)"
    }

    /// The timer lines come after `router-id` for the instance and after the session settings for a peer
    /// (our order: no raw VRP configuration with both was found).
    public static func bgpBlock(_ b: BGPInstance) -> [String] {
        var out = b.switchHeaderLines(session: sessionLines)
        out += [" #", " ipv4-family unicast"]
        if b.undoSynchronization { out.append("  undo synchronization") }
        if let id = b.clusterID { out.append("  reflector cluster-id \(clusterText(id))") }
        if b.compareDifferentASMED { out.append("  compare-different-as-med") }
        for n in b.networks { out.append("  " + networkLine(n)) }
        for s in BGPInstance.ImportSource.allCases where b.importRoutes.contains(s) { out.append("  import-route \(s.rawValue)") }
        if b.maxLoadBalancing > 1 { out.append("  maximum load-balancing \(b.maxLoadBalancing)") }
        out += b.switchFamilyLines(familyLines)
        return out
    }

    /// A peer's or group's (`subject`) own session settings in the bgp block; a group's come before its members'.
    static func sessionLines(_ subject: String, _ o: BGPPeerOptions) -> [String] {
        var out: [String] = []
        if let d = o.description { out.append(" peer \(subject) description \(d)") }
        if let i = o.connectInterface {
            out.append(" peer \(subject) connect-interface \(i)" + (o.connectAddress.map { " \($0)" } ?? ""))
        }
        if let hops = o.ebgpMaxHop { out.append(" peer \(subject) ebgp-max-hop \(hops)") }
        if let t = o.timers { out.append(" peer \(subject) " + t.switchText) }
        if let key = o.password?.text { out.append(" peer \(subject) password cipher \(PasswordCipher.vrp.encode(key))") }
        if o.shutdown { out.append(" peer \(subject) ignore") }
        return out
    }

    /// A peer's or group's IPv4-unicast lines under `ipv4-family unicast`; groups first, as VRP5 writes them.
    static func familyLines(_ subject: String, _ o: BGPPeerOptions) -> [String] {
        var out = [o.ipv4Enabled ? "  peer \(subject) enable" : "  undo peer \(subject) enable"]
        if o.reflectClient { out.append("  peer \(subject) reflect-client") }
        if o.nextHopLocal { out.append("  peer \(subject) next-hop-local") }
        return out
    }

    /// `display this` in `view` (labelled `label`): the configuration of that view only.
    public static func thisView(_ view: String, label: String?, _ c: RunningConfig) -> [String] {
        var body: [String]
        switch view {
        case "system": body = globalLines(c)
        case "interface": body = label.map { c.hasInterface($0) ? interfaceBlock(c[interface: $0]) : ["interface \($0)"] } ?? []
        case "bgp", "bgp-af-ipv4": body = c.bgp.map(bgpBlock) ?? []
        default: body = []
        }
        return ["#"] + body + (body.isEmpty ? [] : ["#"]) + ["return"]
    }
}
