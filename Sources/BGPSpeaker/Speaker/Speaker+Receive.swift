import BGPWire

extension Speaker {
    /// Records an UPDATE from an Established peer: Adj-RIB-In changes and import rules. An announced route is
    /// decided at once and queued for the peers (its destination is in hand); withdrawals and routes whose
    /// destination is already queued wait for `process()`, which the runtime calls after each batch of input.
    /// - Parameters:
    ///   - update: as decoded by BGPWire; `treatAsWithdraw != nil` withdraws all its NLRI (RFC 7606).
    ///   - peer: the peer's configured address.
    public func received(_ update: Update, from address: IPAddress) {
        // The session's families only: copying the whole session struct cost a dozen reference counts per UPDATE.
        guard let peer = peers[address], let families = peer.session?.families else { return }
        // `update.attributes` is read in place throughout: a local copy cost a reference count per array in it.
        if update.isEndOfRIB {
            sweepStale(peer, family: update.attributes.mpUnreach?.family ?? .ipv4Unicast)
            return
        }
        var withdrawn = update.withdrawn.map(Prefix.v4)
        if let unreach = update.attributes.mpUnreach, unreach.family.safi == .unicast { withdrawn += unreach.withdrawn }
        let mpReach = update.attributes.mpReach.flatMap { $0.family.safi == .unicast ? $0 : nil }
        if update.treatAsWithdraw != nil {
            withdrawn += update.nlri.map(Prefix.v4) + (mpReach?.nlri ?? [])
        }
        for prefix in withdrawn where families.contains(prefix.family) { withdraw(prefix, from: peer) }
        guard update.treatAsWithdraw == nil else { return }

        let carriesMP = update.attributes.mpReach != nil || update.attributes.mpUnreach != nil
        if !update.nlri.isEmpty, let nextHop = update.attributes.nextHop {
            let received = carriesMP ? interner.intern(update.attributes.pathOnly, nextHop: .v4(nextHop))
                                     : interner.intern(update.attributes, nextHop: .v4(nextHop))
            announce(update.nlri.lazy.map(Prefix.v4), received, from: peer, families: families)
        }
        if let mpReach, let nextHop = Speaker.preferredNextHop(mpReach.nextHops) {
            var mpAttributes = update.attributes.pathOnly
            if nextHop.family == .ipv6 { mpAttributes.nextHop = nil }
            let received = interner.intern(mpAttributes, nextHop: nextHop)
            announce(mpReach.nlri, received, from: peer, families: families)
        }
    }

    /// The global next hop of an MP_REACH (RFC 2545 puts a link-local one second), else whatever is there.
    static func preferredNextHop(_ nextHops: [IPAddress]) -> IPAddress? {
        nextHops.first { next in
            if case .v6(let a) = next { return !a.isLinkLocal && a != .zero }
            return true
        } ?? nextHops.first { $0 != .v6(.zero) } ?? nextHops.first
    }

    /// Generic so classic NLRI come in as a lazy view of the decoded `IPv4Prefix` array, not a new array per UPDATE.
    private func announce<Prefixes: Collection<Prefix>>(_ prefixes: Prefixes, _ received: AttributeSet, from peer: PeerState,
                                                        families: Set<AddressFamily>) {
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
        let carriesIPv4 = families.contains(.ipv4Unicast), carriesIPv6 = families.contains(.ipv6Unicast)
        // Decides each changed destination while it is in hand (see `settle`), unless everything is being
        // re-exported, which `process()` does for all of them.
        var exporter: Exporter? = exportPending ? nil : takeExporter()
        // Moved out, not copied: a copy would share the exporter's buffers and copy them when `end` clears them.
        defer { if let exporter = exporter.take() { putBack(exporter) } }
        for prefix in prefixes {
            if case .v4 = prefix { guard carriesIPv4 else { continue } } else { guard carriesIPv6 else { continue } }
            if !(reusable && sharedDecided) {
                accepted = importedSet(prefix, received, context)
                sharedDecided = true
            }
            if locRIB.family.afi != prefix.family.afi { locRIB = table(prefix.family) }
            // `accepted` holds the set for the whole iteration: it is passed on without a retain of its own.
            if let set = accepted.map(Unmanaged.passUnretained) {
                set._withUnsafeGuaranteedRef {
                    store(prefix, received: received, accepted: $0, stale: false, from: peer, into: locRIB, since: now,
                          settling: &exporter)
                }
            } else {
                store(prefix, received: received, accepted: nil, stale: false, from: peer, into: locRIB, since: now,
                      settling: &exporter)
            }
        }
    }

