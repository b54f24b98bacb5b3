import BGPWire

/// `BGPConfiguration`: `default` holds the cluster-wide settings, `node.<name>` a node's own listen port,
/// log level and prefix advertisements.
public struct BGPConfiguration: CalicoResource {
    public static let kind = ResourceKind.bgpConfiguration
    public var metadata: ObjectMeta
    public var spec: Spec

    public struct Spec: Hashable, Sendable {
        public var logSeverityScreen: String?
        public var nodeToNodeMeshEnabled: Bool?
        public var asNumber: ASNumber?
        public var serviceLoadBalancerIPs: [String]?
        public var serviceExternalIPs: [String]?
        public var serviceClusterIPs: [String]?
        public var listenPort: Int?
        public var nodeMeshPassword: SecretKeyRef?
        /// Go duration text (`120s`).
        public var nodeMeshMaxRestartTime: String?
        public var bindMode: String?
        public var ignoredInterfaces: [String]?
        /// Kept verbatim: `communities`, `prefixAdvertisements` and anything else not modelled.
        public var opaque: [String: JSONValue] = [:]
        public init() {}
    }

    public init(name: String, spec: Spec = Spec()) {
        metadata = ObjectMeta(name: name)
        self.spec = spec
    }

    static let specKeys = ["logSeverityScreen", "nodeToNodeMeshEnabled", "asNumber", "serviceLoadBalancerIPs",
                           "serviceExternalIPs", "serviceClusterIPs", "communities", "prefixAdvertisements",
                           "listenPort", "nodeMeshPassword", "nodeMeshMaxRestartTime", "bindMode",
                           "ignoredInterfaces", "serviceLoadBalancerAggregation", "localWorkloadPeeringIPV4",
                           "localWorkloadPeeringIPV6"]

    public init(metadata: ObjectMeta, document: JSONValue) throws {
        self.metadata = metadata
        let r = try FieldReader(document["spec"] ?? .null, structName: "BGPConfigurationSpec", path: "spec", known: Self.specKeys)
        var s = Spec()
        s.logSeverityScreen = try r.string("logSeverityScreen")
        s.nodeToNodeMeshEnabled = try r.bool("nodeToNodeMeshEnabled")
        s.asNumber = try r.asNumber("asNumber")
        s.serviceLoadBalancerIPs = try Self.cidrList(r, "serviceLoadBalancerIPs")
        s.serviceExternalIPs = try Self.cidrList(r, "serviceExternalIPs")
        s.serviceClusterIPs = try Self.cidrList(r, "serviceClusterIPs")
        s.listenPort = try r.int("listenPort", goType: "uint16", range: 0...65535)
        if let pw = r.raw("nodeMeshPassword") { s.nodeMeshPassword = try SecretKeyRef(password: pw, path: "spec.nodeMeshPassword") }
        s.nodeMeshMaxRestartTime = try r.string("nodeMeshMaxRestartTime")
        s.bindMode = try r.string("bindMode")
        s.ignoredInterfaces = try r.stringArray("ignoredInterfaces")
        for k in ["communities", "prefixAdvertisements", "serviceLoadBalancerAggregation", "localWorkloadPeeringIPV4", "localWorkloadPeeringIPV6"] {
            if let v = r.raw(k) { s.opaque[k] = v }
        }
        spec = s
    }

    /// `[{cidr: ...}]` lists of service ranges.
    static func cidrList(_ r: FieldReader, _ key: String) throws -> [String]? {
        guard let v = r.raw(key) else { return nil }
        guard case .array(let items) = v else { throw r.mismatch(key, v, "[]v3.ServiceClusterIPBlock") }
        return try items.map { item in
            let ir = try FieldReader(item, structName: "BGPConfigurationSpec", path: "spec.\(key)", known: ["cidr"])
            return try ir.string("cidr") ?? ""
        }
    }

    public var bodyJSON: [(String, JSONValue)] {
        var w = FieldWriter()
        let s = spec
        w.put("logSeverityScreen", s.logSeverityScreen)
        w.put("nodeToNodeMeshEnabled", s.nodeToNodeMeshEnabled, omitFalse: false)
        w.put("asNumber", s.asNumber)
        for (k, list) in [("serviceLoadBalancerIPs", s.serviceLoadBalancerIPs), ("serviceExternalIPs", s.serviceExternalIPs), ("serviceClusterIPs", s.serviceClusterIPs)] {
            if let list { w.put(k, raw: .array(list.map { .object([("cidr", .string($0))]) })) }
        }
        w.put("communities", raw: s.opaque["communities"])
        w.put("prefixAdvertisements", raw: s.opaque["prefixAdvertisements"])
        if let p = s.listenPort, p != 0 { w.put("listenPort", p) }
        w.put("nodeMeshPassword", raw: s.nodeMeshPassword?.passwordJSON)
        w.put("nodeMeshMaxRestartTime", s.nodeMeshMaxRestartTime)
        w.put("bindMode", s.bindMode)
        w.put("ignoredInterfaces", s.ignoredInterfaces)
        for k in ["serviceLoadBalancerAggregation", "localWorkloadPeeringIPV4", "localWorkloadPeeringIPV6"] { w.put(k, raw: s.opaque[k]) }
        return [("spec", w.value)]
    }

