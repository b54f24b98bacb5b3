import BGPWire

/// The vendor-neutral routing core: RIBs, decision process, import and export rules, route reflection.
///
/// Not thread-safe and no I/O: one runtime thread feeds it events (`sessionEstablished`, `received`, …),
/// calls `process()` after each batch, and drains `takeOutbound(for:)` and `takeFIBChanges()`.
public final class Speaker {
    /// Router-wide settings; setting them re-imports and re-decides every route.
    public var config: SpeakerConfig {
        didSet { if config != oldValue { peerSettingsChanged(); configChanged() } }
    }

    /// How the IGP reaches a next hop; nil = unreachable (the path is not eligible). Call `nextHopsChanged()`
    /// when its answers change. Default: everything reachable at metric 0.
    public var nextHopResolver: (IPAddress) -> NextHopResolution? = { _ in NextHopResolution() } {
        didSet { nextHopsChanged() }
    }

    /// Seconds on any monotonic clock, stamped on paths when they arrive; the core never reads time itself.
    /// Default: always 0.
    public var clock: () -> UInt32 = { 0 }

    /// False when nothing calls `takeFIBChanges` (no kernel export): the Loc-RIB still tracks what would be
    /// installed, but no per-prefix change list is kept, which saves a map entry and an array per changed route.
    public var recordsFIBChanges = true {
        didSet { if !recordsFIBChanges { fibChanges.removeAll() } }
    }

    let interner = AttributeInterner()
    let ipv4 = Table(family: .ipv4Unicast)
    let ipv6 = Table(family: .ipv6Unicast)
    var peers: [IPAddress: PeerState] = [:]
    /// Peers by slot; a removed peer leaves a hole that the next new peer reuses.
    var slots: [PeerState?] = [] { didSet { peerSettingsChanged() } }
    var policies: [String: RoutePolicy] = [:] { didSet { peerSettingsChanged() } }
    /// The exporter for every Established peer, kept between uses (see `takeExporter`) until a peer, its
    /// session, a policy or the router's settings change: building its targets per UPDATE was a tenth of ingest.
    var idleExporter: Exporter?
    /// Counts those changes (`peerSettingsChanged`): an exporter taken before one is not put back after it, and
    /// a peer's cached import context from before one is rebuilt.
    private(set) var settingsGeneration = 0
    /// Prefixes whose destination changed since the last `process()`, in the order they changed.
    var dirty: [Prefix] = []
    var fibChanges = PrefixMap<FIBChange>()
    var resolutions: [IPAddress: NextHopResolution?] = [:] { didSet { lastResolution = nil } }
    /// The last answer of `resolve`: a table's routes share a few next hops, so this saves most hashing.
    var lastResolution: (nextHop: IPAddress, answer: NextHopResolution?)?
    /// The next `process()` exports every dirty destination even if its best path did not change.
    var exportPending = false
    /// The cluster ID in force: configured, or the router ID once some peer is a reflector client.
    private(set) var clusterID: IPv4Address? { didSet { if clusterID != oldValue { peerSettingsChanged() } } }

    public init(config: SpeakerConfig) {
        self.config = config
        clusterID = config.clusterID
    }

    func table(_ family: AddressFamily) -> Table { family.afi == .ipv4 ? ipv4 : ipv6 }

    // MARK: Peers

    /// Configured peers, by address.
    public var peerConfigs: [PeerConfig] { peers.values.map(\.config).sorted { $0.address < $1.address } }

    /// Adds a peer (replacing one with the same address). Its routes flow once the runtime reports the session.
    public func addPeer(_ config: PeerConfig) {
        if peers[config.address] != nil { removePeer(config.address) }
        let slot = slots.firstIndex { $0 == nil } ?? slots.count
        let peer = PeerState(config: config, slot: UInt16(slot))
        if slot == slots.count { slots.append(peer) } else { slots[slot] = peer }
        peers[config.address] = peer
        updateClusterID()
    }

    /// Changes a peer's settings while it runs.
    /// - Returns: `.resetSession` when the runtime must reset the session (transport or OPEN parameters
    ///   changed, or the peer was not configured yet); `.inPlace` when the core already applied it by
    ///   re-running import and recomputing the peer's Adj-RIB-Out.
    @discardableResult
    public func updatePeer(_ config: PeerConfig) -> PeerChange {
        guard let peer = peers[config.address] else {
            addPeer(config)
            return .resetSession
        }
        let old = peer.config
        guard old != config else { return .inPlace }
        peer.config = config
        peerSettingsChanged()
        // Applied now even when a reset follows, so nothing waits for the runtime.
        if old.allowOwnAS != config.allowOwnAS || old.importPolicy != config.importPolicy
            || old.remoteAS != config.remoteAS || old.localAS != config.localAS {
            reimport(peer)
        }
        if old.routeReflectorClient != config.routeReflectorClient {
            // Changes what is reflected to and from this peer, so every peer's exports may change.
            updateClusterID()
            redecideAndReexportAll()
        }
        if old.exportPolicy != config.exportPolicy || old.nextHopSelf != config.nextHopSelf
            || old.keepNextHop != config.keepNextHop || old.routeReflectorClient != config.routeReflectorClient {
            reexport(peer)
        }
        return old.needsReset(becoming: config) ? .resetSession : .inPlace
    }

