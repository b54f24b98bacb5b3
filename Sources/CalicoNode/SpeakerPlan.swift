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
            importPolicy: CalicoExport.importPolicyName(d), exportPolicy: CalicoExport.exportPolicyName(d))
    }
}

/// `calico_export_to_bgp_peers` (bird_ipam.cfg) as the speaker's export policy, applied to every peer:
/// no routes of export-disabled pools; `apply_communities`; own blocks as aggregates, nothing beneath them;
/// service ranges (LoadBalancer ranges on reflectors only); anything else inside a pool; nothing outside
/// the pools. A peer with BGPFilters gets its own policies: the filters' rules first, in `filters` order,
/// then the default (`accept` on import, Calico's export filter on export), as the peer's `protocol bgp`
/// calls the generated functions (spec §2.8).
enum CalicoExport {
    typealias Policy = BGPSpeaker.RoutePolicy
    typealias Rule = BGPSpeaker.RoutePolicy.Rule

    static let policyName = "calico_export_to_bgp_peers"

    /// The peer's export policy: the shared one, or one per filter list and family.
    static func exportPolicyName(_ d: PeerDescription) -> String {
        d.filters.isEmpty ? policyName : "\(policyName)+\(d.filters.joined(separator: ","))/\(familyWord(d))"
    }

    /// The peer's import policy: none (BIRD's `accept;`) unless it has filters.
    static func importPolicyName(_ d: PeerDescription) -> String? {
        d.filters.isEmpty ? nil : "calico_import+\(d.filters.joined(separator: ","))/\(familyWord(d))"
    }

    private static func familyWord(_ d: PeerDescription) -> String { d.address.family == .ipv4 ? "v4" : "v6" }

    /// Every policy the node's peers name.
    /// - Parameters:
    ///   - local: prefixes the node originates itself (blocks, services, borrowed addresses); the rest of
    ///     what it exports was learned from BGP peers, which is what a filter rule's `source: RemotePeers` means.
    ///   - filters: BGPFilter resources by name.
    ///   - interfaces: the interface each peer is reached through (BIRD's `ifname` of the routes it sends).
    static func policies(_ calico: Calico.RoutePolicy, peers: [PeerDescription], local: [Prefix],
                         filters: [String: BGPFilter], interfaces: [IPAddress: String] = [:]) -> [String: Policy] {
        let export = policy(calico)
        var out = [policyName: export]
        for peer in peers where !peer.filters.isEmpty {
            let family: AddressFamily = peer.address.family == .ipv4 ? .ipv4Unicast : .ipv6Unicast
            let lists = peer.filters.compactMap { filters[$0] }
            let fromThisPeer = interfaces[peer.address].map { [$0] } ?? []
            let fromAnyPeer = peers.filter { $0.address.family == peer.address.family }.compactMap { interfaces[$0.address] }
            let importRules = lists.flatMap { rules($0.rules(.of(import: true, family: family)), isImport: true, local: local, interfaces: fromThisPeer) }
            let exportRules = lists.flatMap { rules($0.rules(.of(import: false, family: family)), isImport: false, local: local, interfaces: fromAnyPeer) }
            if let name = importPolicyName(peer) { out[name] = Policy(rules: importRules, defaultAction: .permit) }
            out[exportPolicyName(peer)] = Policy(rules: exportRules + export.rules, defaultAction: .deny)
        }
        return out
    }

    /// A BGPFilter rule list as speaker rules. BIRD ends the filter at the first `accept`/`reject` a
    /// function reaches, which is first-match here.
    ///
    /// An `interface` clause tests BIRD's `ifname`, the interface towards the route's next hop. The speaker
    /// does not keep it per route, so it is decided from `interfaces`: on import, the one interface the
    /// peer is reached through; on export, those of the peers the learned routes came from (the clause
    /// holds for learned routes when the glob matches any of them, and never for the node's own blackholes
    /// and borrowed addresses, which have no next-hop interface here).
    static func rules(_ list: [BGPFilter.Rule], isImport: Bool, local: [Prefix], interfaces: [String] = []) -> [Rule] {
        list.compactMap { rule in
            var learnedOnly = rule.remotePeersOnly && !isImport
            if let glob = rule.interface {
                guard interfaces.contains(where: { BGPFilter.interface($0, matches: glob) }) else { return nil }
                if !isImport { learnedOnly = true }
            }
            var match = Policy.Match()
            if let cidr = rule.cidr {
                let entry: Policy.PrefixMatch
                if rule.prefixLengthMin != nil || rule.prefixLengthMax != nil {
                    entry = .init(cidr, ge: rule.prefixLengthMin ?? cidr.length, le: rule.prefixLengthMax ?? maxLength(cidr))
                } else if rule.matchOperator == .equal || rule.matchOperator == .notEqual {
                    entry = .init(cidr)
                } else {
                    entry = within(cidr)
                }
                if rule.matchOperator == .equal || rule.matchOperator == .in { match.prefixes = [entry] } else { match.notPrefixes = [entry] }
            }
            // On import every route came from a BGP peer; on export, those the node did not originate did.
            if learnedOnly && !local.isEmpty {
                match.notPrefixes = (match.notPrefixes ?? []) + local.map { .init($0) }
            }
            return Rule(match: match, action: rule.accept ? .permit : .deny)
        }
    }

    static func maxLength(_ p: Prefix) -> UInt8 { p.family.afi == .ipv4 ? 32 : 128 }
    static func within(_ p: Prefix) -> Policy.PrefixMatch { .init(p, ge: p.length, le: maxLength(p)) }

    static func policy(_ calico: Calico.RoutePolicy) -> Policy {
        var rules: [Rule] = []
        for pool in calico.pools where pool.spec.disableBGPExport == true {
            if let p = pool.prefix { rules.append(Rule(match: .init(prefixes: [within(p)]), action: .deny)) }
        }
        // apply_communities: adds, then the rest of the function decides.
        for ad in calico.prefixAdvertisements where !ad.communities.isEmpty || !ad.largeCommunities.isEmpty {
            var set: [Policy.SetAction] = []
            if !ad.communities.isEmpty { set.append(.addCommunities(ad.communities)) }
            if !ad.largeCommunities.isEmpty { set.append(.addLargeCommunities(ad.largeCommunities)) }
            rules.append(Rule(match: .init(prefixes: [within(ad.cidr)]), action: .permit, set: set, continues: true))
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
        return Policy(rules: rules, defaultAction: .deny)
    }
}
