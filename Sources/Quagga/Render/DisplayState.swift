import BGPWire
import BGPSpeaker
import Device

/// bgpd's state as the `show ip bgp …` displays read it: plain values, so the renderers run without a speaker.
public struct BGPState: Sendable {
    public var routerID: IPv4Address
    public var asn: UInt32
    /// In configuration order.
    public var peers: [BGPPeerSummary]
    /// The IPv4 Loc-RIB, by prefix, best path first within a prefix.
    public var entries: [RIBEntry]
    /// The speaker clock now, to age `RIBEntry.since` (seconds).
    public var clock: UInt32
    /// Peers each prefix's best path is advertised to (`show ip bgp <prefix>`); absent = none.
    public var advertisedTo: [Prefix: [IPAddress]]

    public init(routerID: IPv4Address, asn: UInt32, peers: [BGPPeerSummary], entries: [RIBEntry], clock: UInt32 = 0,
                advertisedTo: [Prefix: [IPAddress]] = [:]) {
        self.routerID = routerID; self.asn = asn; self.peers = peers; self.entries = entries; self.clock = clock
        self.advertisedTo = advertisedTo
    }
}

/// One route in zebra's table (`show ip route`).
public struct ZebraRoute: Hashable, Sendable {
    public enum Kind: Character, Hashable, Sendable {
        case kernel = "K", connected = "C", staticRoute = "S", bgp = "B"
    }
    public enum NextHop: Hashable, Sendable {
        case gateway(IPv4Address, interface: String?)
        case connected(String)
        case blackhole
    }
    public var kind: Kind
    public var prefix: IPv4Prefix
    /// More than one for ECMP.
    public var nextHops: [NextHop]
    /// `[distance/metric]`, shown for every kind but connected and kernel.
    public var distance: Int
    public var metric: UInt32
    public var selected: Bool
    public var installed: Bool
    /// Seconds since the route changed; shown for BGP routes only.
    public var uptimeSeconds: Int?

    public init(kind: Kind, prefix: IPv4Prefix, nextHops: [NextHop], distance: Int = 0, metric: UInt32 = 0,
                selected: Bool = true, installed: Bool = true, uptimeSeconds: Int? = nil) {
        self.kind = kind; self.prefix = prefix; self.nextHops = nextHops; self.distance = distance; self.metric = metric
        self.selected = selected; self.installed = installed; self.uptimeSeconds = uptimeSeconds
    }
}
