import ArgumentParser
import Foundation
import Lab

/// `peerlab redeploy [NAME|FILE]`: down, then up again with every device booting from what it last saved.
struct Redeploy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redeploy",
        abstract: "Tear a lab down and bring it up again; devices start from their saved configurations.",
        discussion: "A device that ran 'save' boots from that configuration; the others boot from their startup config. Cabling and port layout come from the lab file as it was installed.")

    @Argument(help: "Lab name, or its lab file.")
    var lab: String?

    func run() throws {
        let name = try LabEnvironment.lab(nameOrFile: lab)
        let store = LabEnvironment.store
        let paths = store.paths(for: name)
        let installed: InstalledLab
        do { installed = try InstalledLab.open(labDirectory: paths.directory) } catch {
            throw LabCommandError("cannot reopen lab \(name) (\(error)); 'peerlab down \(name)' then 'peerlab up FILE' starts it afresh")
        }
        var topology = installed.topology
        // The lab stays tied to the file the user brought it up from (`ezctl setup` reads it again).
        topology.file = installed.state.sourceFile
        var booted: [String] = []
        for index in topology.nodes.indices {
            let node = topology.nodes[index].name
            let saved = paths.savedConfig(for: node)
            guard topology.nodes[index].kind.acceptsStartupConfig,
                  let text = try? String(contentsOfFile: saved, encoding: .utf8) else { continue }
            topology.nodes[index].startupConfig = StartupConfig(source: .file(saved), text: text)
            // Ports are cabled as the saved configuration has them (a port moved to another VLAN, made routed).
            if topology.nodes[index].kind.role == .vendorSwitch {
                topology.nodes[index].switchLayout = SwitchLayout.parse(text, kind: topology.nodes[index].kind).0
            }
            booted.append(node)
        }
        let source = try String(contentsOfFile: paths.topologyFile, encoding: .utf8)
        let started = Date()
        try Down.remove(name)
        print("lab \(name) removed")
        let executor = LabExecutor(backend: KernelBackend(), launcher: ProcessLauncher(executable: LabEnvironment.executable),
                                   store: store)
        let progress = UpProgress(verbose: false)
        executor.progress = { step, pid in progress.report(step, pid: pid) }
        do { try executor.up(topology, sourceText: source) } catch { throw LabCommandError("\(error)") }
        progress.finish()
        if !booted.isEmpty { print("from saved configurations: \(booted.joined(separator: ", "))") }
        print("lab \(name) redeployed in \(Seconds(since: started))")
    }
}
