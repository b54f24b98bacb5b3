import BGPWire

/// The BGP session state machine of RFC 4271 §8 for one connection, as a value: feed it events, carry out the
/// actions it returns. It does no I/O and reads no clock, so every transition is testable without sockets.
///
/// Simplifications against §8.2.2: no DelayOpen, no DampPeerOscillations; after any fall to Idle that was not
/// an administrative stop, the IdleHold timer (ConnectRetry seconds) triggers an automatic restart.
public struct SessionFSM: Hashable, Sendable {
    public private(set) var state: SessionState = .idle
    public var parameters: SessionParameters
    /// Set once the peer's OPEN was accepted (OpenConfirm and Established).
    public private(set) var negotiation: Negotiation?
    /// The peer's OPEN, once received.
    public private(set) var peerOpen: Open?
    /// Why the session last went down; kept across restarts for `last-error`.
    public private(set) var lastDownReason: DownReason?
    /// §8.0 ConnectRetryCounter: failed attempts since the last Established or manual stop.
    public private(set) var connectRetryCounter = 0
    /// False after a manual stop: Idle stays Idle until the next `.start`.
    public private(set) var autoRestart = false

    /// The hold time used in OpenSent before the peer's OPEN tells us better (§8.2.2 suggests 4 minutes).
    public static let largeHoldTime: UInt32 = 240

    public init(parameters: SessionParameters) { self.parameters = parameters }

    /// Handles one event and returns the actions to carry out, in order.
    public mutating func handle(_ event: SessionEvent) -> [SessionAction] {
        switch state {
        case .idle: idle(event)
        case .connect: connect(event)
        case .active: active(event)
        case .openSent: openSent(event)
        case .openConfirm: openConfirm(event)
        case .established: established(event)
        }
    }

    // MARK: - §8.2.2 Idle

    private mutating func idle(_ event: SessionEvent) -> [SessionAction] {
        switch event {
        case .start:
            autoRestart = true
            connectRetryCounter = 0
            return begin()
        case .timerExpired(.idleHold):
            // A late IdleHold after a manual stop must not bring the session back.
            return autoRestart ? begin() : []
        case .connected:
            // An accepted connection while waiting for the automatic restart: start passively on it.
            guard autoRestart else { return [.disconnect] }
            state = .active
            return [.stopTimer(.idleHold)] + connectionUp()
        case .stop:
            autoRestart = false
            return [.stopTimer(.idleHold)]
        case .timerExpired, .connectionFailed, .received, .malformed, .collisionDump:
            return []
        }
    }

    /// ManualStart/AutomaticStart: initiate a connection (Connect), or listen only (Active) for a passive peer.
    private mutating func begin() -> [SessionAction] {
        let retry = SessionAction.startTimer(.connectRetry, seconds: UInt32(max(1, parameters.connectRetryTime)))
        if parameters.passive {
            state = .active
            return [.stopTimer(.idleHold)]
        }
        state = .connect
        return [.stopTimer(.idleHold), retry, .connect]
    }

    // MARK: - §8.2.2 Connect

    private mutating func connect(_ event: SessionEvent) -> [SessionAction] {
        switch event {
        case .start: return []
        case .stop(let reason): return stopped(reason, notify: false)
        case .timerExpired(.connectRetry):
            // Give up on this attempt and try again.
            return [.disconnect, .startTimer(.connectRetry, seconds: retrySeconds), .connect]
        case .timerExpired: return []
        case .connected: return connectionUp()
        case .connectionFailed:
            // Keep listening for the peer; retry when the timer fires.
            connectRetryCounter += 1
            state = .active
            return [.disconnect, .startTimer(.connectRetry, seconds: retrySeconds)]
        case .received(.notification(let n)): return fall(.notificationReceived(n))
        case .received, .malformed, .collisionDump: return fsmError()
        }
    }

    // MARK: - §8.2.2 Active

