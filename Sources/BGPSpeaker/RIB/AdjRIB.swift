import BGPWire

/// What one peer sent us, before import rules and policy (RFC 4271 §3.2 Adj-RIBs-In).
///
/// Kept unfiltered so a policy or `allow-as-in` change re-runs import without asking the peer again
/// (soft reconfiguration). Most routes pass import unchanged (iBGP routes under no import policy): for those, the
/// peer's path in the Loc-RIB holds the very attribute set received, and that path *is* the Adj-RIB-In entry
/// ("implicit"; its `isStale` tells fresh from stale). Storing it here as well cost a hash-table insert and a
/// reference per route, a quarter of route ingest. Only routes whose import result differs from what was
/// received (changed by the import rules or a policy, or refused) are held here ("explicit"), fresh in `routes`
/// or, kept across a graceful restart, in `stale` until the peer sends them again, withdraws them, or the stale
/// set is swept. A prefix is in at most one of `routes` and `stale`, and explicit or implicit, not both.
final class AdjRIBIn {
    var routes = PrefixMap<AttributeSet>()
    var stale = PrefixMap<AttributeSet>()
    /// Implicit routes, by family (index 0: IPv4, 1: IPv6).
    var implicit = [0, 0]
    /// By family as `implicit`: some route may be stale (set when a session ends with graceful restart, cleared
    /// when the family's stale routes are swept or dropped), so a session without one never scans the Loc-RIB.
    var mayHoldStale = [false, false]

    /// Routes we hold from this peer, fresh or stale.
    var count: Int { routes.count + stale.count + implicit[0] + implicit[1] }

    /// Removes the explicit entry for `prefix`, fresh or stale; true when there was one.
    func removeExplicit(_ prefix: Prefix) -> Bool {
        routes.removeValue(forKey: prefix) != nil || stale.removeValue(forKey: prefix) != nil
    }

    func isExplicit(_ prefix: Prefix) -> Bool { routes[prefix] != nil || stale[prefix] != nil }

    static func index(_ family: AddressFamily) -> Int { family.afi == .ipv4 ? 0 : 1 }
}

/// What one peer has been sent (RFC 4271 §3.2 Adj-RIBs-Out), so that only differences go out.
///
/// `routes` is the state the peer will have once the queue is drained; `pending` remembers, for each prefix
/// changed since the last `takeOutbound`, what the peer had before, so a change undone within one batch
/// sends nothing.
final class AdjRIBOut {
    enum Previous {
        case nothing
        case attributes(AttributeSet)
        /// Send whatever is current even if unchanged (route refresh, new session).
        case resend
    }

    var routes = PrefixMap<AttributeSet>()
    var pending = PrefixMap<Previous>()
    var pendingEndOfRIB: [AddressFamily] = []

    var hasOutbound: Bool { !pending.isEmpty || !pendingEndOfRIB.isEmpty }

    /// The peer has (or is about to have) some route of this family.
    func holds(_ afi: AFI) -> Bool { afi == .ipv4 ? !routes.v4.isEmpty : !routes.v6.isEmpty }

    /// Records that the peer should now have `attributes` (nil = nothing) for `prefix`.
    func set(_ prefix: Prefix, _ attributes: AttributeSet?) {
        // Nothing sent and nothing to send (say, iBGP routes towards a non-client): skip the lookup.
        if attributes == nil && !holds(prefix.family.afi) { return }
        let old = routes[prefix]
        if old === attributes { return }
        if pending[prefix] == nil { pending[prefix] = old.map { .attributes($0) } ?? .nothing }
        routes[prefix] = attributes
    }

    /// Queues every route of `family` to be sent again.
    func resendAll(_ family: AddressFamily) {
        for (prefix, _) in routes.entries(family) { pending[prefix] = .resend }
    }

    func clear() {
        routes.removeAll()
        pending.removeAll()
        pendingEndOfRIB = []
    }

    /// Drains the queue into batches: withdrawals first, then announcements grouped by attribute set,
    /// then End-of-RIB markers. Sorted, so the same changes always produce the same batches.
    func take() -> [OutboundBatch] {
        var withdraw: [AddressFamily: [Prefix]] = [:]
        var groups: [ObjectIdentifier: (attributes: AttributeSet, prefixes: [Prefix])] = [:]
        pending.forEach { prefix, previous in
            let now = routes[prefix]
            switch (previous, now) {
            case (.nothing, nil): return
            case (.attributes(let old), let new?) where old === new: return
            case (_, nil): withdraw[prefix.family, default: []].append(prefix)
            case (_, let new?): groups[ObjectIdentifier(new), default: (new, [])].prefixes.append(prefix)
            }
        }
        pending.removeAll()
        var batches: [OutboundBatch] = []
        for family in AddressFamily.supported {
            guard let prefixes = withdraw[family] else { continue }
            batches.append(OutboundBatch(attributes: PathAttributes(), nextHop: family.unspecifiedAddress,
                                         announce: [], withdraw: prefixes.sorted()))
        }
        let announced = groups.values.map { ($0.attributes, $0.prefixes.sorted()) }.sorted { $0.1[0] < $1.1[0] }
        for (set, prefixes) in announced {
            batches.append(OutboundBatch(attributes: set.attributes, nextHop: set.nextHop, announce: prefixes, withdraw: []))
        }
        for family in pendingEndOfRIB {
            batches.append(OutboundBatch(attributes: PathAttributes(), nextHop: family.unspecifiedAddress,
                                         announce: [], withdraw: [], endOfRIB: family))
        }
        pendingEndOfRIB = []
        return batches
    }
}

extension AddressFamily {
    /// 0.0.0.0 or ::, the next hop of batches that announce nothing.
    var unspecifiedAddress: IPAddress { afi == .ipv4 ? .v4(.zero) : .v6(.zero) }
}
