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

/// `calicoctl` as typed in a node: opens the lab's datastore and hands the line to Calico's `Calicoctl`,
/// which owns the parsing, outputs and messages. `stdin` feeds `-f -`; `node status` reads what this node's
/// agent published.
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

    public func run(_ argv: [String]) -> CommandOutput {
        let store: Datastore
        do {
            // Help and `node status` work without a lab; everything else needs its datastore.
            store = Calicoctl.needsDatastore(argv) ? try environment.openStore() : try Datastore()
        } catch {
            return CommandOutput(stderr: "\(error)\n", exitCode: 1)
        }
        let env = Calicoctl.Environment(readFile: { try String(contentsOfFile: $0, encoding: .utf8) },
                                        readStdin: readStdin, nodeStatus: nodeStatus)
        return Calicoctl(store: store).execute(argv, environment: env)
    }

    /// `calicoctl node status`: the local node's published BIRD replies.
    private func nodeStatus() -> CommandOutput {
        guard let dir = environment.datastoreDirectory, let node = environment.nodeName else {
            return NodeStatus.command(isRoot: isRoot, calicoRunning: false, ipv4: .birdNotRunning, ipv6: .birdNotRunning)
        }
        return NodeStatusFiles(datastoreDirectory: dir, node: node).nodeStatus(isRoot: isRoot)
    }
}

/// A front end's own failure (no datastore, the editor failed), printed as its message.
struct FrontendError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