    /// Removes a peer: its routes are withdrawn from the Loc-RIB (and from other peers at the next `process()`).
    public func removePeer(_ address: IPAddress) {
        guard let peer = peers[address] else { return }
        dropRoutes(of: peer, families: nil)
        peer.adjOut.clear()
        peer.session = nil
        peerSettingsChanged()
        peers[address] = nil
        slots[Int(peer.slot)] = nil
        updateClusterID()
    }

    // MARK: Policies

    /// Defines, replaces or (with nil) deletes a policy; peers that use it re-run import or export.
    /// A peer naming a policy that does not exist is not filtered.
    public func setPolicy(_ name: String, _ policy: RoutePolicy?) {
        guard policies[name] != policy else { return }
        policies[name] = policy
        for peer in slots.compactMap({ $0 }) {
            if peer.config.importPolicy == name { reimport(peer) }
            if peer.config.exportPolicy == name { reexport(peer) }
        }
    }

    /// The policies currently defined.
    public var policyNames: [String] { policies.keys.sorted() }

    public func policy(named name: String) -> RoutePolicy? { policies[name] }

    // MARK: Local routes

    /// Originates `prefix` from this router (network statement, redistribution, blackhole, aggregate).
    /// - Parameters:
    ///   - attributes: extra attributes (communities, MED…); ORIGIN defaults by source, MED to 0,
    ///     AS_PATH is always empty and the next hop is the session's local address on export.
    public func originate(_ prefix: Prefix, source: OriginSource, attributes: PathAttributes? = nil) {
        var attrs = attributes?.pathOnly ?? PathAttributes()
        attrs.origin = attrs.origin ?? source.defaultOrigin
        attrs.med = attrs.med ?? 0
        attrs.asPath = ASPath()
        attrs.nextHop = nil
        attrs.originatorID = nil
        attrs.clusterList = []
        let set = interner.intern(attrs, nextHop: prefix.family.unspecifiedAddress)
        let path = Path(attributes: set, source: .local(source), since: clock())
        table(prefix.family).update(prefix) { destination in
            if destination.upsert(path) != .unchanged { markDirty(&destination, prefix) }
        }
    }

    /// Stops originating `prefix` from `source`.
    public func withdrawOrigin(_ prefix: Prefix, source: OriginSource) {
        table(prefix.family).updateIfPresent(prefix) { destination in
            if destination.remove(.local(source)) { markDirty(&destination, prefix) }
        }
    }

    /// Prefixes this router originates, with their sources.
    public var originatedRoutes: [(prefix: Prefix, source: OriginSource)] {
        var result: [(Prefix, OriginSource)] = []
        for table in [ipv4, ipv6] {
            for (prefix, destination) in table.sorted {
                for path in destination.paths {
                    if case .local(let source) = path.source { result.append((prefix, source)) }
                }
            }
        }
        return result
    }

    // MARK: Internals shared by the extensions

    /// A peer, session, policy, router setting or the cluster ID changed: the idle exporter's targets and the
    /// peers' import contexts no longer hold.
    func peerSettingsChanged() {
        idleExporter = nil
        settingsGeneration &+= 1
    }

    /// An exporter for every Established peer, ready for a run of destinations; hand it back with `putBack`.
    func takeExporter() -> Exporter {
        // Moved out, so the exporter's buffers are not shared (and copied) when it is changed.
        guard var exporter = idleExporter.take() else { return Exporter(speaker: self) }
        exporter.begin()
        return exporter
    }

    /// Keeps `exporter` for the next run unless the targets changed meanwhile.
    func putBack(_ exporter: consuming Exporter) {
        guard exporter.generation == settingsGeneration else { return }
        exporter.end()
        idleExporter = exporter
    }

    /// Queues `destination` (the one for `prefix`) for the next `process()`.
    func markDirty(_ destination: inout Destination, _ prefix: Prefix) {
        guard !destination.isDirty else { return }
        destination.isDirty = true
        dirty.append(prefix)
    }

    func markAllDirty() {
        for table in [ipv4, ipv6] { table.updateEach { markDirty(&$1, $0) } }
    }

    private func configChanged() {
        clusterID = computedClusterID()
        for peer in slots.compactMap({ $0 }) { reimport(peer) }
        redecideAndReexportAll()
    }

    private func computedClusterID() -> IPv4Address? {
        config.clusterID ?? (peers.values.contains { $0.config.routeReflectorClient } ? config.routerID : nil)
    }

    /// Recomputes the cluster ID in force; when it changes, loop checks and reflection change for everyone.
    private func updateClusterID() {
        let new = computedClusterID()
        guard new != clusterID else { return }
        clusterID = new
        for peer in slots.compactMap({ $0 }) { reimport(peer) }
        redecideAndReexportAll()
    }

    /// The facts about a path's source that decisions and exports use.
    func facts(_ source: PathSource) -> SourceFacts {
        switch source {
        case .local(let origin):
            return SourceFacts(slot: nil, origin: origin, isExternal: false, isReflectorClient: false,
                               routerID: config.routerID, address: .v4(.zero))
        case .peer(let slot):
            guard let peer = slots[Int(slot)] else {
                return SourceFacts(slot: slot, origin: nil, isExternal: false, isReflectorClient: false,
                                   routerID: .zero, address: .v4(.zero))
            }
            return SourceFacts(slot: slot, origin: nil, isExternal: peer.config.isExternal(localAS: config.asn),
                               isReflectorClient: peer.config.routeReflectorClient, routerID: peer.routerID,
                               address: peer.address)
        }
    }
}
