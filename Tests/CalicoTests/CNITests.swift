import XCTest
import BGPWire
@testable import Calico

final class CNITests: XCTestCase {
    /// Seed 004: kube-dns on node vagrant, then the pool migration and the pod recreated.
    func testSeed004KubeDNSThroughThePoolMigration() throws {
        let store = try Datastore()
        let ctl = Calicoctl(store: store)
        try store.create(AnyResource(Node(name: "vagrant", bgp: .init(ipv4Address: "10.0.2.15/24"))))
        try store.create(AnyResource(IPPool(name: "default-ipv4-ippool", spec: .init(cidr: "192.168.0.0/16", ipipMode: "Always", natOutgoing: true))))
        try store.create(AnyResource(Pod(namespace: "kube-system", name: "kube-dns-6f4fd4bdf-8q7zp", nodeName: "vagrant")))
        let cni = CNI(store: store)
        let first = try cni.add(namespace: "kube-system", pod: "kube-dns-6f4fd4bdf-8q7zp", node: "vagrant")
        XCTAssertEqual(first.interfaceName, "cali800a63073ed")
        XCTAssertTrue(BlockMath.contains(Prefix("192.168.0.0/16")!, first.address))
        XCTAssertEqual(try cni.add(namespace: "kube-system", pod: "kube-dns-6f4fd4bdf-8q7zp", node: "vagrant").address, first.address, "ADD is idempotent")
        let podIP: String? = { if case .pod(let p) = try? store.get(.pod, "kube-dns-6f4fd4bdf-8q7zp", namespace: "kube-system") { return p.podIP }; return nil }()
        XCTAssertEqual(podIP, first.address.description)

        func wepTable(_ net: String) -> String {
            let ns = "NAMESPACE     ", wl = "WORKLOAD                   ", nd = "NODE      "
            let netCol = max(net.count + 3, "NETWORKS".count + 3)
            let header = ns + wl + nd + "NETWORKS".padding(toLength: netCol, withPad: " ", startingAt: 0) + "INTERFACE         \n"
            let row = "kube-system   kube-dns-6f4fd4bdf-8q7zp   vagrant   " + net.padding(toLength: netCol, withPad: " ", startingAt: 0) + "cali800a63073ed   \n"
            return header + row + "\n"
        }
        XCTAssertEqual(ctl.get(kind: "wep", allNamespaces: true).stdout, wepTable("\(first.address)/32"))

        XCTAssertEqual(ctl.create(file: Seed004.newPool).exitCode, 0)
        let disable = Seed004.disabledPool.replacingOccurrences(of: "192.0.0.0/16", with: "192.168.0.0/16")
        XCTAssertEqual(ctl.apply(file: disable).exitCode, 0)
        // `kubectl delete pod …`: the replacement comes up with an address from new-pool.
        try cni.delete(namespace: "kube-system", pod: "kube-dns-6f4fd4bdf-8q7zp", node: "vagrant")
        XCTAssertEqual(ctl.get(kind: "wep", allNamespaces: true).stdout, "NAMESPACE   WORKLOAD   NODE   NETWORKS   INTERFACE   \n\n")
        let second = try cni.add(namespace: "kube-system", pod: "kube-dns-6f4fd4bdf-8q7zp", node: "vagrant")
        XCTAssertTrue(BlockMath.contains(Prefix("10.0.0.0/16")!, second.address))
        XCTAssertEqual(ctl.get(kind: "wep", allNamespaces: true).stdout, wepTable("\(second.address)/32"))
        XCTAssertEqual(ctl.delete(kind: "pool", names: ["default-ipv4-ippool"]).exitCode, 0)
        XCTAssertEqual(IPAM(store: store).routes(for: "vagrant").blackholeBlocks.count, 1)
        let wep = try XCTUnwrap(try store.get(.workloadEndpoint, "vagrant-k8s-kube--dns--6f4fd4bdf--8q7zp-eth0", namespace: "kube-system").workloadEndpoint)
        XCTAssertEqual(wep.spec.profiles, ["kns.kube-system", "ksa.kube-system.default"])
        XCTAssertEqual(wep.metadata.labels["projectcalico.org/namespace"], "kube-system")
    }
}
