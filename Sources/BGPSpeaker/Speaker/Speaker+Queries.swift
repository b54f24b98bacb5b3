import BGPWire

/// Read-only views for `display bgp …`, `show ip bgp`, `calicoctl node status` and `bgpd status`.
extension Speaker {
    /// - Returns: routes held from the peer (fresh and stale), those accepted into the Loc-RIB, and those
    ///   currently advertised to it; zeros for an unknown peer.
    public func peerRouteCounts(_ address: IPAddress) -> (received: Int, accepted: Int, advertised: Int) {
        guard let peer = peers[address] else { return (0, 0, 0) }
        return (peer.adjIn.count, peer.accepted, peer.adjOut.routes.count)
    }

    /// True while the runtime has reported the session Established.
    public func isEstablished(_ address: IPAddress) -> Bool { peers[address]?.session != nil }

    /// The session facts the runtime reported, nil when not Established.
    public func session(_ address: IPAddress) -> NegotiatedSession? { peers[address]?.session }

    /// Every path of the family's Loc-RIB, by prefix, best path first within a prefix.
    public func locRIB(family: AddressFamily) -> [RIBEntry] {
        table(family).sorted.flatMap { entries($0.prefix, $0.destination) }
    }

    /// The paths for exactly `prefix`, best first; empty when unknown.
    public func routes(for prefix: Prefix) -> [RIBEntry] {
        table(prefix.family)[prefix].map { entries(prefix, $0) } ?? []
    }

    /// The most specific Loc-RIB prefix containing `address` with a best path (`display bgp routing-table <ip>`).
    public func longestMatch(_ address: IPAddress) -> Prefix? {
        let family: AddressFamily = address.family == .ipv4 ? .ipv4Unicast : .ipv6Unicast
        var found: Prefix?
        table(family).forEach { prefix, destination in
            guard destination.best != nil, prefix.contains(address) else { return }
            if found == nil || prefix.length > found!.length { found = prefix }
        }
        return found
    }

    /// Peers the best path for `prefix` is currently advertised to ("Advertised to such 1 peers").
    public func advertisedTo(_ prefix: Prefix) -> [IPAddress] {
        peers.values.filter { $0.adjOut.routes[prefix] != nil }.map(\.address).sorted()
    }

    /// What the peer sent, before import rules and policy.
    public func adjRIBIn(_ address: IPAddress) -> [RIBEntry] {
        guard let peer = peers[address] else { return [] }
        let source = routeSource(peer.pathSource)
        return receivedRoutes(of: peer).sorted { $0.prefix < $1.prefix }.map { prefix, set, stale in
            RIBEntry(prefix: prefix, attributes: set.attributes, nextHop: set.nextHop, source: source, isStale: stale,
                     isValid: resolve(set.nextHop) != nil)
        }
    }

    /// What the peer has been sent (including changes still queued), as it will see it.
    public func adjRIBOut(_ address: IPAddress) -> [RIBEntry] {
        guard let peer = peers[address] else { return [] }
        var result: [RIBEntry] = []
        peer.adjOut.routes.forEach { prefix, set in
            let best = table(prefix.family)[prefix]?.best
            result.append(RIBEntry(prefix: prefix, attributes: set.attributes, nextHop: set.nextHop,
                                   source: best.map { routeSource($0.source) } ?? .local(.network), isBest: true))
        }
        return result.sorted { $0.prefix < $1.prefix }
    }

    /// Number of distinct attribute sets alive (interned and shared by all routes).
    public var attributeSetCount: Int { interner.count }

    /// Number of prefixes in the family's Loc-RIB and number of paths over all of them.
    public func locRIBSize(family: AddressFamily) -> (prefixes: Int, paths: Int) {
        var paths = 0
        table(family).forEach { paths += $1.paths.count }
        return (table(family).count, paths)
    }

    // MARK: Building entries

    func routeSource(_ source: PathSource) -> RouteSource {
        switch source {
        case .local(let origin): return .local(origin)
        case .peer:
            let facts = facts(source)
            return .peer(facts.address, routerID: facts.routerID, external: facts.isExternal)
        }
    }

    /// A destination's paths for display: the ones in use first, the rest in the order they would take over;
    /// each with the step that made it win or lose.
    private func entries(_ prefix: Prefix, _ destination: Destination) -> [RIBEntry] {
        let paths = destination.paths
        guard !paths.isEmpty else { return [] }
        let candidates = paths.map(candidate)
        let options = decisionOptions
        let selection = DecisionProcess.select(candidates, options: options)
        let inUse = Int(destination.selected)
        let rest = Array(inUse..<paths.count)
        let ranked = DecisionProcess.rank(rest.map { candidates[$0] }, options: options).map { rest[$0] }
        return (Array(0..<inUse) + ranked).map { i in
            let path = paths[i]
            let reason = i == selection.winner ? selection.reason : selection.eliminatedBy[i]
            return RIBEntry(prefix: prefix, attributes: path.attributes.attributes, nextHop: path.nextHop,
                            source: routeSource(path.source), isBest: i == 0 && inUse > 0, isMultipath: i > 0 && i < inUse,
                            bestReason: reason, isStale: path.isStale, isValid: candidates[i].igpMetric != nil,
                            since: path.since)
        }
    }
}

extension Prefix {
    /// True when `address` lies inside this prefix.
    func contains(_ address: IPAddress) -> Bool {
        switch (self, address) {
        case (.v4(let p), .v4(let a)): p.contains(a)
        case (.v6(let p), .v6(let a)): p.contains(a)
        default: false
        }
    }
}
