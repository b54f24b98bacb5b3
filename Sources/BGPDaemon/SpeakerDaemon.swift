#if canImport(Glibc)
import Glibc
#endif
import BGPWire
import BGPSpeaker
import Kernel

/// The running speaker: owns one `Speaker`, its event loop thread, the listening sockets and one `PeerSession`
/// per configured peer. Public methods are safe from any thread; they run their work on the loop thread.
public final class SpeakerDaemon: @unchecked Sendable {
    public let loop: EventLoop
    let speaker: Speaker
    let log: Logger
    private(set) var config: BgpdConfig
    private var sessions: [IPAddress: PeerSession] = [:]
    private var listeners: [(fd: Int32, family: Int32)] = []
    private var processScheduled = false
    /// Where best routes go; nil = not installed.
    private var fib: FIB?
    private var fibInstalled: Set<Prefix> = []
    private var redistributed: [Prefix: OriginSource] = [:]
    private var kernelTimer: EventLoop.TimerID?
    private let routeSource: KernelRouteSource?
    private let namespace: NetworkNamespace?
    private var nextHopTable: NextHopTable?
    /// Kernel route/address notifications that trigger a re-read of the table (nil with a stand-in source).
    private var routeMonitor: RouteMonitor?
    private var refreshPending = false
    private var started = false

    var speakerConfig: SpeakerConfig { speaker.config }

    /// - Parameters:
    ///   - fib: where to install best routes when `config.installRoutes` is set (default: the namespace's kernel
    ///     table over rtnetlink).
    ///   - routeSource: the namespace's routes, for `redistribute` and next-hop resolution (default: the kernel's
    ///     over rtnetlink when routes are installed or redistributed; otherwise every next hop is reachable).
    ///   - namespace: run in this network namespace (sockets, FIB, loop thread); nil = the calling thread's.
    public init(config: BgpdConfig, log: Logger = .standardError, fib: FIB? = nil, routeSource: KernelRouteSource? = nil,
                namespace: NetworkNamespace? = nil) throws {
        self.config = config
        self.log = log
        self.namespace = namespace
        self.loop = try EventLoop()
        self.speaker = Speaker(config: config.speaker)
        // Paths are stamped with monotonic seconds, so route ages and `Last update` read from the same clock.
        self.speaker.clock = { UInt32(truncatingIfNeeded: Int64(EventLoop.now())) }
        let needsKernel = config.installRoutes || !config.redistribute.isEmpty
        self.routeSource = try routeSource ?? (needsKernel ? NetlinkRoutes(namespace: namespace) : nil)
        self.fib = try config.installRoutes ? (fib ?? NetlinkFIB(namespace: namespace)) : nil
        // Without a FIB nobody reads the speaker's FIB change list: not keeping it saves work per route.
        self.speaker.recordsFIBChanges = self.fib != nil
        if self.routeSource is NetlinkRoutes {
            do {
                routeMonitor = try RouteMonitor(namespace: namespace, groups: [.routes, .ipv4Addresses, .ipv6Addresses])
            } catch {
                log.error("route monitor: \(error); re-reading the routing table every 30 s instead")
            }
        }
    }

    // MARK: - Lifecycle

    /// Opens the listener (throwing when the address or port cannot be bound), then starts the loop thread and
    /// every peer.
    public func start() throws {
        precondition(!started, "start() called twice")
        if let port = config.listenPort {
            if let namespace { try namespace.run { try openListener(config.listenAddress, port: port) } } else {
                try openListener(config.listenAddress, port: port)
            }
        }
        if let kernelFIB = fib as? NetlinkFIB {
            do { try kernelFIB.flushAll() } catch { log.error("flushing old bgp routes: \(error)") }
        }
        started = true
        if let namespace {
            loop.start(name: "bgpd-\(namespace.name)") { body in
                do { try namespace.run(body) } catch { self.log.error("cannot enter namespace \(namespace.name): \(error)") }
            }
        } else {
            loop.start()
        }
        loop.submit { [self] in
            for network in config.networks { speaker.originate(network.prefix, source: network.source) }
            for peer in config.peers { addSession(peer) }
            startRouteMonitor()
            refreshKernelView()
            needProcess()
        }
    }

