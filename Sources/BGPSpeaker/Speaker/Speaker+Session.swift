import BGPWire

extension Speaker {
    /// The session reached Established: queues the whole Adj-RIB-Out for the peer, then End-of-RIB for each
    /// family. Stale routes from a previous session survive only in families the peer says it preserved
    /// forwarding state for (RFC 4724 §4.2).
    public func sessionEstablished(_ address: IPAddress, _ session: NegotiatedSession) {
        guard let peer = peers[address] else { return }
        // A new session replaces an old one that was never reported down: that one ends first.
        if peer.session != nil { sessionDown(address) }
        peer.session = session
        peerSettingsChanged()
        peer.routerID = session.remoteRouterID
        if peer.adjIn.mayHoldStale.contains(true) {
            let preserved = Set((session.peerGracefulRestart?.families ?? []).filter(\.forwardingStatePreserved).map(\.family))
            for family in AddressFamily.supported where !preserved.contains(family) { sweepStale(peer, family: family) }
            // The router ID may have changed, and it is a tie-breaker for the paths kept.
            let source = peer.pathSource
            for family in AddressFamily.supported where peer.adjIn.mayHoldStale[AdjRIBIn.index(family)] {
                table(family).updateEach { prefix, destination in
                    if destination.path(from: source)?.isStale == true { markDirty(&destination, prefix) }
                }
            }
        }
        peer.adjOut.clear()
        for family in AddressFamily.supported where session.families.contains(family) {
            exportTable(family, to: peer)
            peer.adjOut.pendingEndOfRIB.append(family)
        }
    }

    /// The session left Established. With graceful restart negotiated, routes in the families the peer's
    /// capability listed are kept and marked stale (RFC 4724 §4.2) until they are refreshed, End-of-RIB
    /// sweeps them, or the runtime's restart timer calls `expireStale`; everything else is withdrawn.
    public func sessionDown(_ address: IPAddress) {
        guard let peer = peers[address], let session = peer.session else { return }
        peer.session = nil
        peerSettingsChanged()
        peer.adjOut.clear()
        let retained = Set((session.peerGracefulRestart?.families ?? []).map(\.family)).intersection(session.families)
        for family in AddressFamily.supported {
            if retained.contains(family) {
                for (prefix, set) in peer.adjIn.routes.removeAll(family) { peer.adjIn.stale[prefix] = set }
                // Every path from the peer, explicit or implicit, is kept as stale.
                let source = peer.pathSource
                table(family).updateEach { $1.markStale(source) }
                peer.adjIn.mayHoldStale[AdjRIBIn.index(family)] = true
            } else {
                dropRoutes(of: peer, families: [family])
            }
        }
    }

    /// The peer's restart timer fired: its stale routes are withdrawn.
    public func expireStale(_ address: IPAddress) {
        guard let peer = peers[address] else { return }
        for family in AddressFamily.supported { sweepStale(peer, family: family) }
    }

    /// The peer asked for our routes again (RFC 2918): the family's Adj-RIB-Out is queued in full.
    public func routeRefreshRequested(by address: IPAddress, family: AddressFamily) {
        guard let peer = peers[address], let session = peer.session, session.families.contains(family) else { return }
        peer.adjOut.resendAll(family)
    }

    /// Withdraws the stale routes of one family (End-of-RIB or timer).
    func sweepStale(_ peer: PeerState, family: AddressFamily) {
        let f = AdjRIBIn.index(family)
        guard peer.adjIn.mayHoldStale[f] else { return }
        peer.adjIn.mayHoldStale[f] = false
        // Explicit ones first: what is stale in the Loc-RIB afterwards is implicit.
        for (prefix, _) in peer.adjIn.stale.removeAll(family) { removePath(prefix, from: peer) }
        let source = peer.pathSource
        var implicit: [Prefix] = []
        table(family).forEach { prefix, destination in
            if destination.path(from: source)?.isStale == true { implicit.append(prefix) }
        }
        for prefix in implicit where removePath(prefix, from: peer) { peer.adjIn.implicit[f] -= 1 }
    }

    /// Withdraws everything received from `peer` in `families` (nil = all).
    func dropRoutes(of peer: PeerState, families: Set<AddressFamily>?) {
        let source = peer.pathSource
        for family in AddressFamily.supported where families?.contains(family) ?? true {
            let f = AdjRIBIn.index(family)
            for (prefix, _) in peer.adjIn.routes.removeAll(family) + peer.adjIn.stale.removeAll(family) {
                removePath(prefix, from: peer)
            }
            if peer.adjIn.implicit[f] > 0 {
                var implicit: [Prefix] = []
                table(family).forEach { prefix, destination in
                    if destination.path(from: source) != nil { implicit.append(prefix) }
                }
                for prefix in implicit { removePath(prefix, from: peer) }
                peer.adjIn.implicit[f] = 0
            }
            peer.adjIn.mayHoldStale[f] = false
        }
    }
}
