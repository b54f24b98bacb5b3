import Foundation
import XCTest
import Calico
import Kernel
@testable import CalicoNode

/// Seed 000 on four nodes sharing one segment: the default full mesh, then k8s401 made route reflector
/// live (patches, BGPPeer, mesh off) while pods on the workers keep reaching each other.
final class SeedRouteReflectorTests: CalicoNodeTestCase {
    func testFourNodeMeshThenInClusterRouteReflector() throws {
        let names = ["k8s401", "k8s402", "k8s403", "k8s404"]
        let nodes = try makeHubNodes(names)
        apply(CalicoYAML.pool("default-ipv4-ippool", cidr: "172.20.0.0/16", """
            blockSize: 26
            ipipMode: Always
            natOutgoing: true
            nodeSelector: all()
            """))
        for n in nodes {
            try NodeBootstrap(nodeName: n.name, ipv4Address: n.address + "/24").apply(to: store)
        }
        addPod("a", on: "k8s403")
        addPod("b", on: "k8s404")
        let started = Date()
        try startAgents(names)
        XCTAssertTrue(eventually(40, "full mesh of four") {
            names.allSatisfy { n in peerSummary(n) == nodes.filter { $0.name != n }.map { "\($0.address) node-to-node mesh up Established" } }
        })
        let meshSeconds = Date().timeIntervalSince(started)
        let a = try XCTUnwrap(podIP("a")), b = try XCTUnwrap(podIP("b"))
        XCTAssertTrue(try eventually(30, "a → b over the mesh") { try ping(from: prefix + "k8s403-a", to: b) })

        let switched = Date()
        let steps = SeedRouteReflectorSteps.run(Calicoctl(store: store), reflector: "k8s401")
        XCTAssertEqual(steps[0].stdout, "Successfully patched 1 'Node' resource\n")
        XCTAssertEqual(steps[1].exitCode, 0)
        XCTAssertEqual(steps[2].stdout, "Successfully created 1 'BGPPeer' resource(s)\n")
        XCTAssertEqual(steps[3].exitCode, 0)

        XCTAssertTrue(eventually(40, "every worker peers with the reflector only; the reflector with all three") {
            peerSummary("k8s401") == ["192.168.1.2 node specific up Established", "192.168.1.3 node specific up Established",
                                  "192.168.1.4 node specific up Established"]
                && ["k8s402", "k8s403", "k8s404"].allSatisfy { peerSummary($0) == ["192.168.1.1 node specific up Established"] }
        })
        let rrSeconds = Date().timeIntervalSince(switched)
        print(String(format: "calico-node figures: 4-node full mesh Established %.2f s after agent start; mesh → RR (4 writes) re-Established %.2f s after the first write", meshSeconds, rrSeconds))
        // Worker-to-worker traffic now rides on routes reflected by k8s401 (next hop unchanged).
        XCTAssertTrue(try eventually(30, "a → b through the reflector") { try ping(from: prefix + "k8s403-a", to: b) })
        XCTAssertTrue(try ping(from: prefix + "k8s404-b", to: a))
        let status = NodeStatusFiles(datastoreDirectory: storeDirectory, node: "k8s404").nodeStatus(isRoot: true).stdout
        XCTAssertTrue(status.contains("| 192.168.1.1  | node specific | up    |"), status)

        // Seed 002's restart of calico-node: the DaemonSet pods are replaced (new names, host network) and
        // every agent restarts its BGP, so the sessions come back with a new SINCE.
        let before = kubectl(["get", "pods", "-n", "kube-system", "-o", "wide"]).stdout
        XCTAssertEqual(before.split(separator: "\n").filter { $0.hasPrefix("calico-node-") }.count, 4, before)
        XCTAssertTrue(before.contains("192.168.1.4   k8s404"), before)
        let sinceBefore = try XCTUnwrap(statusRows("k8s404").first?.since)
        Thread.sleep(forTimeInterval: 1.1)
        let deleted = kubectl(["delete", "pods", "-n", "kube-system", "-l", "k8s-app=calico-node"])
        XCTAssertEqual(deleted.stdout.split(separator: "\n").count, 4, deleted.description)
        XCTAssertTrue(eventually(40, "sessions re-established after the restart") {
            let rows = statusRows("k8s404")
            return rows.count == 1 && rows[0].info == "Established" && rows[0].since != sinceBefore
        })
        let after = kubectl(["get", "pods", "-n", "kube-system"]).stdout
        XCTAssertFalse(before.split(separator: "\n").filter { $0.hasPrefix("calico-node-") }.contains { after.contains($0.split(separator: " ")[0]) },
                       "replaced DaemonSet pods carry new names")
        XCTAssertTrue(try eventually(30, "pods reachable after the restart") { try ping(from: prefix + "k8s403-a", to: b) })
    }
}
