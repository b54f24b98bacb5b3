import Foundation
import Yams

/// Reads a lab file into a `Topology`, checking everything it can and reporting every fault as a
/// `TopologyIssue` (file, line, node, field). It creates nothing; a file that fails here never reaches
/// the kernel.
///
/// File shape (containerlab-like):
/// ```yaml
/// name: seed-001
/// topology:
///   nodes:
///     leaf01: {kind: h3c-comware, startup-config: configs/leaf01.cfg}
///     node1:  {kind: calico-node, labels: {rr-id: rr1}, interfaces: {eth0: 172.20.0.11/24}, gateway: 172.20.0.254}
///   links:
///     - endpoints: ["leaf01:GigabitEthernet1/0/2", "node1:eth0"]
/// calico: {version: v3.19.4, resources: [...], pods: {node1: [default/nginx-1]},
///          kubeasz: {CALICO_RR_ENABLED: true, CALICO_RR_NODES: [node1]}}
/// ```
/// `startup-config` is a path relative to the lab file's folder, or an inline block scalar (`|`): any
/// value containing a line break is taken as the configuration text itself.
public struct TopologyLoader: Sendable {
    public var registry: KindRegistry
    /// When set, file-based startup configs are read from `<folder>/<node>.cfg` instead of the path in the
    /// file: how an installed lab (state directory) is reloaded after its source folder moved or changed.
    public var installedConfigs: String?

    public init(registry: KindRegistry = .standard, installedConfigs: String? = nil) {
        self.registry = registry
        self.installedConfigs = installedConfigs
    }

    /// Loads and validates the lab file at `path`.
    public func load(path: String) -> Result<Topology, TopologyErrors> {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(TopologyErrors([TopologyIssue(file: path, field: "file", message: "cannot read the lab file")]))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(TopologyErrors([TopologyIssue(file: path, field: "file", message: "the lab file is not UTF-8 text")]))
        }
        let base = (path as NSString).deletingLastPathComponent
        return parse(yaml: text, file: path, baseDirectory: base.isEmpty ? "." : base)
    }

    /// Validates lab text; `file` names it in messages and `baseDirectory` resolves startup-config paths.
    public func parse(yaml: String, file: String, baseDirectory: String) -> Result<Topology, TopologyErrors> {
        var check = TopologyCheck(file: file, text: yaml, baseDirectory: baseDirectory, registry: registry)
        check.installedConfigs = installedConfigs
        let topology = check.run()
        if let topology, check.issues.isEmpty { return .success(topology) }
        return .failure(TopologyErrors(check.issues))
    }
}

/// One validation run over one file; accumulates issues as it goes.
struct TopologyCheck {
    let file: String
    let text: String
    let baseDirectory: String
    let registry: KindRegistry
    var installedConfigs: String?
    var issues: [TopologyIssue] = []
    /// Nodes left out of the topology because of their own faults.
    var brokenNodes: Set<String> = []

    init(file: String, text: String, baseDirectory: String, registry: KindRegistry) {
        self.file = file
        self.text = text
        self.baseDirectory = baseDirectory
        self.registry = registry
    }

    mutating func issue(_ at: Yams.Node?, node: String? = nil, field: String, _ message: String) {
        issues.append(TopologyIssue(file: file, line: at?.mark?.line, node: node, field: field, message: message))
    }

    // MARK: Generic YAML helpers

    /// The pairs of a mapping with string keys; reports anything else.
    mutating func pairs(_ value: Yams.Node, node: String? = nil, field: String) -> [(key: String, keyNode: Yams.Node, value: Yams.Node)]? {
        guard case .mapping(let mapping) = value else {
            issue(value, node: node, field: field, "expected a mapping (key: value lines)")
            return nil
        }
        var out: [(String, Yams.Node, Yams.Node)] = []
        for (key, item) in mapping {
            guard case .scalar(let scalar) = key else {
                issue(key, node: node, field: field, "keys must be plain words")
                continue
            }
            out.append((scalar.string, key, item))
        }
        return out
    }

    mutating func scalar(_ value: Yams.Node, node: String? = nil, field: String, what: String) -> String? {
        guard case .scalar(let scalar) = value else {
            issue(value, node: node, field: field, "expected \(what)")
            return nil
        }
        return scalar.string
    }

    mutating func strings(_ value: Yams.Node, node: String? = nil, field: String, what: String) -> [(String, Yams.Node)]? {
        guard case .sequence(let sequence) = value else {
            issue(value, node: node, field: field, "expected a list of \(what)")
            return nil
        }
        var out: [(String, Yams.Node)] = []
        for (i, item) in sequence.enumerated() {
            if let s = scalar(item, node: node, field: "\(field)[\(i)]", what: what) { out.append((s, item)) }
        }
        return out
    }

    mutating func unknownKey(_ key: String, at: Yams.Node, node: String? = nil, field: String, valid: [String]) {
        issue(at, node: node, field: field.isEmpty ? key : "\(field).\(key)",
              "unknown key '\(key)'; valid keys here: \(valid.joined(separator: ", "))")
    }