    private func startRouteMonitor() {
        guard let monitor = routeMonitor else { return }
        loop.register(monitor.descriptor, events: Int16(POLLIN)) { [weak self] _ in
            guard let self else { return }
            _ = try? monitor.events(timeout: 0)
            // Coalesce a burst of notifications (our own FIB writes included) into one re-read.
            guard !self.refreshPending else { return }
            self.refreshPending = true
            self.loop.schedule(after: 0.2) { [weak self] in
                self?.refreshPending = false
                self?.refreshKernelView()
            }
        }
    }

    /// Stops every session with Cease/Administrative Shutdown, flushes the routes it installed, stops the loop.
    /// - Parameter notify: false drops the TCP connections without a NOTIFICATION, as a crash or a graceful
    ///   restart would (peers that negotiated graceful restart keep our routes as stale).
    public func shutdown(notify: Bool = true) {
        guard started else { return }
        loop.sync { [self] in
            if let monitor = routeMonitor { loop.unregister(monitor.descriptor); routeMonitor = nil }
            if let t = kernelTimer { loop.cancel(t); kernelTimer = nil }
            for s in sessions.values { if notify { s.stop(.adminShutdown) } else { s.abort() } }
            sessions.removeAll()
            if let fib { for p in fibInstalled { try? fib.remove(p) } }
            fibInstalled.removeAll()
            for l in listeners { loop.unregister(l.fd); close(l.fd) }
            listeners.removeAll()
        }
        loop.stop()
        started = false
    }

    /// The configuration in force (after reloads and live changes).
    public var configuration: BgpdConfig { loop.sync { [self] in config } }

    /// Runs `body` with the speaker on the loop thread (for queries by the vendor consoles and tests).
    public func withSpeaker<T>(_ body: @escaping (Speaker) -> T) -> T { loop.sync { [self] in body(speaker) } }

    /// Defines, replaces or (nil) deletes route policies. Peers using one re-run import or export, and what
    /// changed is decided and sent at once, not at the next UPDATE.
    public func setPolicies(_ policies: [String: RoutePolicy?]) {
        loop.sync { [self] in
            for (name, policy) in policies { speaker.setPolicy(name, policy) }
            needProcess()
        }
    }

    // MARK: - Live configuration

    /// Adds a peer and starts its session.
    public func addPeer(_ peer: PeerConfig) throws {
        try loop.sync { [self] () -> Result<Void, BgpdError> in
            guard sessions[peer.address] == nil else { return .failure(BgpdError("peer \(peer.address) already exists")) }
            config.peers.append(peer)
            addSession(peer)
            return .success(())
        }.get()
    }

    /// Stops a peer's session with Cease/Peer De-configured and forgets it.
    public func removePeer(_ address: IPAddress) throws {
        try loop.sync { [self] () -> Result<Void, BgpdError> in
            guard sessions[address] != nil else { return .failure(BgpdError("no peer \(address)")) }
            config.peers.removeAll { $0.address == address }
            removeSession(address, reason: .peerDeconfigured)
            return .success(())
        }.get()
    }

    /// Originates a network (or a blackhole) as a `networks:` entry would.
    public func originate(_ network: BgpdConfig.Network) {
        loop.sync { [self] in
            config.networks.removeAll { $0.prefix == network.prefix }
            config.networks.append(network)
            speaker.withdrawOrigin(network.prefix, source: network.blackhole ? .network : .blackhole)
            speaker.originate(network.prefix, source: network.source)
            needProcess()
        }
    }

    /// Withdraws a network originated by configuration or `originate`.
    public func withdraw(_ prefix: Prefix) throws {
        try loop.sync { [self] () -> Result<Void, BgpdError> in
            guard let network = config.networks.first(where: { $0.prefix == prefix }) else {
                return .failure(BgpdError("\(prefix) is not an originated network"))
            }
            config.networks.removeAll { $0.prefix == prefix }
            speaker.withdrawOrigin(prefix, source: network.source)
            needProcess()
            return .success(())
        }.get()
    }

    /// Applies a new configuration as a diff: added, removed and changed peers, networks and global settings.
    /// Only changes that need it reset sessions. Listener and control-socket changes need a restart.
    @discardableResult
    public func reload(_ new: BgpdConfig) -> ReloadSummary {
        loop.sync { [self] in applyDiff(new) }
    }

