import Foundation
import XCTest
import Calico
@testable import CalicoNode

/// kubeasz's route-reflector step at bring-up: once every reflector has registered, the datastore holds
/// what seed 000's manual procedure leaves (compared with a store where the seed's own commands ran), once.
final class KubeaszBootstrapTests: XCTestCase {
    let nodes = [("k8s401", "192.168.1.1/24"), ("k8s402", "192.168.1.2/24"), ("k8s403", "192.168.1.3/24"), ("k8s404", "192.168.1.4/24")]
    var directory: URL!

    override func setUp() {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("plt-cnode-\(getpid())-kubeasz-\(UUID().uuidString.prefix(8))")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(at: directory)
        super.tearDown()
    }

    var record: URL { KubeaszRouteReflectors.recordFile(labDirectory: directory.path) }

    func boot(_ name: String, _ store: Datastore, kubeasz: KubeaszRouteReflectors?) throws -> [String] {
        let address = try XCTUnwrap(nodes.first { $0.0 == name }?.1)
        return try NodeBootstrap(nodeName: name, ipv4Address: address, kubeasz: kubeasz, kubeaszRecord: record).apply(to: store)
    }

    /// Seed 000's manual section, typed as the seed types it, on a store whose four nodes booted plainly.
    func seedManualStore() throws -> Datastore {
        let store = try Datastore()
        for (name, _) in nodes { _ = try boot(name, store, kubeasz: nil) }
        for out in SeedRouteReflectorSteps.run(Calicoctl(store: store), reflector: "k8s401") { XCTAssertEqual(out.exitCode, 0) }
        return store
    }

    /// The Calico resources BGP peering is computed from: kind/name → spec and labels.
    func bgpState(_ store: Datastore) -> [String: String] {
        var out: [String: String] = [:]
        for kind in [ResourceKind.node, .bgpPeer, .bgpConfiguration] {
            for r in store.list(kind) {
                let labels = r.metadata.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                out["\(kind.documentKind)/\(r.name)"] = "spec=\(r.json["spec"].map { "\($0)" } ?? "-") labels=\(labels)"
            }
        }
        return out
    }

    func testStepRunsOnceAllReflectorsRegisteredAndMatchesTheSeed() throws {
        let store = try Datastore()
        let step = KubeaszRouteReflectors(nodes: ["k8s401"])
        let early = try boot("k8s403", store, kubeasz: step)
        XCTAssertEqual(early, ["kubeasz calico-rr: waiting for route reflector(s) k8s401 to register"])
        XCTAssertTrue(store.list(.bgpPeer).isEmpty && store.list(.bgpConfiguration).isEmpty, "nothing before the reflector exists")
        XCTAssertFalse(FileManager.default.fileExists(atPath: record.path))

        let notes = try boot("k8s401", store, kubeasz: step)
        XCTAssertEqual(notes.map { String($0.prefix(while: { $0 != ":" })) }, Array(repeating: "kubeasz calico-rr", count: 4), "\(notes)")
        XCTAssertTrue(notes[0].hasPrefix(#"kubeasz calico-rr: calicoctl patch node k8s401 -p '{"spec": {"bgp": {"routeReflectorClusterID": "244.0.0.1"}}}': Successfully patched"#), notes[0])
        XCTAssertTrue(notes[1].hasSuffix("kubectl label node k8s401 route-reflector=true --overwrite: node/k8s401 labeled"), notes[1])
        XCTAssertTrue(notes[3].hasSuffix("calicoctl apply -f bgp-default.yaml: Successfully applied 1 'BGPConfiguration' resource(s)"), notes[3])
        for name in ["k8s402", "k8s404"] { XCTAssertEqual(try boot(name, store, kubeasz: step), []) }

        XCTAssertEqual(bgpState(store), bgpState(try seedManualStore()), "the datastore holds exactly what the seed's manual steps leave")
        XCTAssertEqual(try store.get(.kubeNode, "k8s401").metadata.labels["route-reflector"], "true", "kubeasz labels the Kubernetes node")
        XCTAssertEqual(store.list(.bgpPeer).map(\.name), ["peer-with-route-reflectors"])
        let recordText = try String(contentsOf: record, encoding: .utf8)
        XCTAssertTrue(recordText.contains("route reflectors: k8s401\n"), recordText)

        // The trainee turns the mesh back on; a calico-node restart must not run the installer again.
        XCTAssertEqual(Calicoctl(store: store).patch(kind: "bgpconfiguration", name: "default", patch: #"{"spec": {"nodeToNodeMeshEnabled": true}}"#).exitCode, 0)
        let revision = store.currentRevision
        for (name, _) in nodes { XCTAssertEqual(try boot(name, store, kubeasz: step), []) }
        XCTAssertEqual(store.currentRevision, revision, "a restart writes nothing")
        XCTAssertEqual(try store.get(.bgpConfiguration, "default").bgpConfiguration?.spec.nodeToNodeMeshEnabled, true)
    }

    /// Two masters as reflectors (CALICO_RR_NODES empty): the step waits for both, then both carry the ID.
    func testTwoReflectorsWaitForEachOther() throws {
        let store = try Datastore()
        let step = KubeaszRouteReflectors(nodes: ["k8s401", "k8s402"])
        XCTAssertEqual(try boot("k8s401", store, kubeasz: step), ["kubeasz calico-rr: waiting for route reflector(s) k8s402 to register"])
        XCTAssertNil(try store.get(.node, "k8s401").node?.routeReflectorClusterID)
        XCTAssertEqual(try boot("k8s402", store, kubeasz: step).count, 6, "two patches, two labels, two applies")
        for name in ["k8s401", "k8s402"] {
            let node = try XCTUnwrap(try store.get(.node, name).node)
            XCTAssertEqual(node.routeReflectorClusterID, "244.0.0.1")
            XCTAssertEqual(node.metadata.labels["route-reflector"], "true")
        }
        XCTAssertEqual(try boot("k8s403", store, kubeasz: step), [])
        XCTAssertNil(try store.get(.node, "k8s403").node?.routeReflectorClusterID)
    }
}
