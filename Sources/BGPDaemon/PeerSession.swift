#if canImport(Glibc)
import Glibc
#endif
import BGPWire
import BGPSpeaker

/// One configured peer: its session FSM(s), TCP connection(s), counters and last error.
///
/// Each connection runs its own `SessionFSM` (an "attempt"). Normally there is one; when the peer connects to us
/// while our own connection is under way, a second attempt runs until one of them receives an OPEN and RFC 4271
/// §6.8 decides: the connection initiated by the side with the higher BGP Identifier survives.
final class PeerSession {
    /// One connection and the FSM that drives it.
    final class Attempt {
        let id: Int
        var fsm: SessionFSM
        var connection: Connection?
        var timers: [SessionTimer: EventLoop.TimerID] = [:]
        /// When the hold timer really expires: later than its armed timer once messages have restarted it.
        var holdDeadline: Double?
        /// When the armed hold timer fires.
        var holdArmedFor: Double?
        var options = CodecOptions()
        init(id: Int, fsm: SessionFSM) { self.id = id; self.fsm = fsm }
    }

    private(set) var config: PeerConfig
    private unowned let daemon: SpeakerDaemon
    private(set) var primary: Attempt
    private var secondary: Attempt?
    private var nextAttemptID = 1

    private(set) var messagesIn = 0
    private(set) var messagesOut = 0
    /// Monotonic time the session reached Established.
    private(set) var establishedAt: Double?
    private(set) var lastError: String?
    private var staleTimer: EventLoop.TimerID?

    var address: IPAddress { config.address }
    var state: SessionState { primary.fsm.state }
    var isEstablished: Bool { primary.fsm.state == .established }
    var negotiation: Negotiation? { isEstablished ? primary.fsm.negotiation : nil }

    /// TCP ends and negotiated facts of the Established session.
    var sessionDetails: BgpdStatus.Session? {
        guard let negotiation, let connection = primary.connection, let local = connection.localAddress else { return nil }
        return BgpdStatus.Session(localAddress: local.ip, localPort: local.port, remotePort: connection.peer.port, negotiation: negotiation)
    }

    init(config: PeerConfig, daemon: SpeakerDaemon) {
        self.config = config
        self.daemon = daemon
        primary = Attempt(id: 0, fsm: SessionFSM(parameters: Self.parameters(config, daemon.speakerConfig)))
    }

    static func parameters(_ peer: PeerConfig, _ speaker: SpeakerConfig) -> SessionParameters {
        SessionParameters(localAS: peer.localAS ?? speaker.asn, routerID: speaker.routerID, remoteAS: peer.remoteAS,
                          holdTime: peer.holdTime, keepaliveTime: peer.keepaliveTime,
                          connectRetryTime: peer.connectRetryTime, passive: peer.passive, families: peer.families,
                          gracefulRestartTime: peer.gracefulRestartTime)
    }

    // MARK: - Administrative control

    func start() {
        guard !config.shutdown else { return }
        run(primary, .start)
    }

    /// Stops the session, telling the peer why, and drops any racing connection.
    func stop(_ reason: DownReason) {
        if let s = secondary { discard(s, reason: reason) }
        run(primary, .stop(reason))
        cancelStaleTimer()
    }

    /// Drops the connections and timers without telling the peer (daemon exit without notification).
    func abort() {
        for attempt in [primary, secondary].compactMap({ $0 }) {
            for (_, t) in attempt.timers { daemon.loop.cancel(t) }
            attempt.timers = [:]
            attempt.connection?.close()
            attempt.connection = nil
        }
        secondary = nil
        cancelStaleTimer()
    }

    /// Replaces the configuration; with `reset`, tears the session down and starts it again.
    func reconfigure(_ new: PeerConfig, reset: Bool) {
        config = new
        guard reset else {
            // In-place changes (passive, connect-retry…) apply from the FSM's next transition on.
            primary.fsm.parameters = Self.parameters(new, daemon.speakerConfig)
            return
        }
        stop(.configurationChanged)
        primary = Attempt(id: takeAttemptID(), fsm: SessionFSM(parameters: Self.parameters(new, daemon.speakerConfig)))
        start()
    }

