import ArgumentParser
import Foundation
import Lab

/// A lab verb's failure in words the user can act on (printed as `Error: …`, exit status 1).
struct LabCommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Where the verbs find things: the state root, this executable, the shipped labs.
enum LabEnvironment {
    static var store: StateDirectory { StateDirectory() }

    /// This `peerlab` binary, so device daemons run the same build as the controller.
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// The repository holding `labs/`: `$PEERLAB_REPOSITORY`, else the first folder above this binary or
    /// the working directory that has `labs/<default lab>/topology.yaml`.
    static var repository: String? {
        if let value = ProcessInfo.processInfo.environment["PEERLAB_REPOSITORY"], !value.isEmpty { return value }
        for start in [executable, FileManager.default.currentDirectoryPath] {
            var url = URL(fileURLWithPath: start)
            for _ in 0..<8 {
                if FileManager.default.fileExists(atPath: LabCatalog.file(for: LabCatalog.defaultLab, repository: url.path)) {
                    return url.path
                }
                url.deleteLastPathComponent()
            }
        }
        return nil
    }

    /// The lab file a user means by `argument`: an existing path, or the name of a shipped lab.
    static func labFile(_ argument: String?) throws -> String {
        let name = argument ?? LabCatalog.defaultLab
        if argument != nil, FileManager.default.fileExists(atPath: name) { return name }
        guard let repository else {
            throw LabCommandError("no lab file '\(name)', and the shipped labs were not found (set PEERLAB_REPOSITORY to the PeerLab checkout)")
        }
        let file = LabCatalog.file(for: name, repository: repository)
        guard FileManager.default.fileExists(atPath: file) else {
            let known = LabCatalog.names(repository: repository).joined(separator: ", ")
            throw LabCommandError("no lab file '\(name)'; give a path to a topology.yaml or one of the shipped labs: \(known)")
        }
        return file
    }

    /// The installed lab a verb acts on. With no name there must be exactly one lab on the box.
    static func lab(named name: String?) throws -> String {
        let labs = store.list().map(\.lab)
        if let name {
            guard labs.contains(name) else {
                throw LabCommandError("no lab named '\(name)' is installed" + (labs.isEmpty ? "; start one with 'peerlab up'" : "; labs here: \(labs.joined(separator: ", "))"))
            }
            return name
        }
        switch labs.count {
        case 0: throw LabCommandError("no lab is running; start one with 'peerlab up [FILE]'")
        case 1: return labs[0]
        default: throw LabCommandError("several labs are running (\(labs.joined(separator: ", "))); say which one with --lab NAME")
        }
    }

    /// A `NAME|FILE` argument of `down`/`redeploy`: a lab file names its lab.
    static func lab(nameOrFile argument: String?) throws -> String {
        guard let argument, argument.hasSuffix(".yaml") || argument.hasSuffix(".yml") || argument.contains("/") else {
            return try lab(named: argument)
        }
        switch TopologyLoader().load(path: argument) {
        case .success(let topology): return try lab(named: topology.name)
        case .failure(let errors): throw LabCommandError("\(errors)")
        }
    }

    /// The lab holding `node`: the named lab, else the single running lab, else the only lab with that node.
    static func installed(node: String, lab: String?) throws -> (InstalledLab, InstalledLab.Device) {
        let name: String
        if let lab { name = try self.lab(named: lab) } else {
            let holders = store.list().compactMap(\.state).filter { $0.devices.contains { $0.node == node } }.map(\.lab)
            switch holders.count {
            case 1: name = holders[0]
            case 0: name = try self.lab(named: nil)
            default: throw LabCommandError("node \(node) is in several labs (\(holders.joined(separator: ", "))); say which one with --lab NAME")
            }
        }
        let installed = try InstalledLab.open(labDirectory: store.paths(for: name).directory)
        guard let device = installed.device(node) else {
            let nodes = installed.topology.nodes.map(\.name).joined(separator: ", ")
            throw LabCommandError("lab \(name) has no node '\(node)'; its nodes are \(nodes)")
        }
        return (installed, device)
    }
}

/// `--lab NAME`, shared by the verbs that act on one node.
struct LabOption: ParsableArguments {
    @Option(name: .long, help: "The lab the node belongs to (needed only when several labs are running).")
    var lab: String?
}
