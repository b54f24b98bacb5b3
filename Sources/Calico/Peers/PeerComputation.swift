import BGPWire

/// The inputs confd renders BGP peerings from: nodes, BGPPeers, BGPConfigurations and the secrets
/// passwords point at.
public struct BGPTopology: Sendable {
    public var nodes: [Node]
    public var peers: [BGPPeer]
    public var configurations: [BGPConfiguration]
    /// Secret name → key → value (the `calico-system`/`kube-system` secrets BGP passwords reference).
    public var secrets: [String: [String: String]]

    public init(nodes: [Node], peers: [BGPPeer] = [], configurations: [BGPConfiguration] = [], secrets: [String: [String: String]] = [:]) {
        self.nodes = nodes.sorted { $0.name < $1.name }
        self.peers = peers.sorted { $0.metadata.name < $1.metadata.name }
        self.configurations = configurations
        self.secrets = secrets
        var index: [String: Int] = [:]
        for (i, n) in self.nodes.enumerated() { index[n.name] = i }
        nodeIndex = index
        let global = configurations.first { $0.metadata.name == "default" }?.spec.listenPort
        var ports: [String: Int] = [:]
        for c in configurations where c.metadata.name.hasPrefix("node.") { if let p = c.spec.listenPort { ports[String(c.metadata.name.dropFirst(5))] = p } }
        nodeListenPorts = ports
        globalListenPort = global
        var v4: [String: IPAddress] = [:], v6: [String: IPAddress] = [:], text: [String: String] = [:]
        for n in self.nodes {
            if let a = n.ipv4 { v4[n.name] = .v4(a); text[n.name] = a.description }
            if let a = n.ipv6 { v6[n.name] = .v6(a) }
        }
        ipv4ByName = v4
        ipv6ByName = v6
        ipv4TextByName = text
    }

    private let ipv4ByName: [String: IPAddress]
    private let ipv6ByName: [String: IPAddress]
    private let ipv4TextByName: [String: String]

    /// A node's BGP address of one family (parsed once per topology).
    public func address(of node: Node, _ family: AFI) -> IPAddress? {
        family == .ipv4 ? ipv4ByName[node.name] : ipv6ByName[node.name]
    }

    func addressText(of node: Node, _ family: AFI) -> String? {
        family == .ipv4 ? ipv4TextByName[node.name] : ipv6ByName[node.name]?.description
    }

    private let nodeIndex: [String: Int]
    private let nodeListenPorts: [String: Int]
    private let globalListenPort: Int?

    /// Snapshot of a datastore.
    public init(datastore: Datastore, secrets: [String: [String: String]] = [:]) {
        self.init(nodes: datastore.list(.node).compactMap(\.node),
                  peers: datastore.list(.bgpPeer).compactMap(\.bgpPeer),
                  configurations: datastore.list(.bgpConfiguration).compactMap(\.bgpConfiguration),
                  secrets: secrets)
    }

    public var defaultConfiguration: BGPConfiguration? { configurations.first { $0.metadata.name == "default" } }
    /// `/bgp/v1/global/as_num`: BGPConfiguration default `asNumber`, else 64512.
    public var globalAS: ASNumber { defaultConfiguration?.spec.asNumber ?? .defaultAS }
    public var meshEnabled: Bool { defaultConfiguration?.spec.nodeToNodeMeshEnabled ?? true }

    public func node(named name: String) -> Node? { nodeIndex[name].map { nodes[$0] } }
    /// A node's AS: its own `asNumber`, else the global AS.
    public func asNumber(of node: Node) -> ASNumber { node.asNumber ?? globalAS }

    /// `node.<name>` listenPort, else the default one.
    public func listenPort(of node: Node) -> UInt16? {
        (nodeListenPorts[node.name] ?? globalListenPort).flatMap { $0 > 0 ? UInt16($0) : nil }
    }

    func password(_ ref: SecretKeyRef?) -> String? {
        guard let ref else { return nil }
        return secrets[ref.name]?[ref.key]
    }

    func matching(_ selectorText: String) -> [Node] {
        guard let sel = try? Selector(parsing: selectorText) else { return [] }
        return nodes.filter { sel.matches($0.labels) }
    }
}

/// Peer computation exactly as confd's `updatePeersV1` plus the bird.cfg templates do it (spec §2.1, §2.4).
public enum PeerComputation {
    /// Every session `nodeName` runs, in BIRD config order: mesh (by hostname), global peers, then
    /// node-specific peers (each by key order), IPv4 before IPv6.
    public static func peers(for nodeName: String, in topo: BGPTopology) -> [PeerDescription] {
        peers(for: nodeName, in: topo, keys: PeerKeys(topo))
    }

