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
        /// What the running session negotiated; nil unless Established. Not part of the JSON contract: for vendor
        /// displays (`display bgp peer verbose`, `show ip bgp neighbors`).
        public var session: Session?

        public init(address: IPAddress, remoteAS: UInt32, description: String? = nil, state: SessionState, uptimeSeconds: Int = 0,
                    received: Int = 0, accepted: Int = 0, advertised: Int = 0, messagesIn: Int = 0, messagesOut: Int = 0,
                    lastError: String? = nil, session: Session? = nil) {
            self.address = address; self.remoteAS = remoteAS; self.description = description; self.state = state
            self.uptimeSeconds = uptimeSeconds; self.received = received; self.accepted = accepted; self.advertised = advertised
            self.messagesIn = messagesIn; self.messagesOut = messagesOut; self.lastError = lastError; self.session = session
        }
    }

    /// An Established session's TCP ends and negotiated facts.
    public struct Session: Hashable, Sendable {
        public var localAddress: IPAddress
        public var localPort: UInt16
        public var remotePort: UInt16
        public var negotiation: Negotiation
        public init(localAddress: IPAddress, localPort: UInt16, remotePort: UInt16, negotiation: Negotiation) {
            self.localAddress = localAddress; self.localPort = localPort; self.remotePort = remotePort; self.negotiation = negotiation
        }
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

        public init(prefix: Prefix, nextHop: IPAddress, asPath: ASPath = ASPath(), origin: Origin? = .igp, localPref: UInt32? = nil,
                    med: UInt32? = nil, communities: [Community] = [], originatorID: IPv4Address? = nil,
                    clusterList: [IPv4Address] = [], best: Bool = true, peer: IPAddress? = nil, stale: Bool = false) {
            self.prefix = prefix; self.nextHop = nextHop; self.asPath = asPath; self.origin = origin; self.localPref = localPref
            self.med = med; self.communities = communities; self.originatorID = originatorID; self.clusterList = clusterList
            self.best = best; self.peer = peer; self.stale = stale
        }

        /// One Loc-RIB path as the speaker reports it.
        public init(_ e: RIBEntry) {
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
    /// Loc-RIB size, all families: prefixes and paths (counted even when `routes` is left out).
    public var prefixes = 0
    public var paths = 0
    /// False when the status was taken without the route list (`status --summary`).
    public var includesRoutes = true

    public init(routerID: IPv4Address, asn: UInt32, clusterID: IPv4Address? = nil, peers: [Peer] = [], routes: [Route] = []) {
        self.routerID = routerID; self.asn = asn; self.clusterID = clusterID; self.peers = peers; self.routes = routes
    }

    /// The contract B object: one line of JSON.
    public var json: JSON {

        return .object([
            ("router-id", .string(routerID.description)),
            ("asn", .number(Int(asn))),
            ("cluster-id", Self.opt(clusterID) { .string($0.description) }),
            ("peers", .array(peers.map { p in .object([
                ("address", .string(p.address.description)),
                ("remote-as", .number(Int(p.remoteAS))),
                ("description", Self.opt(p.description) { .string($0) }),
                ("state", .string(p.state.rawValue)),
                ("uptime-seconds", .number(p.uptimeSeconds)),
                ("received", .number(p.received)),
                ("accepted", .number(p.accepted)),
                ("advertised", .number(p.advertised)),
                ("messages-in", .number(p.messagesIn)),
                ("messages-out", .number(p.messagesOut)),
                ("last-error", Self.opt(p.lastError) { .string($0) }),
            ]) })),
            ("prefixes", .number(prefixes)),
            ("paths", .number(paths)),
        ] + (includesRoutes ? [("routes", routesJSON)] : []))
    }

    private static func opt<T>(_ v: T?, _ f: (T) -> JSON) -> JSON { v.map(f) ?? .null }

    private var routesJSON: JSON {

        return .array(routes.map { r in .object([
                ("prefix", .string(r.prefix.description)),
                ("next-hop", .string(r.nextHop.description)),
                ("as-path", .string(r.asPath.description)),
                ("origin", Self.opt(r.origin) { .string(Self.originName($0)) }),
                ("local-pref", Self.opt(r.localPref) { .number(Int($0)) }),
                ("med", Self.opt(r.med) { .number(Int($0)) }),
                ("communities", .array(r.communities.map { .string($0.description) })),
                ("originator-id", Self.opt(r.originatorID) { .string($0.description) }),
                ("cluster-list", .array(r.clusterList.map { .string($0.description) })),
                ("best", .bool(r.best)),
                ("peer", Self.opt(r.peer) { .string($0.description) }),
                ("stale", .bool(r.stale)),
            ]) })
    }

    static func originName(_ o: Origin) -> String {
        switch o { case .igp: "igp"; case .egp: "egp"; case .incomplete: "incomplete" }
    }

    /// A gobgp-like table: peers, then routes (`*>` best, `S` stale).
    public var table: String {
        var lines = ["BGP router identifier \(routerID), local AS \(asn)" + (clusterID.map { ", cluster-id \($0)" } ?? ""), ""]
        var peerRows = [["Peer", "AS", "Up/Down", "State", "#Received", "Accepted", "Advertised", "MsgIn", "MsgOut"]]
        for p in peers {
            peerRows.append([p.address.description, String(p.remoteAS), Self.duration(p.uptimeSeconds, p.state), p.state.rawValue,
                             String(p.received), String(p.accepted), String(p.advertised), String(p.messagesIn), String(p.messagesOut)])
        }
        lines += Self.aligned(peerRows)
        for p in peers where p.lastError != nil && p.state != .established {
            lines.append("\(p.address) last error: \(p.lastError!)")
        }
        lines.append("")
        guard includesRoutes else {
            lines.append("Loc-RIB: \(prefixes) prefixes, \(paths) paths")
            return lines.joined(separator: "\n")
        }
        var routeRows = [["   Network", "Next Hop", "AS_PATH", "Origin", "LocPrf", "MED", "Peer"]]
        for r in routes {
            let flags = (r.stale ? "S" : " ") + (r.best ? "*>" : "* ")
            routeRows.append([flags + r.prefix.description, r.nextHop.description, r.asPath.description.isEmpty ? "-" : r.asPath.description,
                              r.origin.map(Self.originName) ?? "-", r.localPref.map(String.init) ?? "-",
                              r.med.map(String.init) ?? "-", r.peer?.description ?? "local"])
        }
        lines += Self.aligned(routeRows)
        return lines.joined(separator: "\n")
    }

    /// Left-aligned columns, each as wide as its widest cell plus two spaces.
    private static func aligned(_ rows: [[String]]) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        return rows.map { row in
            var line = ""
            for (c, cell) in row.enumerated() {
                line += cell
                if c < row.count - 1 { line += String(repeating: " ", count: widths[c] - cell.count + 2) }
            }
            return line
        }
    }

    private static func duration(_ seconds: Int, _ state: SessionState) -> String {
        guard state == .established else { return "never" }
        let h = seconds / 3600, m = seconds / 60 % 60, s = seconds % 60
        return h > 0 ? "\(h)h\(m)m" : (m > 0 ? "\(m)m\(s)s" : "\(s)s")
    }
}
