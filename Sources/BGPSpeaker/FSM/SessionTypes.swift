import BGPWire

/// The six session states of RFC 4271 §8.2.2, spelled as `status` and vendor displays print them.
public enum SessionState: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case idle = "Idle", connect = "Connect", active = "Active"
    case openSent = "OpenSent", openConfirm = "OpenConfirm", established = "Established"
    public var description: String { rawValue }
}

/// The session timers (RFC 4271 §10). `idleHold` paces the automatic restart after a session fell to Idle
/// (the "IdleHoldTimer" of §8.1.1, used instead of a busy reconnect loop).
public enum SessionTimer: Hashable, Sendable, CaseIterable {
    case connectRetry, hold, keepalive, idleHold
}

/// Why a session left the states above Idle; the runtime keeps the last one as `last-error`.
public enum DownReason: Hashable, Sendable, CustomStringConvertible {
    case holdTimerExpired
    /// The peer sent this NOTIFICATION.
    case notificationReceived(Notification)
    /// We sent this NOTIFICATION (malformed message, OPEN refused, FSM error).
    case notificationSent(Notification)
    /// The TCP connection failed or was closed by the peer.
    case connectionFailed(String)
    case adminShutdown
    case peerDeconfigured
    /// A configuration change that needs a new session (RFC 4486 Cease/6).
    case configurationChanged
    /// This connection lost the RFC 4271 §6.8 collision resolution.
    case collision

    /// The Cease NOTIFICATION an administrative stop sends, if any.
    var ceaseNotification: Notification? {
        switch self {
        case .adminShutdown: Notification(.cease, Notification.CeaseSubcode.administrativeShutdown.rawValue)
        case .peerDeconfigured: Notification(.cease, Notification.CeaseSubcode.peerDeconfigured.rawValue)
        case .configurationChanged: Notification(.cease, Notification.CeaseSubcode.otherConfigurationChange.rawValue)
        case .collision: Notification(.cease, Notification.CeaseSubcode.connectionCollisionResolution.rawValue)
        case .holdTimerExpired, .notificationReceived, .notificationSent, .connectionFailed: nil
        }
    }

    public var description: String {
        switch self {
        case .holdTimerExpired: "Hold timer expired"
        case .notificationReceived(let n): "Notification received: \(n) (\(n.code)/\(n.subcode))"
        case .notificationSent(let n): "Notification sent: \(n) (\(n.code)/\(n.subcode))"
        case .connectionFailed(let why): "Connection failed: \(why)"
        case .adminShutdown: "Administrative shutdown"
        case .peerDeconfigured: "Peer de-configured"
        case .configurationChanged: "Configuration changed"
        case .collision: "Connection collision resolution"
        }
    }
}

/// Inputs to the session FSM: the RFC 4271 §8.1 events the runtime observes.
public enum SessionEvent: Hashable, Sendable {
    /// ManualStart / AutomaticStart (events 1, 3; passive variants 4, 5 when the peer is passive).
    case start
    /// ManualStop (event 2) with the reason given to the peer in a Cease.
    case stop(DownReason)
    /// ConnectRetryTimer_Expires, HoldTimer_Expires, KeepaliveTimer_Expires, IdleHoldTimer_Expires (9–11, 13).
    case timerExpired(SessionTimer)
    /// Tcp_CR_Acked / TcpConnectionConfirmed (events 16, 17).
    case connected
    /// TcpConnectionFails (event 18).
    case connectionFailed(String)
    /// A well-formed message (events 19, 25, 26, 27 and ROUTE-REFRESH).
    case received(BGPMessage)
    /// BGPHeaderErr, BGPOpenMsgErr, UpdateMsgErr (events 21, 22, 28): the decoder's NOTIFICATION to send.
    case malformed(Notification)
    /// OpenCollisionDump (event 23): this connection lost the collision resolution.
    case collisionDump
}

/// Outputs of the session FSM; the runtime carries them out in order.
public enum SessionAction: Hashable, Sendable {
    /// Initiate the outgoing TCP connection.
    case connect
    case send(BGPMessage)
    /// Drop the TCP connection (after sending what was queued).
    case disconnect
    case startTimer(SessionTimer, seconds: UInt32)
    case stopTimer(SessionTimer)
    /// The session reached Established with these negotiated facts.
    case established(Negotiation)
    /// An UPDATE arrived in Established; hand it to the speaker.
    case deliverUpdate(Update)
    /// A ROUTE-REFRESH arrived in Established.
    case routeRefreshRequested(AddressFamily)
    /// The session left Established (routes from the peer must be withdrawn or marked stale).
    case sessionDown(DownReason)
}

