import BGPWire

/// A named route policy (route-map / route-policy): ordered rules, the first whose match fits decides.
/// A route no rule matches gets `defaultAction` (deny, as in Quagga and VRP).
public struct RoutePolicy: Hashable, Sendable {
    public var rules: [Rule]
    public var defaultAction: Action

    public init(rules: [Rule], defaultAction: Action = .deny) {
        self.rules = rules; self.defaultAction = defaultAction
    }

    public enum Action: Hashable, Sendable { case permit, deny }

    /// One rule: all of its conditions must hold (an empty match matches everything).
    public struct Rule: Hashable, Sendable {
        public var match: Match
        public var action: Action
        /// Applied in order when the rule permits.
        public var set: [SetAction]
        /// A permitting rule that only rewrites: its set actions apply and evaluation goes on with the next
        /// rule (route-map `continue`; a BIRD function that adds communities without accepting).
        public var continues: Bool
        public init(match: Match = Match(), action: Action = .permit, set: [SetAction] = [], continues: Bool = false) {
            self.match = match; self.action = action; self.set = set; self.continues = continues
        }
    }

    public struct Match: Hashable, Sendable {
        /// Any of these entries (a prefix list); nil = any prefix.
        public var prefixes: [PrefixMatch]?
        /// None of these entries (BIRD's `!=` and `!~`); nil = don't care.
        public var notPrefixes: [PrefixMatch]?
        /// Any of these communities present; nil = don't care.
        public var communities: [Community]?
        /// The AS_PATH contains this ASN.
        public var asPathContains: UInt32?
        /// The AS of the neighbour the policy is applied to (the sender on import, the receiver on export).
        public var neighborAS: UInt32?
        public init(prefixes: [PrefixMatch]? = nil, notPrefixes: [PrefixMatch]? = nil, communities: [Community]? = nil,
                    asPathContains: UInt32? = nil, neighborAS: UInt32? = nil) {
            self.prefixes = prefixes; self.notPrefixes = notPrefixes; self.communities = communities
            self.asPathContains = asPathContains; self.neighborAS = neighborAS
        }
    }

    /// A prefix-list entry. Without `ge`/`le` only the exact prefix matches; with them, any more specific
    /// prefix inside `prefix` whose length is in `ge...le` (`le` alone: length...le; `ge` alone: ge...max).
    public struct PrefixMatch: Hashable, Sendable {
        public var prefix: Prefix
        public var ge: UInt8?
        public var le: UInt8?
        public init(_ prefix: Prefix, ge: UInt8? = nil, le: UInt8? = nil) { self.prefix = prefix; self.ge = ge; self.le = le }

        public func matches(_ candidate: Prefix) -> Bool {
            guard prefix.contains(candidate) else { return false }
            let length = candidate.length
            if ge == nil && le == nil { return length == prefix.length }
            let low = ge ?? prefix.length
            let high = le ?? (candidate.family.afi == .ipv4 ? 32 : 128)
            return length >= low && length <= high
        }
    }

    public enum SetAction: Hashable, Sendable {
        case localPref(UInt32)
        case med(UInt32)
        case addCommunities([Community])
        /// RFC 8092 large communities, appended unless present.
        case addLargeCommunities([LargeCommunity])
        /// Prepend `asn` `times` times to the AS_PATH (at most 32, as vendors cap it).
        case prepend(asn: UInt32, times: Int)
        case nextHop(IPAddress)
    }

    /// A route as a policy sees and rewrites it.
    public struct Route: Hashable, Sendable {
        public var prefix: Prefix
        public var attributes: PathAttributes
        public var nextHop: IPAddress
        public init(prefix: Prefix, attributes: PathAttributes, nextHop: IPAddress) {
            self.prefix = prefix; self.attributes = attributes; self.nextHop = nextHop
        }
    }

    /// Runs the policy on `route`.
    /// - Parameters:
    ///   - route: the route to test and rewrite.
    ///   - neighborAS: the AS of the neighbour the policy is attached to.
    /// - Returns: the rewritten route, or nil when denied.
    public func apply(to route: Route, neighborAS: UInt32) -> Route? {
        var result = route
        for rule in rules where rule.match.matches(result, neighborAS: neighborAS) {
            guard rule.action == .permit else { return nil }
            for action in rule.set { action.apply(to: &result) }
            if !rule.continues { return result }
        }
        return defaultAction == .permit ? result : nil
    }

    /// True when some rule looks at the prefix, so the result cannot be reused across prefixes.
    var dependsOnPrefix: Bool { rules.contains { $0.match.prefixes != nil || $0.match.notPrefixes != nil } }
}

extension RoutePolicy.Match {
    func matches(_ route: RoutePolicy.Route, neighborAS asn: UInt32) -> Bool {
        if let prefixes, !prefixes.contains(where: { $0.matches(route.prefix) }) { return false }
        if let notPrefixes, notPrefixes.contains(where: { $0.matches(route.prefix) }) { return false }
        if let communities, !communities.contains(where: { route.attributes.communities.contains($0) }) { return false }
        if let asPathContains, !route.attributes.asPath.contains(asPathContains) { return false }
        if let neighborAS, neighborAS != asn { return false }
        return true
    }
}

extension RoutePolicy.SetAction {
    func apply(to route: inout RoutePolicy.Route) {
        switch self {
        case .localPref(let value): route.attributes.localPref = value
        case .med(let value): route.attributes.med = value
        case .addCommunities(let added):
            for c in added where !route.attributes.communities.contains(c) { route.attributes.communities.append(c) }
        case .addLargeCommunities(let added):
            for c in added where !route.attributes.largeCommunities.contains(c) { route.attributes.largeCommunities.append(c) }
        case .prepend(let asn, let times):
            if times > 0 { route.attributes.asPath = route.attributes.asPath.prepending(asn, times: min(times, 32)) }
        case .nextHop(let address):
            route.nextHop = address
            if case .v4(let v4) = address { route.attributes.nextHop = v4 }
        }
    }
}

extension Prefix {
    /// True when `other` is this prefix or a more specific one inside it (same family).
    func contains(_ other: Prefix) -> Bool {
        switch (self, other) {
        case (.v4(let a), .v4(let b)): a.contains(b)
        case (.v6(let a), .v6(let b)): a.contains(b)
        default: false
        }
    }
}
