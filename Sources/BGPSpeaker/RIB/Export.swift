import BGPWire

/// Facts about the source of a path that the decision process and the export rules need.
struct SourceFacts {
    /// The peer slot, nil for a locally originated path.
    var slot: UInt16?
    var origin: OriginSource?
    var isExternal: Bool
    var isReflectorClient: Bool
    var routerID: IPv4Address
    var address: IPAddress

    var isLocal: Bool { origin != nil }
    var isInternalPeer: Bool { slot != nil && !isExternal }
}

/// The peer a route is being exported to (a class: it is read once per route, and copying a PeerConfig
/// costs a dozen reference counts).
final class ExportTarget {
    let slot: UInt16
    let adjOut: AdjRIBOut
    let config: PeerConfig
    let session: NegotiatedSession
    let isExternal: Bool
    /// The AS we present to this peer (its `localAS`, else ours).
    let localAS: UInt32
    let policy: RoutePolicy?

    init(slot: UInt16, adjOut: AdjRIBOut, config: PeerConfig, session: NegotiatedSession, isExternal: Bool, localAS: UInt32,
         policy: RoutePolicy?) {
        self.slot = slot; self.adjOut = adjOut; self.config = config; self.session = session
        self.isExternal = isExternal; self.localAS = localAS; self.policy = policy
        carriesIPv4 = session.families.contains(.ipv4Unicast)
        carriesIPv6 = session.families.contains(.ipv6Unicast)
    }

    /// The session's unicast families, looked up once instead of hashing a Set per route.
    let carriesIPv4: Bool
    let carriesIPv6: Bool
    func carries(_ prefix: Prefix) -> Bool {
        if case .v4 = prefix { return carriesIPv4 } else { return carriesIPv6 }
    }

    /// Our own next hop on this session for a route of `family` (next-hop-self, eBGP, local routes).
    func ownNextHop(for family: AddressFamily) -> IPAddress {
        switch (family.afi, session.localAddress) {
        case (.ipv4, _): return session.localAddress
        case (.ipv6, .v6): return session.localIPv6NextHop.map { .v6($0) } ?? session.localAddress
        case (.ipv6, .v4(let v4)):
            // IPv6 over an IPv4 session without a configured IPv6 next hop: the IPv4-mapped address.
            return .v6(session.localIPv6NextHop ?? IPv6Address(high: 0, low: 0xffff_0000_0000 | UInt64(v4.value)))
        }
    }
}

/// Router-wide facts for export.
struct ExportContext {
    var clusterID: IPv4Address?
    var defaultLocalPref: UInt32
}

/// The export rules that look only at where a path came from and where it would go: true when `exportRoute`
/// refuses every path from `source` to `target`, whatever its prefix and attributes (back to its own peer;
/// iBGP to iBGP without reflection, RFC 4456 §6). Lets a run of routes from one peer skip such targets without
/// evaluating anything per route.
func refusesEverything(from source: SourceFacts, to target: ExportTarget, _ context: ExportContext) -> Bool {
    if source.slot != nil && source.slot == target.slot { return true }
    guard !target.isExternal, source.isInternalPeer else { return false }
    return context.clusterID == nil || !(source.isReflectorClient || target.config.routeReflectorClient)
}

/// Every export rule in one place (RFC 4271 §9.1.3 and §5.1, RFC 4456 §6 and §8, RFC 1997): whether the best
/// path for `prefix` goes to `target`, and with which attributes and next hop.
/// - Returns: the route to advertise, or nil when it must not be advertised (a withdrawal if it was before).
func exportRoute(_ prefix: Prefix, _ path: Path, from source: SourceFacts, to target: ExportTarget,
                 _ context: ExportContext) -> PolicyRoute? {
    let family = prefix.family
    // Never back to the peer it came from, and only in families the session carries.
    guard source.slot != target.slot, target.session.families.contains(family) else { return nil }
    if refusesEverything(from: source, to: target, context) { return nil }
    let set = path.attributes
    if set.noAdvertise || (target.isExternal && set.noExport) { return nil }
    var attributes = set.attributes
    var nextHop = set.nextHop

    if target.isExternal {
        attributes.asPath = attributes.asPath.prepending(target.localAS)
        attributes.localPref = nil
        attributes.originatorID = nil
        attributes.clusterList = []
        // RFC 4271 §5.1.4: a MED received from a neighbouring AS is not passed on to another AS.
        if !source.isLocal { attributes.med = nil }
        if source.isLocal || !target.config.keepNextHop { nextHop = target.ownNextHop(for: family) }
    } else {
        var reflected = false
        if source.isInternalPeer {
            // RFC 4456 §6 (only a reflector passes iBGP routes on; client routes go to everyone, non-client
            // routes to clients only) was applied by `refusesEverything` above: here a cluster ID is in force.
            guard let cluster = context.clusterID else { return nil }
            if attributes.originatorID == nil { attributes.originatorID = source.routerID }
            // Its originator would drop it anyway (RFC 4456 §8).
            if attributes.originatorID == target.session.remoteRouterID { return nil }
            attributes.clusterList.insert(cluster, at: 0)
            reflected = true
        }
        if attributes.localPref == nil { attributes.localPref = context.defaultLocalPref }
        // A reflector leaves the next hop alone (RFC 4456 §10); next-hop-self applies to our own eBGP routes.
        if source.isLocal || (target.config.nextHopSelf && !reflected) { nextHop = target.ownNextHop(for: family) }
    }
    attributes.nextHop = family.afi == .ipv4 ? nextHop.ipv4 : nil

    var route = PolicyRoute(prefix: prefix, attributes: attributes, nextHop: nextHop)
    if let policy = target.policy {
        guard let result = policy.apply(to: route, neighborAS: target.config.remoteAS) else { return nil }
        route = result
        if target.isExternal { route.attributes.localPref = nil }
    }
    return route
}
