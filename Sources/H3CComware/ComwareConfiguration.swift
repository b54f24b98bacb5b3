import BGPWire
import CLIEngine
import Device

/// The Comware 7 configuration text: `#`-framed blocks, global lines indented by one space, `return` last.
public enum ComwareConfiguration {
    public static func text(_ c: RunningConfig) -> String { lines(c).joined(separator: "\n") }

    public static func lines(_ c: RunningConfig) -> [String] {
        var out = ["#", " version 7.1.070, Release 6616", "#"] + globalLines(c)
        for vid in ([1] + c.vlans.sorted()) { out += ["#", "vlan \(vid)"] }
        for i in c.interfaces { out += ["#"] + interfaceBlock(i) }
        if let bgp = c.bgp { out += ["#"] + bgpBlock(bgp) }
        if !c.staticRoutes.isEmpty { out += ["#"] + c.staticRoutes.map { " " + staticRouteLine($0) } }
        return out + ["#", "return"]
    }

    public static func globalLines(_ c: RunningConfig) -> [String] { [" sysname \(c.hostname)"] }

    static func ranges(_ list: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        while i < list.count {
            var j = i
            while j + 1 < list.count, list[j + 1] == list[j] + 1 { j += 1 }
            parts.append(j > i ? "\(list[i]) to \(list[j])" : "\(list[i])")
            i = j + 1
        }
        return parts.joined(separator: " ")
    }

    public static func interfaceBlock(_ i: InterfaceConfig) -> [String] {
        var out = ["interface \(i.name)"]
        if !i.isLogical {
            switch i.effectiveMode {
            case .routed: out.append(" port link-mode route")
            case .access(let vlan):
                if i.linkTypeSet { out.append(" port link-type access") }
                if vlan != 1 { out.append(" port access vlan \(vlan)") }
            case .trunk(let allowed):
                out.append(" port link-type trunk")
                let extra = allowed.filter { $0 != 1 }
                if !extra.isEmpty { out.append(" port trunk permit vlan " + ranges(extra)) }
            }
        }
        if let d = i.description { out.append(" description \(d)") }
        for a in i.addresses { out.append(" ip address \(a.address) \(a.mask)") }
        if i.shutdown { out.append(" shutdown") }
        return out
    }

    public static func staticRouteLine(_ r: StaticRoute) -> String {
        var line = "ip route-static \(r.prefix.address) \(r.prefix.length)"
        if let out = r.interface { line += " \(out)" }
        if let nh = r.nextHop { line += " \(nh)" }
        if let p = r.preference { line += " preference \(p)" }
        return line
    }

    /// The timer lines come after `router-id` for the instance and after the session settings for a peer.
    public static func bgpBlock(_ b: BGPInstance) -> [String] {
        var out = b.switchHeaderLines(session: sessionLines)
        out += [" #", " address-family ipv4 unicast"]
        if b.maxLoadBalancing > 1 { out.append("  balance \(b.maxLoadBalancing)") }
        if b.compareDifferentASMED { out.append("  compare-different-as-med") }
        for s in BGPInstance.ImportSource.allCases where b.importRoutes.contains(s) { out.append("  import-route \(s.rawValue)") }
        for n in b.networks { out.append("  network \(n.address) \(n.netmask)") }
        if let id = b.clusterID { out.append("  reflector cluster-id \(id.value < 1 << 24 ? String(id.value) : id.description)") }
        out += b.switchFamilyLines(familyLines)
        return out
    }

    /// A peer's or group's (`subject`) own session settings in the bgp block; a group's come before its members'.
    static func sessionLines(_ subject: String, _ o: BGPPeerOptions) -> [String] {
        var out: [String] = []
        if let i = o.connectInterface { out.append(" peer \(subject) connect-interface \(i)") }
        if let d = o.description { out.append(" peer \(subject) description \(d)") }
        if let hops = o.ebgpMaxHop { out.append(" peer \(subject) ebgp-max-hop \(hops)") }
        if let t = o.timers { out.append(" peer \(subject) " + t.switchText) }
        if let key = o.password?.text { out.append(" peer \(subject) password cipher \(PasswordCipher.comware.encode(key))") }
        if o.shutdown { out.append(" peer \(subject) ignore") }
        return out
    }

    /// A peer's or group's lines under `address-family ipv4 unicast` (Comware shows only what is enabled); groups first.
    static func familyLines(_ subject: String, _ o: BGPPeerOptions) -> [String] {
        var out: [String] = []
        if o.ipv4Enabled { out.append("  peer \(subject) enable") }
        if o.nextHopLocal { out.append("  peer \(subject) next-hop-local") }
        if o.reflectClient { out.append("  peer \(subject) reflect-client") }
        return out
    }

    /// `display this` in a view: that view's block only.
    public static func thisView(_ view: String, label: String?, _ c: RunningConfig) -> [String] {
        var body: [String]
        switch view {
        case "system": body = globalLines(c)
        case "vlan": body = label.map { ["vlan \($0)"] } ?? []
        case "interface": body = label.map { c.hasInterface($0) ? interfaceBlock(c[interface: $0]) : ["interface \($0)"] } ?? []
        case "bgp", "bgp-ipv4": body = c.bgp.map(bgpBlock) ?? []
        default: body = []
        }
        return ["#"] + body + (body.isEmpty ? [] : ["#"]) + ["return"]
    }
}
