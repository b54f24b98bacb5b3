import Foundation
import XCTest
import Calico
import Kernel
@testable import CalicoNode

/// Nodes with IPv6 BGP addresses get a second mesh (BIRD6's), shown in `node status`'s IPv6 section.
final class DualStackTests: CalicoNodeTestCase {
    func testIPv6MeshShowsInTheIPv6Section() throws {
        _ = try makeTwoNodes()
        for (i, ns) in nodeNamespaces.enumerated() {
            try ns.writeSysctl("net.ipv6.conf.all.forwarding", "1")
            try ns.netlink().addAddress(InetAddress("fd00:20::1\(i + 1)")!, prefixLength: 64, to: "eth0")
        }
        apply("""
        apiVersion: projectcalico.org/v3
        kind: Node
        metadata:
          name: node1
        spec:
          bgp:
            ipv4Address: 172.20.0.11/24
            ipv6Address: fd00:20::11/64
        ---
        apiVersion: projectcalico.org/v3
        kind: Node
        metadata:
          name: node2
        spec:
          bgp:
            ipv4Address: 172.20.0.12/24
            ipv6Address: fd00:20::12/64
        """)
        try startAgent("node1", namespace: nodeNamespaces[0])
        try startAgent("node2", namespace: nodeNamespaces[1])
        let files = NodeStatusFiles(datastoreDirectory: storeDirectory, node: "node1")
        XCTAssertTrue(eventually(30, "IPv4 and IPv6 mesh sessions") {
            guard case .peers(let v4) = files.family(.ipv4), case .peers(let v6) = files.family(.ipv6) else { return false }
            return v4.map { "\($0.peerAddress) \($0.info)" } == ["172.20.0.12 Established"]
                && v6.map { "\($0.peerAddress) \($0.peerType) \($0.info)" } == ["fd00:20::12 node-to-node mesh Established"]
        })
        let text = files.nodeStatus(isRoot: true).stdout
        XCTAssertTrue(text.contains("IPv6 BGP status\n+"), text)
        XCTAssertTrue(text.contains("| fd00:20::12  | node-to-node mesh | up    |"), text)
    }
}
