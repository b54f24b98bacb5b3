import Foundation
import XCTest
import Calico
@testable import CalicoNode

/// calicoctl / kubectl argument handling over a datastore directory, as a node's shell would use them.
final class FrontendTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("plt-cnode-\(getpid())-fe-\(UUID().uuidString.prefix(8))")
        _ = try Datastore(directory: directory)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
        super.tearDown()
    }

    var env: CalicoLabEnvironment {
        CalicoLabEnvironment(environment: [CalicoLabEnvironment.datastoreKey: directory.path, CalicoLabEnvironment.nodeKey: "node1"])
    }

    func calicoctl(_ args: [String], stdin: String = "") -> CommandOutput {
        CalicoctlFrontend(environment: env, isRoot: true, readStdin: { stdin }).run(args)
    }

    func testApplyFromStdinThenGetAndDelete() throws {
        let peer = """
        apiVersion: projectcalico.org/v3
        kind: BGPPeer
        metadata:
          name: bgppeer-global-3040
        spec:
          peerIP: 10.1.1.1
          asNumber: 3040
        """
        let applied = calicoctl(["apply", "-f", "-"], stdin: peer)
        XCTAssertEqual(applied.stdout, "Successfully applied 1 'BGPPeer' resource(s)\n")
        let table = calicoctl(["get", "bgpPeer", "--allow-version-mismatch"])
        XCTAssertTrue(table.stdout.contains("bgppeer-global-3040") && table.stdout.contains("10.1.1.1"), table.stdout)
        let yaml = calicoctl(["get", "bgppeer", "bgppeer-global-3040", "-o", "yaml", "--export"])
        XCTAssertTrue(yaml.stdout.contains("asNumber: 3040"), yaml.stdout)
        XCTAssertEqual(calicoctl(["delete", "bgppeer", "bgppeer-global-3040"]).stdout, "Successfully deleted 1 'BGPPeer' resource(s)\n")
        let missing = calicoctl(["delete", "bgppeer", "bgppeer-global-3040"])
        XCTAssertEqual(missing.exitCode, 1)
        XCTAssertTrue(missing.stderr.contains("resource does not exist: BGPPeer(bgppeer-global-3040)"), missing.stderr)
    }

    func testNodeStatusWithoutAgentSaysCalicoIsNotRunning() {
        let out = calicoctl(["node", "status"])
        XCTAssertEqual(out.exitCode, 1)
        XCTAssertEqual(out.stderr, "Calico process is not running.\n")
        XCTAssertEqual(CalicoctlFrontend(environment: env, isRoot: false).run(["node", "status"]).stdout,
                       "Need super user privileges: Operation not permitted\n")
    }

    func testFlagsAndUnknownCommands() {
        XCTAssertEqual(calicoctl(["bogus"]).exitCode, 1)
        XCTAssertEqual(calicoctl(["get", "bgppeer", "--frobnicate"]).stderr,
                       "Invalid option: 'calicoctl get bgppeer --frobnicate'. Use flag '--help' to read about a specific subcommand.\n")
        // Pasted typographic hyphens reach the same parser as typed ones (seed 003).
        XCTAssertEqual(calicoctl(["get", "bgppeer", "\u{2010}o", "yaml"]), calicoctl(["get", "bgppeer", "-o", "yaml"]))
        XCTAssertTrue(calicoctl(["--help"]).stdout.hasPrefix("Usage:\n  calicoctl"))
        let noStore = CalicoctlFrontend(environment: CalicoLabEnvironment(environment: [:]), isRoot: true).run(["get", "nodes"])
        XCTAssertTrue(noStore.stderr.contains("PEERLAB_CALICO_DATASTORE"), noStore.stderr)
    }

    func testKubectlLabelsNodesAndRecreatesDeletedPods() throws {
        let store = try Datastore(directory: directory)
        try NodeBootstrap(nodeName: "node1", ipv4Address: "172.20.0.11/24", labels: ["rack": "r1"],
                          pods: [(namespace: "default", name: "web-5d7c9f8b6d-x2k4q"), (namespace: "default", name: "db-0")]).apply(to: store)
        let kubectl = KubectlFrontend(environment: env)
        XCTAssertEqual(kubectl.run(["label", "nodes", "node1", "route-reflector=true"]).stdout, "node/node1 labeled\n")
        let nodes = kubectl.run(["get", "nodes", "--show-labels"]).stdout
        XCTAssertTrue(nodes.contains("rack=r1") && nodes.contains("route-reflector=true"), nodes)
        XCTAssertEqual((try store.get(.node, "node1")).metadata.labels["route-reflector"], "true")
        let wide = kubectl.run(["get", "nodes", "-o", "wide"]).stdout.split(separator: "\n")
        XCTAssertEqual(wide.count, 2)
        XCTAssertTrue(wide[0].hasPrefix("NAME    STATUS   ROLES    AGE") && wide[0].contains("VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE"), String(wide[0]))
        XCTAssertTrue(wide[1].contains("\(NodeBootstrap.defaultKubernetesVersion)   172.20.0.11   <none>        <unknown>"), String(wide[1]))

        let deleted = kubectl.run(["delete", "pod", "web-5d7c9f8b6d-x2k4q", "db-0"])
        XCTAssertEqual(deleted.stdout, "pod \"web-5d7c9f8b6d-x2k4q\" deleted\npod \"db-0\" deleted\n")
        // Recreated by their owner under the same names, with no address until the node agent wires them.
        XCTAssertEqual(store.list(.pod, namespace: "default").map(\.name).sorted(), ["db-0", "web-5d7c9f8b6d-x2k4q"])
        XCTAssertTrue(kubectl.run(["get", "pods", "-l", "app=none"]).stderr.contains("No resources found in default namespace."))
        XCTAssertEqual(kubectl.run(["delete", "pod", "nope"]).stderr, "Error from server (NotFound): pods \"nope\" not found\n")
    }

    func testBootstrapIsIdempotentAndAppliesLabResourcesOnce() throws {
        let store = try Datastore(directory: directory)
        let boot = NodeBootstrap(nodeName: "node1", ipv4Address: "172.20.0.11/24", resources: ["""
            apiVersion: projectcalico.org/v3
            kind: BGPConfiguration
            metadata:
              name: default
            spec:
              nodeToNodeMeshEnabled: false
              asNumber: 64512
            """])
        XCTAssertEqual(try boot.apply(to: store), [])
        let revision = store.currentRevision
        XCTAssertEqual(try boot.apply(to: store), [])
        XCTAssertEqual(store.currentRevision, revision)
        XCTAssertEqual(store.list(.ipPool).map(\.name), ["default-ipv4-ippool"])
        XCTAssertEqual((try store.get(.node, "node1")).node?.spec.bgp?.ipv4Address, "172.20.0.11/24")
    }

    /// The kubelet's version reaches `kubectl get nodes` (seed 001 shows v1.17.9); a lab naming none gets the default.
    func testNodesReportTheClustersKubernetesVersion() throws {
        let store = try Datastore(directory: directory)
        try NodeBootstrap(nodeName: "node1", ipv4Address: "172.20.0.11/24", kubernetesVersion: "v1.17.9").apply(to: store)
        try NodeBootstrap(nodeName: "node2", ipv4Address: "172.20.0.12/24").apply(to: store)
        // As the lab's kubectl sees it: another process opening the datastore on disk.
        let rows = Kubectl(store: try Datastore(directory: directory)).execute(["get", "nodes"]).stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        XCTAssertEqual(rows.first?.last, "VERSION")
        XCTAssertEqual(rows.dropFirst().map { [$0.first ?? "", $0.last ?? ""] },
                       [["node1", "v1.17.9"], ["node2", NodeBootstrap.defaultKubernetesVersion]])
    }

    func testPodNamespacesFollowTheLabNamingLimit() {
        let naming = PodNaming(prefix: "seed-000-")
        XCTAssertEqual(naming.namespace(node: "n1", namespace: "default", pod: "p1"), "seed-000-n1-p1")
        let long = naming.namespace(node: "k8s401", namespace: "default", pod: "nginx-5d7c9f8b6d-x2k4q")
        XCTAssertEqual(long.count, 15)
        XCTAssertTrue(long.hasPrefix("seed-000-"))
        XCTAssertNotEqual(long, naming.namespace(node: "k8s401", namespace: "default", pod: "nginx-5d7c9f8b6d-abcde"))
    }
}
