import BGPWire
import Device
import Foundation

/// The running configuration as Quagga writes it: host lines, interfaces, `router bgp`, static routes, `line vty`,
/// `!` between blocks. The same text is saved by `write memory` and replayed at startup.
public enum ConfigText {
    /// `show running-config` / `write terminal`, and the saved file.
    public static func running(_ c: RunningConfig, host: HostSettings = HostSettings()) -> [String] {
        ["Building configuration...", "", "Current configuration:", "!"] + body(c, host: host) + ["end"]
    }

    /// The file `write memory` leaves: Quagga's "saved from vty" header with the time, then the body.
    public static func saved(_ device: NetworkDevice, at date: Date = Date()) -> [String] {
        var t = time_t(date.timeIntervalSince1970)
        var parts = tm()
        localtime_r(&t, &parts)
        let stamp = String(format: "%04d/%02d/%02d %02d:%02d:%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                           Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        return ["!", "! Zebra configuration saved from vty", "!   \(stamp)", "!"] + body(device.config, host: device.quaggaHostSettings)
    }

    /// What `show running-config` prints for a device, its host settings included.
    public static func running(_ device: NetworkDevice) -> [String] {
        running(device.config, host: device.quaggaHostSettings)
    }

    /// The merged zebra + bgpd body.
    public static func body(_ c: RunningConfig, host: HostSettings = HostSettings()) -> [String] {
        var out = ["hostname \(c.hostname)"] + host.lines + ["!"]
        for i in c.interfaces {
            out.append("interface \(i.name)")
            if let d = i.description { out.append(" description \(d)") }
            for a in i.addresses { out.append(" ip address \(a)") }
            if i.shutdown { out.append(" shutdown") }
            out.append("!")
        }
        if let bgp = c.bgp { out += bgpLines(bgp) + ["!"] }
        if !c.staticRoutes.isEmpty {
            out += c.staticRoutes.map { "ip route \($0.prefix) \(target($0))" } + ["!"]
        }
        out += ["line vty", "!"]
        return out
    }

    /// Where a static route goes: a gateway, an interface, or `blackhole`.
    static func target(_ r: StaticRoute) -> String {
        if let gw = r.nextHop { return gw.description }
        if let i = r.interface, !i.hasPrefix("NULL") { return i }
        return "blackhole"
    }

    /// `router bgp …`; IPv4-unicast settings are written flat inside it, as Quagga does.
    public static func bgpLines(_ bgp: BGPInstance) -> [String] {
        var out = ["router bgp \(bgp.asn)"]
        if let id = bgp.routerID { out.append(" bgp router-id \(id)") }
        if let id = bgp.clusterID { out.append(" bgp cluster-id \(id)") }
        for n in bgp.networks { out.append(" network \(n)") }
        if bgp.importRoutes.contains(.direct) { out.append(" redistribute connected") }
        if bgp.importRoutes.contains(.static) { out.append(" redistribute static") }
        if let t = bgp.timers { out.append(" timers bgp \(t.keepalive) \(t.hold)") }
        for g in bgp.groups {
            out.append(" neighbor \(g.name) peer-group")
            out += peerLines(g.name, remoteAS: g.remoteAS, group: nil, g.options)
        }
        for p in bgp.peers { out += peerLines(p.address.description, remoteAS: p.remoteAS, group: p.group, p.options) }
        if bgp.maxLoadBalancing > 1 { out.append(" maximum-paths \(bgp.maxLoadBalancing)") }
        return out
    }

    /// Global settings first, then the IPv4-unicast ones, in bgp_config_write_peer's order. `name` is a neighbor's
    /// address or a peer-group's name; a member's `peer-group` line follows its `remote-as`, and the group's own
    /// lines were written before (the member's lines are only what it sets itself).
    static func peerLines(_ name: String, remoteAS: UInt32?, group: String?, _ p: BGPPeerOptions) -> [String] {
        let n = " neighbor \(name)"
        var out: [String] = []
        if let asn = remoteAS { out.append("\(n) remote-as \(asn)") }
        if let g = group { out.append("\(n) peer-group \(g)") }
        if let d = p.description { out.append("\(n) description \(d)") }
        if p.shutdown { out.append("\(n) shutdown") }
        if let pw = p.password { out.append("\(n) password \(pw.text)") }
        if let hops = p.ebgpMaxHop { out.append(hops == 255 ? "\(n) ebgp-multihop" : "\(n) ebgp-multihop \(hops)") }
        if let i = p.connectInterface { out.append("\(n) update-source \(i)") } else if let a = p.connectAddress {
            out.append("\(n) update-source \(a)")
        }
        if let t = p.timers { out.append("\(n) timers \(t.keepalive) \(t.hold)") }
        if !p.ipv4Enabled { out.append(" no neighbor \(name) activate") }
        if p.reflectClient { out.append("\(n) route-reflector-client") }
        if p.nextHopLocal { out.append("\(n) next-hop-self") }
        return out
    }

    /// Lines of a saved file that are framing, not commands.
    public static func isFraming(_ line: String) -> Bool {
        line.hasPrefix("!") || line == "end" || line == "Building configuration..." || line == "Current configuration:"
    }
}
