import XCTest
@testable import Calico

final class CalicoctlConfigTests: XCTestCase {
    /// Seed 001's /etc/calico/calicoctl.cfg.
    func testSeed001ConfigFile() throws {
        let text = """
        apiVersion: projectcalico.org/v3
        kind: CalicoAPIConfig
        metadata:
        spec:
          datastoreType: "kubernetes"
          kubeconfig: "/root/.kube/config"
        """
        let cfg = try CalicoAPIConfig.load(file: text)
        XCTAssertEqual(cfg.datastoreType, "kubernetes")
        XCTAssertEqual(cfg.kubeconfig, "/root/.kube/config")
        XCTAssertEqual(cfg.backend, .kubernetes)
        XCTAssertEqual(try CalicoAPIConfig.load(file: nil).backend, .etcd)
        XCTAssertEqual(try CalicoAPIConfig.load(file: nil, environment: ["DATASTORE_TYPE": "kubernetes", "KUBECONFIG": "~/.kube/config"]).kubeconfig, "~/.kube/config")
        XCTAssertThrowsError(try CalicoAPIConfig.load(file: "kind: BGPPeer\n"))
    }

    func testUsageShape() {
        let lines = Calicoctl.usage.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.first, "Usage:")
        XCTAssertTrue(lines.contains("    ipam         IP address management."))
        XCTAssertTrue(Calicoctl.usage.hasSuffix("to read about a specific subcommand.\n"))
    }
}
