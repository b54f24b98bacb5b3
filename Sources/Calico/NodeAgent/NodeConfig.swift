import BGPWire

/// Everything one emulated calico-node needs from the datastore to run its BGP speaker: identity,
/// sessions and the routes it originates. Recompute on every datastore change and diff the peers
/// with `PeerChanges`.
public struct NodeConfig: Hashable, Sendable {
    public var nodeName: String
    public var routerID: IPv4Address?
    /// The node AS (Node `asNumber` → BGPConfiguration default → 64512).
    public var asNumber: ASNumber
    /// Node `listenPort` config, else the default one, else 179.
    public var listenPort: UInt16
    /// Set when `bindMode: NodeIP`: listen only on the node address.
    public var bindAddress: IPAddress?
    /// BIRD's log level: `debug`, `info` or `none`.
    public var logLevel: String
    public var peers: [PeerDescription]
    /// Blackhole routes BIRD originates (own blocks, service ranges).
    public var originated: [Prefix]
    /// Local workload addresses outside the node's own blocks, announced as host routes.
    public var borrowed: [Prefix]

    public static func compute(for nodeName: String, store: Datastore, environment: [String: String] = [:],
                               secrets: [String: [String: String]] = [:]) -> NodeConfig? {
        let topo = BGPTopology(datastore: store, secrets: secrets)
        guard let node = topo.node(named: nodeName), let policy = RoutePolicy(nodeName: nodeName, store: store) else { return nil }
        let cfg = topo.defaultConfiguration?.spec
        let ownLevel = topo.configurations.first { $0.metadata.name == "node.\(nodeName)" }?.spec.logSeverityScreen
        let level: String
        switch (ownLevel ?? cfg?.logSeverityScreen ?? "Info").lowercased() {
        case "debug": level = "debug"
        case "info": level = "info"
        default: level = "none"
        }
        return NodeConfig(
            nodeName: nodeName,
            routerID: NodeStartup.routerID(nodeName: nodeName, nodeIPv4: node.ipv4, environment: environment),
            asNumber: topo.asNumber(of: node),
            listenPort: topo.listenPort(of: node) ?? 179,
            bindAddress: cfg?.bindMode == "NodeIP" ? node.ipv4.map(IPAddress.v4) ?? node.ipv6.map(IPAddress.v6) : nil,
            logLevel: level,
            peers: PeerComputation.peers(for: nodeName, in: topo),
            originated: policy.staticBlackholes,
            borrowed: IPAM(store: store).routes(for: nodeName).borrowedAddresses)
    }
}
