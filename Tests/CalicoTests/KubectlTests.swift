import XCTest
@testable import Calico

final class KubectlTests: XCTestCase {
    func testSeed001LabelsAndShowLabels() throws {
        let store = try Datastore()
        XCTAssertEqual(Calicoctl(store: store).apply(file: Seed001.node1).exitCode, 0)
        let kubectl = Kubectl(store: store)
        XCTAssertEqual(kubectl.labelNode("node1", ["rr-group=rr1"]).stdout, "node/node1 labeled\n")
        XCTAssertEqual(kubectl.labelNode("node1", ["rr-id=rr1"]).stdout, "node/node1 labeled\n")
        XCTAssertEqual(kubectl.labelNode("node1", ["rr-id=rr1"]).stdout, "node/node1 not labeled\n")
        XCTAssertEqual(kubectl.labelNode("node1", ["rr-id=rr2"]).stderr, "error: 'rr-id' already has a value (rr1), and --overwrite is false\n")
        XCTAssertEqual(kubectl.labelNode("node9", ["a=b"]).stderr, "Error from server (NotFound): nodes \"node9\" not found\n")
        let out = kubectl.getNodes(showLabels: true, ages: ["node1": "31d"]).stdout
        let row = try XCTUnwrap(out.split(separator: "\n").dropFirst().first)
        let cells = row.split(separator: " ", omittingEmptySubsequences: true)
        XCTAssertEqual(cells[0], "node1")
        XCTAssertEqual(cells[2], "master,worker")
        XCTAssertEqual(cells[3], "31d")
        // The LABELS cell the seed prints for node1.
        XCTAssertEqual(cells.last, "beta.kubernetes.io/arch=amd64,beta.kubernetes.io/os=linux,kubernetes.io/arch=amd64,kubernetes.io/hostname=node1,kubernetes.io/os=linux,node-role.kubernetes.io/master=,node-role.kubernetes.io/worker=,rr-group=rr1,rr-id=rr1")
        XCTAssertFalse(out.contains(" \n"), "kubectl does not pad the last column")
        // The label is what BGPPeer selectors see.
        XCTAssertTrue(try Selector(parsing: "rr-id == 'rr1'").matches(try store.get(.node, "node1").metadata.labels))
        XCTAssertEqual(kubectl.labelNode("node1", ["rr-id-"]).stdout, "node/node1 unlabeled\n")
        XCTAssertNil(try store.get(.node, "node1").metadata.labels["rr-id"])
    }
}
