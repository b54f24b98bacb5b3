import XCTest
import BGPWire
@testable import Calico

/// Peer lists per node for the resources of every seed (confd semantics, spec §2).
final class PeerComputationTests: XCTestCase {
    func node(_ name: String, _ ip: String, asn: UInt32? = nil, cluster: String? = nil, labels: [String: String] = [:]) -> AnyResource {
        AnyResource(Node(name: name, labels: labels, bgp: .init(asNumber: asn.map(ASNumber.init), ipv4Address: ip, routeReflectorClusterID: cluster)))
    }

    func ok(_ out: CommandOutput, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(out.exitCode, 0, out.description, file: file, line: line)
    }

    /// (address, type, rr-client) triples, the shape `calicoctl node status` and the RR logic care about.
    func summary(_ store: Datastore, _ name: String) -> [String] {
        PeerComputation.peers(for: name, in: BGPTopology(datastore: store)).map {
            "\($0.address) \($0.kind.rawValue)\($0.isRouteReflectorClient ? " client" : "")"
        }
    }

    // Seed 000: four nodes in a full mesh, then k8s401 becomes an RR, then the mesh is switched off.
    func testSeed000MeshThenRouteReflector() throws {
        let store = try Datastore()
        let ctl = Calicoctl(store: store)
        for i in 1...4 { try store.create(node("k8s40\(i)", "192.168.1.\(i)/24")) }
        XCTAssertEqual(summary(store, "k8s403"), ["192.168.1.1 node-to-node mesh", "192.168.1.2 node-to-node mesh", "192.168.1.4 node-to-node mesh"])
        let mesh1 = PeerComputation.peers(for: "k8s401", in: BGPTopology(datastore: store))
        XCTAssertEqual(mesh1.map(\.passive), [true, true, true], "the lexically smallest IP waits on every pair")
        XCTAssertEqual(mesh1.map(\.protocolName), ["Mesh_192_168_1_2", "Mesh_192_168_1_3", "Mesh_192_168_1_4"])
        XCTAssertTrue(mesh1.allSatisfy { $0.remoteAS == ASNumber(64512) && $0.isInternal })
        XCTAssertEqual(PeerComputation.peers(for: "k8s404", in: BGPTopology(datastore: store)).map(\.passive), [false, false, false])

        ok(ctl.patch(kind: "node", name: "k8s401", patch: Seed000.clusterIDPatch))
        ok(ctl.patch(kind: "node", name: "k8s401", patch: Seed000.labelPatch))
        XCTAssertEqual(ctl.create(file: Seed000.rrPeer).stdout, "Successfully created 1 'BGPPeer' resource(s)\n")
        // Mesh still on: the RR left the mesh on both ends; the others reach it node-specifically.
        XCTAssertEqual(summary(store, "k8s401"), ["192.168.1.2 node specific client", "192.168.1.3 node specific client", "192.168.1.4 node specific client"])
        XCTAssertEqual(summary(store, "k8s402"), ["192.168.1.3 node-to-node mesh", "192.168.1.4 node-to-node mesh", "192.168.1.1 node specific"])

        ok(ctl.create(file: Seed000.bgpConfig))
        XCTAssertEqual(summary(store, "k8s401"), ["192.168.1.2 node specific client", "192.168.1.3 node specific client", "192.168.1.4 node specific client"])
        for n in ["k8s402", "k8s403", "k8s404"] { XCTAssertEqual(summary(store, n), ["192.168.1.1 node specific"]) }
        let rrSide = PeerComputation.peers(for: "k8s401", in: BGPTopology(datastore: store))
        XCTAssertEqual(rrSide.first?.clusterID, IPv4Address("244.0.0.1"))
        XCTAssertTrue(rrSide.allSatisfy { !$0.passive && $0.multihop }, "Node_ peers never get automatic passive")

        // A second RR in the same cluster: RR↔RR is plain iBGP, clients peer with both.
        ok(ctl.patch(kind: "node", name: "k8s402", patch: Seed000.clusterIDPatch))
        ok(ctl.patch(kind: "node", name: "k8s402", patch: Seed000.labelPatch))
        XCTAssertEqual(summary(store, "k8s401"), ["192.168.1.2 node specific", "192.168.1.3 node specific client", "192.168.1.4 node specific client"])
        XCTAssertEqual(summary(store, "k8s403"), ["192.168.1.1 node specific", "192.168.1.2 node specific"])
    }