    private func applyDiff(_ new: BgpdConfig) -> ReloadSummary {
        var summary = ReloadSummary()
        let old = config
        config = new
        // A new ASN or router ID changes every OPEN: all sessions restart once, after the per-peer changes.
        let identityChanged = new.speaker.asn != old.speaker.asn || new.speaker.routerID != old.speaker.routerID
        if new.speaker != old.speaker { speaker.config = new.speaker }
        let oldPeers = Dictionary(old.peers.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        let newPeers = Dictionary(new.peers.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        for address in oldPeers.keys where newPeers[address] == nil {
            removeSession(address, reason: .peerDeconfigured)
            summary.removed.append(address)
        }
        for peer in new.peers {
            guard let before = oldPeers[peer.address] else {
                addSession(peer)
                summary.added.append(peer.address)
                continue
            }
            guard before != peer, let session = sessions[peer.address] else { continue }
            let change = speaker.updatePeer(peer)
            updateMD5(for: peer, removing: before)
            if peer.shutdown != before.shutdown {
                session.reconfigure(peer, reset: false)
                if peer.shutdown { session.stop(.adminShutdown) } else { session.resetSession() }
                summary.reset.append(peer.address)
            } else if change == .resetSession && !identityChanged {
                session.reconfigure(peer, reset: true)
                summary.reset.append(peer.address)
            } else {
                session.reconfigure(peer, reset: false)
                summary.changed.append(peer.address)
            }
        }
        if identityChanged {
            for (address, s) in sessions where !summary.added.contains(address) {
                s.resetSession()
                if !summary.reset.contains(address) { summary.reset.append(address) }
            }
            summary.changed.removeAll { summary.reset.contains($0) }
        }
        let oldNets = Set(old.networks), newNets = Set(new.networks)
        for n in oldNets.subtracting(newNets) { speaker.withdrawOrigin(n.prefix, source: n.source); summary.networksWithdrawn.append(n.prefix) }
        for n in newNets.subtracting(oldNets) { speaker.originate(n.prefix, source: n.source); summary.networksOriginated.append(n.prefix) }
        if new.redistribute != old.redistribute { refreshKernelView() }
        if new.listenPort != old.listenPort || new.listenAddress != old.listenAddress { summary.needsRestart.append("listen") }
        if new.controlSocket != old.controlSocket { summary.needsRestart.append("control-socket") }
        if new.installRoutes != old.installRoutes { summary.needsRestart.append("install-routes") }
        if new.logPath != old.logPath { summary.needsRestart.append("log") }
        needProcess()
        log.info("reload: \(summary)")
        return summary
    }

    // MARK: - Sessions

    private func addSession(_ peer: PeerConfig) {
        speaker.addPeer(peer)
        let session = PeerSession(config: peer, daemon: self)
        sessions[peer.address] = session
        updateMD5(for: peer, removing: nil)
        session.start()
    }

    private func removeSession(_ address: IPAddress, reason: DownReason) {
        guard let session = sessions.removeValue(forKey: address) else { return }
        session.stop(reason)
        if session.config.password != nil {
            for l in listeners { try? TCPSocket.setMD5(l.fd, family: l.family, peer: address, password: "") }
        }
        speaker.removePeer(address)
        needProcess()
    }

    func sessionEstablished(_ session: PeerSession, negotiation: Negotiation, localAddress: IPAddress) {
        log.info("peer \(session.address): established, hold \(negotiation.holdTime)s, families \(negotiation.families.map(\.description).sorted())")
        speaker.sessionEstablished(session.address, NegotiatedSession(
            localAddress: localAddress, remoteRouterID: negotiation.remoteRouterID, remoteAS: negotiation.remoteAS,
            fourOctetAS: negotiation.fourOctetAS, families: negotiation.families,
            peerGracefulRestart: negotiation.peerGracefulRestart, routeRefresh: negotiation.routeRefresh,
            localIPv6NextHop: negotiation.families.contains(.ipv6Unicast) ? ipv6NextHop(besides: localAddress) : nil))
        needProcess()
    }

    /// For IPv6 routes over an IPv4 session: a global IPv6 address on the interface that holds `local`.
    private func ipv6NextHop(besides local: IPAddress) -> IPv6Address? {
        guard case .v4(let v4) = local else { return nil }
        do {
            let addresses = try NetlinkSocket.open(in: nil).addresses()
            let mine = KernelAddress.inet(.v4(v4))
            guard let link = addresses.first(where: { $0.address == mine })?.linkIndex else { return nil }
            let candidates = addresses.filter { $0.linkIndex == link && $0.address.isIPv6 && !$0.address.isIPv6LinkLocal && $0.scope == 0 }
            return candidates.first.flatMap { KernelAddress.ip($0.address)?.ipv6 }
        } catch {
            log.error("looking up an IPv6 next hop beside \(local): \(error)")
            return nil
        }
    }

    func sessionDown(_ session: PeerSession, reason: DownReason) {
        log.info("peer \(session.address): session down: \(reason)")
        speaker.sessionDown(session.address)
        needProcess()
    }

    func received(_ update: Update, from session: PeerSession) {
        if let why = update.treatAsWithdraw { log.info("peer \(session.address): UPDATE treated as withdraw: \(why)") }
        speaker.received(update, from: session.address)
        needProcess()
    }

    func routeRefreshRequested(_ family: AddressFamily, by session: PeerSession) {
        speaker.routeRefreshRequested(by: session.address, family: family)
        needProcess()
    }

    func expireStale(_ session: PeerSession) {
        speaker.expireStale(session.address)
        needProcess()
    }

    /// Runs the decision process once after the current batch of input (all descriptors of this poll round).
    func needProcess() {
        guard !processScheduled else { return }
        processScheduled = true
        loop.schedule(after: 0) { [weak self] in
            guard let self else { return }
            self.processScheduled = false
            self.speaker.process()
            for address in self.speaker.peersWithOutbound { self.sessions[address]?.pumpOutbound() }
            self.syncFIB()
        }
    }

    // MARK: - Listening

    private func openListener(_ address: IPAddress, port: UInt16) throws {
        let fd: Int32
        do {
            fd = try TCPSocket.listen(on: address, port: port)
        } catch let error as SystemError where address == .v6(.zero) && error.code == EAFNOSUPPORT {
            fd = try TCPSocket.listen(on: .v4(.zero), port: port)
        } catch {
            throw BgpdError("cannot listen on \(SocketAddress(address, port: port)): \(error)")
        }
        let family = TCPSocket.family(of: fd)
        listeners.append((fd, family))
        for peer in config.peers { updateMD5(for: peer, removing: nil) }
        loop.register(fd, events: Int16(POLLIN)) { [weak self] _ in self?.acceptAll(fd) }
    }

    private func acceptAll(_ listener: Int32) {
        while let (fd, peer) = TCPSocket.accept(listener) {
            guard let session = sessions[peer.ip] else {
                log.info("refused connection from unconfigured \(peer)")
                close(fd)
                continue
            }
            session.accept(fd: fd, from: peer)
        }
    }

    /// Keeps the listeners' TCP MD5 keys in step with the peers' passwords.
    private func updateMD5(for peer: PeerConfig, removing old: PeerConfig?) {
        for l in listeners {
            if l.family == AF_INET && peer.address.family == .ipv6 { continue }
            if let old, old.password != nil, peer.password == nil {
                try? TCPSocket.setMD5(l.fd, family: l.family, peer: peer.address, password: "")
            }
            if let password = peer.password {
                do { try TCPSocket.setMD5(l.fd, family: l.family, peer: peer.address, password: password) } catch {
                    log.error("peer \(peer.address): \(error)")
                }
            }
        }
    }

    // MARK: - FIB and redistribution

    private func syncFIB() {
        let changes = speaker.takeFIBChanges()
        guard let fib, !changes.isEmpty else { return }
        for change in changes {
            do {
                switch change {
                case .install(let prefix, let nextHops):
                    try fib.install(prefix, nextHops: nextHops); fibInstalled.insert(prefix)
                case .blackhole(let prefix):
                    try fib.blackhole(prefix); fibInstalled.insert(prefix)
                case .remove(let prefix):
                    try fib.remove(prefix); fibInstalled.remove(prefix)
                }
            } catch {
                log.error("FIB: \(change): \(error)")
            }
        }
    }

    /// Re-reads the kernel table for next-hop resolution and `redistribute connected/static`: on route and
    /// address notifications, and every 30 s as a safety net (a lab namespace's table is small, so a full read
    /// is simpler than applying each notification).
    private func refreshKernelView() {
        if let t = kernelTimer { loop.cancel(t); kernelTimer = nil }
        guard let routeSource else { return }
        defer { kernelTimer = loop.schedule(after: 30) { [weak self] in self?.refreshKernelView() } }
        let table: NextHopTable
        do { table = NextHopTable(routes: try routeSource.routes()) } catch {
            log.error("reading the kernel routing table: \(error)")
            return
        }
        if table != nextHopTable {
            if nextHopTable == nil { speaker.nextHopResolver = { [unowned self] in self.nextHopTable?.resolve($0) } }
            nextHopTable = table
            speaker.nextHopsChanged()
        }
        var wanted: [Prefix: OriginSource] = [:]
        if config.redistribute.contains(.static) { for p in table.staticPrefixes { wanted[p] = .staticRoute } }
        if config.redistribute.contains(.connected) { for p in table.connectedPrefixes { wanted[p] = .connected } }
        for (p, source) in redistributed where wanted[p] != source { speaker.withdrawOrigin(p, source: source) }
        for (p, source) in wanted where redistributed[p] != source { speaker.originate(p, source: source) }
        redistributed = wanted
        needProcess()
    }

    // MARK: - Status

    /// A snapshot of peers and routes for `bgpd status`.
    /// - Parameter routes: false leaves the route list out (cheap enough to poll during a full-table load);
    ///   `prefixes`/`paths` are counted either way.
    public func status(routes: Bool = true) -> BgpdStatus {
        loop.sync { [self] in makeStatus(routes: routes) }
    }

    private func makeStatus(routes withRoutes: Bool) -> BgpdStatus {
        let now = EventLoop.now()
        let peers = config.peers.compactMap { p -> BgpdStatus.Peer? in
            guard let s = sessions[p.address] else { return nil }
            let counts = speaker.peerRouteCounts(p.address)
            return BgpdStatus.Peer(address: p.address, remoteAS: p.remoteAS, description: p.description, state: s.state,
                                   uptimeSeconds: s.establishedAt.map { Int(now - $0) } ?? 0, received: counts.received,
                                   accepted: counts.accepted, advertised: counts.advertised, messagesIn: s.messagesIn,
                                   messagesOut: s.messagesOut, lastError: s.lastError, session: s.sessionDetails)
        }
        let entries = withRoutes ? speaker.locRIB(family: .ipv4Unicast) + speaker.locRIB(family: .ipv6Unicast) : []
        let v4 = speaker.locRIBSize(family: .ipv4Unicast), v6 = speaker.locRIBSize(family: .ipv6Unicast)
        var status = BgpdStatus(routerID: config.speaker.routerID, asn: config.speaker.asn, clusterID: config.speaker.clusterID,
                                peers: peers, routes: entries.map(BgpdStatus.Route.init))
        status.prefixes = v4.prefixes + v6.prefixes
        status.paths = v4.paths + v6.paths
        status.includesRoutes = withRoutes
        return status
    }
}

/// What a reload did, peer by peer.
public struct ReloadSummary: Hashable, Sendable, CustomStringConvertible {
    public var added: [IPAddress] = []
    public var removed: [IPAddress] = []
    /// Changed in place, session kept.
    public var changed: [IPAddress] = []
    /// Session torn down and restarted for the change.
    public var reset: [IPAddress] = []
    public var networksOriginated: [Prefix] = []
    public var networksWithdrawn: [Prefix] = []
    /// Settings that only take effect after a restart of the daemon.
    public var needsRestart: [String] = []
    public var description: String {
        func list(_ a: [IPAddress]) -> String { a.isEmpty ? "-" : a.map(\.description).joined(separator: ",") }
        var s = "peers added \(list(added)), removed \(list(removed)), changed \(list(changed)), reset \(list(reset))"
        if !networksOriginated.isEmpty || !networksWithdrawn.isEmpty {
            s += "; networks +\(networksOriginated.map(\.description).sorted()) -\(networksWithdrawn.map(\.description).sorted())"
        }
        if !needsRestart.isEmpty { s += "; needs restart: \(needsRestart.joined(separator: ", "))" }
        return s
    }
}
