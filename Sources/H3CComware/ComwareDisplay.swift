import BGPWire
import BGPSpeaker
import Device

/// Comware 7 displays, computed from plain values.
public enum ComwareDisplay {
    typealias Col = Columns

    /// `display bgp peer ipv4`, exactly as seed 001 shows it (the peer count padded to 11 columns).
    public static func bgpPeers(routerID: IPv4Address, asn: UInt32, peers: [BGPPeerSummary]) -> [String] {
        let established = peers.filter { $0.state == .established }.count
        var out = ["", " BGP local router ID: \(routerID)", " Local AS number: \(asn)",
                   " Total number of peers: " + Col.left(String(peers.count), 11) + "Peers in established state: \(established)"]
        guard !peers.isEmpty else { return out }
        out += ["", "  * - Dynamically created peer", "  Peer                    AS  MsgRcvd  MsgSent OutQ PrefRcv Up/Down  State", ""]
        for p in peers {
            out.append("  " + Col.left(p.address.description, 15) + " " + Col.right(String(p.remoteAS), 10) + Col.right(p.messagesIn, 9)
                       + Col.right(p.messagesOut, 9) + Col.right(0, 5) + Col.right(p.state == .established ? p.prefixesReceived : 0, 8) + " "
                       + Col.right(Col.upDown(p.upDownSeconds, hoursLimit: 100), 8) + " " + p.state.rawValue)
        }
        return out
    }

    /// `display bgp peer ipv4 <ip> verbose` (key lines of §B.5, 8-space indent). The speaker counts message
    /// totals only, so the message table has its `Total` rows (no time: `-`). `Configured` is what the peer
    /// proposes (`timers`); `Received` (the peer's OPEN) and `Negotiated` come from the Established session.
    public static func bgpPeerVerbose(_ p: BGPPeerSummary, localAS: UInt32, routerID: IPv4Address, enabled: Bool,
                                      timers: BGPTimers = .vendorDefault) -> [String] {
        let pad = "        "
        var out = ["", pad + "Peer: \(p.address)  Local: \(routerID)", pad + "Type: \(p.remoteAS == localAS ? "IBGP" : "EBGP") link"]
        if let d = p.description { out.append(pad + "Peer's description: \"\(d)\"") }
        out.append(pad + "BGP version 4, remote router ID \(p.session.map { $0.negotiation.remoteRouterID.description } ?? "0.0.0.0")")
        out.append(pad + "BGP current state: \(p.state.rawValue)" + (p.state == .established ? ", Up for \(Col.duration(p.upDownSeconds))" : ""))
        if p.state == .established { out.append(pad + "BGP last state: OpenConfirm") }
        if let s = p.session {
            out.append(pad + "Port:  Local - \(s.localPort)    Remote - \(s.remotePort)")
        }
        out.append(pad + "Configured: Active Hold Time: \(timers.hold) sec   Keepalive Time: \(timers.keepalive) sec")
        if let n = p.session?.negotiation {
            out.append(pad + "Received  : Active Hold Time: \(n.peerHoldTime) sec")
            out.append(pad + "Negotiated: Active Hold Time: \(n.holdTime) sec   Keepalive Time: \(n.keepaliveTime) sec")
            out.append(pad + "Peer optional capabilities:")
            if !n.families.isEmpty { out.append(pad + "Peer supports BGP multi-protocol extension") }
            if n.routeRefresh { out.append(pad + "Peer supports BGP route refresh capability") }
            if n.fourOctetAS { out.append(pad + "Peer supports BGP route AS4 capability") }
            out.append(pad + "Address family IPv4 Unicast: " + (n.families.contains(.ipv4Unicast) ? "advertised and received" : "not negotiated"))
        } else if !enabled {
            out.append(pad + "Address family IPv4 Unicast: not enabled (peer \(p.address) enable)")
        }
        func row(_ type: String, _ time: String, _ current: Int, _ history: Int) -> String {
            Col.left(type, 13) + Col.left(time, 21) + Col.left(String(current), 25) + String(history)
        }
        out += ["", " InQ updates: 0, OutQ updates: 0", " NLRI statistics:",
                "        Rcvd:   UnReach NLRI          0,      Reach NLRI " + Col.right(p.prefixesReceived, 10),
                "        Sent:   UnReach NLRI          0,      Reach NLRI " + Col.right(p.prefixesAdvertised, 10), "",
                " Message statistics:",
                " Msg type     Last rcvd time/      Current rcvd count/      History rcvd count/",
                "              Last sent time       Current sent count       History sent count",
                " " + row("Total", "-", p.messagesIn, p.messagesIn),
                " " + row("", "-", p.messagesOut, p.messagesOut), "",
                " Maximum allowed prefix number: 4294967295", " Threshold: 75%",
                " Minimum time between advertisements is \(p.remoteAS == localAS ? 15 : 30) seconds",
                " Optional capabilities:",
                "  Multi-protocol extended capability has been enabled",
                "  Route refresh capability has been enabled",
                " Peer preferred value: 0", " Site-of-Origin: Not specified", " Routing policy configured:",
                " No routing policy is configured"]
        return out
    }

