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
        var exporter = takeExporter()
        // Held across the loop (dirty prefixes come in runs of one family): no reference counting per prefix.
        var table = table(.ipv4Unicast)
        for prefix in work {
            if table.family.afi != prefix.family.afi { table = self.table(prefix.family) }
            let unused = table.updateIfPresent(prefix) { destination in
                settle(&destination, prefix, exportAll: exportAll, &exporter)
            }
            if unused == true { table.remove(prefix) }
        }
        putBack(consume exporter)
    }

    /// Decides one destination, records its FIB change and hands a changed best path to `exporter`.
    /// `process()` does this for every dirty destination; a received UPDATE does it at once for the prefixes it
    /// adds or replaces (their destination is in hand, so no second lookup and no dirty-list entry).
    /// - Returns: true when the destination is now unused (no path, nothing installed) and can be removed.
    func settle(_ destination: inout Destination, _ prefix: Prefix, exportAll: Bool, _ exporter: inout Exporter) -> Bool {
        destination.isDirty = false
        decide(&destination)
        updateFIB(&destination, prefix)
        if exportAll || !destination.bestIsExported {
            destination.markBestExported()
            // The best path is handed to the exporter in place, not copied.
            if destination.selected > 0 {
                destination.paths.withFirst { exporter.export(prefix, $0) }
            } else {
                exporter.exportNothing(prefix)
            }
        }
        return destination.paths.isEmpty && destination.installed == .none
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
        // IPv4 before IPv6 as `Prefix` orders them; within a family, by the family's own (cheaper) order.
        let v4 = fibChanges.v4.map { ($0, $1) }.sorted { $0.0 < $1.0 }.map(\.1)
        let v6 = fibChanges.v6.sorted { $0.key < $1.key }.map(\.value)
        fibChanges.removeAll()
        return v4 + v6
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
        if let last = lastResolution, last.nextHop == nextHop { return last.answer }
        let answer: NextHopResolution?
        if let known = resolutions[nextHop] {
            answer = known
        } else {
            answer = nextHopResolver(nextHop)
            resolutions[nextHop] = answer
        }
        lastResolution = (nextHop, answer)
        return answer
    }

    func candidate(_ path: Path) -> Candidate {
        let source = facts(path.source)
        return Candidate(attributes: path.attributes, source: source, defaultLocalPref: config.defaultLocalPref,
                         igpMetric: source.isLocal ? 0 : resolve(path.nextHop)?.igpMetric)
    }

    private func decide(_ destination: inout Destination) {
        if destination.paths.count == 1 {
            // Eligible when its next hop resolves, as `candidate` would find (local paths always are).
            let eligible = destination.paths.withFirst { path in path.isLocal || resolve(path.nextHop)?.igpMetric != nil }
            destination.selected = eligible == true ? 1 : 0
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

    private func updateFIB(_ destination: inout Destination, _ prefix: Prefix) {
        var wanted = InstalledRoute.none
        // The best path is read in place (no copy of its attributes reference).
        if destination.selected > 0, let source = destination.paths.withFirst({ $0.source }) {
            switch source {
            case .local(.blackhole): wanted = .blackhole
            case .local: wanted = .none   // already in the kernel: connected, static, the IGP
            case .peer where destination.selected == 1:
                wanted = destination.paths.withFirst { InstalledRoute($0.nextHop) } ?? .none
            case .peer:
                var nextHops: [IPAddress] = []
                for path in destination.paths.prefix(Int(destination.selected)) where !nextHops.contains(path.nextHop) {
                    nextHops.append(path.nextHop)
                }
                wanted = InstalledRoute(nextHops: nextHops)
            }
        }
        guard wanted != destination.installed else { return }
        destination.installed = wanted
        guard recordsFIBChanges else { return }
        switch wanted {
        case .none: fibChanges[prefix] = .remove(prefix)
        case .blackhole: fibChanges[prefix] = .blackhole(prefix)
        case .v4, .nextHops: fibChanges[prefix] = .install(prefix, nextHops: wanted.nextHops)
        }
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
        table(family).forEach { prefix, destination in
            if let best = destination.exportedBest { exporter.export(prefix, best) } else { exporter.exportNothing(prefix) }
        }
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
    /// Unowned: the speaker keeps its idle exporter.
    private unowned let speaker: Speaker
    private let targets: [ExportTarget]
    /// The speaker's `settingsGeneration` when the targets were built.
    let generation: Int
    private let context: ExportContext
    private var memo: [Key: (input: AttributeSet, output: AttributeSet?)] = [:]
    /// The last memo entry used per target: destinations changed by one UPDATE come in a run with the same
    /// best path, so most lookups end here without hashing.
    private var recent: [(key: Key, output: AttributeSet?)?]
    /// The last best path (attributes, source, family) that no target exports while none holds anything of that
    /// family: the next destination with the same best path (the rest of its UPDATE) then costs one comparison
    /// instead of one memo lookup per target. Only kept while no target's policy depends on the prefix.
    /// Compared by identity in the hot path (no reference counting); `refusedAttributes` keeps the set alive so
    /// the identity cannot be reused while remembered.
    private var refusedByAll: (attributes: ObjectIdentifier, source: PathSource, afi: AFI)?
    private var refusedAttributes: AttributeSet?
    private let prefixIndependent: Bool
    /// The facts of the last source exported from, and per target whether the rules refuse everything from it
    /// (`refusesEverything`): a run of routes from one peer looks its source up once.
    private var lastSource: PathSource?
    private var lastFacts: SourceFacts?
    private var refusing: [Bool]

    private struct Key: Hashable {
        var attributes: ObjectIdentifier
        var source: PathSource
        var slot: UInt16
        var afi: AFI
    }

    init(speaker: Speaker, only peer: PeerState? = nil) {
        self.speaker = speaker
        generation = speaker.settingsGeneration
        targets = Self.targets(peer.map { [$0] } ?? speaker.slots.compactMap { $0 }, of: speaker)
        context = ExportContext(clusterID: speaker.clusterID, defaultLocalPref: speaker.config.defaultLocalPref)
        recent = Array(repeating: nil, count: targets.count)
        refusing = Array(repeating: false, count: targets.count)
        prefixIndependent = targets.allSatisfy { !($0.policy?.dependsOnPrefix ?? false) }
        begin()
    }

    /// Readies a run: nothing remembered from the last one (a peer's settings may have changed since; the
    /// targets themselves have not, or the exporter would have been dropped).
    mutating func begin() {
        lastSource = nil
        lastFacts = nil
    }

    /// Lets go of the attribute sets the run remembered, keeping the buffers.
    mutating func end() {
        memo.removeAll(keepingCapacity: true)
        for i in recent.indices { recent[i] = nil }
        refusedByAll = nil
        refusedAttributes = nil
    }

    /// The Established ones among `peers`.
    private static func targets(_ peers: [PeerState], of speaker: Speaker) -> [ExportTarget] {
        peers.compactMap { peer in
            guard let session = peer.session else { return nil }
            let config = peer.config
            return ExportTarget(slot: peer.slot, adjOut: peer.adjOut, config: config, session: session,
                                isExternal: config.isExternal(localAS: speaker.config.asn),
                                localAS: config.localAS ?? speaker.config.asn,
                                policy: config.exportPolicy.flatMap { speaker.policies[$0] })
        }
    }

    /// Brings every target's Adj-RIB-Out for `prefix` in line with `best`: the destination's best path as of the
    /// last decision, which every Established peer's Adj-RIB-Out reflects (a new session gets the same view as
    /// the others even while newer changes wait for `process()`). `best` is borrowed: the caller's path is read
    /// in place (an optional would be a copy, a retain per route).
    mutating func export(_ prefix: Prefix, _ best: borrowing Path) {
        let afi = prefix.family.afi
        if let refused = refusedByAll, refused.attributes == ObjectIdentifier(best.attributes), refused.source == best.source,
           refused.afi == afi {
            return
        }
        let source = facts(of: best.source)
        var touched = false
        for (i, target) in targets.enumerated() where target.carries(prefix) {
            let output = refusing[i] ? nil : exported(prefix, best, source, target, index: i)
            // Exporting nothing where nothing of the family is held needs no lookup (iBGP routes towards iBGP
            // non-clients, the common case).
            let holds = target.adjOut.holds(afi)
            if output == nil && !holds { continue }
            if !holds { refusedByAll = nil }
            touched = true
            target.adjOut.set(prefix, output)
        }
        if !touched && prefixIndependent {
            refusedByAll = (ObjectIdentifier(best.attributes), best.source, afi)
            refusedAttributes = best.attributes
        }
    }

    /// As `export` for a destination with no best path: withdrawn wherever it was advertised.
    mutating func exportNothing(_ prefix: Prefix) {
        for target in targets where target.carries(prefix) && target.adjOut.holds(prefix.family.afi) {
            target.adjOut.set(prefix, nil)
        }
    }

    /// The facts of `source`, and `refusing` filled in for it.
    private mutating func facts(of source: PathSource) -> SourceFacts {
        if let lastFacts, lastSource == source { return lastFacts }
        let facts = speaker.facts(source)
        for (i, target) in targets.enumerated() { refusing[i] = refusesEverything(from: facts, to: target, context) }
        lastSource = source
        lastFacts = facts
        return facts
    }

    private mutating func exported(_ prefix: Prefix, _ path: Path, _ source: SourceFacts, _ target: ExportTarget,
                                   index: Int) -> AttributeSet? {
        let reusable = !(target.policy?.dependsOnPrefix ?? false)
        let key = Key(attributes: ObjectIdentifier(path.attributes), source: path.source, slot: target.slot, afi: prefix.family.afi)
        if reusable {
            if let last = recent[index], last.key == key { return last.output }
            if let known = memo[key] {
                recent[index] = (key, known.output)
                return known.output
            }
        }
        let output = exportRoute(prefix, path, from: source, to: target, context).map {
            speaker.interner.intern($0.attributes, nextHop: $0.nextHop)
        }
        if reusable {
            memo[key] = (path.attributes, output)
            recent[index] = (key, output)
        }
        return output
    }
}
