import BGPWire

extension Speaker {
    /// Records an UPDATE from an Established peer: Adj-RIB-In changes, import rules, dirty prefixes.
    /// Cheap by design; the decision waits for `process()`.
    /// - Parameters:
    ///   - update: as decoded by BGPWire; `treatAsWithdraw != nil` withdraws all its NLRI (RFC 7606).
    ///   - peer: the peer's configured address.
    public func received(_ update: Update, from address: IPAddress) {
        guard let peer = peers[address], let session = peer.session else { return }
        let attributes = update.attributes
        if update.isEndOfRIB {
            sweepStale(peer, family: attributes.mpUnreach?.family ?? .ipv4Unicast)
            return
        }
        var withdrawn = update.withdrawn.map(Prefix.v4)
        if let unreach = attributes.mpUnreach, unreach.family.safi == .unicast { withdrawn += unreach.withdrawn }
        let mpReach = attributes.mpReach.flatMap { $0.family.safi == .unicast ? $0 : nil }
        if update.treatAsWithdraw != nil {
            withdrawn += update.nlri.map(Prefix.v4) + (mpReach?.nlri ?? [])
        }
        for prefix in withdrawn where session.families.contains(prefix.family) { withdraw(prefix, from: peer) }
        guard update.treatAsWithdraw == nil else { return }

        let pathAttributes = attributes.pathOnly
        if !update.nlri.isEmpty, let nextHop = attributes.nextHop {
            let received = interner.intern(pathAttributes, nextHop: .v4(nextHop))
            announce(update.nlri.map(Prefix.v4), received, from: peer, session: session)
        }
        if let mpReach, let nextHop = Speaker.preferredNextHop(mpReach.nextHops) {
            var mpAttributes = pathAttributes
            if nextHop.family == .ipv6 { mpAttributes.nextHop = nil }
            let received = interner.intern(mpAttributes, nextHop: nextHop)
            announce(mpReach.nlri, received, from: peer, session: session)
        }
    }

    /// The global next hop of an MP_REACH (RFC 2545 puts a link-local one second), else whatever is there.
    static func preferredNextHop(_ nextHops: [IPAddress]) -> IPAddress? {
        nextHops.first { next in
            if case .v6(let a) = next { return !a.isLinkLocal && a != .zero }
            return true
        } ?? nextHops.first { $0 != .v6(.zero) } ?? nextHops.first
    }

    private func announce(_ prefixes: [Prefix], _ received: AttributeSet, from peer: PeerState, session: NegotiatedSession) {
        let context = importContext(for: peer)
        let reusable = !(context.policy?.dependsOnPrefix ?? false)
        // The import result (nil: rejected), shared by the UPDATE's prefixes when the policy does not look at the
        // prefix. An optional reference rather than a Result, and the Adj-RIB-In and Loc-RIB held in locals, so
        // the per-prefix loop retains only what it stores.
        var sharedDecided = false
        var accepted: AttributeSet?
        let adjIn = peer.adjIn
        var locRIB = table(prefixes.first?.family ?? .ipv4Unicast)
        let now = clock()
        let carriesIPv4 = session.families.contains(.ipv4Unicast), carriesIPv6 = session.families.contains(.ipv6Unicast)
        // Decides each changed destination while it is in hand (see `settle`), unless everything is being
        // re-exported, which `process()` does for all of them.
        var exporter: Exporter? = exportPending ? nil : Exporter(speaker: self)
        for prefix in prefixes {
            if case .v4 = prefix { guard carriesIPv4 else { continue } } else { guard carriesIPv6 else { continue } }
            adjIn.stale.removeValue(forKey: prefix)
            adjIn.routes[prefix] = received
            if !(reusable && sharedDecided) {
                if case .success(let route) = importRoute(prefix, received, context) {
                    accepted = interner.intern(route.attributes, nextHop: route.nextHop)
                } else {
                    accepted = nil
                }
                sharedDecided = true
            }
            if let set = accepted.map(Unmanaged.passUnretained) {
                if locRIB.family.afi != prefix.family.afi { locRIB = table(prefix.family) }
                // `accepted` holds the set for the whole iteration: it is passed on without a retain of its own.
                set._withUnsafeGuaranteedRef {
                    installPath(prefix, $0, into: locRIB, from: peer, stale: false, since: now, settling: &exporter)
                }
            } else {
                removePath(prefix, from: peer)
            }
        }
    }

