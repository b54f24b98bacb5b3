import XCTest
import Foundation
import BGPWire
@testable import Calico

/// Prints figures for large topologies; the assertions check the results, not the time.
final class BenchmarkTests: XCTestCase {
    func ms(_ start: DispatchTime) -> String {
        String(format: "%.1f ms", Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6)
    }

    func testPeerComputationAtScale() {
        let n = 300
        let nodes = (0..<n).map { i in
            Node(name: String(format: "node%04d", i), labels: i < 3 ? ["route-reflector": "true"] : [:],
                 bgp: .init(ipv4Address: "10.\(i / 250).\(i % 250).1/16", routeReflectorClusterID: i < 3 ? "244.0.0.1" : nil))
        }
        var start = DispatchTime.now()
        let mesh = PeerComputation.allPeers(in: BGPTopology(nodes: nodes))
        print("[bench] calico mesh of \(n) nodes (3 RRs): all peer lists in \(ms(start))")
        XCTAssertEqual(mesh["node0100"]?.count, n - 4)
        var cfg = BGPConfiguration(name: "default")
        cfg.spec.nodeToNodeMeshEnabled = false
        var peer = BGPPeer(name: "peer-with-route-reflectors", spec: .init())
        peer.spec.nodeSelector = "all()"
        peer.spec.peerSelector = "route-reflector == 'true'"
        start = DispatchTime.now()
        let rr = PeerComputation.allPeers(in: BGPTopology(nodes: nodes, peers: [peer], configurations: [cfg]))
        print("[bench] calico RR topology of \(n) nodes: all peer lists in \(ms(start))")
        XCTAssertEqual(rr["node0100"]?.count, 3)
        XCTAssertEqual(rr["node0000"]?.filter(\.isRouteReflectorClient).count, n - 3)
    }

    func testIPAMAllocationRate() throws {
        let store = try Datastore()
        try store.create(AnyResource(IPPool(name: "p", spec: .init(cidr: "10.64.0.0/16"))))
        for i in 0..<10 { try store.create(AnyResource(Node(name: "n\(i)", bgp: .init(ipv4Address: "10.1.0.\(i + 1)/24")))) }
        let ipam = IPAM(store: store)
        let start = DispatchTime.now()
        var seen = Set<IPAddress>()
        for k in 0..<1000 { seen.insert(try ipam.allocate(node: "n\(k % 10)", handle: "h\(k)")) }
        print("[bench] calico IPAM: 1000 allocations over 10 nodes in \(ms(start))")
        XCTAssertEqual(seen.count, 1000)
    }
}
