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
            gracefulRestartTime: d.gracefulRestartSeconds.map { UInt16(clamping: $0) } ?? BirdDefaults.gracefulRestartTime)
    }
}
