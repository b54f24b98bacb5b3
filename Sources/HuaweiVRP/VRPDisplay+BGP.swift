import BGPWire
import BGPSpeaker
import Device

/// VRP5 BGP displays, computed from plain values so tests can feed any state.
public enum VRPDisplay {
    typealias Col = Columns

    // MARK: display bgp peer

    /// `display bgp peer` (spec §A.4 style 1, VRP8 column widths, VRP5 blank lines around the header).
    public static func bgpPeers(routerID: IPv4Address, asn: UInt32, peers: [BGPPeerSummary]) -> [String] {
        let established = peers.filter { $0.state == .established }.count
        var out = ["", " BGP local router ID : \(routerID)", " Local AS number : \(asn)",
                   " Total number of peers : " + Col.left(String(peers.count), 18) + "Peers in established state : \(established)", ""]
        guard !peers.isEmpty else { return out }
        out += [peerHeader, ""]
        out += peers.map(peerRow)
        return out
    }

    static let peerHeader = "  Peer            V          AS  MsgRcvd  MsgSent  OutQ  Up/Down       State  PrefRcv"

    /// One row of the peer tables (`display bgp peer`, `display bgp group`'s Peer Members).
    static func peerRow(_ p: BGPPeerSummary) -> String {
        "  " + Col.left(p.address.description, 16) + "4" + Col.right(String(p.remoteAS), 12)
            + Col.right(p.messagesIn, 9) + Col.right(p.messagesOut, 9) + Col.right(0, 6) + " "
            + Col.right(Col.upDown(p.upDownSeconds, hoursLimit: 24), 8) + Col.right(p.state.rawValue, 12)
            + Col.right(p.state == .established ? p.prefixesReceived : 0, 9)
    }

    // MARK: display bgp group

    /// `display bgp group [name]`: one group's settings and members, in the field order of Huawei's command
    /// reference example (BGP peer-group, Remote AS, Authentication, Type, timers, PeerSession Members = the
    /// Established members, Peer Members as `display bgp peer` rows). The AS line is left out while the group has
    /// none (an external group whose members bring their own).
    public static func bgpGroup(_ g: BGPGroup, in bgp: BGPInstance, members: [BGPPeerSummary]) -> [String] {
        var out = ["", " BGP peer-group: \(g.name)"]
        if let asn = g.remoteAS ?? (g.kind == .internal ? bgp.asn : nil) { out.append(" Remote AS: \(asn)") }
        out.append(" Authentication type configured: " + (g.password == nil ? "None" : "MD5"))
        out.append(" Type : " + (g.kind == .external ? "external" : "internal"))
        let timers = g.timers ?? bgp.timers ?? .vendorDefault
        out.append(" Configured hold timer value: \(timers.hold)")
        out.append(" Keepalive timer value: \(timers.keepalive)")
        out.append(" Connect-retry timer value: \(BGPTimers.connectRetry)")
        out.append(" Minimum route advertisement interval is \(g.kind == .external ? 30 : 15) seconds")
        if g.connectInterface != nil { out.append(" Connect-interface has been configured") }
        let up = members.filter { $0.state == .established }.map(\.address.description)
        out.append(" PeerSession Members:")
        for i in stride(from: 0, to: up.count, by: 4) {
            let row = up[i..<min(i + 4, up.count)]
            out.append("   " + row.dropLast().map { Col.left($0, 19) }.joined() + (row.last ?? ""))
        }
        out += ["", " Peer Preferred Value: 0", " No routing policy is configured", " Peer Members:", peerHeader, ""]
        out += members.map(peerRow)
        return out
    }

    /// `Up for` / `Route Duration` times: `01h01m05s` within a day, then days in front (`14d18h32m10s`, the form
    /// spec §A.5 quotes for long sessions; weeks stay in the day count).
    public static func duration(_ seconds: Int) -> String {
        let s = max(0, seconds)
        let clock = Col.duration(s % 86_400)
        return s < 86_400 ? clock : "\(s / 86_400)d" + clock
    }

