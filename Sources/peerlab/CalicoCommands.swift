import ArgumentParser
import CalicoNode
import struct Calico.CommandOutput
import enum Calico.TextFile
import Foundation
import Kernel
import Lab

/// `peerlab calicoctl …`: calicoctl against a lab's datastore. Inside a calico node (`peerlab exec`/`shell`)
/// the launcher's environment names the datastore and node; elsewhere the only running lab with Calico.
struct CalicoctlCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calicoctl",
        abstract: "calicoctl against the lab's Calico datastore (create/apply/replace/delete/get/patch/label, node status, ipam show).")

    @Argument(parsing: .captureForPassthrough, help: "calicoctl's arguments.")
    var arguments: [String] = []

    func run() throws {
        try CalicoFrontends.exit(with: CalicoctlFrontend(environment: CalicoFrontends.environment()).run(CalicoFrontends.words(arguments)))
    }
}

/// `peerlab kubectl …`: the kubectl subset the seeds use (nodes and pods) against the lab's datastore.
struct KubectlCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubectl",
        abstract: "kubectl get/label nodes, get/delete pods against the lab's Calico datastore.")

    @Argument(parsing: .captureForPassthrough, help: "kubectl's arguments.")
    var arguments: [String] = []

    func run() throws {
        try CalicoFrontends.exit(with: KubectlFrontend(environment: CalicoFrontends.environment()).run(CalicoFrontends.words(arguments)))
    }
}

enum CalicoFrontends {
    static func words(_ a: [String]) -> [String] { a.first == "--" ? Array(a.dropFirst()) : a }

    /// The launcher's variables when set; otherwise the lab and node whose namespace this process runs in
    /// (`peerlab exec node1 -- calicoctl node status`); otherwise the one running lab with a Calico datastore.
    static func environment() -> CalicoLabEnvironment {
        var env = CalicoLabEnvironment()
        if env.datastoreDirectory == nil || env.nodeName == nil, let (labDir, node) = labNodeOfCurrentNamespace() {
            if env.datastoreDirectory == nil { env.datastoreDirectory = CalicoLabEnvironment.datastoreDirectory(labDirectory: labDir) }
            if env.nodeName == nil { env.nodeName = node }
        }
        if env.datastoreDirectory == nil {
            let root = LabPaths.root()
            let labs = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted()
                .filter { FileManager.default.fileExists(atPath: "\(root)/\($0)/calico") }
            if labs.count == 1 { env.datastoreDirectory = CalicoLabEnvironment.datastoreDirectory(labDirectory: "\(root)/\(labs[0])") }
        }
        return env
    }

    /// For `peerlab exec`/`shell` on a calico node: puts `<lab-dir>/bin` (the calicoctl and kubectl wrappers
    /// the calico-node daemons install) first on this process's PATH, which the exec'd command inherits.
    static func prependLabBin(labDirectory: String) {
        let current = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        setenv("PATH", "\(labDirectory)/bin:" + current, 1)
    }

    /// Finds the lab node whose namespace (`/run/netns/<name>`) is the one this process is in.
    static func labNodeOfCurrentNamespace() -> (labDirectory: String, node: String)? {
        var mine = stat()
        guard stat("/proc/self/ns/net", &mine) == 0 else { return nil }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: NetworkNamespace.directory)) ?? []
        guard let current = names.first(where: { name in
            var st = stat()
            return stat("\(NetworkNamespace.directory)/\(name)", &st) == 0 && st.st_ino == mine.st_ino && st.st_dev == mine.st_dev
        }) else { return nil }
        let store = StateDirectory()
        for lab in (try? FileManager.default.contentsOfDirectory(atPath: LabPaths.root())) ?? [] {
            guard case .success(let state) = store.read(lab: lab),
                  let ns = state.namespaces.first(where: { $0.name == current }) else { continue }
            return (store.paths(for: lab).directory, ns.node)
        }
        return nil
    }

    static func exit(with out: CommandOutput) throws {
        FileHandle.standardOutput.write(Data(out.stdout.utf8))
        FileHandle.standardError.write(Data(out.stderr.utf8))
        if out.exitCode != 0 { throw ExitCode(out.exitCode) }
    }
}

/// `peerlab calico-node run --lab-dir DIR --node NAME --socket S`: the daemon of a calico-node device. It
/// seeds the lab's datastore (`DIR/calico`) from the lab file, runs the node agent in the current network
/// namespace, and serves the emulated BIRD control socket at S (the launcher's readiness signal).
struct CalicoNodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calico-node",
        abstract: "Run one emulated calico-node (BGP peerings, pod networking) in the current network namespace.",
        subcommands: [CalicoNodeRun.self],
        defaultSubcommand: CalicoNodeRun.self)
}

