import Foundation
import Calico

/// Where a lab's calicoctl/kubectl find their datastore and node: `PEERLAB_CALICO_DATASTORE` (set by the
/// lab launcher for calico nodes), else `<state root>/<PEERLAB_LAB>/calico`; the local node from
/// `PEERLAB_CALICO_NODE` or `NODENAME`.
public struct CalicoLabEnvironment: Sendable {
    public static let datastoreKey = "PEERLAB_CALICO_DATASTORE"
    public static let nodeKey = "PEERLAB_CALICO_NODE"
    public static let labKey = "PEERLAB_LAB"

    public var datastoreDirectory: URL?
    public var nodeName: String?

    public init(environment env: [String: String] = ProcessInfo.processInfo.environment) {
        if let d = env[Self.datastoreKey], !d.isEmpty {
            datastoreDirectory = URL(fileURLWithPath: d)
        } else if let lab = env[Self.labKey], !lab.isEmpty {
            let root = env["PEERLAB_STATE_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/run/peerlab"
            datastoreDirectory = URL(fileURLWithPath: root).appendingPathComponent(lab).appendingPathComponent("calico")
        }
        nodeName = env[Self.nodeKey].flatMap { $0.isEmpty ? nil : $0 } ?? env["NODENAME"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The lab's datastore directory of a lab state directory (`<root>/<lab>/calico`).
    public static func datastoreDirectory(labDirectory: String) -> URL {
        URL(fileURLWithPath: labDirectory).appendingPathComponent("calico")
    }

    public func openStore() throws -> Datastore {
        guard let datastoreDirectory else {
            throw FrontendError("no Calico datastore: run this inside a calico node of a lab (peerlab exec/shell), or set \(Self.datastoreKey)")
        }
        guard FileManager.default.fileExists(atPath: datastoreDirectory.path) else {
            throw FrontendError("no Calico datastore at \(datastoreDirectory.path): is the lab up?")
        }
        return try Datastore(directory: datastoreDirectory)
    }
}

/// `calicoctl` as typed in a node: argument handling over Calico's `Calicoctl` (which owns the outputs
/// and messages). `stdin` feeds `-f -`.
public struct CalicoctlFrontend {
    public var environment: CalicoLabEnvironment
    public var readStdin: () -> String
    public var isRoot: Bool

    public init(environment: CalicoLabEnvironment = CalicoLabEnvironment(), isRoot: Bool = getuid() == 0,
                readStdin: @escaping () -> String = { String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) }) {
        self.environment = environment
        self.readStdin = readStdin
        self.isRoot = isRoot
    }

    static let valued = ["-f": "filename", "--filename": "filename", "-o": "output", "--output": "output",
                         "-n": "namespace", "--namespace": "namespace", "-p": "patch", "--patch": "patch",
                         "-c": "config", "--config": "config", "-l": "log-level", "--log-level": "log-level",
                         "--context": "context"]
    static let boolean = ["-A": "all-namespaces", "--all-namespaces": "all-namespaces", "--export": "export",
                          "--skip-exists": "skip-exists", "--skip-not-exists": "skip-not-exists",
                          "--overwrite": "overwrite", "--remove": "remove", "--show-blocks": "show-blocks",
                          "-h": "help", "--help": "help", "--allow-version-mismatch": "ignored"]

    public func run(_ argv: [String]) -> CommandOutput {
        // Pasted commands carry typographic hyphens (seed 003: `calicoctl create ‐f bgp_local.yaml`).
        let argv = argv.map { String($0.map { $0 == "\u{2010}" || $0 == "\u{2011}" ? "-" : $0 }) }
        let args: FrontendArguments
        do { args = try FrontendArguments(argv, valued: Self.valued, boolean: Self.boolean) } catch {
            return CommandOutput(stderr: "Invalid option: \(error)\n\n" + Calicoctl.usage, exitCode: 1)
        }
        guard let command = args.positional.first, !args.flags.contains("help") || command.isEmpty else {
            return CommandOutput(stdout: Calicoctl.usage, exitCode: args.flags.contains("help") ? 0 : 1)
        }
        let rest = Array(args.positional.dropFirst())
        if command == "node" {
            return nodeCommand(rest)
        }
        let store: Datastore
        do { store = try environment.openStore() } catch {
            return CommandOutput(stderr: "\(error)\n", exitCode: 1)
        }
        let ctl = Calicoctl(store: store)
        let ns = args.values["namespace"]
        switch command {
        case "create", "apply", "replace", "delete":
            if let file = args.values["filename"] {
                let text: String
                if file == "-" { text = readStdin() } else {
                    guard let t = try? String(contentsOfFile: file, encoding: .utf8) else {
                        return CommandOutput(stderr: "Failed to execute command: open \(file): no such file or directory\n", exitCode: 1)
                    }
                    text = t
                }
                switch command {
                case "create": return ctl.create(file: text, skipExists: args.flags.contains("skip-exists"))
                case "apply": return ctl.apply(file: text)
                case "replace": return ctl.replace(file: text)
                default: return ctl.delete(file: text, skipNotExists: args.flags.contains("skip-not-exists"))
                }
            }
            if command == "delete", rest.count >= 2 {
                return ctl.delete(kind: rest[0], names: Array(rest.dropFirst()), namespace: ns, skipNotExists: args.flags.contains("skip-not-exists"))
            }
            return usageError("calicoctl \(command) --filename=<FILENAME> [--config=<CONFIG>]")
        case "get":
            guard let kind = rest.first else { return usageError("calicoctl get ( (<KIND> [<NAME>...]) | --filename=<FILENAME>) [--output=<OUTPUT>]") }
            return ctl.get(kind: kind, names: Array(rest.dropFirst()), output: args.values["output"] ?? "ps", namespace: ns,
                           allNamespaces: args.flags.contains("all-namespaces"), export: args.flags.contains("export"))
        case "patch":
            guard rest.count == 2, let patch = args.values["patch"] else {
                return usageError("calicoctl patch <KIND> <NAME> --patch=<PATCH> [--type=<TYPE>]")
            }
            return ctl.patch(kind: rest[0], name: rest[1], patch: patch, namespace: ns)
        case "label":
            guard rest.count == 3 else { return usageError("calicoctl label <KIND> <NAME> ( ( <LABEL>=<VALUE> [--overwrite] ) | ( <LABEL> --remove ) )") }
            return ctl.label(kind: rest[0], name: rest[1], label: rest[2], overwrite: args.flags.contains("overwrite"),
                             remove: args.flags.contains("remove"))
        case "ipam":
            guard rest.first == "show" else { return usageError("calicoctl ipam show [--ip=<IP> | --show-blocks]") }
            return ctl.ipamShow(showBlocks: args.flags.contains("show-blocks"))
        default:
            return CommandOutput(stderr: "Invalid option: '\(command)'. Use flag '--help' to read about a specific subcommand.\n", exitCode: 1)
        }
    }

    private func usageError(_ usage: String) -> CommandOutput {
        CommandOutput(stderr: "Invalid option.\nUsage:\n  \(usage)\n", exitCode: 1)
    }

    /// `calicoctl node status`: the local node's published BIRD replies.
    private func nodeCommand(_ rest: [String]) -> CommandOutput {
        guard rest.first == "status" else { return usageError("calicoctl node <command> [<args>...]\n\n    status       View the current status of a Calico node.") }
        guard let dir = environment.datastoreDirectory, let node = environment.nodeName else {
            return NodeStatus.command(isRoot: isRoot, calicoRunning: false, ipv4: .birdNotRunning, ipv6: .birdNotRunning)
        }
        return NodeStatusFiles(datastoreDirectory: dir, node: node).nodeStatus(isRoot: isRoot)
    }
}
