import Foundation
import XCTest
import Calico
import Kernel
@testable import CalicoNode

/// Nodes with IPv6 BGP addresses get a second mesh (BIRD6's), shown in `node status`'s IPv6 section.
final class DualStackTests: CalicoNodeTestCase {
    func testIPv6MeshShowsInTheIPv6Section() throws {
        _ = try makeTwoNodes()
        try addIPv6(sysctls: [("net.ipv6.conf.all.forwarding", "1")]) { "fd00:20::1\($0 + 1)" }
        apply(CalicoYAML.twoDualStackNodes)
        try startAgents(["node1", "node2"])
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
