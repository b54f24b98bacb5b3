import Foundation
import XCTest
import BGPWire
import Calico
import Kernel
@testable import CalicoNode

/// kubectl against running node agents: BGP passwords from a Secret reaching the speakers' TCP MD5 keys
/// live, seed 002's `kubectl edit ippools.crd.projectcalico.org` (with EDITOR a sed script), its calico-node
/// restart (`kubectl delete pods -n kube-system -l k8s-app=calico-node`) and `calico_backend`.
final class KubectlLabTests: CalicoNodeTestCase {
    /// The mesh off, node1 and node2 peering explicitly with passwords from the Secret `bgp-secrets` (key
    /// named after the node), and an IPIP pool with natOutgoing.
    static let resources = CalicoYAML.documents(
        CalicoYAML.resource("BGPConfiguration", "default", spec: "nodeToNodeMeshEnabled: false\nasNumber: 64512"),
        peer(from: "node1", to: "node2", at: "172.20.0.12"),
        peer(from: "node2", to: "node1", at: "172.20.0.11"),
        CalicoYAML.pool("default-pool", cidr: "10.244.0.0/16", """
            blockSize: 26
            ipipMode: Always
            natOutgoing: true
            """))

    /// `node`'s BGPPeer to `peerIP` in AS 64512, its password the Secret's key `node`.
    static func peer(from node: String, to other: String, at peerIP: String) -> String {
        CalicoYAML.resource("BGPPeer", "\(node)-to-\(other)", spec: """
            node: \(node)
            peerIP: \(peerIP)
            asNumber: 64512
            password:
              secretKeyRef:
                name: bgp-secrets
                key: \(node)
            """)
    }