    /// `display bgp peer <ip> verbose` (key lines of §A.5; message counters in the VRP5 one-line form, as the
    /// speaker counts totals only). `Configured` is what the peer proposes (`timers`, from the configuration), and
    /// the connect retry the speaker runs; `Received` (the peer's OPEN) and `Negotiated` come from the Established
    /// session, which may still run on timers configured before a change.
    public static func bgpPeerVerbose(_ p: BGPPeerSummary, localAS: UInt32, settings: BGPPeerSettings?,
                                      timers: BGPTimers = .vendorDefault) -> [String] {
        let external = p.remoteAS != localAS
        var out = ["", " BGP Peer is \(p.address),  remote AS \(p.remoteAS)", " Type: \(external ? "EBGP" : "IBGP") link"]
        if let d = p.description { out.append(" Peer's description: \"\(d)\"") }
        let remoteID = p.session.map { $0.negotiation.remoteRouterID.description } ?? "0.0.0.0"
        out.append(" BGP version 4, Remote router ID \(remoteID)")
        if p.state == .established {
            out.append(" BGP current state: Established, Up for \(duration(p.upDownSeconds))")
            out.append(" BGP last state: OpenConfirm")
        } else {
            out.append(" BGP current state: \(p.state.rawValue)")
        }
        out.append(" Received total routes: \(p.prefixesReceived)")
        out.append(" Advertised total routes: \(p.prefixesAdvertised)")
        if let s = p.session {
            out.append(" Port: Local - \(s.localPort)        Remote - \(s.remotePort)")
        }
        out.append(" Configured: Connect-retry Time: \(BGPTimers.connectRetry) sec")
        out.append(" Configured: Active Hold Time: \(timers.hold) sec   Keepalive Time:\(timers.keepalive) sec")
        if let n = p.session?.negotiation {
            out.append(" Received  : Active Hold Time: \(n.peerHoldTime) sec")
            out.append(" Negotiated: Active Hold Time: \(n.holdTime) sec   Keepalive Time:\(n.keepaliveTime) sec")
            out.append(" Peer optional capabilities:")
            if !n.families.isEmpty { out.append("  Peer supports bgp multi-protocol extension") }
            if n.routeRefresh { out.append("  Peer supports bgp route refresh capability") }
            if n.fourOctetAS { out.append("  Peer supports bgp 4-byte-as capability") }
            out.append("  Address family IPv4 Unicast: " + (n.families.contains(.ipv4Unicast) ? "advertised and received" : "advertised"))
        }
        out.append(" Received: Total \(p.messagesIn) messages")
        out.append(" Sent: Total \(p.messagesOut) messages")
        out.append(" Authentication type configured: " + (settings?.password == nil ? "None" : "MD5"))
        out.append(" Minimum route advertisement interval is \(external ? 30 : 15) seconds")
        out.append(" Optional capabilities:")
        out.append(" Route refresh capability has been enabled")
        out.append(" 4-byte-as capability has been enabled")
        out.append(" Peer Preferred Value: 0")
        out.append(" Routing policy configured:")
        out.append(" No routing policy is configured")
        if let e = p.lastError, p.state != .established { out.append(" Last error: \(e)") }
        return out
    }

    // MARK: display bgp routing-table

    /// VRP5 leaves `/len` out when it is the classful natural mask.
    static func network(_ p: Prefix) -> String {
        guard case .v4(let v4) = p else { return p.description }
        return v4.length == Col.naturalLength(of: v4.address.value) ? v4.address.description : v4.description
    }

    static func pathText(_ e: RIBEntry) -> String {
        let asns = e.attributes.asPath.segments.map { s in
            s.kind == .set ? "{" + s.asns.map(String.init).joined(separator: ",") + "}" : s.asns.map(String.init).joined(separator: " ")
        }.joined(separator: " ")
        let origin: String
        switch e.attributes.origin {
        case .igp?: origin = "i"
        case .egp?: origin = "e"
        default: origin = "?"
        }
        return asns.isEmpty ? origin : asns + origin
    }

    static func isLocal(_ e: RIBEntry) -> Bool { if case .local = e.source { return true } else { return false } }
    static func isInternal(_ e: RIBEntry) -> Bool {
        if case .peer(_, _, let external) = e.source { return !external } else { return false }
    }