    func testSeed001ASPerRack() throws {
        let store = try SeedStores.seed001()
        XCTAssertEqual(summary(store, "node1"), ["172.20.0.12 node specific client", "172.20.0.13 node specific client", "172.20.0.254 node specific"])
        XCTAssertEqual(summary(store, "node2"), ["172.20.0.11 node specific client", "172.20.0.13 node specific client", "172.20.0.254 node specific"])
        XCTAssertEqual(summary(store, "node3"), ["172.20.0.11 node specific", "172.20.0.12 node specific"])
        XCTAssertEqual(summary(store, "node4"), ["173.20.0.12 node specific client", "173.20.0.13 node specific client", "173.20.0.254 node specific"])
        XCTAssertEqual(summary(store, "node5"), ["173.20.0.11 node specific client", "173.20.0.13 node specific client", "173.20.0.254 node specific"])
        XCTAssertEqual(summary(store, "node6"), ["173.20.0.11 node specific", "173.20.0.12 node specific"])
        let leaf = try XCTUnwrap(PeerComputation.peers(for: "node4", in: BGPTopology(datastore: store)).last)
        XCTAssertEqual(leaf.remoteAS, ASNumber(65010))
        XCTAssertEqual(leaf.localAS, ASNumber(64513))
        XCTAssertFalse(leaf.isInternal)
        XCTAssertFalse(leaf.isCalicoNode)
        XCTAssertEqual(leaf.protocolName, "Node_173_20_0_254")
        XCTAssertEqual(leaf.sourceAddress, IPAddress("173.20.0.11"))
    }

    func testSeed002RouteReflectorsPeerASwitch() throws {
        let store = try Datastore()
        let ctl = Calicoctl(store: store)
        ok(ctl.apply(file: Seed002.bgpConfig))
        try store.create(node("k8s-1", "172.31.13.27/24", cluster: "172.31.13.27", labels: ["route-reflector": "true"]))
        try store.create(node("k8s-2", "172.31.13.28/24", cluster: "172.31.13.28", labels: ["route-reflector": "true"]))
        try store.create(node("k8s-3", "172.31.13.29/24"))
        ok(ctl.apply(file: Seed002.rrPeer))
        ok(ctl.apply(file: Seed002.peerWithRRs))
        // String order of keys puts .116 first, exactly as the seed's node status shows.
        XCTAssertEqual(summary(store, "k8s-1"), ["172.31.13.116 node specific", "172.31.13.28 node specific client", "172.31.13.29 node specific client"])
        XCTAssertEqual(summary(store, "k8s-3"), ["172.31.13.27 node specific", "172.31.13.28 node specific"])
        let sw = try XCTUnwrap(PeerComputation.peers(for: "k8s-2", in: BGPTopology(datastore: store)).first)
        XCTAssertEqual(sw.remoteAS, ASNumber(7675))
        XCTAssertFalse(sw.isRouteReflectorClient, "no rr lines towards an eBGP router")
    }

    func testSeed003GlobalPeerToCore() throws {
        let store = try Datastore()
        let ctl = Calicoctl(store: store)
        ok(ctl.create(file: Seed003.bgpLocal))
        for ip in ["10.2.98.141", "10.2.98.142", "10.2.98.143", "10.2.98.152"] {
            try store.create(node("n" + ip.split(separator: ".").last!, ip + "/24"))
        }
        ok(ctl.create(file: Seed003.bgpPeer))
        for n in ["n141", "n142", "n143", "n152"] {
            let peers = PeerComputation.peers(for: n, in: BGPTopology(datastore: store))
            XCTAssertEqual(peers.map(\.protocolName), ["Global_10_2_98_1"])
            XCTAssertEqual(peers.first?.kind, .global)
            XCTAssertEqual(peers.first?.localAS, ASNumber(63400))
            XCTAssertEqual(peers.first?.remoteAS, ASNumber(65001))
            XCTAssertEqual(peers.first?.passive, false)
        }
    }

