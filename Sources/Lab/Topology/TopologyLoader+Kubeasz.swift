import Yams

extension TopologyCheck {
    static let kubeaszKeys = ["CALICO_RR_ENABLED", "CALICO_RR_NODES"]

    /// `calico.kubeasz: {CALICO_RR_ENABLED: true, CALICO_RR_NODES: [k8s401]}`. Each listed node is a
    /// calico-node name or one of its IPv4 addresses (kubeasz's config.yml lists host addresses); an empty
    /// list means the masters, so with the switch on the lab needs at least one labelled master.
    mutating func kubeaszOptions(_ value: Yams.Node, nodes: [Node]) -> KubeaszOptions? {
        let field = "calico.kubeasz"
        guard let items = pairs(value, field: field) else { return nil }
        var enabled = false
        var listed: [String] = []
        var reflectors: [String] = []
        var faulty = false
        var listNode: Yams.Node?
        for (key, keyNode, item) in items {
            switch key {
            case "CALICO_RR_ENABLED":
                if let flag = yamlBool(item) { enabled = flag } else {
                    issue(item, field: "\(field).CALICO_RR_ENABLED", "expected true or false (unquoted), as in kubeasz's config.yml; got \(describe(item))")
                    faulty = true
                }
            case "CALICO_RR_NODES":
                listNode = item
                guard let entries = strings(item, field: "\(field).CALICO_RR_NODES", what: "calico-node names or their addresses") else {
                    faulty = true
                    continue
                }
                for (index, (text, at)) in entries.enumerated() {
                    listed.append(text)
                    switch routeReflector(named: text, nodes: nodes) {
                    case .success(let name):
                        if reflectors.contains(name) {
                            issue(at, node: name, field: "\(field).CALICO_RR_NODES[\(index)]", "'\(text)' names \(name), which is already listed")
                            faulty = true
                        } else {
                            reflectors.append(name)
                        }
                    case .failure(let problem):
                        issue(at, node: problem.node, field: "\(field).CALICO_RR_NODES[\(index)]", problem.message)
                        faulty = true
                    }
                }
            default:
                unknownKey(key, at: keyNode, field: field, valid: Self.kubeaszKeys)
                faulty = true
            }
        }
        if listed.isEmpty, !faulty {
            reflectors = nodes.filter { $0.kind.role == .calicoNode && KubeaszOptions.isMaster($0) }.map(\.name)
            if enabled, reflectors.isEmpty {
                issue(listNode ?? value, field: "\(field).CALICO_RR_NODES",
                      "empty, so the masters would become route reflectors, but no calico-node carries the label \(KubeaszOptions.masterLabel); list the route reflectors or label the masters")
                faulty = true
            }
        }
        return faulty ? nil : KubeaszOptions(routeReflectorsEnabled: enabled, listedNodes: listed, routeReflectors: reflectors)
    }

    /// A plain `true`/`false` (YAML 1.1 spellings included); a quoted word is a string, as Ansible's YAML
    /// loader reads it.
    func yamlBool(_ value: Yams.Node) -> Bool? {
        guard case .scalar(let scalar) = value, scalar.style == .plain || scalar.style == .any else { return nil }
        return Bool.construct(from: scalar)
    }

    func describe(_ value: Yams.Node) -> String {
        switch value {
        case .scalar(let s): return s.style == .plain || s.style == .any ? "'\(s.string)'" : "the string \"\(s.string)\""
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .alias: return "an alias"
        }
    }

    struct ReflectorProblem: Error {
        var node: String?
        var message: String
    }

    /// The calico-node that `text` (a node name or one of its IPv4 addresses) names.
    func routeReflector(named text: String, nodes: [Node]) -> Result<String, ReflectorProblem> {
        let calico = nodes.filter { $0.kind.role == .calicoNode }
        let known = calico.map(\.name).joined(separator: ", ")
        if let node = nodes.first(where: { $0.name == text }) {
            guard node.kind.role == .calicoNode else {
                return .failure(ReflectorProblem(node: text, message: "'\(text)' is a \(node.kind.name) node; route reflectors are calico-node nodes (\(known))"))
            }
            return .success(text)
        }
        if let address = LabIPAddress(text) {
            let owners = calico.filter { $0.interfaces.contains { $0.addresses.contains { $0.address == address } } }
            if let owner = owners.first { return .success(owner.name) }
            return .failure(ReflectorProblem(node: nil, message: "no calico-node has the address \(text); the calico nodes are \(known)"))
        }
        if brokenNodes.contains(text) {
            return .failure(ReflectorProblem(node: text, message: "node '\(text)' has faults of its own (see above)"))
        }
        return .failure(ReflectorProblem(node: text, message: "'\(text)' is not a node of this lab; the calico nodes are \(known)"))
    }
}
