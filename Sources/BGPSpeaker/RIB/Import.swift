import BGPWire

/// Why a received route did not make it into the Loc-RIB.
enum ImportRejection: Error, Hashable {
    /// Our AS appears in AS_PATH more often than `allowOwnAS` permits (RFC 4271 §9.1.2).
    case asPathLoop
    /// ORIGINATOR_ID is our router ID: the route is our own, reflected back (RFC 4456 §8).
    case originatorIsSelf
    /// Our cluster ID is already in CLUSTER_LIST (RFC 4456 §8).
    case clusterLoop
    case deniedByPolicy
}

/// What the import rules need to know about us and about the sending peer.
struct ImportContext {
    var ownASes: [UInt32]
    var routerID: IPv4Address
    var clusterID: IPv4Address?
    var defaultLocalPref: UInt32
    var fromExternal: Bool
    var allowOwnAS: Int
    var remoteAS: UInt32
    var policy: RoutePolicy?
}

/// The import rules, in order: loop detection, attribute clean-up by session type, then import policy.
/// Works on the unfiltered Adj-RIB-In copy, so it can be re-run whenever the rules change.
func importRoute(_ prefix: Prefix, _ received: AttributeSet, _ context: ImportContext) -> Result<PolicyRoute, ImportRejection> {
    var attributes = received.attributes
    for asn in context.ownASes where attributes.asPath.count(of: asn) > context.allowOwnAS {
        return .failure(.asPathLoop)
    }
    if context.fromExternal {
        // LOCAL_PREF is internal to an AS (RFC 4271 §5.1.5); reflector attributes must not cross AS borders.
        attributes.localPref = context.defaultLocalPref
        attributes.originatorID = nil
        attributes.clusterList = []
    } else {
        if attributes.originatorID == context.routerID { return .failure(.originatorIsSelf) }
        if let cluster = context.clusterID, attributes.clusterList.contains(cluster) { return .failure(.clusterLoop) }
        if attributes.localPref == nil { attributes.localPref = context.defaultLocalPref }
    }
    let route = PolicyRoute(prefix: prefix, attributes: attributes, nextHop: received.nextHop)
    guard let policy = context.policy else { return .success(route) }
    guard let result = policy.apply(to: route, neighborAS: context.remoteAS) else { return .failure(.deniedByPolicy) }
    return .success(result)
}

/// True when `importRoute` would accept `received` exactly as it is: no loop, nothing to clean up or fill in, no
/// policy. Read in place, so the common iBGP route is neither copied nor hashed again on import.
func importLeavesUnchanged(_ received: AttributeSet, _ context: ImportContext) -> Bool {
    guard context.policy == nil else { return false }
    let attributes = received.attributes
    for asn in context.ownASes where attributes.asPath.count(of: asn) > context.allowOwnAS { return false }
    if context.fromExternal {
        return attributes.localPref == context.defaultLocalPref && attributes.originatorID == nil
            && attributes.clusterList.isEmpty
    }
    if attributes.originatorID == context.routerID { return false }
    if let cluster = context.clusterID, attributes.clusterList.contains(cluster) { return false }
    return attributes.localPref != nil
}

typealias PolicyRoute = RoutePolicy.Route
