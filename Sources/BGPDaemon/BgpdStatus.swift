import BGPWire
import BGPSpeaker

/// A snapshot of the daemon for `peerlab bgpd status`: peers, then every path of the Loc-RIB.
public struct BgpdStatus: Hashable, Sendable {
    public struct Peer: Hashable, Sendable {
        public var address: IPAddress
        public var remoteAS: UInt32
        public var description: String?
        public var state: SessionState
        public var uptimeSeconds: Int
        public var received: Int
        public var accepted: Int
        public var advertised: Int
        public var messagesIn: Int
        public var messagesOut: Int
        public var lastError: String?
    }

    public struct Route: Hashable, Sendable {
        public var prefix: Prefix
        public var nextHop: IPAddress
        public var asPath: ASPath
        public var origin: Origin?
        public var localPref: UInt32?
        public var med: UInt32?
        public var communities: [Community]
        public var originatorID: IPv4Address?
        public var clusterList: [IPv4Address]
        public var best: Bool
        /// The peer it came from; nil for a locally originated route.
        public var peer: IPAddress?
        public var stale: Bool

        init(_ e: RIBEntry) {
            prefix = e.prefix; nextHop = e.nextHop; asPath = e.attributes.asPath; origin = e.attributes.origin
            localPref = e.attributes.localPref; med = e.attributes.med; communities = e.attributes.communities
            originatorID = e.attributes.originatorID; clusterList = e.attributes.clusterList; best = e.isBest
            if case .peer(let a, _, _) = e.source { peer = a } else { peer = nil }
            stale = e.isStale
        }
    }

    public var routerID: IPv4Address
    public var asn: UInt32
    public var clusterID: IPv4Address?
    public var peers: [Peer]
    public var routes: [Route]

    /// The contract B object: one line of JSON.
    public var json: JSON {
        func opt<T>(_ v: T?, _ f: (T) -> JSON) -> JSON { v.map(f) ?? .null }
        return .object([
            ("router-id", .string(routerID.description)),
            ("asn", .number(Int(asn))),
            ("cluster-id", opt(clusterID) { .string($0.description) }),
            ("peers", .array(peers.map { p in .object([
                ("address", .string(p.address.description)),
                ("remote-as", .number(Int(p.remoteAS))),
                ("description", opt(p.description) { .string($0) }),
                ("state", .string(p.state.rawValue)),
                ("uptime-seconds", .number(p.uptimeSeconds)),
                ("received", .number(p.received)),
                ("accepted", .number(p.accepted)),
                ("advertised", .number(p.advertised)),
                ("messages-in", .number(p.messagesIn)),
                ("messages-out", .number(p.messagesOut)),
                ("last-error", opt(p.lastError) { .string($0) }),
            ]) })),
            ("routes", .array(routes.map { r in .object([
                ("prefix", .string(r.prefix.description)),
                ("next-hop", .string(r.nextHop.description)),
                ("as-path", .string(r.asPath.description)),
                ("origin", opt(r.origin) { .string(Self.originName($0)) }),
                ("local-pref", opt(r.localPref) { .number(Int($0)) }),
                ("med", opt(r.med) { .number(Int($0)) }),
                ("communities", .array(r.communities.map { .string($0.description) })),
                ("originator-id", opt(r.originatorID) { .string($0.description) }),
                ("cluster-list", .array(r.clusterList.map { .string($0.description) })),
                ("best", .bool(r.best)),
                ("peer", opt(r.peer) { .string($0.description) }),
                ("stale", .bool(r.stale)),
            ]) })),
        ])
    }

    static func originName(_ o: Origin) -> String {
        switch o { case .igp: "igp"; case .egp: "egp"; case .incomplete: "incomplete" }
    }

    /// A gobgp-like table: peers, then routes (`*>` best, `S` stale).
    public var table: String {
        var lines = ["BGP router identifier \(routerID), local AS \(asn)" + (clusterID.map { ", cluster-id \($0)" } ?? ""), ""]
        lines.append(Self.columns(["Peer", "AS", "Up/Down", "State", "#Received", "Accepted", "Advertised", "MsgIn", "MsgOut"]))
        for p in peers {
            lines.append(Self.columns([p.address.description, String(p.remoteAS), Self.duration(p.uptimeSeconds, p.state),
                                       p.state.rawValue, String(p.received), String(p.accepted), String(p.advertised),
                                       String(p.messagesIn), String(p.messagesOut)]))
            if let e = p.lastError, p.state != .established { lines.append("    last error: \(e)") }
        }
        lines.append("")
        lines.append("   " + Self.columns(["Network", "Next Hop", "AS_PATH", "Origin", "LocPrf", "MED", "Peer"]))
        for r in routes {
            let flags = (r.stale ? "S" : " ") + (r.best ? "*>" : "* ")
            lines.append(flags + Self.columns([r.prefix.description, r.nextHop.description, r.asPath.description.isEmpty ? "-" : r.asPath.description,
                                               r.origin.map(Self.originName) ?? "-", r.localPref.map(String.init) ?? "-",
                                               r.med.map(String.init) ?? "-", r.peer?.description ?? "local"]))
        }
        return lines.joined(separator: "\n")
    }

    private static func columns(_ cells: [String]) -> String {
        let widths = [20, 11, 10, 12, 10, 9, 11, 7, 7]
        return cells.enumerated().map { i, c in
            let w = i < widths.count ? widths[i] : 10
            return c.count >= w ? c + " " : c + String(repeating: " ", count: w - c.count)
        }.joined().trimmingTrailingSpaces
    }

    private static func duration(_ seconds: Int, _ state: SessionState) -> String {
        guard state == .established else { return "never" }
        let h = seconds / 3600, m = seconds / 60 % 60, s = seconds % 60
        return h > 0 ? "\(h)h\(m)m" : (m > 0 ? "\(m)m\(s)s" : "\(s)s")
    }
}

private extension String {
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
