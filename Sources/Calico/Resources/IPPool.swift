import BGPWire

/// `IPPool`: a range pods get addresses from, carved into blocks of `blockSize` owned by nodes.
public struct IPPool: CalicoResource {
    public static let kind = ResourceKind.ipPool
    public var metadata: ObjectMeta
    public var spec: Spec

    public struct Spec: Hashable, Sendable {
        public var cidr: String
        public var vxlanMode: String?
        public var ipipMode: String?
        public var natOutgoing: Bool?
        public var disabled: Bool?
        public var disableBGPExport: Bool?
        public var blockSize: Int?
        public var nodeSelector: String?
        public var allowedUses: [String]?
        public var assignmentMode: String?
        public var namespaceSelector: String?
        public init(cidr: String, ipipMode: String? = nil, vxlanMode: String? = nil, natOutgoing: Bool? = nil,
                    disabled: Bool? = nil, blockSize: Int? = nil, nodeSelector: String? = nil) {
            self.cidr = cidr; self.ipipMode = ipipMode; self.vxlanMode = vxlanMode; self.natOutgoing = natOutgoing
            self.disabled = disabled; self.blockSize = blockSize; self.nodeSelector = nodeSelector
        }
    }

    public init(name: String, spec: Spec) {
        metadata = ObjectMeta(name: name)
        self.spec = spec
    }

    static let specKeys = ["cidr", "vxlanMode", "ipipMode", "natOutgoing", "disabled", "disableBGPExport", "blockSize",
                           "nodeSelector", "allowedUses", "assignmentMode", "namespaceSelector", "ipip", "nat-outgoing"]

    public init(metadata: ObjectMeta, document: JSONValue) throws {
        self.metadata = metadata
        let r = try FieldReader(document["spec"] ?? .null, structName: "IPPoolSpec", path: "spec", known: Self.specKeys)
        var s = Spec(cidr: try r.string("cidr") ?? "")
        s.vxlanMode = try r.string("vxlanMode")
        s.ipipMode = try r.string("ipipMode")
        s.natOutgoing = try r.bool("natOutgoing") ?? r.bool("nat-outgoing")
        s.disabled = try r.bool("disabled")
        s.disableBGPExport = try r.bool("disableBGPExport")
        s.blockSize = try r.int("blockSize")
        s.nodeSelector = try r.string("nodeSelector")
        s.allowedUses = try r.stringArray("allowedUses")
        s.assignmentMode = try r.string("assignmentMode")
        s.namespaceSelector = try r.string("namespaceSelector")
        if let ipip = r.raw("ipip") {
            // The v1-era `ipip: {enabled, mode}` block maps onto ipipMode.
            let ir = try FieldReader(ipip, structName: "IPPoolSpec", path: "spec.ipip", known: ["enabled", "mode"])
            if try ir.bool("enabled") ?? true, s.ipipMode == nil {
                s.ipipMode = (try ir.string("mode")) == "cross-subnet" ? "CrossSubnet" : "Always"
            }
        }
        spec = s
    }

    public var bodyJSON: [(String, JSONValue)] {
        var w = FieldWriter()
        let s = spec
        w.put("cidr", s.cidr)
        w.put("vxlanMode", s.vxlanMode)
        w.put("ipipMode", s.ipipMode)
        w.put("natOutgoing", s.natOutgoing)
        w.put("disabled", s.disabled)
        w.put("disableBGPExport", s.disableBGPExport)
        w.put("blockSize", s.blockSize)
        w.put("nodeSelector", s.nodeSelector)
        w.put("allowedUses", s.allowedUses)
        w.put("assignmentMode", s.assignmentMode)
        w.put("namespaceSelector", s.namespaceSelector)
        return [("spec", w.value)]
    }

    public var prefix: Prefix? { Prefix(spec.cidr) }
    public var isIPv6: Bool { prefix.map { if case .v6 = $0 { return true } else { return false } } ?? spec.cidr.contains(":") }
    public var effectiveBlockSize: Int { spec.blockSize ?? (isIPv6 ? 122 : 26) }
    public var isDisabled: Bool { spec.disabled ?? false }
    public var ipipMode: String { spec.ipipMode.flatMap { $0.isEmpty ? nil : $0 } ?? "Never" }
    public var vxlanMode: String { spec.vxlanMode.flatMap { $0.isEmpty ? nil : $0 } ?? "Never" }
    public var nodeSelectorText: String { spec.nodeSelector.flatMap { $0.isEmpty ? nil : $0 } ?? "all()" }

