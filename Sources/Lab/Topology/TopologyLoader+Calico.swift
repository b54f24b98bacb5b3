import Yams

extension TopologyCheck {
    /// Resource kinds the lab may pre-load; the same set `calicoctl` manages in these seeds.
    static let calicoKinds = ["BGPConfiguration", "BGPPeer", "Node", "IPPool", "BGPFilter", "FelixConfiguration"]

    mutating func calicoSection(_ value: Yams.Node, nodes: [Node]) -> CalicoSection? {
        guard let items = pairs(value, field: "calico") else { return nil }
        let calicoNodes = Set(nodes.filter { $0.kind.role == .calicoNode }.map(\.name))
        if calicoNodes.isEmpty { issue(value, field: "calico", "the lab has a calico section but no calico-node nodes") }
        var section = CalicoSection(version: nil, resources: [], pods: [])
        for (key, keyNode, item) in items {
            switch key {
            case "version": section.version = version(item, field: "calico.version", example: "v3.19.4")
            case "kubernetes": section.kubernetesVersion = version(item, field: "calico.kubernetes", example: "v1.17.9")
            case "resources": section.resources = calicoResources(item, calicoNodes: calicoNodes)
            case "pods": section.pods = pods(item, calicoNodes: calicoNodes)
            case "kubeasz": section.kubeasz = kubeaszOptions(item, nodes: nodes)
            default: unknownKey(key, at: keyNode, field: "calico", valid: ["version", "kubernetes", "resources", "pods", "kubeasz"])
            }
        }
        return section
    }

    /// `v` and dot-separated numbers (`v3.19.4`, `v1.17.9`).
    mutating func version(_ item: Yams.Node, field: String, example: String) -> String? {
        guard let v = scalar(item, field: field, what: "a version like \(example)") else { return nil }
        guard v.hasPrefix("v"), v.dropFirst().split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else {
            issue(item, field: field, "'\(v)' is not a version like \(example)")
            return nil
        }
        return v
    }

    mutating func calicoResources(_ value: Yams.Node, calicoNodes: Set<String>) -> [CalicoResource] {
        guard case .sequence(let sequence) = value else {
            issue(value, field: "calico.resources", "expected a list of projectcalico.org/v3 documents")
            return []
        }
        var out: [CalicoResource] = []
        var seen = Set<String>()
        for (index, item) in sequence.enumerated() {
            let field = "calico.resources[\(index)]"
            guard let items = pairs(item, field: field) else { continue }
            var kind: String?, name: String?
            for (key, keyNode, entry) in items {
                switch key {
                case "apiVersion":
                    if let v = scalar(entry, field: "\(field).apiVersion", what: "projectcalico.org/v3"), v != "projectcalico.org/v3" {
                        issue(entry, field: "\(field).apiVersion", "'\(v)' is not supported; use projectcalico.org/v3")
                    }
                case "kind":
                    if let k = scalar(entry, field: "\(field).kind", what: "a resource kind") {
                        if Self.calicoKinds.contains(k) { kind = k } else {
                            issue(entry, field: "\(field).kind", "resource kind '\(k)' is not supported; supported: \(Self.calicoKinds.joined(separator: ", "))")
                        }
                    }
                case "metadata":
                    name = calicoMetadata(entry, field: "\(field).metadata")
                case "spec":
                    if case .mapping = entry {} else { issue(entry, field: "\(field).spec", "expected a mapping") }
                default:
                    unknownKey(key, at: keyNode, field: field, valid: ["apiVersion", "kind", "metadata", "spec"])
                }
            }
            if !items.contains(where: { $0.key == "apiVersion" }) { issue(item, field: "\(field).apiVersion", "missing; use projectcalico.org/v3") }
            if !items.contains(where: { $0.key == "kind" }) { issue(item, field: "\(field).kind", "missing") }
            if !items.contains(where: { $0.key == "metadata" }) { issue(item, field: "\(field).metadata.name", "missing") }
            guard let kind, let name else { continue }
            if kind == "Node", !calicoNodes.contains(name) {
                issue(item, node: name, field: "\(field).metadata.name", "Node resource '\(name)' does not name a calico-node node of this lab")
                continue
            }
            guard seen.insert("\(kind)/\(name)").inserted else {
                issue(item, field: "\(field).metadata.name", "\(kind) '\(name)' is defined twice")
                continue
            }
            let yaml = (try? Yams.serialize(node: item)) ?? ""
            out.append(CalicoResource(kind: kind, name: name, yaml: yaml))
        }
        return out
    }

    mutating func calicoMetadata(_ value: Yams.Node, field: String) -> String? {
        guard let items = pairs(value, field: field) else { return nil }
        var name: String?
        for (key, keyNode, entry) in items {
            switch key {
            case "name":
                if let n = scalar(entry, field: "\(field).name", what: "a resource name") {
                    if LabelRules.isName(Substring(n), max: 253), n == n.lowercased() { name = n } else {
                        issue(entry, field: "\(field).name", "'\(n)' is not a valid resource name (lower-case a-z 0-9 - ., starting and ending alphanumeric)")
                    }
                }
            case "labels", "annotations":
                _ = pairs(entry, field: "\(field).\(key)")
            default:
                unknownKey(key, at: keyNode, field: field, valid: ["name", "labels", "annotations"])
            }
        }
        if name == nil, !items.contains(where: { $0.key == "name" }) { issue(value, field: "\(field).name", "missing") }
        return name
    }

    /// `pods: {node1: [kube-system/coredns-1, nginx-2]}`; a pod without a namespace is in `default`.
    mutating func pods(_ value: Yams.Node, calicoNodes: Set<String>) -> [CalicoSection.Pod] {
        guard let items = pairs(value, field: "calico.pods") else { return [] }
        var out: [CalicoSection.Pod] = []
        var seen = Set<String>()
        for (node, keyNode, entry) in items {
            let field = "calico.pods.\(node)"
            guard calicoNodes.contains(node) else {
                issue(keyNode, node: node, field: field, "pods can only run on calico-node nodes; '\(node)' is not one")
                continue
            }
            for (text, at) in strings(entry, node: node, field: field, what: "pods (namespace/name)") ?? [] {
                let parts = text.split(separator: "/", omittingEmptySubsequences: false)
                let namespace = parts.count == 2 ? String(parts[0]) : "default"
                let name = String(parts.last ?? "")
                guard parts.count <= 2, LabelRules.isName(Substring(namespace), max: 63), LabelRules.isName(Substring(name), max: 253),
                      text == text.lowercased(), !name.contains("_"), !namespace.contains("_") else {
                    issue(at, node: node, field: field, "'\(text)' is not a pod as namespace/name (lower-case a-z 0-9 - .)")
                    continue
                }
                guard seen.insert("\(namespace)/\(name)").inserted else {
                    issue(at, node: node, field: field, "pod \(namespace)/\(name) is placed twice")
                    continue
                }
                out.append(CalicoSection.Pod(node: node, namespace: namespace, name: name))
            }
        }
        return out
    }
}