    public var isDefault: Bool { metadata.name == "default" }

    public func validate() -> [FieldError] {
        var errs = NameRules.check(metadata.name)
        let s = spec
        if let l = s.logSeverityScreen, !["Trace", "Debug", "Info", "Warning", "Error", "Fatal"].contains(l) {
            errs.append(.tag("LogSeverityScreen", l, "logLevel"))
        }
        if let p = s.listenPort, !(1...65535).contains(p) { errs.append(.tag("ListenPort", String(p), "gte")) }
        if let b = s.bindMode, !["None", "NodeIP"].contains(b) { errs.append(.tag("BindMode", b, "bindMode")) }
        for i in s.ignoredInterfaces ?? [] where !Self.validInterfacePattern(i) { errs.append(.tag("IgnoredInterfaces[0]", i, "ignoredInterface")) }
        for (field, list) in [("ServiceClusterIPs", s.serviceClusterIPs), ("ServiceExternalIPs", s.serviceExternalIPs), ("ServiceLoadBalancerIPs", s.serviceLoadBalancerIPs)] {
            for c in list ?? [] where Prefix(c) == nil { errs.append(FieldError(field: "\(field).CIDR", value: c, reason: "invalid CIDR value.")) }
        }
        errs += communityErrors()
        if let d = s.nodeMeshMaxRestartTime, GoDuration.seconds(d) == nil { errs.append(.tag("NodeMeshMaxRestartTime", d, "duration")) }
        if s.nodeToNodeMeshEnabled == false {
            if s.nodeMeshPassword != nil { errs.append(FieldError(field: "BGPConfiguration.Spec.NodeMeshPassword", value: "", reason: "spec.NodeMeshPassword cannot be set if spec.NodeToNodeMesh is disabled")) }
            if s.nodeMeshMaxRestartTime != nil { errs.append(FieldError(field: "BGPConfiguration.Spec.NodeMeshMaxRestartTime", value: s.nodeMeshMaxRestartTime ?? "", reason: "spec.NodeMeshMaxRestartTime cannot be set if spec.NodeToNodeMesh is disabled")) }
        }
        if !isDefault {
            func onlyDefault(_ set: Bool, _ field: String, _ text: String) {
                if set { errs.append(FieldError(field: "BGPConfiguration.Spec.\(field)", value: "", reason: "Cannot set \(text) on a non default BGP Configuration.")) }
            }
            onlyDefault(s.nodeToNodeMeshEnabled != nil, "NodeToNodeMeshEnabled", "nodeToNodeMeshEnabled")
            onlyDefault(s.asNumber != nil, "ASNumber", "ASNumber")
            onlyDefault(s.serviceLoadBalancerIPs != nil, "ServiceLoadBalancerIPs", "ServiceLoadBalancerIPs")
            onlyDefault(s.serviceExternalIPs != nil, "ServiceExternalIPs", "ServiceExternalIPs")
            onlyDefault(s.serviceClusterIPs != nil, "ServiceClusterIPs", "ServiceClusterIPs")
            onlyDefault(s.nodeMeshPassword != nil, "NodeMeshPassword", "nodeMeshPassword")
            onlyDefault(s.nodeMeshMaxRestartTime != nil, "NodeMeshMaxRestartTime", "nodeMeshMaxRestartTime")
        }
        return errs
    }

    static func validInterfacePattern(_ s: String) -> Bool {
        (1...15).contains(s.count) && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_.*-".contains($0)) }
    }
}

extension BGPConfiguration {
    /// A community value as confd renders it: `aa:nn` (16-bit parts) into `bgp_community`, `aa:nn:mm`
    /// (32-bit parts) into `bgp_large_community`.
    public enum CommunityValue: Hashable, Sendable {
        case standard(Community)
        case large(LargeCommunity)

        public init?(_ text: String) {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { return nil }
            if parts.count == 2, let a = UInt16(parts[0]), let n = UInt16(parts[1]) {
                self = .standard(Community(asn: a, value: n))
            } else if parts.count == 3, let a = UInt32(parts[0]), let b = UInt32(parts[1]), let c = UInt32(parts[2]) {
                self = .large(LargeCommunity(a, b, c))
            } else {
                return nil
            }
        }
    }

    /// One `prefixAdvertisements` entry with its community names resolved through `communities`.
    public struct PrefixAdvertisement: Hashable, Sendable {
        public var cidr: Prefix
        public var communities: [Community]
        public var largeCommunities: [LargeCommunity]
        public init(cidr: Prefix, communities: [Community] = [], largeCommunities: [LargeCommunity] = []) {
            self.cidr = cidr; self.communities = communities; self.largeCommunities = largeCommunities
        }
    }

