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
        peer.routerID = session.remoteRouterID
        if !peer.adjIn.stale.isEmpty {
            let preserved = Set((session.peerGracefulRestart?.families ?? []).filter(\.forwardingStatePreserved).map(\.family))
            for family in AddressFamily.supported where !preserved.contains(family) { sweepStale(peer, family: family) }
            // The router ID may have changed, and it is a tie-breaker for the paths kept.
            peer.adjIn.stale.forEach { prefix, _ in table(prefix.family).updateIfPresent(prefix) { markDirty(&$0, prefix) } }
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
        peer.adjOut.clear()
        let retained = Set((session.peerGracefulRestart?.families ?? []).map(\.family)).intersection(session.families)
        for family in AddressFamily.supported {
            if retained.contains(family) {
                for (prefix, set) in peer.adjIn.routes.removeAll(family) {
                    peer.adjIn.stale[prefix] = set
                    table(family).updateIfPresent(prefix) { $0.markStale(peer.pathSource) }
                }
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
        for (prefix, _) in peer.adjIn.stale.removeAll(family) { removePath(prefix, from: peer) }
    }

    /// Withdraws everything received from `peer` in `families` (nil = all).
    func dropRoutes(of peer: PeerState, families: Set<AddressFamily>?) {
        for family in AddressFamily.supported where families?.contains(family) ?? true {
            for (prefix, _) in peer.adjIn.routes.removeAll(family) + peer.adjIn.stale.removeAll(family) {
                removePath(prefix, from: peer)
            }
        }
    }
}