    /// `display bgp routing-table` (§A.6 VRP5).
    public static func bgpRoutingTable(routerID: IPv4Address, routes: [RIBEntry]) -> [String] {
        var out = ["", " BGP Local router ID is \(routerID)",
                   " Status codes: * - valid, > - best, d - damped,",
                   "               h - history,  i - internal, s - suppressed, S - Stale",
                   "               Origin : i - IGP, e - EGP, ? - incomplete", "", "",
                   " Total Number of Routes: \(routes.count)"]
        guard !routes.isEmpty else { return out }
        out.append("      Network            NextHop        MED        LocPrf    PrefVal Path/Ogn")
        out.append("")
        var previous: Prefix?
        for e in routes {
            var status = ""
            status += e.isValid ? "*" : " "
            status += e.isBest ? ">" : (e.isStale ? "S" : " ")
            if isInternal(e) { status += "i" }
            let local = isLocal(e)
            let net = previous == e.prefix ? "" : network(e.prefix)
            previous = e.prefix
            let med = local ? "0" : (e.attributes.med.map(String.init) ?? "")
            let pref = isInternal(e) ? (e.attributes.localPref.map(String.init) ?? "100") : ""
            let nextHop = local ? "0.0.0.0" : e.nextHop.description
            let row = " " + Col.left(status, 3) + "  " + Col.left(net, 19) + Col.left(nextHop, 16) + Col.left(med, 11)
                + Col.left(pref, 11) + Col.left("0", 7) + pathText(e)
            out.append(row)
        }
        return out
    }

    /// `display bgp routing-table <prefix>`; `Info: The network does not exist.` when nothing matches.
    /// - Parameter outInterface: the interface that reaches a next hop (`Direct Out-interface`, or the relay
    ///   interface of an IBGP route); nil when none does.
    public static func bgpRoute(_ prefix: IPv4Prefix, routerID: IPv4Address, asn: UInt32, routes: [RIBEntry],
                                advertisedTo: [IPAddress], duration: (RIBEntry) -> Int,
                                outInterface: (IPv4Address) -> String? = { _ in nil }) -> [String] {
        guard !routes.isEmpty else { return ["Info: The network does not exist."] }
        let best = routes.filter(\.isBest).count
        var out = ["", " BGP local router ID : \(routerID)", " Local AS number : \(asn)",
                   " Paths:   \(routes.count) available, \(best) best, \(best) select"]
        for e in routes {
            out.append(" BGP routing table entry information of \(prefix):")
            switch e.source {
            case .peer(let a, let id, _): out.append(" From: \(a) (\(id))")
            case .local(let origin):
                // [unverified] wording for local routes: `network` ones vs redistributed (`import-route`) ones.
                out.append(origin == .network ? " Network route." : " Imported route.")
                out.append(" From: 0.0.0.0 (0.0.0.0)")
            }
            out.append(" Route Duration: \(Self.duration(duration(e)))")
            if !isLocal(e), case .v4(let nh) = e.nextHop {
                let out1 = outInterface(nh)
                if isInternal(e) {
                    out.append(" Relay IP Nexthop: \(nh)")
                    out.append(" Relay IP Out-Interface: \(out1 ?? "NULL0")")
                } else if let out1 {
                    out.append(" Direct Out-interface: \(out1)")
                }
            }
            out.append(" Original nexthop: \(isLocal(e) ? "0.0.0.0" : e.nextHop.description)")
            out.append(" Qos information : 0x0")
            let path = e.attributes.asPath.segments.isEmpty ? "Nil" : e.attributes.asPath.segments.flatMap(\.asns).map(String.init).joined(separator: " ")
            let origin = e.attributes.origin == .igp ? "igp" : (e.attributes.origin == .egp ? "egp" : "incomplete")
            var facts = "AS-path \(path), origin \(origin)"
            if let med = e.attributes.med ?? (isLocal(e) ? 0 : nil) { facts += ", MED \(med)" }
            if isInternal(e) { facts += ", localpref \(e.attributes.localPref ?? 100)" }
            facts += ", pref-val 0"
            if e.isValid { facts += ", valid" }
            facts += isLocal(e) ? ", local" : (isInternal(e) ? ", internal" : ", external")
            if e.isBest { facts += ", best, select, active" }
            facts += ", pre \(isLocal(e) ? 0 : 255)"
            out.append(" " + facts)
            if e.isBest && !advertisedTo.isEmpty {
                out.append(" Advertised to such \(advertisedTo.count) peers:")
                out += advertisedTo.map { "    \($0)" }
            } else {
                out.append(" Not advertised to any peer yet")
            }
            out.append("")
        }
        return out
    }
}
