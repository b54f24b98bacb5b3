import Foundation
import XCTest
import BGPWire
import BGPSpeaker
import Calico
@testable import CalicoNode

/// What the agent hands its speaker for a node: AS resolution, listen port, password from the lab's
/// secrets, keepOriginalNextHop, numAllowedLocalASNumbers, sourceAddress, BIRD timers, RR cluster ID.
final class SpeakerPlanTests: XCTestCase {
    func testExplicitPeerSettingsReachTheSpeaker() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("plt-cnode-\(getpid())-plan-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Datastore(directory: dir)
        let out = Calicoctl(store: store).apply(file: """
        apiVersion: projectcalico.org/v3
        kind: BGPConfiguration
        metadata:
          name: default
        spec:
          asNumber: 64512
          listenPort: 1790
          nodeToNodeMeshEnabled: false
        ---
        apiVersion: projectcalico.org/v3
        kind: Node
        metadata:
          name: node1
        spec:
          bgp:
            asNumber: 65001
            ipv4Address: 172.20.0.11/24
            routeReflectorClusterID: 244.0.0.1
        ---
        apiVersion: projectcalico.org/v3
        kind: BGPPeer
        metadata:
          name: tor
        spec:
          peerIP: 172.20.0.1
          asNumber: 65000
          keepOriginalNextHop: true
          numAllowedLocalASNumbers: 2
          sourceAddress: None
          password:
            secretKeyRef:
              name: bgp-secrets
              key: tor-password
        """)
        XCTAssertEqual(out.exitCode, 0, out.description)
        let kubectl = KubectlFrontend(environment: CalicoLabEnvironment(environment: [CalicoLabEnvironment.datastoreKey: dir.path]))
        XCTAssertEqual(kubectl.run(["create", "secret", "generic", "bgp-secrets", "-n", "kube-system", "--from-literal=tor-password=s3cret"]).stdout,
                       "secret/bgp-secrets created\n")
        XCTAssertTrue(kubectl.run(["create", "secret", "generic", "bgp-secrets", "-n", "kube-system"]).stderr.contains("already exists"))

        try store.refresh()
        let node = try XCTUnwrap(NodeConfig.compute(for: "node1", store: store, secrets: Secret.bgpPasswords(in: store)))
        let config = SpeakerPlan.config(node, routerID: IPv4Address(172, 20, 0, 11), clusterID: IPv4Address("244.0.0.1"))
        XCTAssertEqual(config.speaker.asn, 65001)
        XCTAssertEqual(config.speaker.clusterID, IPv4Address(244, 0, 0, 1))
        XCTAssertEqual(config.listenPort, 1790)
        XCTAssertTrue(config.installRoutes)
        let peer = try XCTUnwrap(config.peers.first)
        XCTAssertEqual(config.peers.count, 1)
        XCTAssertEqual(peer.description, "Global_172_20_0_1")
        XCTAssertEqual(peer.address, IPAddress("172.20.0.1"))
        XCTAssertEqual(peer.remoteAS, 65000)
        XCTAssertEqual(peer.password, "s3cret")
        XCTAssertTrue(peer.keepNextHop)
        XCTAssertEqual(peer.allowOwnAS, 2)
        XCTAssertNil(peer.sourceAddress)
        XCTAssertEqual(peer.ebgpMultihop, BirdDefaults.multihopTTL)
        XCTAssertEqual(peer.holdTime, BirdDefaults.holdTime)
        XCTAssertEqual(peer.families, [.ipv4Unicast])
    }
}