    func resetSession() { reconfigure(config, reset: true) }

    // MARK: - Incoming connections

    /// A connection from this peer's address arrived on the listener.
    func accept(fd: Int32, from peer: SocketAddress) {
        if primary.fsm.state == .established, primary.fsm.negotiation?.peerGracefulRestart != nil {
            // RFC 4724 §4.2: a new connection from a graceful-restart peer means its old session is gone; keep its
            // routes as stale and take the new connection.
            daemon.log.info("peer \(address): new connection while Established: the peer restarted")
            run(primary, .connectionFailed("peer restarted (new connection, graceful restart)"))
        }
        if config.shutdown || (primary.fsm.state == .idle && !primary.fsm.autoRestart) || primary.fsm.state == .established {
            daemon.log.info("peer \(address): refused connection from \(peer) in \(primary.fsm.state)")
            close(fd)
            return
        }
        try? TCPSocket.setTTL(fd, family: TCPSocket.family(of: fd), ttl: config.ttl(localAS: daemon.speakerConfig.asn))
        let connection = Connection(fd: fd, direction: .incoming, peer: peer, loop: daemon.loop, connecting: false)
        connection.delegate = self
        if primary.connection == nil && (primary.fsm.state == .idle || primary.fsm.state == .active) {
            primary.connection = connection
            run(primary, .connected)
        } else {
            // Our own connection is in progress: race a second FSM on this one (§6.8).
            if let old = secondary { discard(old, reason: .collision) }
            var parameters = primary.fsm.parameters
            parameters.passive = true
            let attempt = Attempt(id: takeAttemptID(), fsm: SessionFSM(parameters: parameters))
            attempt.connection = connection
            secondary = attempt
            run(attempt, .start)
            run(attempt, .connected)
        }
    }

    // MARK: - FSM driving

    private func run(_ attempt: Attempt, _ event: SessionEvent) {
        let before = attempt.fsm.state
        let actions = attempt.fsm.handle(event)
        for action in actions { perform(action, on: attempt) }
        let after = attempt.fsm.state
        if before != after {
            daemon.log.info("peer \(address): \(before) -> \(after)\(attempt === primary ? "" : " (second connection)")")
            if after == .idle, attempt === primary, let reason = attempt.fsm.lastDownReason {
                lastError = reason.description
            }
            if after == .openConfirm { resolveCollision(winnerCandidate: attempt) }
        }
        if attempt !== primary, attempt.fsm.state == .idle, secondary === attempt { discard(attempt, reason: nil) }
    }

    private func perform(_ action: SessionAction, on attempt: Attempt) {
        switch action {
        case .connect:
            openOutgoing(on: attempt)
        case .send(let message):
            guard let connection = attempt.connection else { return }
            connection.send(message.encode(options: attempt.options))
            messagesOut += 1
        case .disconnect:
            attempt.connection?.closeAfterFlush()
            attempt.connection = nil
        case .startTimer(let timer, let seconds):
            if timer == .hold {
                let deadline = EventLoop.now() + Double(seconds)
                attempt.holdDeadline = deadline
                // Restarted by every message: moving the deadline later is enough, the armed timer re-arms itself
                // for the rest (a cancel and a new timer per UPDATE left a dead entry in the loop's heap each
                // time). An earlier deadline (OpenSent's 4 minutes giving way to the negotiated time) re-arms.
                if attempt.timers[.hold] != nil, let armed = attempt.holdArmedFor, armed <= deadline { return }
            }
            if let old = attempt.timers[timer] { daemon.loop.cancel(old) }
            arm(timer, on: attempt, after: Double(seconds))
        case .stopTimer(let timer):
            if timer == .hold { attempt.holdDeadline = nil }
            if let old = attempt.timers.removeValue(forKey: timer) { daemon.loop.cancel(old) }
        case .established(let negotiation):
            pendingBatches = []; pendingIndex = 0
            attempt.options = negotiation.codecOptions
            establishedAt = EventLoop.now()
            cancelStaleTimer()
            let local = attempt.connection?.localAddress?.ip ?? config.sourceAddress ?? .v4(.zero)
            daemon.sessionEstablished(self, negotiation: negotiation, localAddress: local)
        case .deliverUpdate(let update):
            daemon.received(update, from: self)
        case .routeRefreshRequested(let family):
            daemon.routeRefreshRequested(family, by: self)
        case .sessionDown(let reason):
            establishedAt = nil
            pendingBatches = []; pendingIndex = 0
            attempt.options = CodecOptions()
            daemon.sessionDown(self, reason: reason)
            if let restart = attempt.fsm.peerOpen?.gracefulRestart?.restartTime, config.gracefulRestartTime != nil {
                // The peer's routes stay as stale for its restart time, then go (RFC 4724 §4.2).
                staleTimer = daemon.loop.schedule(after: Double(max(restart, 1))) { [weak self] in
                    guard let self else { return }
                    self.staleTimer = nil
                    self.daemon.expireStale(self)
                }
            }
        }
    }

