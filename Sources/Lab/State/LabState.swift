import Foundation

/// The lab's record on disk (`state.json`). It is written before the first kernel change and after each
/// device starts, so a crashed `peerlab up` still leaves the names teardown needs.
public struct LabState: Codable, Hashable, Sendable {
    public enum Phase: String, Codable, Sendable {
        /// Bring-up in progress (or crashed during it).
        case starting
        case up
        /// Bring-up failed and was rolled back; kept for the error message.
        case failed
    }

    public var lab: String
    /// The namespace tag (see `LabNames`), recorded so clash checks need not recompute it.
    public var tag: String
    /// The lab file as the user gave it.
    public var sourceFile: String
    public var phase: Phase
    public var createdAt: Date
    public var namespaces: [NamespacePlan]
    public var devices: [Device]
    public var error: String?

    /// One node of the lab as it runs.
    public struct Device: Codable, Hashable, Sendable {
        public var node: String
        public var kind: String
        public var namespace: String
        /// PID of the device daemon; nil for kinds without one or before it starts.
        public var pid: Int32?
        public var socket: String?
        public var log: String?
        /// The daemon's arguments after `peerlab`, so `down` only signals a PID still running them.
        public var arguments: [String]?
    }

    public init(plan: LabPlan, topology: Topology, createdAt: Date = Date()) {
        lab = plan.lab
        tag = plan.names.tag
        sourceFile = topology.file
        phase = .starting
        // Whole seconds: the state file stores ISO 8601 without fractions, so a read-back compares equal.
        self.createdAt = Date(timeIntervalSince1970: createdAt.timeIntervalSince1970.rounded(.down))
        namespaces = plan.namespaces
        let daemons = Dictionary(plan.daemons.map { ($0.node, $0) }, uniquingKeysWith: { a, _ in a })
        devices = topology.nodes.map { node in
            Device(node: node.name, kind: node.kind.name, namespace: plan.names.namespace(for: node.name),
                   pid: nil, socket: daemons[node.name]?.socket, log: daemons[node.name]?.log,
                   arguments: daemons[node.name]?.arguments)
        }
        error = nil
    }
}
