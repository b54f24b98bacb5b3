import Foundation
import Yams

extension TopologyCheck {
    mutating func nodesSection(_ value: Yams.Node) -> [Node] {
        guard let items = pairs(value, field: "topology.nodes") else { return [] }
        var nodes: [Node] = []
        for (name, keyNode, item) in items {
            let field = "topology.nodes.\(name)"
            if let problem = LabNameRules.problem(node: name) {
                issue(keyNode, node: name, field: field, problem)
                brokenNodes.insert(name)
                continue
            }
            if let node = nodeEntry(name, item, field: field) { nodes.append(node) } else { brokenNodes.insert(name) }
        }
        return nodes
    }

    mutating func nodeEntry(_ name: String, _ value: Yams.Node, field: String) -> Node? {
        guard let items = pairs(value, node: name, field: field) else { return nil }
        guard let kindItem = items.first(where: { $0.key == "kind" }) else {
            issue(value, node: name, field: "\(field).kind", "missing; valid kinds: \(registry.names.joined(separator: ", "))")
            return nil
        }
        var kind: Kind?
        if let kindName = scalar(kindItem.value, node: name, field: "\(field).kind", what: "a kind name") {
            switch registry.kind(named: kindName) {
            case .success(let k): kind = k
            case .failure(let error): issue(kindItem.value, node: name, field: "\(field).kind", error.description)
            }
        }
        let allKeys = ["kind"] + registry.kinds.flatMap(\.keys).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        var node = Node(name: name, kind: kind ?? .host, startupConfig: nil, labels: [], interfaces: [],
                        gateway: nil, exec: [], switchLayout: nil)
        var gatewayNode: Yams.Node?
        for (key, keyNode, item) in items where key != "kind" {
            let keyField = "\(field).\(key)"
            guard allKeys.contains(key) else {
                unknownKey(key, at: keyNode, node: name, field: field, valid: kind.map { ["kind"] + $0.keys } ?? allKeys)
                continue
            }
            if let kind, !kind.keys.contains(key) {
                issue(keyNode, node: name, field: keyField,
                      "kind \(kind.name) does not take '\(key)'; it takes: \((["kind"] + kind.keys).joined(separator: ", "))")
                continue
            }
            switch key {
            case "startup-config": node.startupConfig = startupConfig(item, node: name, field: keyField)
            case "labels": node.labels = labels(item, node: name, field: keyField)
            case "interfaces": node.interfaces = interfaces(item, node: name, field: keyField)
            case "gateway": gatewayNode = item
            case "exec": node.exec = strings(item, node: name, field: keyField, what: "commands")?.map(\.0) ?? []
            default: break
            }
        }
        if let gatewayNode { node.gateway = gateway(gatewayNode, node: node, field: "\(field).gateway") }
        guard let kind else { return nil }
        if kind.role == .vendorSwitch { node.switchLayout = switchLayout(node, field: "\(field).startup-config") }
        return node
    }

    mutating func startupConfig(_ value: Yams.Node, node: String, field: String) -> StartupConfig? {
        guard let text = scalar(value, node: node, field: field, what: "a file path or an inline block (|)") else { return nil }
        if text.contains("\n") { return StartupConfig(source: .inline, text: text) }
        var path = text.hasPrefix("/") ? text : (baseDirectory as NSString).appendingPathComponent(text)
        if let installedConfigs { path = "\(installedConfigs)/\(node).cfg" }
        guard let data = FileManager.default.contents(atPath: path), let contents = String(data: data, encoding: .utf8) else {
            issue(value, node: node, field: field, "startup-config file '\(text)' cannot be read (looked for \(path)); give a path relative to the lab file, or an inline block with '|'")
            return nil
        }
        return StartupConfig(source: .file(path), text: contents)
    }

