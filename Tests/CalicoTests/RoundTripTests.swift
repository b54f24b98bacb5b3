import XCTest
import BGPWire
@testable import Calico

/// `calicoctl get … -o yaml > f; edit f; calicoctl apply/replace -f f` as the seeds do it.
final class RoundTripTests: XCTestCase {
    func testEveryKindSurvivesYAMLAndJSON() throws {
        let store = try Datastore()
        let ctl = Calicoctl(store: store)
        for f in [Seed001.bgpConf, Seed001.node1, Seed001.rr1ToLeaf1, Seed001.rr1ToNode, Seed004.newPool, Seed004.nodePeer] {
            XCTAssertEqual(ctl.apply(file: f).exitCode, 0)
        }
        var w = WorkloadEndpoint.Spec()
        w.orchestrator = "k8s"; w.node = "node1"; w.pod = "web-1"; w.endpoint = "eth0"; w.ipNetworks = ["10.0.24.8/32"]
        w.profiles = ["kns.default", "ksa.default.default"]; w.interfaceName = "cali0123456789a"
        try store.create(AnyResource(WorkloadEndpoint(namespace: "default", spec: w)))
        for kind in ["bgpconfig", "node", "bgppeer", "ippool", "wep"] {
            for format in ["yaml", "json"] {
                let text = ctl.get(kind: kind, output: format).stdout
                let back = try ResourceFile.decode(text)
                XCTAssertEqual(back, store.list(ResourceKind(calicoctlName: kind)!, namespace: nil), "\(kind) \(format)")
            }
        }
        // Seed 001: node1.yaml keeps status and orchRefs through a round trip.
        let nodeYAML = ctl.get(kind: "node", names: ["node1"], output: "yaml").stdout
        XCTAssertTrue(nodeYAML.contains("  orchRefs:\n  - nodeName: node1\n    orchestrator: k8s\n"), nodeYAML)
        XCTAssertTrue(nodeYAML.contains("status:\n  podCIDRs:\n  - \"\"\n  - 10.233.64.0/24\n"), nodeYAML)
        XCTAssertTrue(nodeYAML.contains("    node-role.kubernetes.io/master: \"\"\n"), nodeYAML)
    }

    /// Seed 004: `get bgpconfig default --export -o yaml > bgp.yaml`, edit, `replace -f bgp.yaml`.
    func testExportEditReplace() throws {
        let store = try Datastore()
        let ctl = Calicoctl(store: store)
        XCTAssertEqual(ctl.create(file: Seed004.bgpConfig).exitCode, 0)
        let exported = ctl.get(kind: "bgpconfig", names: ["default"], output: "yaml", export: true).stdout
        XCTAssertFalse(exported.contains("resourceVersion"))
        XCTAssertFalse(exported.contains("uid"))
        let edited = exported.replacingOccurrences(of: "nodeToNodeMeshEnabled: false", with: "nodeToNodeMeshEnabled: true")
        XCTAssertEqual(ctl.replace(file: edited).stdout, "Successfully replaced 1 'BGPConfiguration' resource(s)\n")
        XCTAssertEqual(ctl.get(kind: "bgpconfig").stdout,
                       "NAME      LOGSEVERITY   MESHENABLED   ASNUMBER   \ndefault   Info          true          63400      \n\n")
        // A stale resourceVersion is refused.
        let stale = ctl.get(kind: "bgpconfig", names: ["default"], output: "yaml").stdout
        _ = ctl.patch(kind: "bgpconfig", name: "default", patch: #"{"spec": {"logSeverityScreen": "Debug"}}"#)
        XCTAssertEqual(ctl.replace(file: stale).stderr, "Failed to replace 'BGPConfiguration' resource: update conflict: BGPConfiguration(default)\n")
    }
}