    private mutating func active(_ event: SessionEvent) -> [SessionAction] {
        switch event {
        case .start: return []
        case .stop(let reason): return stopped(reason, notify: false)
        case .timerExpired(.connectRetry):
            guard !parameters.passive else { return [] }
            state = .connect
            return [.startTimer(.connectRetry, seconds: retrySeconds), .connect]
        case .timerExpired: return []
        case .connected: return connectionUp()
        case .connectionFailed:
            connectRetryCounter += 1
            return parameters.passive ? [.disconnect] : [.disconnect, .startTimer(.connectRetry, seconds: retrySeconds)]
        case .received(.notification(let n)): return fall(.notificationReceived(n))
        case .received, .malformed, .collisionDump: return fsmError()
        }
    }

    /// TcpConnectionConfirmed: send OPEN and wait for the peer's with the large hold time.
    private mutating func connectionUp() -> [SessionAction] {
        state = .openSent
        peerOpen = nil
        negotiation = nil
        return [.stopTimer(.connectRetry), .send(.open(parameters.open)), .startTimer(.hold, seconds: Self.largeHoldTime)]
    }

    // MARK: - §8.2.2 OpenSent

    private mutating func openSent(_ event: SessionEvent) -> [SessionAction] {
        switch event {
        case .start: return []
        case .stop(let reason): return stopped(reason, notify: true)
        case .timerExpired(.hold): return holdExpired()
        case .timerExpired: return []
        case .connected: return []
        case .connectionFailed:
            // §8.2.2: close, restart ConnectRetry, back to Active.
            connectRetryCounter += 1
            lastDownReason = .connectionFailed("connection closed in OpenSent")
            state = .active
            var actions: [SessionAction] = [.disconnect, .stopTimer(.hold)]
            if !parameters.passive { actions.append(.startTimer(.connectRetry, seconds: retrySeconds)) }
            return actions
        case .received(.open(let open)):
            peerOpen = open
            switch parameters.negotiate(with: open) {
            case .failure(let notification):
                return fall(.notificationSent(notification), send: notification)
            case .success(let agreed):
                negotiation = agreed
                state = .openConfirm
                var actions: [SessionAction] = [.send(.keepalive)]
                if agreed.holdTime > 0 {
                    actions += [.startTimer(.keepalive, seconds: UInt32(agreed.keepaliveTime)),
                                .startTimer(.hold, seconds: UInt32(agreed.holdTime))]
                } else {
                    actions.append(.stopTimer(.hold))
                }
                return actions
            }
        case .received(.notification(let n)): return fall(.notificationReceived(n))
        case .malformed(let n): return fall(.notificationSent(n), send: n)
        case .collisionDump: return collisionLost()
        case .received: return fsmError(subcode: 1)
        }
    }

    // MARK: - §8.2.2 OpenConfirm

    private mutating func openConfirm(_ event: SessionEvent) -> [SessionAction] {
        switch event {
        case .start, .connected: return []
        case .stop(let reason): return stopped(reason, notify: true)
        case .timerExpired(.hold): return holdExpired()
        case .timerExpired(.keepalive): return keepalive()
        case .timerExpired: return []
        case .connectionFailed(let why): return fall(.connectionFailed(why))
        case .received(.keepalive):
            guard let agreed = negotiation else { return fsmError(subcode: 2) }
            state = .established
            connectRetryCounter = 0
            return restartHold() + [.established(agreed)]
        case .received(.notification(let n)): return fall(.notificationReceived(n))
        case .malformed(let n): return fall(.notificationSent(n), send: n)
        case .collisionDump: return collisionLost()
        case .received: return fsmError(subcode: 2)
        }
    }

    // MARK: - §8.2.2 Established