    public mutating func applyDefaults() {
        if spec.blockSize == nil { spec.blockSize = isIPv6 ? 122 : 26 }
        if spec.ipipMode == nil || spec.ipipMode == "" { spec.ipipMode = "Never" }
        if spec.vxlanMode == nil || spec.vxlanMode == "" { spec.vxlanMode = "Never" }
        if spec.nodeSelector == nil || spec.nodeSelector == "" { spec.nodeSelector = "all()" }
        if spec.allowedUses == nil || spec.allowedUses == [] { spec.allowedUses = ["Workload", "Tunnel"] }
        if spec.assignmentMode == nil || spec.assignmentMode == "" { spec.assignmentMode = "Automatic" }
    }

    public func validate() -> [FieldError] {
        var errs = NameRules.check(metadata.name)
        let s = spec
        let field = "IPPool.Spec.CIDR"
        if s.cidr.isEmpty {
            errs.append(FieldError(field: field, value: "", reason: "IPPool CIDR must be specified"))
            return errs
        }
        guard let (addr, len) = AddressText.addressAndLength(s.cidr), s.cidr.contains("/") else {
            errs.append(FieldError(field: field, value: s.cidr, reason: "IPPool CIDR must be a valid subnet"))
            return errs
        }
        let v6 = addr.family == .ipv6
        let masked: Bool
        switch addr {
        case .v4(let a): masked = IPv4Prefix(a, length: len).address == a
        case .v6(let a): masked = IPv6Prefix(a, length: len).address == a
        }
        if !masked { errs.append(FieldError(field: field, value: s.cidr, reason: "IP pool CIDR is not strictly masked")) }
        if case .v4(let a) = addr {
            let linkLocal = IPv4Prefix(IPv4Address(169, 254, 0, 0), length: 16)
            let pool = IPv4Prefix(a, length: len)
            if linkLocal.contains(pool) || pool.contains(linkLocal) {
                errs.append(FieldError(field: field, value: s.cidr, reason: "IP pool range overlaps with IPv4 Link Local range 169.254.0.0/16"))
            }
        }
        if let bs = s.blockSize {
            if !v6 && !(20...32).contains(bs) { errs.append(FieldError(field: "IPPool.Spec.BlockSize", value: String(bs), reason: "IPv4 block size must be between 20 and 32")) }
            if v6 && !(116...128).contains(bs) { errs.append(FieldError(field: "IPPool.Spec.BlockSize", value: String(bs), reason: "IPv6 block size must be between 116 and 128")) }
        }
        if !isDisabled && Int(len) > effectiveBlockSize {
            errs.append(FieldError(field: field, value: s.cidr, reason: "IP pool size is too small for use with Calico IPAM. It must be equal to or greater than the block size."))
        }
        let modes = ["Always", "CrossSubnet", "Never"]
        if let m = s.ipipMode, !m.isEmpty, !modes.contains(m) { errs.append(.tag("IPIPMode", m, "ipIpMode")) }
        if let m = s.vxlanMode, !m.isEmpty, !modes.contains(m) { errs.append(.tag("VXLANMode", m, "vxlanMode")) }
        if v6 && ipipMode != "Never" {
            errs.append(FieldError(field: "IPpool.IPIPMode", value: ipipMode, reason: "IPIPMode other than 'Never' is not supported on an IPv6 IP pool"))
        }
        if ipipMode != "Never" && vxlanMode != "Never" {
            errs.append(FieldError(field: "IPpool.VXLANMode", value: vxlanMode, reason: "Cannot enable both VXLAN and IPIP on the same IPPool"))
        }
        if let sel = s.nodeSelector, !sel.isEmpty {
            if let parsed = try? Selector(parsing: sel) {
                if parsed.root.usesGlobal { errs.append(.tag("NodeSelector", sel, "selector")) }
            } else {
                errs.append(.tag("NodeSelector", sel, "selector"))
            }
        }
        for u in s.allowedUses ?? [] where !["Workload", "Tunnel", "LoadBalancer"].contains(u) { errs.append(.tag("AllowedUses[0]", u, "oneof")) }
        if let m = s.assignmentMode, !m.isEmpty, !["Automatic", "Manual"].contains(m) { errs.append(.tag("AssignmentMode", m, "oneof")) }
        return errs
    }
}