/// What a peer's OPEN must agree with when it is not a plain mismatch of AS or hold time.
public enum CapabilityPolicy: Hashable, Sendable {
    /// Establish whatever the families intersection is (FRR/BIRD default).
    case lenient
    /// Refuse with OPEN Message Error/Unsupported Capability when no configured family is shared.
    case requireCommonFamily
}

/// The local side of one session, fixed for the session's lifetime.
public struct SessionParameters: Hashable, Sendable {
    public var localAS: UInt32
    public var routerID: IPv4Address
    /// The AS the peer must claim in its OPEN.
    public var remoteAS: UInt32
    public var holdTime: UInt16
    /// 0 = hold time / 3.
    public var keepaliveTime: UInt16
    public var connectRetryTime: UInt16
    /// Never initiate a connection; wait for the peer.
    public var passive: Bool
    public var families: Set<AddressFamily>
    /// Advertise graceful restart with this restart time (RFC 4724), nil = not at all.
    public var gracefulRestartTime: UInt16?
    public var capabilityPolicy: CapabilityPolicy

    public init(localAS: UInt32, routerID: IPv4Address, remoteAS: UInt32, holdTime: UInt16 = 90, keepaliveTime: UInt16 = 30,
                connectRetryTime: UInt16 = 5, passive: Bool = false, families: Set<AddressFamily> = [.ipv4Unicast],
                gracefulRestartTime: UInt16? = nil, capabilityPolicy: CapabilityPolicy = .lenient) {
        self.localAS = localAS; self.routerID = routerID; self.remoteAS = remoteAS; self.holdTime = holdTime
        self.keepaliveTime = keepaliveTime; self.connectRetryTime = connectRetryTime; self.passive = passive
        self.families = families; self.gracefulRestartTime = gracefulRestartTime; self.capabilityPolicy = capabilityPolicy
    }

    public var isInternal: Bool { localAS == remoteAS }

    /// The OPEN this side sends: its families, route refresh, 4-octet AS and, when configured, graceful restart.
    public var open: Open {
        var caps: [Capability] = families.sorted { ($0.afi.rawValue, $0.safi.rawValue) < ($1.afi.rawValue, $1.safi.rawValue) }
            .map { .multiprotocol($0) }
        caps.append(.routeRefresh)
        caps.append(.fourOctetAS(localAS))
        if let restart = gracefulRestartTime {
            let fams = caps.compactMap { cap -> GracefulRestart.Family? in
                if case .multiprotocol(let f) = cap { return GracefulRestart.Family(family: f, forwardingStatePreserved: false) }
                return nil
            }
            caps.append(.gracefulRestart(GracefulRestart(restarting: false, restartTime: min(restart, 4095), families: fams)))
        }
        return Open(asn: localAS, holdTime: holdTime, bgpIdentifier: routerID, capabilities: caps)
    }
}

/// What both OPENs agreed on (RFC 4271 §4.2, RFC 5492, RFC 6793, RFC 4760, RFC 4724, RFC 2918).
public struct Negotiation: Hashable, Sendable {
    /// min(local, remote); 0 = no hold timer and no keepalives.
    public var holdTime: UInt16
    public var keepaliveTime: UInt16
    /// The hold time the peer's OPEN proposed (the vendors' `Received  : Active Hold Time` line).
    public var peerHoldTime: UInt16
    public var remoteAS: UInt32
    public var remoteRouterID: IPv4Address
    public var fourOctetAS: Bool
    /// The families both sides advertised (IPv4 unicast when neither sent a multiprotocol capability).
    public var families: Set<AddressFamily>
    /// The peer's graceful restart capability, when both sides advertised one.
    public var peerGracefulRestart: GracefulRestart?
    public var routeRefresh: Bool

    public init(holdTime: UInt16, keepaliveTime: UInt16, remoteAS: UInt32, remoteRouterID: IPv4Address, fourOctetAS: Bool,
                families: Set<AddressFamily>, peerGracefulRestart: GracefulRestart?, routeRefresh: Bool,
                peerHoldTime: UInt16? = nil) {
        self.holdTime = holdTime; self.keepaliveTime = keepaliveTime; self.remoteAS = remoteAS
        self.peerHoldTime = peerHoldTime ?? holdTime
        self.remoteRouterID = remoteRouterID; self.fourOctetAS = fourOctetAS; self.families = families
        self.peerGracefulRestart = peerGracefulRestart; self.routeRefresh = routeRefresh
    }

    /// How messages on this session are encoded.
    public var codecOptions: CodecOptions { CodecOptions(fourOctetAS: fourOctetAS) }
}
