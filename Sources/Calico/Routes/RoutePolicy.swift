import BGPWire

/// What a Calico node originates and how it treats routes, as bird_aggr.cfg, bird_ipam.cfg and Felix
/// make it behave (spec §2.6–2.8, §7). Pure: the node agent feeds it the datastore snapshot.
public struct RoutePolicy: Sendable {
    public var node: Node
    public var pools: [IPPool]
    /// Confirmed affine blocks of this node (blackholed and exported as aggregates).
    public var ownBlocks: [Prefix]
    /// Service ranges from BGPConfiguration default (clusterIPs, externalIPs, loadBalancerIPs).
    public var serviceRanges: [Prefix]
    /// LoadBalancer ranges are exported by route reflectors only.
    public var loadBalancerRanges: [Prefix]
    /// `apply_communities`: the node's own `node.<name>` prefixAdvertisements when it has any, else the
    /// `default` ones (confd renders the host key when it exists).
    public var prefixAdvertisements: [BGPConfiguration.PrefixAdvertisement]

    public init(node: Node, pools: [IPPool], ownBlocks: [Prefix], configuration: BGPConfiguration?,
                nodeConfiguration: BGPConfiguration? = nil) {
        self.node = node
        self.pools = pools
        self.ownBlocks = ownBlocks
        let spec = configuration?.spec
        serviceRanges = ((spec?.serviceClusterIPs ?? []) + (spec?.serviceExternalIPs ?? [])).compactMap(Prefix.init)
        loadBalancerRanges = (spec?.serviceLoadBalancerIPs ?? []).compactMap(Prefix.init)
        let own = nodeConfiguration?.prefixAdvertisements ?? []
        prefixAdvertisements = own.isEmpty ? configuration?.prefixAdvertisements ?? [] : own
    }

    /// Builds the policy for `nodeName` from a datastore.
    public init?(nodeName: String, store: Datastore) {
        guard let node = (try? store.get(.node, nodeName))?.node else { return nil }
        self.init(node: node, pools: store.list(.ipPool).compactMap(\.ipPool), ownBlocks: IPAM(store: store).affineBlocks(of: nodeName),
                  configuration: (try? store.get(.bgpConfiguration, "default"))?.bgpConfiguration,
                  nodeConfiguration: (try? store.get(.bgpConfiguration, "node.\(nodeName)"))?.bgpConfiguration)
    }

    /// What `apply_communities` adds to an exported `prefix`: every advertisement whose CIDR covers it
    /// (`net ~ cidr`: the CIDR itself and anything more specific), in order.
    public func communities(for prefix: Prefix) -> (standard: [Community], large: [LargeCommunity]) {
        var standard: [Community] = [], large: [LargeCommunity] = []
        for ad in prefixAdvertisements where BlockMath.contains(ad.cidr, prefix) {
            for c in ad.communities where !standard.contains(c) { standard.append(c) }
            for c in ad.largeCommunities where !large.contains(c) { large.append(c) }
        }
        return (standard, large)
    }

    /// Nodes labelled this way only reject service ranges locally; they do not advertise them.
    public static let excludeFromLBLabel = "node.kubernetes.io/exclude-from-external-load-balancers"

    var excludedFromServiceAdvertisement: Bool { node.labels[Self.excludeFromLBLabel] == "true" }
    var isRouteReflector: Bool { node.routeReflectorClusterID != nil }

    /// Static routes BIRD originates (`protocol static` in bird_aggr.cfg), all as blackholes:
    /// own blocks (not /32 or /128 "blocks"), then service ranges.
    public var staticBlackholes: [Prefix] {
        let blocks = ownBlocks.filter { Int($0.length) < ($0.family == .ipv4Unicast ? 32 : 128) }
        let services = excludedFromServiceAdvertisement ? [] : serviceRanges + loadBalancerRanges
        return blocks + services
    }

    /// `calico_export_to_bgp_peers(internal)`: may `prefix` be sent to a BGP peer?
    /// - Parameter viaTunnelInterface: the route points at a `*.cali`/`*.calico` device (VXLAN, WireGuard),
    ///   which is never sent to iBGP peers.
    public func exports(_ prefix: Prefix, toInternalPeer: Bool, viaTunnelInterface: Bool = false) -> Bool {
        for pool in pools where pool.spec.disableBGPExport == true {
            if let p = pool.prefix, BlockMath.contains(p, prefix) { return false }
        }
        if toInternalPeer && viaTunnelInterface { return false }
        for block in ownBlocks {
            if block == prefix { return true }
            if BlockMath.contains(block, prefix) { return false }
        }
        if !excludedFromServiceAdvertisement && serviceRanges.contains(where: { BlockMath.contains($0, prefix) }) { return true }
        if isRouteReflector && loadBalancerRanges.contains(where: { BlockMath.contains($0, prefix) }) { return true }
        return pools.contains { $0.spec.disableBGPExport != true && ($0.prefix.map { BlockMath.contains($0, prefix) } ?? false) }
    }

    /// How a BGP-learned route lands in the kernel (`calico_kernel_programming` plus BIRD's krt_tunnel).
    public enum KernelRoute: Hashable, Sendable {
        /// `<prefix> via <nh> dev <uplink> proto bird`
        case direct(nextHop: IPAddress)
        /// `<prefix> via <nh> dev tunl0 proto bird onlink`
        case ipip(nextHop: IPAddress)
        /// Not programmed by BIRD (service ranges; VXLAN pools, which Felix handles).
        case notProgrammed
    }

    public func kernelRoute(for prefix: Prefix, nextHop: IPAddress) -> KernelRoute {
        if serviceRanges.contains(where: { BlockMath.contains($0, prefix) }) || loadBalancerRanges.contains(where: { BlockMath.contains($0, prefix) }) {
            return .notProgrammed
        }
        guard let pool = pools.first(where: { $0.prefix.map { BlockMath.contains($0, prefix) } ?? false }) else { return .direct(nextHop: nextHop) }
        if pool.vxlanMode != "Never" { return .notProgrammed }
        guard case .v4(let nh) = nextHop else { return .direct(nextHop: nextHop) }
        switch pool.ipipMode {
        case "Always": return .ipip(nextHop: nextHop)
        case "CrossSubnet":
            if let net = node.ipv4Network, net.contains(nh) { return .direct(nextHop: nextHop) }
            return .ipip(nextHop: nextHop)
        default: return .direct(nextHop: nextHop)
        }
    }
}

extension IPAM {
    /// Gives the node's `tunl0` its address (the first free address of its block, as calico-node does
    /// when an IPIP pool exists) and records it in `spec.bgp.ipv4IPIPTunnelAddr`. Idempotent.
    @discardableResult
    public func assignTunnelAddress(node nodeName: String) throws -> IPv4Address {
        guard var node = (try store.get(.node, nodeName)).node else { throw CalicoError("node \(nodeName) not found") }
        if let existing = node.spec.bgp?.ipv4IPIPTunnelAddr, let a = IPv4Address(existing) { return a }
        let a = try allocate(node: nodeName, handle: "ipip-tunnel-addr-\(nodeName)", family: .ipv4)
        guard case .v4(let v4) = a else { throw CalicoError("tunnel address is not IPv4") }
        var bgp = node.spec.bgp ?? Node.BGP()
        bgp.ipv4IPIPTunnelAddr = v4.description
        node.spec.bgp = bgp
        store.put(AnyResource(node))
        return v4
    }
}
