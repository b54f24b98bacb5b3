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