struct CalicoNodeRun: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the node agent in the foreground until SIGTERM.")

    @Option(name: .customLong("lab-dir"), help: "The lab's state directory (holds topology.yaml; the datastore goes to calico/).")
    var labDirectory: String

    @Option(name: .long, help: "The calico node's name in the lab.")
    var node: String

    @Option(name: .long, help: "Unix socket for the emulated BIRD control socket (readiness signal).")
    var socket: String?

    func run() throws {
        // Before any thread starts, so every thread inherits the mask and sigwait alone receives them.
        SignalWait.block()
        let labDir = URL(fileURLWithPath: labDirectory)
        let lab = labDir.lastPathComponent
        let topology: Topology
        // The stored lab file's relative startup-config paths point beside the user's original file, so
        // read the copies `up` installed in the lab's configs/ instead (as InstalledLab does).
        let paths = LabPaths(root: labDir.deletingLastPathComponent().path, lab: lab)
        switch TopologyLoader(installedConfigs: paths.configsDirectory).load(path: paths.topologyFile) {
        case .success(let t): topology = t
        case .failure(let errors): throw LabCommandError("\(labDirectory)/topology.yaml: \(errors)")
        }
        guard let me = topology.nodes.first(where: { $0.name == node }) else {
            throw LabCommandError("no node \(node) in lab \(lab)")
        }
        let datastore = CalicoLabEnvironment.datastoreDirectory(labDirectory: labDirectory)
        let env = ProcessInfo.processInfo.environment
        let bootstrap = NodeBootstrap(
            nodeName: node,
            ipv4Address: me.interfaces.flatMap(\.addresses).first { $0.address.family == .ipv4 }?.description,
            ipv6Address: me.interfaces.flatMap(\.addresses).first { $0.address.family == .ipv6 && !$0.description.lowercased().hasPrefix("fe80") }?.description,
            labels: Dictionary(me.labels.map { ($0.key, $0.value) }, uniquingKeysWith: { _, b in b }),
            resources: topology.calico?.resources.map(\.yaml) ?? [],
            pods: (topology.calico?.pods ?? []).filter { $0.node == node }.map { (namespace: $0.namespace, name: $0.name) },
            environment: env,
            kubeasz: topology.calico?.kubeasz.flatMap { $0.routeReflectorsEnabled ? KubeaszRouteReflectors(nodes: $0.routeReflectors) : nil },
            kubeaszRecord: KubeaszRouteReflectors.recordFile(labDirectory: labDirectory),
            kubernetesVersion: topology.calico?.kubernetesVersion ?? NodeBootstrap.defaultKubernetesVersion)
        let agent = try CalicoNodeAgent(options: .init(
            nodeName: node, datastoreDirectory: datastore, namespace: nil,
            podNaming: PodNaming(prefix: LabNames(lab: lab).namespacePrefix), environment: env))
        for note in try bootstrap.apply(to: agent.store) { FileHandle.standardError.write(Data("calico-node \(node): \(note)\n".utf8)) }
        try agent.start()
        do { try CommandWrappers.install(in: labDir.appendingPathComponent("bin"), datastore: datastore) } catch {
            FileHandle.standardError.write(Data("calico-node \(node): cannot install calicoctl/kubectl wrappers: \(error)\n".utf8))
        }
        let status = agent.statusFiles
        let control = try socket.map { try BirdControlServer(path: $0) { status.showProtocolsReply(.ipv4) } }
        FileHandle.standardError.write(Data("calico-node \(node): running (datastore \(datastore.path))\n".utf8))
        SignalWait.untilTerminated()
        control?.close()
        agent.stop()
    }
}

/// SIGTERM/SIGINT handled by waiting for them, not by a handler.
enum SignalWait {
    static var set: sigset_t {
        var s = sigset_t()
        sigemptyset(&s)
        sigaddset(&s, SIGTERM)
        sigaddset(&s, SIGINT)
        return s
    }

    static func block() {
        var s = set
        pthread_sigmask(SIG_BLOCK, &s, nil)
    }

    /// Blocks until SIGTERM or SIGINT (call `block()` first).
    static func untilTerminated() {
        var s = set
        var signal: Int32 = 0
        sigwait(&s, &signal)
    }
}

/// `<lab-dir>/bin/calicoctl` and `kubectl`: shell wrappers that run this executable's subcommands against
/// the lab's datastore, so a PATH holding that folder makes them plain commands inside the lab's nodes
/// (the node is found from the namespace the command runs in).
enum CommandWrappers {
    static func install(in directory: URL, datastore: URL) throws {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for tool in ["calicoctl", "kubectl"] {
            let script = "#!/bin/sh\nPEERLAB_CALICO_DATASTORE=\(quoted(datastore.path)) exec \(quoted(executable)) \(tool) \"$@\"\n"
            let file = directory.appendingPathComponent(tool)
            try TextFile.replace(file.path, with: script)
            chmod(file.path, 0o755)
        }
    }

    static func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