    func seed004Store(mesh: Bool) throws -> Datastore {
        let store = try Datastore()
        let ctl = Calicoctl(store: store)
        ok(ctl.create(file: mesh ? Seed004.bgpConfig.replacingOccurrences(of: "nodeToNodeMeshEnabled: false", with: "nodeToNodeMeshEnabled: true") : Seed004.bgpConfig))
        for (n, ip) in [("rr1", "10.0.0.1/24"), ("rr2", "10.0.0.2/24"), ("node1", "10.0.0.11/24"), ("node2", "10.0.0.12/24")] {
            try store.create(node(n, ip))
        }
        ok(ctl.apply(file: Seed004.nodeYML(name: "rr1", ip: "10.0.0.1/24")))
        ok(ctl.apply(file: Seed004.nodeYML(name: "rr2", ip: "10.0.0.2/24")))
        ok(ctl.apply(file: Seed004.peerToRRs))
        ok(ctl.apply(file: Seed004.rrMesh))
        return store
    }

    func testSeed004TwoReflectorsShareACluster() throws {
        let store = try seed004Store(mesh: false)
        XCTAssertEqual(summary(store, "rr1"), ["10.0.0.11 node specific client", "10.0.0.12 node specific client", "10.0.0.2 node specific"])
        XCTAssertEqual(summary(store, "rr2"), ["10.0.0.1 node specific", "10.0.0.11 node specific client", "10.0.0.12 node specific client"])
        XCTAssertEqual(summary(store, "node1"), ["10.0.0.1 node specific", "10.0.0.2 node specific"])
        let meshed = try seed004Store(mesh: true)
        XCTAssertEqual(summary(meshed, "node1"), ["10.0.0.12 node-to-node mesh", "10.0.0.1 node specific", "10.0.0.2 node specific"])
        XCTAssertEqual(summary(meshed, "rr1"), summary(store, "rr1"), "an RR ignores the mesh")
    }

    func testSeed004GlobalAndIPv6NodePeers() throws {
        let store = try Datastore()
        let ctl = Calicoctl(store: store)
        ok(ctl.create(file: Seed004.bgpConfig))
        try store.create(node("node1", "10.0.0.11/24"))
        try store.create(AnyResource(Node(name: "node2", bgp: .init(ipv4Address: "10.0.0.12/24", ipv6Address: "fd00::12/64"))))
        ok(ctl.create(file: Seed004.globalPeer))
        ok(ctl.create(file: Seed004.nodePeer))
        // node1 has no IPv6 address, so its IPv6 peer renders nothing ("IPv6 disabled on this node").
        XCTAssertEqual(summary(store, "node1"), ["192.20.30.40 global"])
        var n1 = try XCTUnwrap(try store.get(.node, "node1").node)
        n1.spec.bgp?.ipv6Address = "fd00::11/64"
        try store.update(AnyResource(n1))
        let peers = PeerComputation.peers(for: "node1", in: BGPTopology(datastore: store))
        XCTAssertEqual(peers.map(\.protocolName), ["Global_192_20_30_40", "Node_aa_bb__ff"])
        XCTAssertEqual(peers.last?.remoteAS, ASNumber(64514))
        XCTAssertEqual(peers.last?.sourceAddress, IPAddress("fd00::11"))
        XCTAssertEqual(summary(store, "node2"), ["192.20.30.40 global"])
    }