    static func peers(for nodeName: String, in topo: BGPTopology, keys: PeerKeys) -> [PeerDescription] {
        guard let me = topo.node(named: nodeName) else { return [] }
        var out: [PeerDescription] = []
        for family in [AFI.ipv4, AFI.ipv6] {
            guard let myIP = topo.address(of: me, family) else { continue }
            out += meshPeers(me, myIP: myIP, family: family, topo)
            for (key, entry) in keys.sortedGlobal where key.ip.family == family {
                if entry.ip == myIP { continue }
                out.append(describe(entry, kind: .global, me: me, myIP: myIP, topo))
            }
            for (key, entry) in keys.sortedHost(me.name) where key.ip.family == family {
                if entry.ip == myIP { continue }
                out.append(describe(entry, kind: .nodeSpecific, me: me, myIP: myIP, topo))
            }
        }
        return out
    }

    /// Peers of every node, keyed by node name.
    public static func allPeers(in topo: BGPTopology) -> [String: [PeerDescription]] {
        let keys = PeerKeys(topo)
        return Dictionary(uniqueKeysWithValues: topo.nodes.map { ($0.name, peers(for: $0.name, in: topo, keys: keys)) })
    }


    /// Mesh: none at all on a route reflector; otherwise every other node with an address that is not one.
    static func meshPeers(_ me: Node, myIP: IPAddress, family: AFI, _ topo: BGPTopology) -> [PeerDescription] {
        guard topo.meshEnabled, me.routeReflectorClusterID == nil else { return [] }
        let cfg = topo.defaultConfiguration?.spec
        let myAS = topo.asNumber(of: me)
        let myText = myIP.description
        let password = topo.password(cfg?.nodeMeshPassword)
        let restart = (cfg?.nodeMeshMaxRestartTime).flatMap(GoDuration.seconds).map { Int($0.rounded()) }
        var out: [PeerDescription] = []
        out.reserveCapacity(topo.nodes.count)
        for other in topo.nodes {
            guard let ip = topo.address(of: other, family), ip != myIP, other.routeReflectorClusterID == nil else { continue }
            out.append(PeerDescription(
                kind: .mesh, address: ip, port: topo.listenPort(of: other), remoteAS: topo.asNumber(of: other),
                localAS: myAS, localASOverridden: false, isRouteReflectorClient: false, clusterID: nil,
                password: password, keepNextHop: false, nextHopSelf: false,
                ttlSecurityHops: nil, multihop: false, passive: (topo.addressText(of: other, family) ?? "") > myText, sourceAddress: myIP,
                gracefulRestartSeconds: restart,
                keepaliveSeconds: nil, allowLocalAS: nil, isCalicoNode: true, filters: []))
        }
        return out
    }

    static func describe(_ e: PeerEntry, kind: PeerDescription.Kind, me: Node, myIP: IPAddress, _ topo: BGPTopology) -> PeerDescription {
        let nodeAS = topo.asNumber(of: me)
        let localAS = e.localAS.flatMap { $0.value == 0 ? nil : $0 } ?? nodeAS
        let isIBGP = e.asNumber == localAS
        let myCluster = me.routeReflectorClusterID
        let rrClient = isIBGP && myCluster != nil && e.rrClusterID != myCluster
        let spec = e.source.spec
        return PeerDescription(
            kind: kind, address: e.ip, port: e.port, remoteAS: e.asNumber, localAS: localAS,
            localASOverridden: localAS != nodeAS, isRouteReflectorClient: rrClient,
            clusterID: rrClient ? myCluster.flatMap { IPv4Address($0) } : nil,
            password: topo.password(spec.password),
            keepNextHop: (spec.keepOriginalNextHop == true && !isIBGP) || spec.nextHopMode == "Keep",
            nextHopSelf: spec.nextHopMode == "Self",
            ttlSecurityHops: spec.ttlSecurity.flatMap { $0 > 0 ? $0 : nil }, multihop: true,
            passive: kind == .global && e.calicoNode && e.ip.description > myIP.description,
            sourceAddress: e.source.effectiveSourceAddress == "UseNodeIP" ? myIP : nil,
            gracefulRestartSeconds: spec.maxRestartTime.flatMap(GoDuration.seconds).map { Int($0.rounded()) },
            keepaliveSeconds: spec.keepaliveTime.flatMap(GoDuration.seconds).map { Int($0.rounded()) },
            allowLocalAS: spec.numAllowedLocalASNumbers, isCalicoNode: e.calicoNode, filters: spec.filters ?? [])
    }
}

/// `/bgp/v1/{global,host/<node>}/peer_v4|v6/<ip>[-<port>]`
struct PeerKey: Hashable {
    var ip: IPAddress
    var port: UInt16?
    /// confd lists keys as strings, so `10.0.0.10` sorts before `10.0.0.2`.
    var sortText: String { ip.description + (port.map { "-\($0)" } ?? "") }
}

/// The JSON confd stores under a peer key.
struct PeerEntry {
    var ip: IPAddress
    var port: UInt16?
    var asNumber: ASNumber
    var localAS: ASNumber?
    var rrClusterID: String?
    var calicoNode: Bool
    var source: BGPPeer
}