    private func arm(_ timer: SessionTimer, on attempt: Attempt, after seconds: Double) {
        if timer == .hold { attempt.holdArmedFor = EventLoop.now() + seconds }
        attempt.timers[timer] = daemon.loop.schedule(after: seconds) { [weak self, weak attempt] in
            guard let self, let attempt else { return }
            attempt.timers[timer] = nil
            if timer == .hold, let deadline = attempt.holdDeadline {
                let left = deadline - EventLoop.now()
                if left > 0 { self.arm(.hold, on: attempt, after: left); return }
            }
            self.run(attempt, .timerExpired(timer))
        }
    }

    private func openOutgoing(on attempt: Attempt) {
        attempt.connection?.close()
        attempt.connection = nil
        let peer = SocketAddress(config.address, port: config.port)
        do {
            let fd = try TCPSocket.connect(to: peer, from: config.sourceAddress, ttl: config.ttl(localAS: daemon.speakerConfig.asn),
                                           md5Password: config.password)
            let connection = Connection(fd: fd, direction: .outgoing, peer: peer, loop: daemon.loop, connecting: true)
            connection.delegate = self
            attempt.connection = connection
        } catch {
            // Report on the next turn of the loop so the FSM finishes the current transition first.
            let why = "\(error)"
            daemon.loop.schedule(after: 0) { [weak self, weak attempt] in
                guard let self, let attempt, attempt.connection == nil else { return }
                self.run(attempt, .connectionFailed(why))
            }
        }
    }

    /// RFC 4271 §6.8: with two connections to the same peer, keep the one initiated by the higher BGP Identifier.
    private func resolveCollision(winnerCandidate attempt: Attempt) {
        guard let other = attempt === primary ? secondary : primary, other !== attempt,
              let remoteID = attempt.fsm.negotiation?.remoteRouterID else { return }
        let loser: Attempt
        switch other.fsm.state {
        case .established:
            loser = attempt  // never replace a working session
        case .idle, .connect, .active:
            loser = other  // the other has no BGP connection: this one wins outright
        case .openSent, .openConfirm:
            let keepOutgoing = daemon.speakerConfig.routerID > remoteID
            let mineOutgoing = attempt.connection?.direction == .outgoing
            loser = (mineOutgoing == keepOutgoing) ? other : attempt
        }
        daemon.log.info("peer \(address): connection collision, closing the \(loser.connection?.direction.rawValue ?? "pending") connection")
        if loser === primary, let winner = secondary {
            // Promote the survivor; the loser's FSM sends Cease/7 and is forgotten.
            secondary = nil
            let old = primary
            winner.fsm.parameters.passive = config.passive
            primary = winner
            discard(old, reason: .collision)
        } else {
            discard(loser, reason: .collision)
        }
    }

