import ArgumentParser
import CalicoNode
import Calico
import Foundation
import Lab

/// `peerlab ezctl setup LAB 07`: kubeasz's network step re-run on a running lab, the way seed 000 turns on
/// route reflectors (edit `CALICO_RR_ENABLED` in config.yml, then `ezctl setup xxx 07`). The lab file plays
/// config.yml: its `calico.kubeasz` section is read again, so an edit takes effect without a redeploy.
struct Ezctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ezctl",
        abstract: "kubeasz's ezctl for a running lab: 'setup LAB 07' re-runs the Calico route-reflector step.",
        subcommands: [EzctlSetup.self])
}

struct EzctlSetup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup",
        abstract: "Run one kubeasz setup step on a running lab (only 07, the network step, is emulated).",
        discussion: """
            With CALICO_RR_ENABLED: true in the lab file's calico.kubeasz section, the route reflectors \
            (CALICO_RR_NODES, or the nodes labelled node-role.kubernetes.io/master when it is empty) get \
            routeReflectorClusterID 244.0.0.1 and the label route-reflector=true, the BGPPeer \
            peer-with-route-reflectors is applied and the default BGPConfiguration turns the node-to-node mesh \
            off (AS 64512). With it false, nothing changes, as kubeasz skips the step.
            """)

    @Argument(help: "The cluster: the lab's name.")
    var cluster: String

    @Argument(help: "The step: 07 (or 'network').")
    var step: String

    @Option(name: .long, help: "The lab file to read calico.kubeasz from (default: the file the lab was brought up from).")
    var config: String?

    func run() throws {
        guard ["07", "7", "network"].contains(step) else {
            throw LabCommandError("step '\(step)' is not emulated: the lab is already installed; only 07 (network: Calico route reflectors) runs here")
        }
        let lab = try LabEnvironment.lab(named: cluster)
        let paths = LabEnvironment.store.paths(for: lab)
        let state = try LabEnvironment.store.read(lab: lab).get()
        let file = config ?? state.sourceFile
        guard FileManager.default.fileExists(atPath: file) else {
            throw LabCommandError("cannot read \(file), the lab file \(lab) was brought up from; name the file with --config FILE")
        }
        let topology: Topology
        switch TopologyLoader().load(path: file) {
        case .success(let t): topology = t
        case .failure(let errors): throw LabCommandError("\(file) has faults; nothing was changed:\n\(errors)")
        }
        guard let options = topology.calico?.kubeasz, options.routeReflectorsEnabled else {
            print("CALICO_RR_ENABLED is false in \(file): kubeasz skips the route-reflector step; the running lab is unchanged")
            print(InstalledSwitches.adoptNote(topology, from: file, labDirectory: paths.directory) ?? "", terminator: "")
            return
        }
        let store = try CalicoLabEnvironment(environment: [CalicoLabEnvironment.datastoreKey:
            CalicoLabEnvironment.datastoreDirectory(labDirectory: paths.directory).path]).openStore()
        let reflectors = KubeaszRouteReflectors(nodes: options.routeReflectors)
        let missing = reflectors.unregistered(in: store)
        guard missing.isEmpty else {
            let known = store.list(.node).map(\.name).joined(separator: ", ")
            throw LabCommandError("route reflector(s) \(missing.joined(separator: ", ")) are not calico nodes of lab \(lab) (calicoctl get node lists \(known)); nothing was changed")
        }
        print("route reflectors: \(reflectors.nodes.joined(separator: ", "))" + (options.listedNodes.isEmpty ? " (the masters; CALICO_RR_NODES is empty)" : ""))
        let commands: [KubeaszRouteReflectors.Command]
        do { commands = try reflectors.apply(to: store) } catch let error as KubeaszRouteReflectors.StepError {
            error.done.forEach { print($0) }
            throw LabCommandError("\(error)")
        }
        commands.forEach { print($0) }
        try reflectors.record(commands, at: KubeaszRouteReflectors.recordFile(labDirectory: paths.directory))
        print(InstalledSwitches.adoptNote(topology, from: file, labDirectory: paths.directory) ?? "", terminator: "")
        print("check the sessions with: peerlab exec NODE -- calicoctl node status")
    }
}

/// Keeps the installed lab file in step with the edited one, so `peerlab redeploy` (which starts from the
/// installed file) brings the lab back with the switches `ezctl setup` just read, as a reinstall from the
/// edited config.yml would.
enum InstalledSwitches {
    /// Copies `file` over the installed lab file when the two differ in `calico.kubeasz` only; returns a
    /// line for the user, or nil when there was nothing to do.
    static func adopt(_ edited: Topology, from file: String, labDirectory: String) throws -> String? {
        let installed = try InstalledLab.open(labDirectory: labDirectory)
        guard installed.topology.calico?.kubeasz != edited.calico?.kubeasz else { return nil }
        guard comparable(installed.topology) == comparable(edited) else {
            return "note: \(file) differs from the installed lab beyond calico.kubeasz, so 'peerlab redeploy' keeps the switches the lab was brought up with ('peerlab down' + 'peerlab up FILE' starts afresh)"
        }
        try TextFile.replace(installed.paths.topologyFile, with: String(contentsOfFile: file, encoding: .utf8))
        return "the installed lab file now has these switches: 'peerlab redeploy' keeps them"
    }

    /// `adopt`'s line for the user (with its line break), a failure to update the copy included: the step
    /// itself is done by then, so that is worth a note, not an error.
    static func adoptNote(_ edited: Topology, from file: String, labDirectory: String) -> String? {
        do { return try adopt(edited, from: file, labDirectory: labDirectory).map { $0 + "\n" } } catch {
            return "note: the installed lab file was not updated (\(error)); 'peerlab redeploy' keeps the switches the lab was brought up with\n"
        }
    }

    /// The topology without what may differ between the user's file and its installed copy.
    static func comparable(_ topology: Topology) -> Topology {
        var t = topology
        t.file = ""
        t.calico?.kubeasz = nil
        for i in t.nodes.indices {
            t.nodes[i].startupConfig = t.nodes[i].startupConfig.map { StartupConfig(source: .inline, text: $0.text) }
        }
        return t
    }
}
