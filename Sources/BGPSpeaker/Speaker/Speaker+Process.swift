import BGPWire

extension Speaker {
    /// Decides every destination changed since the last call, then queues the resulting FIB changes and
    /// per-peer UPDATE contents. Call once after draining a batch of input.
    public func process() {
        guard !dirty.isEmpty else { return }
        let work = dirty
        dirty = []
        let exportAll = exportPending
        exportPending = false
        var exporter = Exporter(speaker: self)
        for destination in work {
            destination.isDirty = false
            decide(destination)
            updateFIB(destination)
            let best = destination.best
            if exportAll || !(best?.exportsLike(destination.exportedBest) ?? (destination.exportedBest == nil)) {
                destination.exportedBest = best
                exporter.export(destination)
            }
            if destination.paths.isEmpty && destination.installed == .none {
                table(destination.prefix.family).remove(destination.prefix)
            }
        }
    }

    /// UPDATE contents queued for `peer` since the last call, as batches sharing attributes.
    public func takeOutbound(for address: IPAddress) -> [OutboundBatch] {
        peers[address]?.adjOut.take() ?? []
    }

    /// Peers that have something queued for `takeOutbound`.
    public var peersWithOutbound: Set<IPAddress> {
        Set(peers.values.filter { $0.adjOut.hasOutbound }.map(\.address))
    }

    /// FIB changes since the last call, one per prefix (the latest), sorted by prefix.
    public func takeFIBChanges() -> [FIBChange] {
        let changes = fibChanges.allEntries.map(\.value).sorted { $0.prefix < $1.prefix }
        fibChanges.removeAll()
        return changes
    }

    /// The resolver's answers changed (IGP or interface change): every path is looked at again.
    public func nextHopsChanged() {
        resolutions = [:]
        markAllDirty()
    }

    // MARK: Decision

    var decisionOptions: DecisionOptions {
        DecisionOptions(compareMEDAcrossAS: config.compareMEDAcrossAS, maxPaths: max(1, config.maxPaths))
    }

    func resolve(_ nextHop: IPAddress) -> NextHopResolution? {
        if let known = resolutions[nextHop] { return known }
        let answer = nextHopResolver(nextHop)
        resolutions[nextHop] = answer
        return answer
    }

    func candidate(_ path: Path) -> Candidate {
        let source = facts(path.source)
        return Candidate(attributes: path.attributes, source: source, defaultLocalPref: config.defaultLocalPref,
                         igpMetric: source.isLocal ? 0 : resolve(path.nextHop)?.igpMetric)
    }

    private func decide(_ destination: Destination) {
        if destination.paths.count == 1 {
            destination.selected = candidate(destination.paths[0]).igpMetric != nil ? 1 : 0
            return
        }
        let candidates = destination.paths.map(candidate)
        let selection = DecisionProcess.select(candidates, options: decisionOptions)
        guard let winner = selection.winner else {
            destination.selected = 0
            return
        }
        let chosen = [winner] + selection.multipath
        let order = chosen + candidates.indices.filter { !chosen.contains($0) }
        destination.setSelection(order: order, selected: chosen.count)
    }

    private func updateFIB(_ destination: Destination) {
        var wanted = InstalledRoute.none
        if let best = destination.best {
            switch best.source {
            case .local(.blackhole): wanted = .blackhole
            case .local: wanted = .none   // already in the kernel: connected, static, the IGP
            case .peer:
                var nextHops: [IPAddress] = []
                for path in destination.paths.prefix(Int(destination.selected)) where !nextHops.contains(path.nextHop) {
                    nextHops.append(path.nextHop)
                }
                wanted = .nextHops(nextHops)
            }
        }
        guard wanted != destination.installed else { return }
        let prefix = destination.prefix
        switch wanted {
        case .none: fibChanges[prefix] = .remove(prefix)
        case .blackhole: fibChanges[prefix] = .blackhole(prefix)
        case .nextHops(let hops): fibChanges[prefix] = .install(prefix, nextHops: hops)
        }
        destination.installed = wanted
    }

    // MARK: Export

    /// Recomputes one peer's Adj-RIB-Out (policy or next-hop-self changed).
    func reexport(_ peer: PeerState) {
        guard let session = peer.session else { return }
        for family in AddressFamily.supported where session.families.contains(family) { exportTable(family, to: peer) }
    }

    /// Computes the export of every destination of `family` for `peer`.
    func exportTable(_ family: AddressFamily, to peer: PeerState) {
        var exporter = Exporter(speaker: self, only: peer)
        table(family).forEach { exporter.export($0) }
    }

    /// Marks everything for a new decision and a new export to every peer (settings that change exports
    /// for all peers: ASN, reflector clients).
    func redecideAndReexportAll() {
        exportPending = true
        markAllDirty()
    }
}

/// Applies the export rules for a run of destinations, remembering results that do not depend on the prefix
/// (most of them: one attribute set → one export per peer), so a full table costs one rule evaluation per
/// distinct attribute set rather than one per route.
struct Exporter {
    private let speaker: Speaker
    private let targets: [ExportTarget]
    private let context: ExportContext
    private var memo: [Key: (input: AttributeSet, output: AttributeSet?)] = [:]

    private struct Key: Hashable {
        var attributes: ObjectIdentifier
        var source: PathSource
        var slot: UInt16
        var afi: AFI
    }

    init(speaker: Speaker, only peer: PeerState? = nil) {
        self.speaker = speaker
        let peers = peer.map { [$0] } ?? speaker.slots.compactMap { $0 }
        targets = peers.compactMap { peer in
            guard let session = peer.session else { return nil }
            let config = peer.config
            return ExportTarget(slot: peer.slot, adjOut: peer.adjOut, config: config, session: session,
                                isExternal: config.isExternal(localAS: speaker.config.asn),
                                localAS: config.localAS ?? speaker.config.asn,
                                policy: config.exportPolicy.flatMap { speaker.policies[$0] })
        }
        context = ExportContext(clusterID: speaker.clusterID, defaultLocalPref: speaker.config.defaultLocalPref)
    }

    /// Brings every target's Adj-RIB-Out in line with the destination's `exportedBest`: the best path as of
    /// the last decision, which every Established peer's Adj-RIB-Out reflects (a new session gets the same
    /// view as the others even while newer changes wait for `process()`).
    mutating func export(_ destination: Destination) {
        let prefix = destination.prefix
        let best = destination.exportedBest
        let source = best.map { speaker.facts($0.source) }
        for target in targets where target.session.families.contains(prefix.family) {
            let adjOut = target.adjOut
            guard let best, let source else {
                adjOut.set(prefix, nil)
                continue
            }
            adjOut.set(prefix, exported(prefix, best, source, target))
        }
    }

    private mutating func exported(_ prefix: Prefix, _ path: Path, _ source: SourceFacts, _ target: ExportTarget) -> AttributeSet? {
        let reusable = !(target.policy?.dependsOnPrefix ?? false)
        let key = Key(attributes: ObjectIdentifier(path.attributes), source: path.source, slot: target.slot, afi: prefix.family.afi)
        if reusable, let known = memo[key] { return known.output }
        let output = exportRoute(prefix, path, from: source, to: target, context).map {
            speaker.interner.intern($0.attributes, nextHop: $0.nextHop)
        }
        if reusable { memo[key] = (path.attributes, output) }
        return output
    }
}
