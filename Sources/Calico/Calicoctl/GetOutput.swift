/// `calicoctl get` rendering: `-o ps` (default), `-o wide`, `-o yaml`, `-o json`.
public enum GetOutput {
    public enum Format: Equatable, Sendable {
        case ps, wide, yaml, json

        /// Parses `-o` text; throws `unrecognized output format '<x>'`.
        public init(_ text: String) throws {
            switch text {
            case "", "ps": self = .ps
            case "wide": self = .wide
            case "yaml", "yml": self = .yaml
            case "json": self = .json
            default: throw CalicoError("unrecognized output format '\(text)'")
            }
        }
    }

    /// Column headings for a kind; `namespaced` adds NAMESPACE first (`-A` / `-n`).
    public static func headings(_ kind: ResourceKind, wide: Bool, withNamespace: Bool = false) -> [String] {
        let base: [String]
        switch kind {
        case .bgpConfiguration: base = ["NAME", "LOGSEVERITY", "MESHENABLED", "ASNUMBER"]
        case .bgpPeer: base = ["NAME", "PEERIP", "NODE", "ASN"]
        case .node: base = wide ? ["NAME", "ASN", "IPV4", "IPV6"] : ["NAME"]
        case .ipPool:
            base = wide ? ["NAME", "CIDR", "NAT", "IPIPMODE", "VXLANMODE", "DISABLED", "DISABLEBGPEXPORT", "SELECTOR", "ASSIGNMENTMODE"]
                : ["NAME", "CIDR", "SELECTOR"]
        case .workloadEndpoint:
            base = wide ? ["NAME", "WORKLOAD", "NODE", "NETWORKS", "INTERFACE", "PROFILES", "NATS"] : ["WORKLOAD", "NODE", "NETWORKS", "INTERFACE"]
        case .bgpFilter: base = ["NAME", "NUMEXPORTV4", "NUMIMPORTV4", "NUMEXPORTV6", "NUMIMPORTV6"]
        case .blockAffinity: base = ["NAME", "NODE", "CIDR", "STATE"]
        case .ipamBlock: base = ["NAME", "CIDR", "AFFINITY"]
        case .kubeNode, .pod, .configMap, .secret: base = ["NAME"]
        }
        return withNamespace && kind.namespaced ? ["NAMESPACE"] + base : base
    }

    /// The cells of one resource. `defaultAS` is what `(…)` shows for nodes without their own AS.
    public static func cells(_ r: AnyResource, wide: Bool, defaultAS: String, withNamespace: Bool = false) -> [String] {
        var row: [String]
        switch r {
        case .bgpConfiguration(let c):
            row = [c.metadata.name, c.spec.logSeverityScreen ?? "",
                   c.spec.nodeToNodeMeshEnabled.map { $0 ? "true" : "false" } ?? "-",
                   c.spec.asNumber.map(\.description) ?? "-"]
        case .bgpPeer(let p):
            let node = (p.spec.node ?? "").isEmpty ? ((p.spec.nodeSelector ?? "").isEmpty ? "(global)" : p.spec.nodeSelector!) : p.spec.node!
            row = [p.metadata.name, p.spec.peerIP ?? "", node, (p.spec.asNumber ?? ASNumber(0)).description]
        case .node(let n):
            // Nodes without a BGP spec (e.g. VXLAN-only) leave the BGP columns empty.
            if wide, let bgp = n.spec.bgp {
                row = [n.name, bgp.asNumber.map(\.description) ?? "(\(defaultAS))", bgp.ipv4Address ?? "", bgp.ipv6Address ?? ""]
            } else {
                row = wide ? [n.name, "", "", ""] : [n.name]
            }
        case .ipPool(let p):
            row = wide ? [p.metadata.name, p.spec.cidr, (p.spec.natOutgoing ?? false) ? "true" : "false", p.ipipMode, p.vxlanMode,
                          p.isDisabled ? "true" : "false", (p.spec.disableBGPExport ?? false) ? "true" : "false", p.nodeSelectorText,
                          p.spec.assignmentMode ?? "Automatic"]
                : [p.metadata.name, p.spec.cidr, p.nodeSelectorText]
        case .workloadEndpoint(let w):
            let workload = w.spec.workload ?? w.spec.pod ?? ""
            let nets = (w.spec.ipNetworks ?? []).joined(separator: ",")
            row = wide ? [w.metadata.name, workload, w.spec.node ?? "", nets, w.spec.interfaceName ?? "",
                          (w.spec.profiles ?? []).joined(separator: ","), natsText(w.spec.ipNATs)]
                : [workload, w.spec.node ?? "", nets, w.spec.interfaceName ?? ""]
        case .bgpFilter(let f):
            row = [f.metadata.name] + ["exportV4", "importV4", "exportV6", "importV6"].map { String(f.count($0)) }
        case .blockAffinity(let a): row = [a.metadata.name, a.spec.node, a.spec.cidr, a.spec.state]
        case .ipamBlock(let b): row = [b.metadata.name, b.spec.cidr, b.spec.affinity ?? ""]
        case .kubeNode, .pod, .configMap, .secret: row = [r.name]
        }
        return withNamespace && r.kind.namespaced ? [r.metadata.namespace ?? ""] + row : row
    }

    static func natsText(_ v: JSONValue?) -> String {
        (v?.arrayValue ?? []).compactMap { n -> String? in
            guard let i = n["internalIP"]?.stringValue, let e = n["externalIP"]?.stringValue else { return nil }
            return "\(i):\(e)"
        }.joined(separator: ",")
    }

    /// A `get` table (one header, one row per item, then the blank line calicoctl prints).
    public static func table(_ kind: ResourceKind, _ items: [AnyResource], wide: Bool, defaultAS: String, withNamespace: Bool = false) -> String {
        TabTable.render(header: headings(kind, wide: wide, withNamespace: withNamespace),
                        rows: items.map { cells($0, wide: wide, defaultAS: defaultAS, withNamespace: withNamespace) }) + "\n"
    }

    /// YAML/JSON for `get`: a List object when listing a kind, the object for one name, an array for several.
    public static func document(_ kind: ResourceKind, _ items: [AnyResource], listed: Bool, revision: Int, export: Bool = false) -> JSONValue {
        let objects = items.map { r -> JSONValue in export ? r.with(metadata: r.metadata.exported).json : r.json }
        if listed {
            return .object([("kind", .string(kind.documentKind + "List")), ("apiVersion", .string(kind.apiVersion)),
                            ("metadata", .object([("resourceVersion", .string(String(revision)))])), ("items", .array(objects))])
        }
        return objects.count == 1 ? objects[0] : .array(objects)
    }

    public static func render(_ doc: JSONValue, format: Format) -> String {
        format == .json ? doc.jsonText() + "\n" : doc.yamlText
    }
}