    func testDedupePassivePortsPasswordAndLocalAS() throws {
        let n1 = Node(name: "n1", bgp: .init(ipv4Address: "172.20.0.9/24"))
        let n2 = Node(name: "n2", bgp: .init(ipv4Address: "172.20.0.10/24"))
        var cfg = BGPConfiguration(name: "default")
        cfg.spec.nodeToNodeMeshEnabled = false
        var global = BGPPeer(name: "g", spec: .init())
        global.spec.peerIP = "172.20.0.10"
        global.spec.asNumber = ASNumber(64512)
        var specific = BGPPeer(name: "s", spec: .init())
        specific.spec.node = "n1"
        specific.spec.peerIP = "172.20.0.10"
        specific.spec.asNumber = ASNumber(64512)
        specific.spec.password = SecretKeyRef(name: "bgp-secrets", key: "pw")
        var ported = BGPPeer(name: "p", spec: .init())
        ported.spec.peerIP = "10.192.0.1:150"
        ported.spec.asNumber = ASNumber(64567)
        ported.spec.localASNumber = ASNumber(65100)
        ported.spec.ttlSecurity = 2
        ported.spec.keepOriginalNextHop = true
        ported.spec.maxRestartTime = "2m"
        let topo = BGPTopology(nodes: [n1, n2], peers: [global, specific, ported], configurations: [cfg],
                               secrets: ["bgp-secrets": ["pw": "s3cret"]])
        let peers = PeerComputation.peers(for: "n1", in: topo)
        XCTAssertEqual(peers.map(\.protocolName), ["Global_10_192_0_1_port_150", "Global_172_20_0_10"], "the node-specific duplicate of a global peer is dropped")
        let toNode = peers[1]
        XCTAssertTrue(toNode.isCalicoNode)
        // String comparison: "172.20.0.10" < "172.20.0.9", so n1 (.9) is the active side.
        XCTAssertFalse(toNode.passive)
        // n2 reaches n1 through the reverse pass: node specific, so never passive.
        XCTAssertEqual(PeerComputation.peers(for: "n2", in: topo).filter { $0.address == IPAddress("172.20.0.9") }.map { "\($0.protocolName) \($0.passive)" },
                       ["Node_172_20_0_9 false"])
        var towardsN1 = global
        towardsN1.spec.peerIP = "172.20.0.9"
        let t2 = BGPTopology(nodes: [n1, n2], peers: [towardsN1], configurations: [cfg])
        XCTAssertEqual(PeerComputation.peers(for: "n2", in: t2).map { "\($0.protocolName) \($0.passive)" }, ["Global_172_20_0_9 true"],
                       "\"172.20.0.9\" > \"172.20.0.10\" as strings, so n2 waits")
        XCTAssertNil(toNode.password, "the global entry won, and it has no password")
        let p = peers[0]
        XCTAssertEqual(p.port, 150)
        XCTAssertEqual(p.localAS, ASNumber(65100))
        XCTAssertTrue(p.localASOverridden)
        XCTAssertEqual(p.ttlSecurityHops, 2)
        XCTAssertEqual(p.ttl, 2)
        XCTAssertEqual(toNode.ttl, 64, "explicit peers render `multihop;`")
        XCTAssertTrue(p.keepNextHop)
        XCTAssertEqual(p.gracefulRestartSeconds, 120)

        let onlySpecific = BGPTopology(nodes: [n1, n2], peers: [specific], configurations: [cfg], secrets: ["bgp-secrets": ["pw": "s3cret"]])
        let sp = PeerComputation.peers(for: "n1", in: onlySpecific)
        XCTAssertEqual(sp.map(\.protocolName), ["Node_172_20_0_10"])
        XCTAssertEqual(sp.first?.password, "s3cret")
        // Reverse pass: n2 has that IP and AS, so it peers back with n1.
        XCTAssertEqual(PeerComputation.peers(for: "n2", in: onlySpecific).map(\.protocolName), ["Node_172_20_0_9"])
        var manual = specific
        manual.spec.reversePeering = "Manual"
        XCTAssertEqual(PeerComputation.peers(for: "n2", in: BGPTopology(nodes: [n1, n2], peers: [manual], configurations: [cfg])).count, 0)
    }

    func testASResolutionAndListenPort() throws {
        var cfg = BGPConfiguration(name: "default")
        cfg.spec.listenPort = 1790
        let a = Node(name: "a", bgp: .init(asNumber: ASNumber(65001), ipv4Address: "10.0.0.1/24"))
        let b = Node(name: "b", bgp: .init(ipv4Address: "10.0.0.2/24"))
        var perNode = BGPConfiguration(name: "node.b")
        perNode.spec.listenPort = 1791
        let topo = BGPTopology(nodes: [a, b], configurations: [cfg, perNode])
        XCTAssertEqual(topo.globalAS, ASNumber(64512))
        let fromA = PeerComputation.peers(for: "a", in: topo)
        XCTAssertEqual(fromA.first?.remoteAS, ASNumber(64512))
        XCTAssertEqual(fromA.first?.port, 1791)
        XCTAssertFalse(fromA.first?.isInternal ?? true)
        XCTAssertEqual(PeerComputation.peers(for: "b", in: topo).first?.port, 1790)
        XCTAssertEqual(fromA.first?.protocolName, "Mesh_10_0_0_2", "mesh names carry no port")
    }
}