/// The three passes of `updatePeersV1` with its dedupe rules.
struct PeerKeys {
    var global: [PeerKey: PeerEntry] = [:]
    var host: [String: [PeerKey: PeerEntry]] = [:]
    /// Selector text → matching nodes, so each selector is parsed and evaluated once per topology.
    private var matches: [String: [Node]] = [:]
    private(set) var sortedGlobal: [(key: PeerKey, value: PeerEntry)] = []

    func sortedHost(_ node: String) -> [(key: PeerKey, value: PeerEntry)] {
        (host[node] ?? [:]).sorted { $0.key.sortText < $1.key.sortText }
    }

    mutating func matching(_ sel: String, _ topo: BGPTopology) -> [Node] {
        if let m = matches[sel] { return m }
        let m = topo.matching(sel)
        matches[sel] = m
        return m
    }

    init(_ topo: BGPTopology) {
        build(topo)
        sortedGlobal = global.sorted { $0.key.sortText < $1.key.sortText }
    }

    private mutating func build(_ topo: BGPTopology) {
        let usable = topo.peers.filter { ($0.spec.localWorkloadSelector ?? "").isEmpty }
        // 1. Global pass.
        for p in usable where p.isGlobal {
            for e in entries(for: p, topo) { emitGlobal(e) }
        }
        // 2. Node pass.
        for p in usable where !p.isGlobal {
            let remote = entries(for: p, topo)
            for local in localNodes(p, topo) {
                for e in remote { emitHost(local.name, e) }
            }
        }
        // 3. Reverse pass: the remote side peers back with the local side.
        for p in usable where p.spec.reversePeering != "Manual" {
            let remote: [Node]
            var families: Set<AFI> = [.ipv4, .ipv6]
            if let sel = p.spec.peerSelector, !sel.isEmpty {
                remote = matching(sel, topo)
            } else if let text = p.spec.peerIP, let (ip, _) = AddressText.peerIP(text) {
                let want = p.spec.asNumber.flatMap { $0.value == 0 ? nil : $0 } ?? topo.globalAS
                remote = topo.nodes.filter { topo.address(of: $0, ip.family) == ip && topo.asNumber(of: $0) == want }
                families = [ip.family]
            } else {
                remote = []
            }
            guard !remote.isEmpty else { continue }
            // The BGPPeer's localASNumber belongs to the local side, not to the remote nodes peering back.
            let back = localNodes(p, topo).flatMap { nodeEntries($0, families: families, source: p, topo, reverse: true) }
            for r in remote {
                for e in back { emitHost(r.name, e) }
            }
        }
    }

    mutating func emitGlobal(_ e: PeerEntry) {
        let k = PeerKey(ip: e.ip, port: e.port)
        if global[k] == nil { global[k] = e }
    }

    mutating func emitHost(_ node: String, _ e: PeerEntry) {
        let k = PeerKey(ip: e.ip, port: e.port)
        if global[k] != nil { return }
        if host[node, default: [:]][k] == nil { host[node, default: [:]][k] = e }
    }

    mutating func localNodes(_ p: BGPPeer, _ topo: BGPTopology) -> [Node] {
        if let sel = p.spec.nodeSelector, !sel.isEmpty { return matching(sel, topo) }
        if let n = p.spec.node, !n.isEmpty { return topo.node(named: n).map { [$0] } ?? [] }
        return topo.nodes
    }

    /// The remote side of a BGPPeer as seen from the local nodes.
    mutating func entries(for p: BGPPeer, _ topo: BGPTopology) -> [PeerEntry] {
        if let sel = p.spec.peerSelector, !sel.isEmpty {
            return matching(sel, topo).flatMap { nodeEntries($0, families: [.ipv4, .ipv6], source: p, topo) }
        }
        guard let text = p.spec.peerIP, let (ip, explicitPort) = AddressText.peerIP(text) else { return [] }
        let peerAS = p.spec.asNumber ?? ASNumber(0)
        var port = explicitPort
        if port == nil {
            let want = peerAS.value == 0 ? topo.globalAS : peerAS
            if let n = topo.nodes.first(where: { topo.address(of: $0, ip.family) == ip && topo.asNumber(of: $0) == want }) {
                port = topo.listenPort(of: n)
            }
        }
        let isNode = topo.nodes.contains { topo.address(of: $0, ip.family) == ip }
        return [PeerEntry(ip: ip, port: port, asNumber: peerAS, localAS: p.spec.localASNumber, rrClusterID: nil, calicoNode: isNode, source: p)]
    }

    /// A Calico node as a peer: its AS, cluster ID and listen port.
    func nodeEntries(_ n: Node, families: Set<AFI>, source p: BGPPeer, _ topo: BGPTopology, reverse: Bool = false) -> [PeerEntry] {
        [AFI.ipv4, .ipv6].filter(families.contains).compactMap { f in
            topo.address(of: n, f).map {
                PeerEntry(ip: $0, port: topo.listenPort(of: n), asNumber: topo.asNumber(of: n), localAS: reverse ? nil : p.spec.localASNumber,
                          rrClusterID: n.routeReflectorClusterID, calicoNode: false, source: p)
            }
        }
    }
}