    /// Records that `peer` sent `received` for `prefix` and puts the import result (`accepted`, nil: refused) in
    /// the Loc-RIB, keeping the Adj-RIB-In's explicit entries and implicit count true (see `AdjRIBIn`).
    /// - Parameter stale: the route is one kept across a graceful restart (re-imported, not received again).
    func store(_ prefix: Prefix, received: AttributeSet, accepted: AttributeSet?, stale: Bool, from peer: PeerState,
               into locRIB: Table, since: UInt32, settling exporter: inout Exporter?) {
        let adjIn = peer.adjIn
        // The Loc-RIB path is the Adj-RIB-In entry when import left the route as received.
        let implicit = accepted === received
        var wasExplicit = adjIn.stale.removeValue(forKey: prefix) != nil
        if implicit {
            if adjIn.routes.removeValue(forKey: prefix) != nil { wasExplicit = true }
        } else if stale {
            if adjIn.routes.removeValue(forKey: prefix) != nil { wasExplicit = true }
            adjIn.stale[prefix] = received
        } else if adjIn.routes.updateValue(received, forKey: prefix) != nil {
            wasExplicit = true
        }
        let hadPath: Bool
        if let accepted {
            hadPath = installPath(prefix, accepted, into: locRIB, from: peer, stale: stale, since: since,
                                  settling: &exporter) != .added
        } else {
            hadPath = removePath(prefix, from: peer)
        }
        let wasImplicit = hadPath && !wasExplicit
        if implicit != wasImplicit { adjIn.implicit[AdjRIBIn.index(prefix.family)] += implicit ? 1 : -1 }
    }

    func withdraw(_ prefix: Prefix, from peer: PeerState) {
        let wasExplicit = peer.adjIn.removeExplicit(prefix)
        if removePath(prefix, from: peer) && !wasExplicit { peer.adjIn.implicit[AdjRIBIn.index(prefix.family)] -= 1 }
    }

    /// Puts an accepted path into the Loc-RIB; the path is built inside the update so it is moved, not copied.
    /// With an exporter, a changed destination that is not already queued is decided at once (`settle`);
    /// otherwise it is queued for `process()`.
    @discardableResult
    func installPath(_ prefix: Prefix, _ set: AttributeSet, into table: Table, from peer: PeerState, stale: Bool,
                     since: UInt32, settling exporter: inout Exporter?) -> Destination.UpsertResult {
        let source = peer.pathSource
        return table.update(prefix) { destination in
            let result = destination.upsert(Path(attributes: set, source: source, isStale: stale, since: since))
            switch result {
            case .added: peer.accepted += 1
            case .replaced: break
            case .unchanged: return result
            }
            if !destination.isDirty, exporter != nil {
                // A destination holding the new path is never unused, so `settle`'s answer is not needed.
                _ = settle(&destination, prefix, exportAll: false, &exporter!)
            } else {
                markDirty(&destination, prefix)
            }
            return result
        }
    }

    /// Removes the peer's path for `prefix` from the Loc-RIB; true when there was one.
    @discardableResult
    func removePath(_ prefix: Prefix, from peer: PeerState) -> Bool {
        let removed = table(prefix.family).updateIfPresent(prefix) { destination in
            guard destination.remove(peer.pathSource) else { return false }
            markDirty(&destination, prefix)
            return true
        }
        guard removed == true else { return false }
        peer.accepted -= 1
        return true
    }

    /// Every route the peer sent that is still held, explicit or implicit: prefix, attributes as received, stale.
    func receivedRoutes(of peer: PeerState) -> [(prefix: Prefix, received: AttributeSet, stale: Bool)] {
        var routes: [(prefix: Prefix, received: AttributeSet, stale: Bool)] = []
        peer.adjIn.routes.forEach { routes.append(($0, $1, false)) }
        peer.adjIn.stale.forEach { routes.append(($0, $1, true)) }
        let source = peer.pathSource
        for family in AddressFamily.supported where peer.adjIn.implicit[AdjRIBIn.index(family)] > 0 {
            table(family).forEach { prefix, destination in
                guard let path = destination.path(from: source), !peer.adjIn.isExplicit(prefix) else { return }
                routes.append((prefix, path.attributes, path.isStale))
            }
        }
        return routes
    }

    /// The import result as an interned set (nil: refused). A route import leaves as it is keeps its received
    /// set: no copy of its attributes and no second hashing to find the set it already is.
    func importedSet(_ prefix: Prefix, _ received: AttributeSet, _ context: ImportContext) -> AttributeSet? {
        if importLeavesUnchanged(received, context) { return received }
        guard case .success(let route) = importRoute(prefix, received, context) else { return nil }
        let unchanged = route.nextHop == received.nextHop && route.attributes == received.attributes
        return unchanged ? received : interner.intern(route.attributes, nextHop: route.nextHop)
    }

    /// The peer's import context, kept until a peer, policy or router setting changes (`settingsGeneration`):
    /// building it per UPDATE cost an array and a policy lookup by name.
    func importContext(for peer: PeerState) -> ImportContext {
        if let cached = peer.importContext, cached.generation == settingsGeneration { return cached.context }
        let context = freshImportContext(for: peer)
        peer.importContext = (settingsGeneration, context)
        return context
    }

    private func freshImportContext(for peer: PeerState) -> ImportContext {
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
        var memo: [ObjectIdentifier: AttributeSet?] = [:]
        let now = clock()
        var deferred: Exporter? = nil
        for (prefix, received, stale) in receivedRoutes(of: peer) {
            let key = ObjectIdentifier(received)
            let accepted: AttributeSet?
            if reusable, let known = memo[key] {
                accepted = known
            } else {
                accepted = importedSet(prefix, received, context)
                if reusable { memo[key] = accepted }
            }
            store(prefix, received: received, accepted: accepted, stale: stale, from: peer, into: table(prefix.family),
                  since: now, settling: &deferred)
        }
    }
}