    static func pathText(_ e: RIBEntry) -> String {
        let asns = e.attributes.asPath.segments.flatMap(\.asns).map(String.init).joined(separator: " ")
        let origin = e.attributes.origin == .igp ? "i" : (e.attributes.origin == .egp ? "e" : "?")
        return asns + origin
    }

    /// `display bgp routing-table ipv4` (§B.6): local routes via 127.0.0.1 with PrefVal 32768.
    public static func bgpRoutingTable(routerID: IPv4Address, routes: [RIBEntry]) -> [String] {
        var out = ["", " Total number of routes: \(routes.count)", "", " BGP local router ID is \(routerID)",
                   " Status codes: * - valid, > - best, d - dampened, h - history,",
                   "               s - suppressed, S - stale, i - internal, e - external",
                   "               Origin: i - IGP, e - EGP, ? - incomplete"]
        guard !routes.isEmpty else { return out }
        out += ["", "     Network            NextHop         MED        LocPrf     PrefVal Path/Ogn", ""]
        var previous: Prefix?
        for e in routes {
            var local = false, isInternal = false
            switch e.source {
            case .local: local = true
            case .peer(_, _, let external): isInternal = !external
            }
            let status = (e.isValid ? "*" : " ") + (e.isStale ? "S" : " ") + (e.isBest ? ">" : " ") + (local ? " " : (isInternal ? "i" : "e"))
            let net = previous == e.prefix ? "" : e.prefix.description
            previous = e.prefix
            let med = local ? "0" : (e.attributes.med.map(String.init) ?? "")
            let pref = isInternal ? String(e.attributes.localPref ?? 100) : ""
            out.append(Col.left(status, 4) + " " + Col.left(net, 19) + Col.left(local ? "127.0.0.1" : e.nextHop.description, 16)
                       + Col.left(med, 11) + Col.left(pref, 11) + Col.left(local ? "32768" : "0", 8) + pathText(e))
        }
        return out
    }

    /// `display bgp routing-table ipv4 <prefix>` (§B.6 detail).
    public static func bgpRoute(_ prefix: IPv4Prefix, routerID: IPv4Address, asn: UInt32, routes: [RIBEntry]) -> [String] {
        guard !routes.isEmpty else { return [" The network \(prefix) does not exist."] }
        var out = ["", " BGP local router ID: \(routerID)", " Local AS number: \(asn)", "",
                   " Paths:   \(routes.count) available, \(routes.filter(\.isBest).count) best", ""]
        for e in routes {
            out.append(" BGP routing table information of \(prefix):")
            var kind = "local"
            switch e.source {
            case .peer(let a, let id, let external):
                out.append(" From            : \(a) (\(id))")
                kind = external ? "external" : "internal"
            case .local:
                out.append(" Imported route.")
            }
            out.append(" Rely nexthop    : \(e.nextHop)")
            out.append(" Original nexthop: \(e.nextHop)")
            out.append(" OutLabel        : NULL")
            let path = e.attributes.asPath.segments.flatMap(\.asns).map(String.init).joined(separator: " ")
            out.append(" AS-path         : " + (path.isEmpty ? "(null)" : path))
            out.append(" Origin          : " + (e.attributes.origin == .igp ? "igp" : (e.attributes.origin == .egp ? "egp" : "incomplete")))
            var attrs: [String] = []
            if let med = e.attributes.med { attrs.append("MED \(med)") }
            if kind == "internal" { attrs.append("localpref \(e.attributes.localPref ?? 100)") }
            attrs.append("pref-val \(kind == "local" ? 32768 : 0)")
            out.append(" Attribute value : " + attrs.joined(separator: ", "))
            out.append(" State           : " + ([e.isValid ? "valid" : "invalid", kind] + (e.isBest ? ["best"] : [])).joined(separator: ", "))
            out.append("")
        }
        return out
    }
}