    private mutating func established(_ event: SessionEvent) -> [SessionAction] {
        switch event {
        case .start, .connected: return []
        case .stop(let reason): return stopped(reason, notify: true)
        case .timerExpired(.hold): return holdExpired()
        case .timerExpired(.keepalive): return keepalive()
        case .timerExpired: return []
        case .connectionFailed(let why): return fall(.connectionFailed(why))
        case .received(.keepalive): return restartHold()
        case .received(.update(let update)): return restartHold() + [.deliverUpdate(update)]   // see `updateHoldRestart`
        case .received(.routeRefresh(let refresh)):
            // Only normal requests ask for a re-send; BoRR/EoRR (RFC 7313) merely mark a peer's refresh.
            return restartHold() + (refresh.subtype == 0 ? [.routeRefreshRequested(refresh.family)] : [])
        case .received(.notification(let n)): return fall(.notificationReceived(n))
        case .malformed(let n): return fall(.notificationSent(n), send: n)
        case .collisionDump: return collisionLost()
        case .received(.open): return fsmError(subcode: 3)
        }
    }

    // MARK: - Shared steps

    private var retrySeconds: UInt32 { UInt32(max(1, parameters.connectRetryTime)) }

    private func restartHold() -> [SessionAction] {
        guard let hold = negotiation?.holdTime, hold > 0 else { return [] }
        return [.startTimer(.hold, seconds: UInt32(hold))]
    }

    /// True in Established, where an UPDATE changes no state: `handle(.received(.update(u)))` is exactly
    /// `[.startTimer(.hold, seconds: holdTime)]` (when `holdTime` is not nil) and `[.deliverUpdate(u)]`. A runtime
    /// may act on that directly for UPDATEs, the bulk of all messages, instead of wrapping each in an event and
    /// an action list (copies of the whole UPDATE at every step).
    public var takesUpdatesDirectly: Bool { state == .established }

    /// The hold time an incoming message restarts (nil: none negotiated).
    public var holdTime: UInt32? {
        guard let hold = negotiation?.holdTime, hold > 0 else { return nil }
        return UInt32(hold)
    }

    private func keepalive() -> [SessionAction] {
        guard let k = negotiation?.keepaliveTime, k > 0 else { return [] }
        return [.send(.keepalive), .startTimer(.keepalive, seconds: UInt32(k))]
    }

    private mutating func holdExpired() -> [SessionAction] {
        fall(.holdTimerExpired, send: Notification(.holdTimerExpired))
    }

    private mutating func collisionLost() -> [SessionAction] {
        let cease = DownReason.collision.ceaseNotification!
        return fall(.collision, send: cease, restart: false)
    }

    /// An event the state does not expect: NOTIFICATION "Finite State Machine Error" (subcodes of RFC 6608).
    private mutating func fsmError(subcode: UInt8 = 0) -> [SessionAction] {
        let n = Notification(.fsm, subcode)
        return fall(.notificationSent(n), send: n)
    }

    /// ManualStop: tell the peer why (once a connection carries BGP), then rest in Idle until started again.
    private mutating func stopped(_ reason: DownReason, notify: Bool) -> [SessionAction] {
        connectRetryCounter = 0
        return fall(reason, send: notify ? reason.ceaseNotification : nil, restart: false)
    }

    /// Every fall back to Idle: optional NOTIFICATION, drop the connection and timers, report a lost session,
    /// and arm the automatic restart unless the stop was administrative.
    private mutating func fall(_ reason: DownReason, send notification: Notification? = nil, restart: Bool = true) -> [SessionAction] {
        let wasEstablished = state == .established
        var actions: [SessionAction] = []
        if let notification { actions.append(.send(.notification(notification))) }
        actions.append(.disconnect)
        actions += SessionTimer.allCases.filter { $0 != .idleHold }.map { .stopTimer($0) }
        if wasEstablished { actions.append(.sessionDown(reason)) }
        if restart && autoRestart && !isAdministrative(reason) {
            connectRetryCounter += wasEstablished ? 0 : 1
            actions.append(.startTimer(.idleHold, seconds: retrySeconds))
        } else {
            autoRestart = autoRestart && restart && !isAdministrative(reason)
        }
        state = .idle
        lastDownReason = reason
        negotiation = nil
        return actions
    }

    private func isAdministrative(_ reason: DownReason) -> Bool {
        switch reason {
        case .adminShutdown, .peerDeconfigured: true
        default: false
        }
    }
}
