import Foundation

/// A lab as `up` left it in the state directory: the topology reloaded from the copies there, its state,
/// and per-device context. This is what a device daemon (`peerlab device run --lab-dir DIR --node NODE`)
/// and the lab verbs (`peerlab list`, `exec`, `console`) open.
public struct InstalledLab: Sendable {
    public var paths: LabPaths
    public var topology: Topology
    public var state: LabState

    /// Everything one device daemon needs to start.
    public struct Device: Sendable {
        public var node: Node
        public var namespace: String
        public var socket: String
        public var log: String
        /// The startup config text (vendor-native), if the node has one.
        public var startupConfig: String?
    }

    /// Opens the lab in `directory` (`<state root>/<lab>`).
    /// - Throws: `StateDirectory.StateError` when the state is missing or damaged, `TopologyErrors` when
    ///   the stored lab file no longer validates.
    public static func open(labDirectory directory: String) throws -> InstalledLab {
        let url = URL(fileURLWithPath: directory)
        let paths = LabPaths(root: url.deletingLastPathComponent().path, lab: url.lastPathComponent)
        let state = try StateDirectory(root: paths.root).read(lab: paths.lab).get()
        let loader = TopologyLoader(installedConfigs: paths.configsDirectory)
        let topology = try loader.load(path: paths.topologyFile).get()
        return InstalledLab(paths: paths, topology: topology, state: state)
    }

    public func device(_ name: String) -> Device? {
        guard let node = topology.node(named: name) else { return nil }
        return Device(node: node, namespace: LabNames(lab: topology.name).namespace(for: name),
                      socket: paths.socket(for: name), log: paths.log(for: name), startupConfig: node.startupConfig?.text)
    }
}

/// The labs that ship in the repository's `labs/` folder.
public enum LabCatalog {
    /// `peerlab up` with no argument brings up seed 001's AS-per-rack leaf/spine fabric.
    public static let defaultLab = "seed-001"

    /// `labs/<name>/topology.yaml` under `repository`.
    public static func file(for name: String, repository: String) -> String {
        "\(repository)/labs/\(name)/topology.yaml"
    }

    /// Names of the labs under `repository/labs`, sorted.
    public static func names(repository: String) -> [String] {
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: "\(repository)/labs")) ?? []
        return folders.filter { FileManager.default.fileExists(atPath: file(for: $0, repository: repository)) }.sorted()
    }
}
