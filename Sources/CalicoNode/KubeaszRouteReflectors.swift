import Foundation
import Calico

/// kubeasz's route-reflector step (its calico role, run by `ezctl setup <cluster> 07` when
/// `CALICO_RR_ENABLED` is true), done against a lab's datastore with the same commands the playbook runs,
/// in its order: each route reflector gets `routeReflectorClusterID: 244.0.0.1` (calicoctl patch) and the
/// label `route-reflector=true` (kubectl label --overwrite), then `bgp-rr.yaml` (the
/// `peer-with-route-reflectors` BGPPeer) and `bgp-default.yaml` (the default BGPConfiguration with the mesh
/// off, AS 64512) are applied. The reflectors must be registered (their Node objects exist) first, as the
/// playbook runs after every calico-node pod is Running.
public struct KubeaszRouteReflectors: Hashable, Sendable {
    /// The cluster ID kubeasz gives every route reflector.
    public static let clusterID = "244.0.0.1"
    /// kubeasz's `CALICO_AS_NUMBER` (a role variable, not a config.yml switch).
    public static let asNumber = 64512

    /// Node names of the route reflectors, in the order the step patches them.
    public var nodes: [String]

    public init(nodes: [String]) { self.nodes = nodes }

    /// kubeasz's `bgp-rr.yaml`.
    public static let peerDocument = """
        kind: BGPPeer
        apiVersion: projectcalico.org/v3
        metadata:
          name: peer-with-route-reflectors
        spec:
          nodeSelector: all()
          peerSelector: route-reflector == 'true'

        """

    /// kubeasz's `bgp-default.yaml`.
    public static let configurationDocument = """
        apiVersion: projectcalico.org/v3
        kind: BGPConfiguration
        metadata:
          name: default
        spec:
          logSeverityScreen: Info
          nodeToNodeMeshEnabled: false
          asNumber: \(asNumber)

        """

    /// The file that records that the step ran in a lab (`<lab dir>/kubeasz/calico-rr.applied`), so a
    /// calico-node restart does not run it again over what the trainee changed since.
    public static func recordFile(labDirectory: String) -> URL {
        URL(fileURLWithPath: labDirectory).appendingPathComponent("kubeasz").appendingPathComponent("calico-rr.applied")
    }

    /// The route reflectors that have no Node object yet (the step waits for them).
    public func unregistered(in store: Datastore) -> [String] {
        nodes.filter { (try? store.get(.node, $0)) == nil }
    }

    /// One command the step ran and what it answered.
    public struct Command: Equatable, Sendable, CustomStringConvertible {
        public var line: String
        public var output: CommandOutput
        public var description: String {
            "\(line): " + output.description.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// A command of the step failed; the commands before it stay done, as with the playbook.
    public struct StepError: Error, CustomStringConvertible {
        public var done: [Command]
        public var failed: Command
        public var description: String { "kubeasz calico-rr step failed at \(failed)" }
    }

    /// Runs the step on `store` (one datastore transaction); returns the commands with their answers.
    @discardableResult
    public func apply(to store: Datastore) throws -> [Command] {
        let calicoctl = Calicoctl(store: store), kubectl = Kubectl(store: store)
        let patch = #"{"spec": {"bgp": {"routeReflectorClusterID": "\#(Self.clusterID)"}}}"#
        var steps: [(String, () -> CommandOutput)] = []
        for node in nodes {
            steps.append(("calicoctl patch node \(node) -p '\(patch)'", { calicoctl.patch(kind: "node", name: node, patch: patch) }))
        }
        for node in nodes {
            steps.append(("kubectl label node \(node) route-reflector=true --overwrite",
                          { kubectl.labelNode(node, ["route-reflector=true"], overwrite: true) }))
        }
        steps.append(("calicoctl apply -f bgp-rr.yaml", { calicoctl.apply(file: Self.peerDocument) }))
        steps.append(("calicoctl apply -f bgp-default.yaml", { calicoctl.apply(file: Self.configurationDocument) }))
        return try store.atomically {
            var done: [Command] = []
            for (line, run) in steps {
                let command = Command(line: line, output: run())
                guard command.output.exitCode == 0 else { throw StepError(done: done, failed: command) }
                done.append(command)
            }
            return done
        }
    }

    /// Writes the record of a run: the reflectors and the commands, for the trainee to read.
    public func record(_ commands: [Command], at file: URL) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let text = "# kubeasz calico-rr (CALICO_RR_ENABLED: true) applied \(Datastore.rfc3339(Date()))\n"
            + "route reflectors: \(nodes.joined(separator: " "))\n" + commands.map { "\($0)\n" }.joined()
        try TextFile.replace(file.path, with: text)
    }
}
