import Foundation
import XCTest
import BGPWire
import Calico
import Kernel
@testable import CalicoNode

/// A calico-node's communities and export BGPFilter as BIRD 2 (the daemon calico-node really runs) sees
/// them from an external peer: the standard and large communities arrive on the wire in BIRD's terms.
final class BIRDPeerCommunityTests: CalicoNodeTestCase {
    var birdPID: pid_t?
    var birdDirectory: URL?

    override func tearDown() {
        if let birdPID {
            kill(birdPID, SIGTERM)
            var status: Int32 = 0
            waitpid(birdPID, &status, 0)
        }
        if let birdDirectory { try? FileManager.default.removeItem(at: birdDirectory) }
        super.tearDown()
    }

    /// Runs `birdc -s <socket> <words>` in the BIRD namespace; its output.
    func birdc(_ words: [String]) throws -> String {
        let dir = try XCTUnwrap(birdDirectory)
        return try output(nodeNamespaces[1], "/usr/sbin/birdc", ["-s", dir.appendingPathComponent("bird.ctl").path] + words).text
    }

    /// The BGPPeer `tor` for the BIRD speaker at 172.20.0.12 (AS 65010), with `filters` when given.
    static func tor(filters: String?) -> String {
        CalicoYAML.resource("BGPPeer", "tor", spec: "peerIP: 172.20.0.12\nasNumber: 65010" + (filters.map { "\nfilters: \($0)" } ?? ""))
    }

    func testBIRDSeesTheBlocksCommunitiesAndTheExportFilter() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/usr/sbin/bird"), "BIRD 2 is not installed")
        _ = try makeTwoNodes()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(prefix + "bird")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        birdDirectory = dir
        let conf = dir.appendingPathComponent("bird.conf")
        try TextFile.replace(conf.path, with: """
        router id 172.20.0.12;
        protocol device {}
        protocol bgp calico {
          local as 65010;
          neighbor 172.20.0.11 as 64512;
          ipv4 { import all; export none; };
        }

        """)
        birdPID = try nodeNamespaces[1].spawn("/usr/sbin/bird", arguments: ["-f", "-c", conf.path, "-s", dir.appendingPathComponent("bird.ctl").path],
                                              outputPath: dir.appendingPathComponent("bird.out").path)
        apply(CalicoYAML.documents(
            CalicoYAML.node("node1", ipv4: "172.20.0.11/24"),
            CalicoYAML.pool("pool", cidr: "10.244.0.0/16"),
            CalicoYAML.resource("BGPConfiguration", "default", spec: """
                communities:
                - name: cluster
                  value: 65001:100
                prefixAdvertisements:
                - cidr: 10.244.0.0/16
                  communities: [cluster, "64512:1:2"]
                """),
            CalicoYAML.resource("BGPFilter", "f", spec: nil),
            Self.tor(filters: "[f]")))
        addPod("web-1", on: "node1")
        try startAgent("node1", namespace: nodeNamespaces[0])
        XCTAssertTrue(eventually(20, "node1 claimed a block") { !IPAM(store: store).affineBlocks(of: "node1").isEmpty })
        let block = try XCTUnwrap(IPAM(store: store).affineBlocks(of: "node1").first)

        var shown = ""
        XCTAssertTrue(try eventually(40, "BIRD learns \(block) with its communities") {
            shown = try birdc(["show", "route", "all", "protocol", "calico"])
            return shown.contains(block.description) && shown.contains("BGP.community: (65001,100)")
                && shown.contains("BGP.large_community: (64512, 1, 2)")
        }, shown)
        XCTAssertTrue(shown.contains("BGP.as_path: 64512"), shown)

        apply(CalicoYAML.resource("BGPFilter", "f", spec: """
            exportV4:
            - action: Reject
              matchOperator: In
              cidr: 10.244.0.0/16
            """))
        XCTAssertTrue(try eventually(30, "node1's export filter withdraws \(block) from BIRD") {
            shown = try birdc(["show", "route", "protocol", "calico"])
            return shown.contains("BIRD 2") && !shown.contains(block.description)
        }, shown)
        let protocolLine = try birdc(["show", "protocols", "calico"])
        XCTAssertTrue(protocolLine.contains("Established"), "the filter edit does not reset the session: \(protocolLine)")

        // Dropping the filter from the peer: BIRD reloads the channel without a restart, and so does the node.
        apply(Self.tor(filters: nil))
        XCTAssertTrue(try eventually(30, "\(block) back at BIRD without the filter") {
            try birdc(["show", "route", "protocol", "calico"]).contains(block.description)
        })
        XCTAssertEqual(try birdc(["show", "protocols", "calico"]), protocolLine, "same session: BIRD's Since column unchanged")
    }
}