    func testSecretPasswordEditedPoolRestartAndBackend() throws {
        let nodes = try makeTwoNodes()
        // A lab-shaped state directory: `<lab>/calico` holds the datastore, kubectl edit's file goes in `<lab>`.
        let labDir = try useLabDirectory("kubectl")

        apply(Self.resources)
        XCTAssertEqual(kubectl(["create", "secret", "generic", "bgp-secrets", "-n", "kube-system",
                                "--from-literal=node1=s3cret", "--from-literal=node2=s3cret"]).stdout, "secret/bgp-secrets created\n")
        for (i, n) in nodes.enumerated() {
            try NodeBootstrap(nodeName: n.name, ipv4Address: n.address + "/24", pods: [(namespace: "default", name: "web-\(i + 1)")]).apply(to: store)
            try startAgent(n.name, namespace: nodeNamespaces[i], capturingLog: true)
        }
        func state(_ node: String) -> String { statusRows(node).map { "\($0.peerType) \($0.info)" }.joined(separator: ",") }
        func established() -> Bool { state("node1") == "node specific Established" && state("node2") == "node specific Established" }
        func logged(_ text: String) -> Int { agentLog.count(text) }

        // Both sides read the same password from the Secret: the MD5-signed session comes up.
        XCTAssertTrue(eventually(30, "sessions with the Secret's password") { established() })
        let ip1 = try XCTUnwrap(podIP("web-1"))
        let pod2 = prefix + "node2-web-2"
        XCTAssertTrue(try eventually(30, "web-2 → web-1") { try ping(from: pod2, to: ip1) })

        // A different password for node2's side only: the kernel drops the other side's segments, the session stays down.
        let changed = labDir.appendingPathComponent("secret.yaml").path
        try TextFile.replace(changed, with: """
        apiVersion: v1
        kind: Secret
        metadata:
          name: bgp-secrets
          namespace: kube-system
        stringData:
          node1: s3cret
          node2: other
        """)
        XCTAssertEqual(kubectl(["apply", "-f", changed]).stdout, "secret/bgp-secrets configured\n")
        XCTAssertTrue(eventually(30, "session dropped after the password change") { !state("node2").hasSuffix("Established") })
        Thread.sleep(forTimeInterval: 4)
        XCTAssertFalse(state("node2").hasSuffix("Established"), "mismatched MD5 keys must keep the session down: \(state("node2"))")
        XCTAssertEqual(kubectl(["patch", "secret", "bgp-secrets", "-n", "kube-system", "-p", #"{"stringData":{"node2":"s3cret"}}"#]).stdout,
                       "secret/bgp-secrets patched\n")
        XCTAssertTrue(eventually(30, "sessions back with matching passwords") { established() })

        // Seed 002's pool edit through the CRD name, with EDITOR a sed script: node1 stops exporting its block.
        func node2LearnsNode1Block() throws -> Bool {
            try nodeNamespaces[1].netlink().routes(family: UInt8(AF_INET)).contains {
                $0.protocol == .bird && $0.destination.length == 26 && $0.nextHops.first?.gateway == InetAddress("172.20.0.11")
            }
        }
        XCTAssertTrue(try eventually(30, "node1's block on node2") { try node2LearnsNode1Block() })
        let sed = #"sed -i -e 's/^  natOutgoing: true/  natOutgoing: false/' -e 's/^  cidr: /  disableBGPExport: true\n  cidr: /'"#
        XCTAssertEqual(kubectl(["edit", "ippools.crd.projectcalico.org", "default-pool"], editor: sed),
                       CommandOutput(stdout: "ippool.crd.projectcalico.org/default-pool edited\n"))
        try store.refresh()
        let pool = try XCTUnwrap(try store.get(.ipPool, "default-pool").ipPool)
        XCTAssertNotEqual(pool.spec.natOutgoing, true, "natOutgoing false is stored as omitted")
        XCTAssertEqual(pool.spec.disableBGPExport, true)
        XCTAssertTrue(try eventually(30, "node1's block withdrawn from node2") { try !node2LearnsNode1Block() })
        XCTAssertTrue(eventually(10, "agents saw the pool change") {
            logged("IP pool default-pool changed from ipipMode Always, natOutgoing true to ipipMode Always, natOutgoing false") == 2
        })
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: labDir.path).filter { $0.hasPrefix("kubectl-edit-") }, [],
                       "a saved edit leaves no file behind")
        XCTAssertEqual(kubectl(["edit", "ippool", "default-pool"], editor: "true"), CommandOutput(stderr: "Edit cancelled, no changes made.\n"))

        // Seed 002's calico-node restart: new DaemonSet pods, both agents restart BGP, the sessions come back.
        let deleted = kubectl(["delete", "pods", "-n", "kube-system", "-l", "k8s-app=calico-node"])
        XCTAssertEqual(deleted.stdout.split(separator: "\n").count, 2, deleted.description)
        XCTAssertTrue(eventually(30, "both agents restarted") { logged("calico-node pod replaced; restarting BGP") == 2 })
        XCTAssertTrue(eventually(30, "sessions after the restart") { established() })
        XCTAssertEqual(kubectl(["get", "pods", "-n", "kube-system", "-l", "k8s-app=calico-node", "-o", "name"]).stdout.split(separator: "\n").count, 2)

        // calico_backend none: calico-node runs no BGP; back to bird, the session returns.
        XCTAssertEqual(kubectl(["patch", "cm", "-n", "kube-system", "calico-config", "-p", #"{"data":{"calico_backend":"none"}}"#]).stdout,
                       "configmap/calico-config patched\n")
        XCTAssertTrue(eventually(30, "BGP disabled") { logged("calico_backend is none in kube-system/calico-config: BGP is disabled") == 2 })
        XCTAssertTrue(eventually(30, "no sessions without BIRD") { agents.values.allSatisfy { $0.bgpStatus() == nil } })
        XCTAssertEqual(kubectl(["patch", "cm", "-n", "kube-system", "calico-config", "-p", #"{"data":{"calico_backend":"bird"}}"#]).stdout,
                       "configmap/calico-config patched\n")
        XCTAssertTrue(eventually(30, "sessions with BIRD back") { established() })
    }
}
