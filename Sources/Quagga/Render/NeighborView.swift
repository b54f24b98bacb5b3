import BGPWire
import BGPSpeaker
import Device

/// `show ip bgp neighbors [<ip>]`: the key lines of Quagga's bgp_show_peer (vendor-cli.md §C.5).
public enum NeighborView {
    /// - Parameters:
    ///   - config: the neighbors' configuration (description, shutdown, multihop, reflector client, next-hop-self).
    ///   - only: one neighbor, or every neighbor when nil.
    public static func render(_ bgp: BGPState, config: BGPInstance?, adminDown: Set<IPv4Address> = [],
                              only: IPv4Address? = nil) -> [String] {
        let peers = bgp.peers.filter { only == nil || $0.address == only }
        if only != nil && peers.isEmpty { return ["% No such neighbor or address family"] }
        var out: [String] = []
        for peer in peers {
            let settings = config?.effectivePeer(peer.address)
            let timers = settings.flatMap { config?.timers(of: $0) } ?? config?.timers ?? .vendorDefault
            out += render(peer, settings: settings, timers: timers, shutdown: adminDown.contains(peer.address), localAS: bgp.asn)
        }
        return out
    }

    /// `timers` is what the neighbor proposes: shown while no session runs, as Quagga resets its timer values to
    /// the configured ones when a session stops; an Established neighbor shows what was negotiated.
    static func render(_ peer: BGPPeerSummary, settings: BGPPeerSettings?, timers: BGPTimers = .vendorDefault,
                       shutdown: Bool, localAS: UInt32) -> [String] {
        let internalLink = peer.remoteAS == localAS
        var out = ["BGP neighbor is \(peer.address), remote AS \(peer.remoteAS), local AS \(localAS), "
                   + (internalLink ? "internal link" : "external link")]
        if let d = peer.description { out.append(" Description: \(d)") }
        let remoteID = peer.session?.negotiation.remoteRouterID ?? .zero
        out.append("  BGP version 4, remote router ID \(remoteID)")
        if peer.state == .established {
            out.append("  BGP state = Established, up for \(Uptime.age(peer.upDownSeconds))")
        } else {
            out.append("  BGP state = \(peer.state)")
        }
        if shutdown { out.append(" Administratively shut down") }
        let configured = settings?.timers.map { "  Configured hold time is \($0.hold), keepalive interval is \($0.keepalive) seconds" }
        if let n = peer.session?.negotiation {
            out.append("  Last read 00:00:00, hold time is \(n.holdTime), keepalive interval is \(n.keepaliveTime) seconds")
            if let configured { out.append(configured) }
            out.append("  Neighbor capabilities:")
            if n.fourOctetAS { out.append("    4 Byte AS: advertised and received") }
            if n.routeRefresh { out.append("    Route refresh: advertised and received(new)") }
            if n.families.contains(.ipv4Unicast) { out.append("    Address family IPv4 Unicast: advertised and received") }
        } else {
            out.append("  Last read never, hold time is \(timers.hold), keepalive interval is \(timers.keepalive) seconds")
            if let configured { out.append(configured) }
        }
        out += [
            "  Message statistics:",
            "    Inq depth is 0",
            "    Outq depth is 0",
            "                         Sent       Rcvd",
            "    Total:         " + Pad.right(peer.messagesOut, 10) + " " + Pad.right(peer.messagesIn, 10),
            "  Minimum time between advertisement runs is \(internalLink ? 5 : 30) seconds",
            "",
            " For address family: IPv4 Unicast",
        ]
        if settings?.reflectClient == true { out.append("  Route-Reflector Client") }
        if settings?.nextHopLocal == true { out.append("  NEXT_HOP is always this router") }
        out.append("  \(peer.prefixesReceived) accepted prefixes")
        out.append("")
        if peer.state == .established {
            out.append("  Connections established 1; dropped 0")
            out.append("  Last reset never")
        } else {
            out.append("  Connections established 0; dropped 0")
            out.append("  Last reset never" + (peer.lastError.map { ", due to \($0)" } ?? ""))
        }
        if !internalLink, let hops = settings?.ebgpMaxHop, hops > 1 {
            out.append("  External BGP neighbor may be up to \(hops) hops away.")
        }
        if let s = peer.session {
            out.append("Local host: \(s.localAddress), Local port: \(s.localPort)")
            out.append("Foreign host: \(peer.address), Foreign port: \(s.remotePort)")
            out.append("Nexthop: \(s.localAddress)")
        }
        out.append("Read thread: " + (peer.state == .established ? "on" : "off") + "  Write thread: off")
        out.append("")
        return out
    }
}
