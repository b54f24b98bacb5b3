import Foundation

/// Where one lab keeps its files: `<root>/<lab>/` holding the resolved topology, `state.json`, startup
/// configs, per-device logs and control sockets. The root is `/run/peerlab` (gone at reboot, like the
/// namespaces it describes) unless `PEERLAB_STATE_DIR` says otherwise (tests use a temporary folder).
public struct LabPaths: Hashable, Sendable {
    public static let defaultRoot = "/run/peerlab"
    public static let environmentKey = "PEERLAB_STATE_DIR"

    public var root: String
    public var lab: String

    public init(root: String, lab: String) {
        self.root = root
        self.lab = lab
    }

    /// The state root from the environment, else `/run/peerlab`.
    public static func root(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let value = environment[environmentKey], !value.isEmpty { return value }
        return defaultRoot
    }

    public var directory: String { "\(root)/\(lab)" }
    /// The lab file as loaded (its text, unchanged), so a device daemon and `peerlab down` need nothing else.
    public var topologyFile: String { "\(directory)/topology.yaml" }
    public var stateFile: String { "\(directory)/state.json" }
    public var logsDirectory: String { "\(directory)/logs" }
    public var socketsDirectory: String { "\(directory)/sockets" }
    public var configsDirectory: String { "\(directory)/configs" }
    /// Where devices write `save`; `peerlab redeploy` boots them from here.
    public var savedDirectory: String { "\(directory)/saved" }

    public func log(for node: String) -> String { "\(logsDirectory)/\(node).log" }
    public func socket(for node: String) -> String { "\(socketsDirectory)/\(node).sock" }
    /// The node's startup config, copied here so a relative path in the lab file no longer matters.
    public func startupConfig(for node: String) -> String { "\(configsDirectory)/\(node).cfg" }
    /// The configuration the device last saved (`save`), if it did.
    public func savedConfig(for node: String) -> String { "\(savedDirectory)/\(node).cfg" }
}