final class PeerChangesTests: XCTestCase {
    /// Seed 000's switch from mesh to a route reflector, as a node agent would apply it live.
    func testMeshToRouteReflectorDiff() throws {
        let store = try Datastore()
        let ctl = Calicoctl(store: store)
        for i in 1...4 { try store.create(SeedStores.node("k8s40\(i)", "192.168.1.\(i)/24")) }
        let before = PeerComputation.peers(for: "k8s402", in: BGPTopology(datastore: store))
        _ = ctl.patch(kind: "node", name: "k8s401", patch: Seed000.clusterIDPatch)
        _ = ctl.patch(kind: "node", name: "k8s401", patch: Seed000.labelPatch)
        _ = ctl.create(file: Seed000.rrPeer)
        _ = ctl.create(file: Seed000.bgpConfig)
        let after = PeerComputation.peers(for: "k8s402", in: BGPTopology(datastore: store))
        let diff = PeerChanges(from: before, to: after)
        XCTAssertEqual(diff.added.map(\.protocolName), ["Node_192_168_1_1"])
        XCTAssertEqual(diff.removed.map(\.protocolName), ["Mesh_192_168_1_1", "Mesh_192_168_1_3", "Mesh_192_168_1_4"])
        XCTAssertTrue(diff.changed.isEmpty)
        XCTAssertTrue(PeerChanges(from: after, to: after).isEmpty)
        // Changing the AS of the RR restarts the session rather than adding one.
        _ = ctl.patch(kind: "node", name: "k8s401", patch: #"{"spec": {"bgp": {"asNumber": 65001}}}"#)
        let changed = PeerChanges(from: after, to: PeerComputation.peers(for: "k8s402", in: BGPTopology(datastore: store)))
        XCTAssertEqual(changed.changed.map(\.new.remoteAS), [ASNumber(65001)])
    }
}

/// A node agent's loop in miniature: watch the datastore, recompute, apply the difference.
final class LiveReactionTests: XCTestCase {
    func testWatcherSeesSeed000MigrationStepByStep() throws {
        let store = try Datastore()
        for i in 1...4 { try store.create(SeedStores.node("k8s40\(i)", "192.168.1.\(i)/24")) }
        var current = NodeConfig.compute(for: "k8s404", store: store)?.peers ?? []
        var log: [String] = []
        store.watch { _ in
            let next = NodeConfig.compute(for: "k8s404", store: store)?.peers ?? []
            let diff = PeerChanges(from: current, to: next)
            if !diff.isEmpty {
                log.append((diff.added.map { "+" + $0.protocolName } + diff.removed.map { "-" + $0.protocolName }
                            + diff.changed.map { "~" + $0.new.protocolName }).joined(separator: " "))
            }
            current = next
        }
        let ctl = Calicoctl(store: store)
        _ = ctl.patch(kind: "node", name: "k8s401", patch: Seed000.clusterIDPatch)
        _ = ctl.patch(kind: "node", name: "k8s401", patch: Seed000.labelPatch)
        _ = ctl.create(file: Seed000.rrPeer)
        _ = ctl.create(file: Seed000.bgpConfig)
        XCTAssertEqual(log, [
            "-Mesh_192_168_1_1",                                  // the RR leaves the mesh at once (confd#619)
            "+Node_192_168_1_1",                                  // the BGPPeer brings it back node-specifically
            "-Mesh_192_168_1_2 -Mesh_192_168_1_3",                // mesh off
        ])
        XCTAssertEqual(current.map(\.protocolName), ["Node_192_168_1_1"])
    }
}
