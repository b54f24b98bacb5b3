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

    /// Whether a device kind resets an established session when the peer's hold or keepalive time changes. VRP
    /// does (its command reference: the peer relationship is disconnected so the devices renegotiate); Comware 7
    /// (`timer` and `peer timer` "take effect when a session is re-established") and Quagga (`timers bgp`,
    /// `neighbor X timers` touch no session) keep the running session with what it negotiated, and the new
    /// values go into the next OPEN.
    public static func timerChangeResetsSession(kind: String) -> Bool { kind == "huawei-vrp" }

    /// What the speaker daemon runs for this configuration; nil without `bgp <as>`. Each peer proposes its
    /// timers (`BGPInstance.timers(of:)`: 180/60 unless configured) and retries connections every
    /// `BGPTimers.connectRetry` seconds.
    /// - Parameters:
    ///   - controlSocket: where the daemon's control socket goes (nil = none).
    ///   - timerChangeResetsSession: see `timerChangeResetsSession(kind:)`.
    public func bgpdConfig(installRoutes: Bool, controlSocket: String? = nil, timerChangeResetsSession: Bool = false) -> BgpdConfig? {
        guard let bgp else { return nil }
        let speaker = SpeakerConfig(asn: bgp.asn, routerID: effectiveRouterID, clusterID: bgp.clusterID,
                                    compareMEDAcrossAS: bgp.compareDifferentASMED, maxPaths: max(1, bgp.maxLoadBalancing))
        var peers: [PeerConfig] = []
        for p in bgp.peers {
            guard let remoteAS = bgp.remoteAS(of: p) else { continue }  // not runnable until it has an AS
            var c = PeerConfig(address: .v4(p.address), remoteAS: remoteAS)
            let o = bgp.effectiveOptions(of: p)  // a group's options reach its members' sessions live
            c.description = o.description
            if let source = o.connectAddress ?? o.connectInterface.flatMap({ self[interface: $0].addresses.first?.address }) {
                c.sourceAddress = .v4(source)
            }
            c.ebgpMultihop = o.ebgpMaxHop
            c.password = o.password?.text
            c.routeReflectorClient = o.reflectClient
            c.nextHopSelf = o.nextHopLocal
            c.shutdown = o.shutdown
            c.families = o.ipv4Enabled ? [.ipv4Unicast] : []
            let timers = o.timers ?? bgp.timers ?? .vendorDefault
            c.holdTime = timers.hold
            c.keepaliveTime = timers.keepalive
            c.connectRetryTime = BGPTimers.connectRetry
            c.timerChangeResetsSession = timerChangeResetsSession
            peers.append(c)
        }
        var redistribute = Set<BgpdConfig.Redistribution>()
        if bgp.importRoutes.contains(.direct) { redistribute.insert(.connected) }
        if bgp.importRoutes.contains(.static) { redistribute.insert(.static) }
        return BgpdConfig(speaker: speaker, controlSocket: controlSocket, installRoutes: installRoutes, peers: peers,
                          networks: bgp.networks.map { BgpdConfig.Network(prefix: .v4($0)) }, redistribute: redistribute)
    }
}
