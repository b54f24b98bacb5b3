import BGPWire
import BGPSpeaker
import BGPDaemon

extension RunningConfig {
    /// The router ID BGP uses: the configured one, else the highest LoopBack address, else the highest
    /// interface address (VRP and Comware pick it this way when none is set).
    public var effectiveRouterID: IPv4Address {
        if let id = bgp?.routerID { return id }
        let loopbacks = interfaces.filter { $0.name.hasPrefix("LoopBack") }.flatMap(\.addresses).map(\.address)
        if let best = loopbacks.max() { return best }
        return interfaces.flatMap(\.addresses).map(\.address).max() ?? .zero
    }

    /// What the speaker daemon runs for this configuration; nil without `bgp <as>`.
    /// - Parameter controlSocket: where the daemon's control socket goes (nil = none).
    public func bgpdConfig(installRoutes: Bool, controlSocket: String? = nil) -> BgpdConfig? {
        guard let bgp else { return nil }
        let speaker = SpeakerConfig(asn: bgp.asn, routerID: effectiveRouterID, clusterID: bgp.clusterID,
                                    compareMEDAcrossAS: bgp.compareDifferentASMED, maxPaths: max(1, bgp.maxLoadBalancing))
        var peers: [PeerConfig] = []
        for p in bgp.peers {
            guard let remoteAS = bgp.remoteAS(of: p) else { continue }  // not runnable until it has an AS
            var c = PeerConfig(address: .v4(p.address), remoteAS: remoteAS)
            c.description = p.description
            if let source = p.connectAddress ?? p.connectInterface.flatMap({ self[interface: $0].addresses.first?.address }) {
                c.sourceAddress = .v4(source)
            }
            c.ebgpMultihop = p.ebgpMaxHop
            c.password = p.password?.text
            c.routeReflectorClient = p.reflectClient
            c.nextHopSelf = p.nextHopLocal
            c.shutdown = p.shutdown
            c.families = p.ipv4Enabled ? [.ipv4Unicast] : []
            peers.append(c)
        }
        var redistribute = Set<BgpdConfig.Redistribution>()
        if bgp.importRoutes.contains(.direct) { redistribute.insert(.connected) }
        if bgp.importRoutes.contains(.static) { redistribute.insert(.static) }
        return BgpdConfig(speaker: speaker, controlSocket: controlSocket, installRoutes: installRoutes, peers: peers,
                          networks: bgp.networks.map { BgpdConfig.Network(prefix: .v4($0)) }, redistribute: redistribute)
    }
}
