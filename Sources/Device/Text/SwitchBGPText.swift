/// The parts of the `bgp <as>` block that VRP and Comware write alike. Each personality supplies what differs:
/// the order of a peer's own session lines and what goes under its address family.
extension BGPInstance {
    /// `bgp <as>`, router ID and timers, then each group (its kind, AS and session lines) before the peers
    /// (AS, group membership, session lines): groups come first so members can refer to them on replay.
    /// - Parameter session: a peer's or group's (`subject`) own lines at one-space indent.
    public func switchHeaderLines(session: (_ subject: String, _ options: BGPPeerOptions) -> [String]) -> [String] {
        var out = ["bgp \(asn)"]
        if let id = routerID { out.append(" router-id \(id)") }
        if let t = timers { out.append(" " + t.switchText) }
        for g in groups {
            out.append(" group \(g.name)" + (g.kind == .external ? " external" : " internal"))
            if let asn = g.remoteAS { out.append(" peer \(g.name) as-number \(asn)") }
            out += session(g.name, g.options)
        }
        for p in peers {
            if let asn = p.remoteAS { out.append(" peer \(p.address) as-number \(asn)") }
            if let g = p.group { out.append(" peer \(p.address) group \(g)") }
            out += session(p.address.description, p.options)
        }
        return out
    }

    /// Each group's then each peer's lines under the IPv4-unicast family view.
    public func switchFamilyLines(_ family: (_ subject: String, _ options: BGPPeerOptions) -> [String]) -> [String] {
        groups.flatMap { family($0.name, $0.options) } + peers.flatMap { family($0.address.description, $0.options) }
    }
}

extension BGPTimers {
    /// `timer keepalive 10 hold 30`, as VRP and Comware write it for the instance and (after `peer X`) a peer.
    public var switchText: String { "timer keepalive \(keepalive) hold \(hold)" }
}
