import Foundation
import enum Calico.TextFile

/// The labs on this box, as recorded under the state root. One folder per lab; `list()` reads them back.
public struct StateDirectory: Sendable {
    public var root: String

    public init(root: String = LabPaths.root()) {
        self.root = root
    }

    public func paths(for lab: String) -> LabPaths { LabPaths(root: root, lab: lab) }

    /// Errors are values a user can act on; the path says where to look.
    public struct StateError: Error, Hashable, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Every lab with a readable state file, sorted by name. Folders without one (or with a damaged one)
    /// are reported as `unreadable` so `peerlab list` can still show and clean them.
    public func list() -> [LabSummary] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.sorted().compactMap { name in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: "\(root)/\(name)", isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
            switch read(lab: name) {
            case .success(let state): return LabSummary(lab: name, state: state, problem: nil)
            case .failure(let error): return LabSummary(lab: name, state: nil, problem: error.message)
            }
        }
    }

    public func read(lab: String) -> Result<LabState, StateError> {
        let path = paths(for: lab).stateFile
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(StateError(message: "no state file at \(path)"))
        }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return .success(try decoder.decode(LabState.self, from: data))
        } catch {
            return .failure(StateError(message: "state file \(path) is damaged: \(error)"))
        }
    }

    public func write(_ state: LabState) throws {
        let paths = paths(for: state.lab)
        try createDirectories(paths)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(state)
        // Write-then-rename so a crash never leaves half a state file.
        try TextFile.replace(paths.stateFile, with: String(decoding: data, as: UTF8.self))
    }

    /// Creates the lab's folder and copies in the lab file and every startup config.
    public func prepare(topology: Topology, sourceText: String) throws {
        let paths = paths(for: topology.name)
        try createDirectories(paths)
        try TextFile.replace(paths.topologyFile, with: sourceText)
        for node in topology.nodes {
            if let config = node.startupConfig {
                try TextFile.replace(paths.startupConfig(for: node.name), with: config.text)
            }
        }
    }

    /// Removes the lab's folder (logs included).
    public func remove(lab: String) throws {
        let directory = paths(for: lab).directory
        if FileManager.default.fileExists(atPath: directory) { try FileManager.default.removeItem(atPath: directory) }
    }

    /// A lab whose kernel names could collide with `names` (another lab with an overlapping tag).
    public func clash(with names: LabNames) -> String? {
        for summary in list() where summary.lab != names.lab {
            let other = LabNames(lab: summary.lab)
            if names.clashes(with: other) { return summary.lab }
        }
        return nil
    }

    func createDirectories(_ paths: LabPaths) throws {
        for directory in [paths.directory, paths.logsDirectory, paths.socketsDirectory, paths.configsDirectory, paths.savedDirectory] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
    }
}

/// One line of `peerlab list`.
public struct LabSummary: Hashable, Sendable {
    public var lab: String
    public var state: LabState?
    /// Why the state could not be read, if it could not.
    public var problem: String?
}
