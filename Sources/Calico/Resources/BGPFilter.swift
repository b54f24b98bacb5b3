import BGPWire

/// `BGPFilter`: import/export rules BGPPeers reference by name in `filters`.
public struct BGPFilter: CalicoResource {
    public static let kind = ResourceKind.bgpFilter
    public var metadata: ObjectMeta
    /// `exportV4`, `importV4`, `exportV6`, `importV6`: rule lists, kept as given.
    public var rules: [String: [JSONValue]]

    static let listKeys = ["exportV4", "importV4", "exportV6", "importV6"]
    static let ruleKeys = ["cidr", "prefixLength", "source", "interface", "matchOperator", "action"]

    public init(name: String, rules: [String: [JSONValue]] = [:]) {
        metadata = ObjectMeta(name: name)
        self.rules = rules
    }

    public init(metadata: ObjectMeta, document: JSONValue) throws {
        self.metadata = metadata
        let r = try FieldReader(document["spec"] ?? .null, structName: "BGPFilterSpec", path: "spec", known: Self.listKeys)
        var rules: [String: [JSONValue]] = [:]
        for k in Self.listKeys {
            guard let v = r.raw(k) else { continue }
            guard case .array(let items) = v else { throw r.mismatch(k, v, "[]v3.BGPFilterRule") }
            for item in items {
                let rr = try FieldReader(item, structName: "BGPFilterRule", path: "spec.\(k)", known: Self.ruleKeys)
                if let pl = rr.raw("prefixLength") {
                    _ = try FieldReader(pl, structName: "BGPFilterPrefixLength", path: "spec.\(k).prefixLength", known: ["min", "max"])
                }
            }
            rules[k] = items
        }
        self.rules = rules
    }

    public var bodyJSON: [(String, JSONValue)] {
        [("spec", .object(Self.listKeys.compactMap { k in rules[k].flatMap { $0.isEmpty ? nil : (k, .array($0)) } }))]
    }

    public func count(_ list: String) -> Int { rules[list]?.count ?? 0 }

    public func validate() -> [FieldError] {
        var errs = NameRules.check(metadata.name)
        for k in Self.listKeys {
            let v6 = k.hasSuffix("V6")
            for rule in rules[k] ?? [] {
                let action = rule["action"]?.stringValue ?? ""
                if !["Accept", "Reject"].contains(action) { errs.append(.tag("Action", action, action.isEmpty ? "required" : "oneof")) }
                if let op = rule["matchOperator"]?.stringValue, !["Equal", "NotEqual", "In", "NotIn"].contains(op) {
                    errs.append(.tag("MatchOperator", op, "oneof"))
                }
                if let c = rule["cidr"]?.stringValue {
                    let ok = v6 ? IPv6Prefix(c) != nil : IPv4Prefix(c) != nil
                    if !ok { errs.append(.tag("CIDR", c, v6 ? "netv6" : "netv4")) }
                }
                if let s = rule["source"]?.stringValue, s != "RemotePeers" { errs.append(.tag("Source", s, "oneof")) }
                if let i = rule["interface"]?.stringValue, !BGPConfiguration.validInterfacePattern(i) { errs.append(.tag("Interface", i, "bgpFilterInterface")) }
            }
        }
        return errs
    }

    public static func == (a: BGPFilter, b: BGPFilter) -> Bool { a.metadata == b.metadata && a.rules == b.rules }
    public func hash(into h: inout Hasher) { h.combine(metadata); h.combine(rules) }
}

extension BGPFilter {
    /// One of the four rule lists, as peers apply them (spec §2.8).
    public enum RuleList: String, Sendable, CaseIterable {
        case importV4, exportV4, importV6, exportV6

        public static func of(import isImport: Bool, family: AddressFamily) -> RuleList {
            switch (isImport, family == .ipv4Unicast) {
            case (true, true): .importV4
            case (true, false): .importV6
            case (false, true): .exportV4
            case (false, false): .exportV6
            }
        }
    }

