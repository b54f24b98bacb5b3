/// One thing wrong with a topology file, located well enough that the user can fix it without guessing:
/// the file, the line when known, the node (nil for lab-level faults) and the field path.
public struct TopologyIssue: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var node: String?
    /// Dotted path of the offending field, e.g. `topology.nodes.leaf01.kind`.
    public var field: String
    public var message: String

    public init(file: String, line: Int? = nil, node: String? = nil, field: String, message: String) {
        self.file = file
        self.line = line
        self.node = node
        self.field = field
        self.message = message
    }

    /// `labs/seed-001/topology.yaml:12: node leaf01: topology.nodes.leaf01.kind: unknown kind …`
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let node { text += "node \(node): " }
        return text + "\(field): \(message)"
    }
}

/// Every issue found in one topology file. Loading collects them all instead of stopping at the first.
public struct TopologyErrors: Error, Hashable, Sendable, CustomStringConvertible {
    public var issues: [TopologyIssue]
    public init(_ issues: [TopologyIssue]) { self.issues = issues }
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