    /// Ends an attempt that is not (or no longer) the primary: Cease/7 when it spoke BGP, then close.
    private func discard(_ attempt: Attempt, reason: DownReason?) {
        if secondary === attempt { secondary = nil }
        if reason != nil, attempt.fsm.state != .idle {
            let actions = attempt.fsm.handle(.collisionDump)
            for a in actions {
                switch a {
                case .send, .disconnect: perform(a, on: attempt)
                default: break
                }
            }
        }
        for (_, t) in attempt.timers { daemon.loop.cancel(t) }
        attempt.timers = [:]
        attempt.connection?.closeAfterFlush()
        attempt.connection = nil
    }

    private func takeAttemptID() -> Int { defer { nextAttemptID += 1 }; return nextAttemptID }

    private func cancelStaleTimer() {
        if let t = staleTimer { daemon.loop.cancel(t); staleTimer = nil }
    }

    private func attempt(for connection: Connection) -> Attempt? {
        if primary.connection === connection { return primary }
        if let s = secondary, s.connection === connection { return s }
        return nil
    }

    // MARK: - Outbound

    /// Encodes and sends the speaker's queued changes for this peer while the socket keeps up. Batches taken from
    /// the speaker but not yet encoded wait here, so a slow peer costs compact batches, not encoded bytes.
    func pumpOutbound() {
        guard isEstablished, let connection = primary.connection else { return }
        let options = primary.options
        while !connection.isBackedUp && !connection.isClosed {
            if pendingBatches.isEmpty {
                pendingBatches = daemon.speaker.takeOutbound(for: address)
                pendingIndex = 0
                if pendingBatches.isEmpty { return }
            }
            let batch = pendingBatches[pendingIndex]
            pendingIndex += 1
            if pendingIndex == pendingBatches.count { pendingBatches = []; pendingIndex = 0 }
            if !batch.announce.isEmpty || !batch.withdraw.isEmpty {
                let messages = UpdatePacker.updates(attributes: batch.attributes, nextHop: batch.nextHop,
                                                    announce: batch.announce, withdraw: batch.withdraw, options: options)
                for m in messages { connection.send(m) }
                messagesOut += messages.count
            }
            if let family = batch.endOfRIB {
                connection.send(UpdatePacker.endOfRIB(family))
                messagesOut += 1
            }
        }
    }

    /// Outbound batches already taken from the speaker, not yet sent (`pendingIndex` is the next one).
    private var pendingBatches: [OutboundBatch] = []
    private var pendingIndex = 0
}

extension PeerSession: ConnectionDelegate {
    func connectionEstablished(_ connection: Connection) {
        guard let attempt = attempt(for: connection) else { connection.close(); return }
        run(attempt, .connected)
    }

    func connection(_ connection: Connection, received message: ArraySlice<UInt8>) {
        guard let attempt = attempt(for: connection) else { return }
        messagesIn += 1
        do {
            let decoded = try BGPMessage.decode(message, options: attempt.options)
            guard attempt.fsm.takesUpdatesDirectly, case .update = decoded else { return run(attempt, .received(decoded)) }
            // What the FSM would do for it, without the event and action list (see `takesUpdatesDirectly`); the
            // UPDATE is moved out of the message, not copied.
            if let hold = attempt.fsm.holdTime { perform(.startTimer(.hold, seconds: hold), on: attempt) }
            if case .update(let update) = consume decoded { daemon.received(update, from: self) }
        } catch {
            if error.isIgnorableRouteRefresh { return }
            daemon.log.info("peer \(address): malformed message: \(error) (\(error.code)/\(error.subcode))")
            run(attempt, .malformed(error))
        }
    }

    func connection(_ connection: Connection, framingFailed notification: Notification) {
        guard let attempt = attempt(for: connection) else { return }
        run(attempt, .malformed(notification))
    }

    func connection(_ connection: Connection, failed reason: String) {
        guard let attempt = attempt(for: connection) else { return }
        attempt.connection = nil
        run(attempt, .connectionFailed(reason))
    }

    func connectionDrained(_ connection: Connection) {
        if connection === primary.connection { pumpOutbound() }
    }
}
