import BGPWire
import BGPSpeaker
import BGPDaemon
import Calico

/// Maps what confd would render for one node (`NodeConfig`) onto the speaker's configuration, the way
/// BIRD would run it: one `PeerConfig` per `protocol bgp`, own blocks as blackholes, borrowed /32s as
/// plain networks.
enum SpeakerPlan {
    /// - Parameter clusterID: the Node's `routeReflectorClusterID` (set on reflectors only).
    static func config(_ node: NodeConfig, routerID fallback: IPv4Address, clusterID: IPv4Address?) -> BgpdConfig {
        let speaker = SpeakerConfig(asn: node.asNumber.value, routerID: node.routerID ?? fallback, clusterID: clusterID)
        var networks = node.originated.map { BgpdConfig.Network(prefix: $0, blackhole: true) }
        networks += node.borrowed.map { BgpdConfig.Network(prefix: $0, blackhole: false) }
        return BgpdConfig(speaker: speaker, listenAddress: node.bindAddress ?? .v6(.zero), listenPort: node.listenPort,
                          installRoutes: true, peers: node.peers.map(peer), networks: networks)
    }

    static func peer(_ d: PeerDescription) -> PeerConfig {
        return PeerConfig(
            address: d.address, remoteAS: d.remoteAS.value, localAS: d.localASOverridden ? d.localAS.value : nil,
            description: d.protocolName, port: d.port ?? 179, sourceAddress: d.sourceAddress, passive: d.passive,
            ebgpMultihop: d.ttl, password: d.password, holdTime: BirdDefaults.holdTime,
            keepaliveTime: d.keepaliveSeconds.map { UInt16(clamping: $0) } ?? BirdDefaults.keepaliveTime,
            connectRetryTime: BirdDefaults.connectRetryTime,
            routeReflectorClient: d.isRouteReflectorClient, nextHopSelf: d.nextHopSelf, keepNextHop: d.keepNextHop,
            allowOwnAS: UInt8(clamping: d.allowLocalAS ?? 0),
            families: [d.address.family == .ipv4 ? .ipv4Unicast : .ipv6Unicast],
            gracefulRestartTime: d.gracefulRestartSeconds.map { UInt16(clamping: $0) } ?? BirdDefaults.gracefulRestartTime,
            exportPolicy: CalicoExport.policyName)
    }
}

/// `calico_export_to_bgp_peers` (bird_ipam.cfg) as the speaker's export policy, applied to every peer:
/// no routes of export-disabled pools; own blocks as aggregates, nothing beneath them; service ranges
/// (LoadBalancer ranges on reflectors only); anything else inside a pool; nothing outside the pools.
enum CalicoExport {
    static let policyName = "calico_export_to_bgp_peers"

    static func policy(_ calico: Calico.RoutePolicy) -> BGPSpeaker.RoutePolicy {
        typealias Rule = BGPSpeaker.RoutePolicy.Rule
        func within(_ p: Prefix) -> BGPSpeaker.RoutePolicy.PrefixMatch {
            .init(p, ge: p.length, le: p.family.afi == .ipv4 ? 32 : 128)
        }
        var rules: [Rule] = []
        for pool in calico.pools where pool.spec.disableBGPExport == true {
            if let p = pool.prefix { rules.append(Rule(match: .init(prefixes: [within(p)]), action: .deny)) }
        }
        for block in calico.ownBlocks {
            rules.append(Rule(match: .init(prefixes: [.init(block)]), action: .permit))
            rules.append(Rule(match: .init(prefixes: [within(block)]), action: .deny))
        }
        let excluded = calico.node.labels[Calico.RoutePolicy.excludeFromLBLabel] == "true"
        var accepted = excluded ? [] : calico.serviceRanges
        if calico.node.routeReflectorClusterID != nil { accepted += calico.loadBalancerRanges }
        accepted += calico.pools.filter { $0.spec.disableBGPExport != true }.compactMap(\.prefix)
        if !accepted.isEmpty { rules.append(Rule(match: .init(prefixes: accepted.map(within)), action: .permit)) }
        return BGPSpeaker.RoutePolicy(rules: rules, defaultAction: .deny)
    }
}
