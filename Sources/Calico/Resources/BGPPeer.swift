import BGPWire

/// `BGPPeer`: who peers with whom. Local side: `node`, `nodeSelector`, or every node (global);
/// remote side: `peerIP`+`asNumber`, or the Calico nodes matching `peerSelector`.
public struct BGPPeer: CalicoResource {
    public static let kind = ResourceKind.bgpPeer
    public var metadata: ObjectMeta
    public var spec: Spec

    public struct Spec: Hashable, Sendable {
        public var node: String?
        public var nodeSelector: String?
        public var peerIP: String?
        public var asNumber: ASNumber?
        public var peerSelector: String?
        public var keepOriginalNextHop: Bool?
        public var password: SecretKeyRef?
        public var sourceAddress: String?
        public var maxRestartTime: String?
        public var numAllowedLocalASNumbers: Int?
        public var ttlSecurity: Int?
        public var keepaliveTime: String?
        public var reachableBy: String?
        public var filters: [String]?
        public var localASNumber: ASNumber?
        public var localWorkloadSelector: String?
        public var nextHopMode: String?
        public var reversePeering: String?
        public init() {}
    }

    public init(name: String, spec: Spec) {
        metadata = ObjectMeta(name: name)
        self.spec = spec
    }

    static let specKeys = ["node", "nodeSelector", "peerIP", "asNumber", "peerSelector", "keepOriginalNextHop",
                           "password", "sourceAddress", "maxRestartTime", "numAllowedLocalASNumbers", "ttlSecurity",
                           "keepaliveTime", "reachableBy", "filters", "localASNumber", "localWorkloadSelector",
                           "nextHopMode", "reversePeering"]

    public init(metadata: ObjectMeta, document: JSONValue) throws {
        self.metadata = metadata
        let r = try FieldReader(document["spec"] ?? .null, structName: "BGPPeerSpec", path: "spec", known: Self.specKeys)
        var s = Spec()
        s.node = try r.string("node")
        s.nodeSelector = try r.string("nodeSelector")
        s.peerIP = try r.string("peerIP")
        s.asNumber = try r.asNumber("asNumber")
        s.peerSelector = try r.string("peerSelector")
        s.keepOriginalNextHop = try r.bool("keepOriginalNextHop")
        if let pw = r.raw("password") { s.password = try SecretKeyRef(password: pw, path: "spec.password") }
        s.sourceAddress = try r.string("sourceAddress")
        s.maxRestartTime = try r.string("maxRestartTime")
        s.numAllowedLocalASNumbers = try r.int("numAllowedLocalASNumbers", goType: "int32")
        s.ttlSecurity = try r.int("ttlSecurity", goType: "uint8", range: 0...255)
        s.keepaliveTime = try r.string("keepaliveTime")
        s.reachableBy = try r.string("reachableBy")
        s.filters = try r.stringArray("filters")
        s.localASNumber = try r.asNumber("localASNumber")
        s.localWorkloadSelector = try r.string("localWorkloadSelector")
        s.nextHopMode = try r.string("nextHopMode")
        s.reversePeering = try r.string("reversePeering")
        spec = s
    }

    public var bodyJSON: [(String, JSONValue)] {
        var w = FieldWriter()
        let s = spec
        w.put("node", s.node)
        w.put("nodeSelector", s.nodeSelector)
        w.put("peerIP", s.peerIP)
        w.put("asNumber", s.asNumber)
        w.put("peerSelector", s.peerSelector)
        w.put("keepOriginalNextHop", s.keepOriginalNextHop)
        w.put("password", raw: s.password?.passwordJSON)
        w.put("sourceAddress", s.sourceAddress)
        w.put("maxRestartTime", s.maxRestartTime)
        w.put("numAllowedLocalASNumbers", s.numAllowedLocalASNumbers)
        w.put("ttlSecurity", s.ttlSecurity)
        w.put("keepaliveTime", s.keepaliveTime)
        w.put("reachableBy", s.reachableBy)
        w.put("filters", s.filters)
        w.put("localASNumber", s.localASNumber)
        w.put("localWorkloadSelector", s.localWorkloadSelector)
        w.put("nextHopMode", s.nextHopMode)
        w.put("reversePeering", s.reversePeering)
        return [("spec", w.value)]
    }

    /// Calico leaves `sourceAddress` empty on write and treats it as `UseNodeIP`.
    public var effectiveSourceAddress: String { spec.sourceAddress.flatMap { $0.isEmpty ? nil : $0 } ?? "UseNodeIP" }