    /// `spec.communities` as (name, value text) pairs.
    public var definedCommunities: [(name: String, value: String)] {
        (spec.opaque["communities"]?.arrayValue ?? []).map { ($0["name"]?.stringValue ?? "", $0["value"]?.stringValue ?? "") }
    }

    /// `spec.prefixAdvertisements` with names resolved; entries or values that do not resolve are skipped
    /// (validation refuses them before they reach the datastore).
    public var prefixAdvertisements: [PrefixAdvertisement] {
        let named = Dictionary(definedCommunities.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        return (spec.opaque["prefixAdvertisements"]?.arrayValue ?? []).compactMap { item in
            guard let cidr = item["cidr"]?.stringValue.flatMap(Prefix.init) else { return nil }
            var ad = PrefixAdvertisement(cidr: cidr)
            for entry in item["communities"]?.arrayValue ?? [] {
                guard let text = entry.stringValue, let value = CommunityValue(named[text] ?? text) else { continue }
                switch value {
                case .standard(let c): if !ad.communities.contains(c) { ad.communities.append(c) }
                case .large(let c): if !ad.largeCommunities.contains(c) { ad.largeCommunities.append(c) }
                }
            }
            return ad
        }
    }

    /// `validateBGPConfigurationSpec`'s community checks, in its order and words.
    func communityErrors() -> [FieldError] {
        var errs: [FieldError] = []
        let defined = definedCommunities
        /// False when the text has neither form; range errors are reported per part.
        func check(_ value: String, field: String) -> Bool {
            let parts = value.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard (parts.count == 2 || parts.count == 3), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else {
                errs.append(FieldError(field: field, value: value, reason: "invalid community value or format used."))
                return false
            }
            let bits = parts.count == 2 ? 16 : 32
            for part in parts where (bits == 16 ? UInt16(part) == nil : UInt32(part) == nil) {
                errs.append(FieldError(field: field, value: part, reason: "invalid community value, expected \(bits) bit value"))
            }
            return true
        }
        for c in defined where !check(c.value, field: "Spec.Communities[].Value") { return errs }
        let ads = spec.opaque["prefixAdvertisements"]?.arrayValue ?? []
        if !defined.isEmpty && ads.isEmpty {
            let text = "[" + defined.map { "{\($0.name) \($0.value)}" }.joined(separator: " ") + "]"
            errs.append(FieldError(field: "Spec.Communities", value: text, reason: "communities are defined but not used in Spec.PrefixAdvertisement[]."))
        }
        for ad in ads {
            let cidr = ad["cidr"]?.stringValue ?? ""
            if Prefix(cidr) == nil && IPAddress(cidr) == nil {
                errs.append(FieldError(field: "Spec.PrefixAdvertisements[].CIDR", value: cidr, reason: "invalid CIDR value."))
            }
            for entry in ad["communities"]?.arrayValue ?? [] {
                let text = entry.stringValue ?? ""
                if text.contains(":") {
                    _ = check(text, field: "Spec.PrefixAdvertisements[].Communities[]")
                } else if !defined.contains(where: { $0.name == text }) {
                    errs.append(FieldError(field: "Spec.PrefixAdvertisements[].Communities[]", value: text, reason: "community used is invalid or not defined."))
                }
            }
        }
        return errs
    }
}

/// `{secretKeyRef: {name, key}}`: where a BGP password lives (a Kubernetes Secret).
public struct SecretKeyRef: Hashable, Sendable {
    public var name: String
    public var key: String
    public init(name: String, key: String) { self.name = name; self.key = key }

    init(password v: JSONValue, path: String) throws {
        let r = try FieldReader(v, structName: "BGPPassword", path: path, known: ["secretKeyRef"])
        let sr = try FieldReader(r.raw("secretKeyRef") ?? .null, structName: "BGPPassword", path: path + ".secretKeyRef", known: ["name", "key", "optional"])
        name = try sr.string("name") ?? ""
        key = try sr.string("key") ?? ""
    }

    var passwordJSON: JSONValue { .object([("secretKeyRef", .object([("name", .string(name)), ("key", .string(key))]))]) }
}

/// Go `time.ParseDuration` for the units Calico configs use.
public enum GoDuration {
    public static func seconds(_ text: String) -> Double? {
        var s = Substring(text)
        var negative = false
        if s.hasPrefix("-") || s.hasPrefix("+") { negative = s.hasPrefix("-"); s = s.dropFirst() }
        if s == "0" { return 0 }
        guard !s.isEmpty else { return nil }
        let units: [(String, Double)] = [("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600)]
        var total = 0.0
        while !s.isEmpty {
            let num = s.prefix { $0.isNumber || $0 == "." }
            guard !num.isEmpty, let v = Double(num) else { return nil }
            s = s.dropFirst(num.count)
            guard let unit = units.first(where: { s.hasPrefix($0.0) && !(($0.0 == "m") && s.hasPrefix("ms")) }) else { return nil }
            s = s.dropFirst(unit.0.count)
            total += v * unit.1
        }
        return negative ? -total : total
    }
}
