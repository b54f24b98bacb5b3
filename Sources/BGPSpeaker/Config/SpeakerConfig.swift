import BGPWire

/// Router-wide settings. Changing them at run time re-imports and re-decides every route.
public struct SpeakerConfig: Hashable, Sendable {
    public var asn: UInt32
    public var routerID: IPv4Address
    /// The route-reflector cluster ID; nil = not configured (the router ID is used once a peer is a
    /// reflector client, as Quagga and VRP do).
    public var clusterID: IPv4Address?
    /// Compare MED between paths from different neighbouring ASes (`bgp always-compare-med`).
    public var compareMEDAcrossAS: Bool
    /// Equal-cost paths handed to the FIB (1 = no ECMP).
    public var maxPaths: Int
    /// LOCAL_PREF given to paths that have none (eBGP-learned, locally originated).
    public var defaultLocalPref: UInt32

    public init(asn: UInt32, routerID: IPv4Address, clusterID: IPv4Address? = nil, compareMEDAcrossAS: Bool = false,
                maxPaths: Int = 1, defaultLocalPref: UInt32 = 100) {
        self.asn = asn; self.routerID = routerID; self.clusterID = clusterID
        self.compareMEDAcrossAS = compareMEDAcrossAS; self.maxPaths = maxPaths; self.defaultLocalPref = defaultLocalPref
    }
}

/// One configured neighbour. The address is its identity: a different address is a different peer.
public struct PeerConfig: Hashable, Sendable {
    public var address: IPAddress
    public var remoteAS: UInt32
    /// The AS this router presents to this peer instead of its own (`local-as`).
    public var localAS: UInt32?
    public var description: String?
    public var port: UInt16
    public var sourceAddress: IPAddress?
    public var passive: Bool
    /// TTL for the session; nil = 1 for eBGP, 255 for iBGP.
    public var ebgpMultihop: UInt8?
    public var password: String?
    public var holdTime: UInt16
    public var keepaliveTime: UInt16
    public var connectRetryTime: UInt16
    public var routeReflectorClient: Bool
    public var nextHopSelf: Bool
    /// Towards eBGP: pass the next hop on unchanged (route servers, multihop lab links).
    public var keepNextHop: Bool
    /// How many times this router's own AS may appear in a received AS_PATH before it is a loop.
    public var allowOwnAS: UInt8
    public var families: Set<AddressFamily>
    /// Our own graceful-restart time to advertise; nil = do not advertise the capability.
    public var gracefulRestartTime: UInt16?
    public var importPolicy: String?
    public var exportPolicy: String?
    public var shutdown: Bool
    /// Whether a new hold or keepalive time resets an established session at once (bgpd files, Huawei VRP: "the
    /// peer relationship is disconnected" to renegotiate), or is only proposed from the next OPEN on (Comware 7,
    /// Quagga: the running session keeps what it negotiated).
    public var timerChangeResetsSession: Bool

    public init(address: IPAddress, remoteAS: UInt32, localAS: UInt32? = nil, description: String? = nil, port: UInt16 = 179,
                sourceAddress: IPAddress? = nil, passive: Bool = false, ebgpMultihop: UInt8? = nil, password: String? = nil,
                holdTime: UInt16 = 90, keepaliveTime: UInt16 = 30, connectRetryTime: UInt16 = 5,
                routeReflectorClient: Bool = false, nextHopSelf: Bool = false, keepNextHop: Bool = false,
                allowOwnAS: UInt8 = 0, families: Set<AddressFamily> = [.ipv4Unicast], gracefulRestartTime: UInt16? = nil,
                importPolicy: String? = nil, exportPolicy: String? = nil, shutdown: Bool = false,
                timerChangeResetsSession: Bool = true) {
        self.address = address; self.remoteAS = remoteAS; self.localAS = localAS; self.description = description
        self.port = port; self.sourceAddress = sourceAddress; self.passive = passive; self.ebgpMultihop = ebgpMultihop
        self.password = password; self.holdTime = holdTime; self.keepaliveTime = keepaliveTime
        self.connectRetryTime = connectRetryTime; self.routeReflectorClient = routeReflectorClient
        self.nextHopSelf = nextHopSelf; self.keepNextHop = keepNextHop; self.allowOwnAS = allowOwnAS
        self.families = families; self.gracefulRestartTime = gracefulRestartTime
        self.importPolicy = importPolicy; self.exportPolicy = exportPolicy; self.shutdown = shutdown
        self.timerChangeResetsSession = timerChangeResetsSession
    }

    /// True when the session is eBGP: the peer's AS differs from the AS we present to it.
    /// - Parameter localAS: the router's own AS (`SpeakerConfig.asn`); a per-peer `localAS` overrides it.
    public func isExternal(localAS: UInt32) -> Bool { remoteAS != (self.localAS ?? localAS) }

    /// The TTL to put on the session's packets.
    public func ttl(localAS: UInt32) -> UInt8 { ebgpMultihop ?? (isExternal(localAS: localAS) ? 1 : 255) }

    /// Whether changing from `self` to `new` needs the session to be torn down and rebuilt: anything that is
    /// part of the TCP connection or the OPEN exchange does; how routes are filtered and rewritten does not.
    /// New timers reset only when `new.timerChangeResetsSession` says so; otherwise the next OPEN carries them.
    public func needsReset(becoming new: PeerConfig) -> Bool {
        let timersChanged = holdTime != new.holdTime || keepaliveTime != new.keepaliveTime
        return address != new.address || remoteAS != new.remoteAS || localAS != new.localAS || port != new.port
            || sourceAddress != new.sourceAddress || ebgpMultihop != new.ebgpMultihop || password != new.password
            || (timersChanged && new.timerChangeResetsSession) || families != new.families
            || gracefulRestartTime != new.gracefulRestartTime || shutdown != new.shutdown
    }
}

/// What `Speaker.updatePeer` tells the runtime to do.
public enum PeerChange: Hashable, Sendable {
    /// Applied to the running session (policies, next-hop-self, reflector client…); nothing to do.
    case inPlace
    /// The runtime must reset the session (or start/stop it, for `shutdown`) so the change takes effect.
    case resetSession
}

/// What the runtime learnt when the session came up; the core needs it to build exports.
public struct NegotiatedSession: Hashable, Sendable {
    /// Our end of the TCP connection: the next hop we advertise (next-hop-self, eBGP).
    public var localAddress: IPAddress
    public var remoteRouterID: IPv4Address
    public var remoteAS: UInt32
    public var fourOctetAS: Bool
    /// Families both sides enabled.
    public var families: Set<AddressFamily>
    /// The peer's graceful-restart capability, if it sent one: decides whether its routes survive a drop.
    public var peerGracefulRestart: GracefulRestart?
    public var routeRefresh: Bool
    /// Our IPv6 next hop for IPv6 routes carried over an IPv4 session.
    public var localIPv6NextHop: IPv6Address?

    public init(localAddress: IPAddress, remoteRouterID: IPv4Address, remoteAS: UInt32, fourOctetAS: Bool = true,
                families: Set<AddressFamily> = [.ipv4Unicast], peerGracefulRestart: GracefulRestart? = nil,
                routeRefresh: Bool = true, localIPv6NextHop: IPv6Address? = nil) {
        self.localAddress = localAddress; self.remoteRouterID = remoteRouterID; self.remoteAS = remoteAS
        self.fourOctetAS = fourOctetAS; self.families = families; self.peerGracefulRestart = peerGracefulRestart
        self.routeRefresh = routeRefresh; self.localIPv6NextHop = localIPv6NextHop
    }
}