    /// A peer with neither `node` nor `nodeSelector` applies on every node.
    public var isGlobal: Bool { (spec.node ?? "").isEmpty && (spec.nodeSelector ?? "").isEmpty }

    public func validate() -> [FieldError] {
        var errs = NameRules.check(metadata.name)
        let s = spec
        func nonEmpty(_ v: String?) -> Bool { !(v ?? "").isEmpty }
        if let n = s.node, !n.isEmpty, !NameRules.check(n).isEmpty { errs.append(.tag("Node", n, "name")) }
        for (field, sel) in [("NodeSelector", s.nodeSelector), ("PeerSelector", s.peerSelector), ("LocalWorkloadSelector", s.localWorkloadSelector)] {
            if let sel, !sel.isEmpty, (try? Selector(parsing: sel)) == nil { errs.append(.tag(field, sel, "selector")) }
        }
        if let ip = s.peerIP, !ip.isEmpty, AddressText.peerIP(ip) == nil { errs.append(.tag("PeerIP", ip, "IP:port")) }
        if let sa = s.sourceAddress, !sa.isEmpty, !["UseNodeIP", "None"].contains(sa) { errs.append(.tag("SourceAddress", sa, "sourceAddress")) }
        if let d = s.maxRestartTime, GoDuration.seconds(d) == nil { errs.append(.tag("MaxRestartTime", d, "duration")) }
        if let d = s.keepaliveTime, GoDuration.seconds(d) == nil { errs.append(.tag("KeepaliveTime", d, "duration")) }
        if let m = s.nextHopMode, !m.isEmpty, !["Auto", "Self", "Keep"].contains(m) { errs.append(.tag("NextHopMode", m, "oneof")) }
        if let m = s.reversePeering, !m.isEmpty, !["Auto", "Manual"].contains(m) { errs.append(.tag("ReversePeering", m, "oneof")) }
        for f in s.filters ?? [] where !NameRules.check(f).isEmpty { errs.append(.tag("Filters[0]", f, "name")) }
        if let rb = s.reachableBy, !rb.isEmpty, IPAddress(rb) == nil { errs.append(.tag("ReachableBy", rb, "reachableBy")) }

        let spec = "BGPPeer.Spec"
        if nonEmpty(s.node) && nonEmpty(s.nodeSelector) {
            errs.append(FieldError(field: "\(spec).Node", value: s.node ?? "", reason: "Node field must be empty when NodeSelector is specified"))
        }
        if nonEmpty(s.peerIP) && nonEmpty(s.peerSelector) {
            errs.append(FieldError(field: "\(spec).PeerIP", value: s.peerIP ?? "", reason: "PeerIP field must be empty when PeerSelector is specified"))
        }
        if (s.asNumber?.value ?? 0) != 0 && nonEmpty(s.peerSelector) {
            errs.append(FieldError(field: "\(spec).ASNumber", value: s.asNumber!.description, reason: "ASNumber field must be empty when PeerSelector is specified"))
        }
        if nonEmpty(s.localWorkloadSelector) {
            if (s.asNumber?.value ?? 0) == 0 { errs.append(FieldError(field: "\(spec).ASNumber", value: "0", reason: "ASNumber field must NOT be empty when LocalWorkloadSelector is specified")) }
            if nonEmpty(s.peerIP) { errs.append(FieldError(field: "\(spec).PeerIP", value: s.peerIP ?? "", reason: "PeerIP field must be empty when LocalWorkloadSelector is specified")) }
            if nonEmpty(s.peerSelector) { errs.append(FieldError(field: "\(spec).PeerSelector", value: s.peerSelector ?? "", reason: "PeerSelector field must be empty when LocalWorkloadSelector is specified")) }
        }
        if nonEmpty(s.reachableBy) {
            if !nonEmpty(s.peerIP) {
                errs.append(FieldError(field: "\(spec).ReachableBy", value: s.reachableBy ?? "", reason: "ReachablyBy field must be empty when PeerIP is empty"))
            } else if let (ip, _) = AddressText.peerIP(s.peerIP!), let gw = IPAddress(s.reachableBy!), ip.family != gw.family {
                errs.append(FieldError(field: "\(spec).ReachableBy", value: s.reachableBy ?? "", reason: "ReachableBy and PeerIP address family mismatched"))
            }
        }
        if s.keepOriginalNextHop == true && nonEmpty(s.nextHopMode) {
            errs.append(FieldError(field: "\(spec).KeepOriginalNextHop", value: "true", reason: "The KeepOriginalNextHop field is deprecated. It must not be set to true when NextHopMode is configured."))
        }
        return errs
    }
}
