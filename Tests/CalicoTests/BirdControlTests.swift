import XCTest
import BGPWire
@testable import Calico

final class BirdControlTests: XCTestCase {
    /// Seed 000 before the RR change: a node's mesh sessions through the emulated BIRD socket, parsed by
    /// calicoctl's rules, rendered as `calicoctl node status`.
    func testMeshSessionsThroughTheSocketFormat() throws {
        let store = try Datastore()
        for i in 1...4 { try store.create(SeedStores.node("k8s40\(i)", "192.168.1.\(i)/24")) }
        let peers = PeerComputation.peers(for: "k8s403", in: BGPTopology(datastore: store))
        var lines = [BirdControl.ProtocolLine(name: "static1", proto: "Static", state: "up", since: "2024-05-01", info: "")]
        lines += peers.map { BirdControl.line(for: $0, session: .established, since: "03:08:20") }
        let reply = BirdControl.showProtocols(lines)
        XCTAssertTrue(reply.hasPrefix("2002-name     proto    table    state  since       info\n1002-static1  Static   master   up     2024-05-01  \n"), reply)
        XCTAssertTrue(reply.contains(" Mesh_192_168_1_1 BGP      master   up     03:08:20    Established   \n"), reply)
        XCTAssertTrue(reply.hasSuffix("0000\n"))
        let rows = try NodeStatus.parseShowProtocols(BirdControl.greeting + reply, family: .ipv4)
        XCTAssertEqual(rows.map(\.peerAddress), ["192.168.1.1", "192.168.1.2", "192.168.1.4"])
        XCTAssertEqual(NodeStatus.render(ipv4: .peers(rows), ipv6: .peers([])), """
        Calico process is running.

        IPv4 BGP status
        +--------------+-------------------+-------+----------+-------------+
        | PEER ADDRESS |     PEER TYPE     | STATE |  SINCE   |    INFO     |
        +--------------+-------------------+-------+----------+-------------+
        | 192.168.1.1  | node-to-node mesh | up    | 03:08:20 | Established |
        | 192.168.1.2  | node-to-node mesh | up    | 03:08:20 | Established |
        | 192.168.1.4  | node-to-node mesh | up    | 03:08:20 | Established |
        +--------------+-------------------+-------+----------+-------------+

        IPv6 BGP status
        No IPv6 peers found.


        """)
    }

    func testErrorsAndDownProtocols() throws {
        let peer = PeerDescription(kind: .nodeSpecific, address: IPAddress("10.79.63.19")!, port: nil, remoteAS: ASNumber(64512),
                                   localAS: ASNumber(64512), localASOverridden: false, isRouteReflectorClient: false, clusterID: nil,
                                   password: nil, keepNextHop: false, nextHopSelf: false, ttlSecurityHops: nil, multihop: true,
                                   passive: false, sourceAddress: nil, gracefulRestartSeconds: nil, keepaliveSeconds: nil,
                                   allowLocalAS: nil, isCalicoNode: true, filters: [])
        let reply = BirdControl.showProtocols([
            BirdControl.line(for: peer, session: .idle, lastError: "BGP Error: Bad peer AS", since: "20:54:45"),
            BirdControl.line(for: peer, session: .idle, down: true, since: "20:54:46"),
        ])
        let rows = try NodeStatus.parseShowProtocols(reply, family: .ipv4)
        XCTAssertEqual(rows, [.init(peerAddress: "10.79.63.19", peerType: "node specific", state: "start", since: "20:54:45", info: "Idle BGP Error: Bad peer AS")],
                       "a down protocol with no info is dropped")
        XCTAssertEqual(BirdControl.showProtocols([]), "8003 No protocols match\n")
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        XCTAssertEqual(BirdControl.sinceText(changed: now.addingTimeInterval(-60), now: now), "22:12:20")
        XCTAssertEqual(BirdControl.sinceText(changed: now.addingTimeInterval(-21 * 3600), now: now), "2023-11-14")
    }
}

final class NodeStatusCommandTests: XCTestCase {
    func testPrivilegeAndProcessChecks() {
        XCTAssertEqual(NodeStatus.command(isRoot: false, calicoRunning: true, ipv4: .peers([]), ipv6: .peers([])),
                       CommandOutput(stdout: "Need super user privileges: Operation not permitted\n", exitCode: 1))
        XCTAssertEqual(NodeStatus.command(isRoot: true, calicoRunning: false, ipv4: .peers([]), ipv6: .peers([])),
                       CommandOutput(stderr: "Calico process is not running.\n", exitCode: 1))
        XCTAssertEqual(NodeStatus.command(isRoot: true, calicoRunning: true, ipv4: .socketError("dial unix /var/run/calico/bird.ctl: connect: no such file or directory"), ipv6: .peers([])).stdout,
                       "Calico process is running.\n\nIPv4 BGP status\nError querying BIRD: unable to connect to BIRDv4 socket: dial unix /var/run/calico/bird.ctl: connect: no such file or directory\nIPv6 BGP status\nNo IPv6 peers found.\n\n")
        XCTAssertTrue(NodeStatus.isCalicoProcess(["calico-node", "-felix"]))
        XCTAssertTrue(NodeStatus.isCalicoProcess(["/usr/bin/x", "-felix"]))
        XCTAssertFalse(NodeStatus.isCalicoProcess(["bird", "-R"]))
    }
}