    // MARK: Whole file

    mutating func run() -> Topology? {
        let root: Yams.Node
        do {
            guard let parsed = try Yams.compose(yaml: text) else {
                issue(nil, field: "file", "the lab file is empty; it needs 'name' and 'topology'")
                return nil
            }
            root = parsed
        } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
            duplicateKeys(duplicates, line: context.mark.line)
            return nil
        } catch {
            issue(nil, field: "file", "not valid YAML: \(error)")
            return nil
        }
        guard let top = pairs(root, field: "(top level)") else { return nil }
        let topKeys = ["name", "topology", "calico"]
        var name: String?
        var topologyNode: Yams.Node?
        var calicoNode: Yams.Node?
        for (key, keyNode, value) in top {
            switch key {
            case "name": name = labName(value)
            case "topology": topologyNode = value
            case "calico": calicoNode = value
            default: unknownKey(key, at: keyNode, field: "", valid: topKeys)
            }
        }
        if !top.contains(where: { $0.key == "name" }) { issue(root, field: "name", "missing; every lab needs a name (it prefixes its namespaces)") }
        guard let topologyNode else {
            issue(root, field: "topology", "missing; put 'nodes' and 'links' under 'topology'")
            return nil
        }
        let (nodes, links) = topologySection(topologyNode)
        let calico = calicoNode.flatMap { calicoSection($0, nodes: nodes) }
        if let name { namespaceClashes(lab: name, nodes: nodes) }
        guard let name else { return nil }
        return Topology(name: name, file: file, nodes: nodes, links: links, calico: calico)
    }

    /// Yams stops at a duplicate key; say which name repeats and, when it sits under `nodes:`, call it a
    /// duplicate node.
    mutating func duplicateKeys(_ keys: [String], line: Int) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var parent: String?
        if line >= 1, line <= lines.count {
            let indent = lines[line - 1].prefix { $0 == " " }.count
            for candidate in lines[..<(line - 1)].reversed() {
                let trimmed = candidate.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                if candidate.prefix(while: { $0 == " " }).count < indent {
                    parent = trimmed.split(separator: ":").first.map(String.init)
                    break
                }
            }
        }
        for key in keys {
            if parent == "nodes" {
                issues.append(TopologyIssue(file: file, line: line, node: key, field: "topology.nodes.\(key)",
                                            message: "duplicate node name '\(key)'; node names must be unique"))
            } else {
                issues.append(TopologyIssue(file: file, line: line, field: parent.map { "\($0).\(key)" } ?? key,
                                            message: "key '\(key)' is given twice in the same mapping"))
            }
        }
    }

    mutating func labName(_ value: Yams.Node) -> String? {
        guard let name = scalar(value, field: "name", what: "a lab name") else { return nil }
        if let problem = LabNameRules.problem(lab: name) {
            issue(value, field: "name", problem)
            return nil
        }
        return name
    }

    mutating func topologySection(_ value: Yams.Node) -> ([Node], [Link]) {
        guard let items = pairs(value, field: "topology") else { return ([], []) }
        var nodes: [Node] = []
        var links: [Link] = []
        var linksNode: Yams.Node?
        for (key, keyNode, item) in items {
            switch key {
            case "nodes": nodes = nodesSection(item)
            case "links": linksNode = item
            default: unknownKey(key, at: keyNode, field: "topology", valid: ["nodes", "links"])
            }
        }
        if !items.contains(where: { $0.key == "nodes" }) { issue(value, field: "topology.nodes", "missing; a lab needs at least one node") }
        if let linksNode { links = linksSection(linksNode, nodes: nodes) }
        unlinkedInterfaces(nodes: nodes, links: links)
        duplicateAddresses(nodes: nodes)
        return (nodes, links)
    }
}

/// Naming rules shared by the loader and the state directory.
public enum LabNameRules {
    public static let maxLabNameLength = 16
    public static let maxNodeNameLength = 32

    /// Why `lab` is not a usable lab name, or nil.
    public static func problem(lab: String) -> String? {
        guard isDNSLabel(lab, max: maxLabNameLength) else {
            return "lab name '\(lab)' must be 1-\(maxLabNameLength) characters of a-z, 0-9 and '-', start with a letter and not end with '-' (it prefixes every namespace, interface and file of the lab)"
        }
        return nil
    }

    /// Why `node` is not a usable node name, or nil.
    public static func problem(node: String) -> String? {
        guard isDNSLabel(node, max: maxNodeNameLength) else {
            return "node name '\(node)' must be 1-\(maxNodeNameLength) characters of a-z, 0-9 and '-', start with a letter and not end with '-'"
        }
        return nil
    }

    static func isDNSLabel(_ text: String, max: Int) -> Bool {
        guard (1...max).contains(text.utf8.count), let first = text.first, first.isASCII, first.isLowercase,
              text.last != "-" else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    }
}