    /// A rule as the generated BIRD function tests it: every clause present must hold, then `action`.
    public struct Rule: Hashable, Sendable {
        /// Equal `=`, NotEqual `!=`, In `~`, NotIn `!~`.
        public enum MatchOperator: String, Hashable, Sendable { case equal = "Equal", notEqual = "NotEqual", `in` = "In", notIn = "NotIn" }

        public var cidr: Prefix?
        public var matchOperator: MatchOperator
        /// `prefixLength {min, max}`: turns the CIDR clause into the set `[ cidr{min,max} ]`.
        public var prefixLengthMin: UInt8?
        public var prefixLengthMax: UInt8?
        /// `source: RemotePeers`: only routes learned over BGP.
        public var remotePeersOnly: Bool
        /// `interface` glob (`eth*`), tested against the route's interface.
        public var interface: String?
        public var accept: Bool

        public init(cidr: Prefix? = nil, matchOperator: MatchOperator = .in, prefixLengthMin: UInt8? = nil, prefixLengthMax: UInt8? = nil,
                    remotePeersOnly: Bool = false, interface: String? = nil, accept: Bool) {
            self.cidr = cidr; self.matchOperator = matchOperator
            self.prefixLengthMin = prefixLengthMin; self.prefixLengthMax = prefixLengthMax
            self.remotePeersOnly = remotePeersOnly; self.interface = interface; self.accept = accept
        }

        /// True when the CIDR clause holds for `prefix` (true when there is none).
        public func cidrMatches(_ prefix: Prefix) -> Bool {
            guard let cidr else { return true }
            let hit: Bool
            if prefixLengthMin != nil || prefixLengthMax != nil {
                // `net ~ [ cidr{min,max} ]`: inside cidr with a length in min...max.
                let low = prefixLengthMin ?? cidr.length, high = prefixLengthMax ?? (cidr.family == .ipv4Unicast ? 32 : 128)
                hit = BlockMath.contains(cidr, prefix) && prefix.length >= low && prefix.length <= high
            } else {
                switch matchOperator {
                case .equal, .notEqual: hit = prefix == cidr
                case .in, .notIn: hit = BlockMath.contains(cidr, prefix)
                }
            }
            return (matchOperator == .equal || matchOperator == .in) ? hit : !hit
        }
    }

    /// BIRD's `ifname ~ "<glob>"`: `*` any run of characters, `?` one character.
    public static func interface(_ name: String, matches glob: String) -> Bool {
        let n = Array(name), g = Array(glob)
        // Iterative wildcard match with one backtrack point for the last `*`.
        var i = 0, j = 0, star = -1, mark = 0
        while i < n.count {
            if j < g.count && (g[j] == "?" || g[j] == n[i]) { i += 1; j += 1 }
            else if j < g.count && g[j] == "*" { star = j; mark = i; j += 1 }
            else if star >= 0 { j = star + 1; mark += 1; i = mark }
            else { return false }
        }
        while j < g.count && g[j] == "*" { j += 1 }
        return j == g.count
    }

    /// The typed rules of one list; entries that do not validate are left out (the datastore refuses them).
    public func rules(_ list: RuleList) -> [Rule] {
        (rules[list.rawValue] ?? []).compactMap { item in
            let action = item["action"]?.stringValue
            guard action == "Accept" || action == "Reject" else { return nil }
            var rule = Rule(accept: action == "Accept")
            if let c = item["cidr"]?.stringValue {
                guard let p = Prefix(c), (p.family == .ipv4Unicast) == list.rawValue.hasSuffix("V4") else { return nil }
                rule.cidr = p
            }
            if let op = item["matchOperator"]?.stringValue {
                guard let o = Rule.MatchOperator(rawValue: op) else { return nil }
                rule.matchOperator = o
            }
            if let pl = item["prefixLength"] {
                func length(_ key: String) -> UInt8? {
                    if case .number(let n)? = pl[key] { return UInt8(n) }
                    return nil
                }
                rule.prefixLengthMin = length("min")
                rule.prefixLengthMax = length("max")
            }
            rule.remotePeersOnly = item["source"]?.stringValue == "RemotePeers"
            rule.interface = item["interface"]?.stringValue
            return rule
        }
    }
}