    func withdraw(_ prefix: Prefix, from peer: PeerState) {
        let hadFresh = peer.adjIn.routes.removeValue(forKey: prefix) != nil
        let hadStale = peer.adjIn.stale.removeValue(forKey: prefix) != nil
        guard hadFresh || hadStale else { return }
        removePath(prefix, from: peer)
    }

    /// Puts the import result for one prefix into the Loc-RIB (a rejection removes an earlier path).
    /// - Parameter since: the arrival time to stamp (`clock()` when nil); callers with many prefixes read it once.
    func install(_ prefix: Prefix, _ result: Result<AttributeSet, ImportRejection>, from peer: PeerState, stale: Bool,
                 since: UInt32? = nil) {
        switch result {
        case .success(let set):
            var deferred: Exporter? = nil
            installPath(prefix, set, into: table(prefix.family), from: peer, stale: stale, since: since ?? clock(),
                        settling: &deferred)
        case .failure:
            removePath(prefix, from: peer)
        }
    }

    /// Puts an accepted path into the Loc-RIB; the path is built inside the update so it is moved, not copied.
    /// With an exporter, a changed destination that is not already queued is decided at once (`settle`);
    /// otherwise it is queued for `process()`.
    func installPath(_ prefix: Prefix, _ set: AttributeSet, into table: Table, from peer: PeerState, stale: Bool,
                     since: UInt32, settling exporter: inout Exporter?) {
        let source = peer.pathSource
        table.update(prefix) { destination in
            switch destination.upsert(Path(attributes: set, source: source, isStale: stale, since: since)) {
            case .added: peer.accepted += 1
            case .replaced: break
            case .unchanged: return
            }
            if !destination.isDirty, exporter != nil {
                // A destination holding the new path is never unused, so `settle`'s answer is not needed.
                _ = settle(&destination, prefix, exportAll: false, &exporter!)
            } else {
                markDirty(&destination, prefix)
            }
        }
    }

    func removePath(_ prefix: Prefix, from peer: PeerState) {
        let removed = table(prefix.family).updateIfPresent(prefix) { destination in
            guard destination.remove(peer.pathSource) else { return false }
            markDirty(&destination, prefix)
            return true
        }
        if removed == true { peer.accepted -= 1 }
    }

    func importContext(for peer: PeerState) -> ImportContext {
        var ownASes = [config.asn]
        if let localAS = peer.config.localAS, localAS != config.asn { ownASes.append(localAS) }
        return ImportContext(ownASes: ownASes, routerID: config.routerID, clusterID: clusterID,
                             defaultLocalPref: config.defaultLocalPref, fromExternal: peer.config.isExternal(localAS: config.asn),
                             allowOwnAS: Int(peer.config.allowOwnAS), remoteAS: peer.config.remoteAS,
                             policy: peer.config.importPolicy.flatMap { policies[$0] })
    }

    /// Re-runs import for everything the peer sent (soft reconfiguration inbound).
    func reimport(_ peer: PeerState) {
        let context = importContext(for: peer)
        let reusable = !(context.policy?.dependsOnPrefix ?? false)
        var memo: [ObjectIdentifier: Result<AttributeSet, ImportRejection>] = [:]
        func run(_ prefix: Prefix, _ received: AttributeSet, stale: Bool) {
            let key = ObjectIdentifier(received)
            let result: Result<AttributeSet, ImportRejection>
            if reusable, let known = memo[key] {
                result = known
            } else {
                result = importRoute(prefix, received, context).map { interner.intern($0.attributes, nextHop: $0.nextHop) }
                if reusable { memo[key] = result }
            }
            install(prefix, result, from: peer, stale: stale)
        }
        peer.adjIn.routes.forEach { run($0, $1, stale: false) }
        peer.adjIn.stale.forEach { run($0, $1, stale: true) }
    }
}