    mutating func labels(_ value: Yams.Node, node: String, field: String) -> [Node.Label] {
        guard let items = pairs(value, node: node, field: field) else { return [] }
        var out: [Node.Label] = []
        for (key, keyNode, item) in items {
            guard let text = scalar(item, node: node, field: "\(field).\(key)", what: "a label value") else { continue }
            if !LabelRules.isValidKey(key) {
                issue(keyNode, node: node, field: "\(field).\(key)", "'\(key)' is not a valid label key (a-z A-Z 0-9 - _ . with an optional 'prefix/')")
            } else if !LabelRules.isValidValue(text) {
                issue(item, node: node, field: "\(field).\(key)", "'\(text)' is not a valid label value (up to 63 characters of a-z A-Z 0-9 - _ ., starting and ending alphanumeric)")
            } else {
                out.append(Node.Label(key: key, value: text))
            }
        }
        return out.sorted { $0.key < $1.key }
    }

    mutating func interfaces(_ value: Yams.Node, node: String, field: String) -> [NodeInterface] {
        guard let items = pairs(value, node: node, field: field) else { return [] }
        var out: [NodeInterface] = []
        for (name, keyNode, item) in items {
            let itemField = "\(field).\(name)"
            if !PortNaming.isValidLinuxName(name) {
                issue(keyNode, node: node, field: itemField, "'\(name)' is not a valid Linux interface name (1-15 characters from a-z A-Z 0-9 _ . -, starting with a letter)")
                continue
            }
            var texts: [(String, Yams.Node)] = []
            if case .sequence = item {
                texts = strings(item, node: node, field: itemField, what: "addresses like 172.20.0.11/24") ?? []
            } else if let text = scalar(item, node: node, field: itemField, what: "an address like 172.20.0.11/24") {
                texts = [(text, item)]
            }
            var addresses: [InterfaceAddress] = []
            for (text, at) in texts {
                switch InterfaceAddress.parse(text) {
                case .success(let address): addresses.append(address)
                case .failure(let error): issue(at, node: node, field: itemField, error.description)
                }
            }
            out.append(NodeInterface(name: name, addresses: addresses))
        }
        return out
    }

    mutating func gateway(_ value: Yams.Node, node: Node, field: String) -> LabIPAddress? {
        guard let text = scalar(value, node: node.name, field: field, what: "an IP address") else { return nil }
        guard let address = LabIPAddress(text) else {
            issue(value, node: node.name, field: field, "'\(text)' is not an IPv4 or IPv6 address (write it without a prefix length)")
            return nil
        }
        let all = node.interfaces.flatMap { i in i.addresses.map { (i.name, $0) } }
        if all.contains(where: { $0.1.address == address }) {
            issue(value, node: node.name, field: field, "gateway \(text) is this node's own address")
            return nil
        }
        guard all.contains(where: { $0.1.subnetContains(address) }) else {
            let have = all.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
            issue(value, node: node.name, field: field, "gateway \(text) is not in the subnet of any of this node's interfaces (\(have.isEmpty ? "none has an address" : have))")
            return nil
        }
        return address
    }

    /// Parses a switch's startup config into its interface layout and reports config faults with the
    /// config file and line.
    mutating func switchLayout(_ node: Node, field: String) -> SwitchLayout {
        let (layout, problems) = SwitchLayout.parse(node.startupConfig?.text ?? "", kind: node.kind)
        for problem in problems {
            switch node.startupConfig?.source {
            case .file(let path):
                issues.append(TopologyIssue(file: path, line: problem.line, node: node.name, field: field, message: problem.message))
            default:
                issues.append(TopologyIssue(file: file, line: nil, node: node.name, field: field,
                                            message: "line \(problem.line) of the inline config: \(problem.message)"))
            }
        }
        return layout
    }
}

/// Kubernetes label syntax, so labels copied from the lab file work with Calico selectors unchanged.
enum LabelRules {
    static func isValidKey(_ key: String) -> Bool {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let name = parts.last, isName(name, max: 63) else { return false }
        if parts.count == 2 { return isName(parts[0], max: 253) }
        return true
    }

    static func isValidValue(_ value: String) -> Bool { value.isEmpty || isName(Substring(value), max: 63) }

    static func isName(_ text: Substring, max: Int) -> Bool {
        guard (1...max).contains(text.utf8.count), let first = text.first, let last = text.last,
              first.isASCII, first.isLetter || first.isNumber, last.isASCII, last.isLetter || last.isNumber else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }
}
