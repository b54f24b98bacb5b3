import XCTest
import BGPWire
@testable import Calico

final class BirdConfigTests: XCTestCase {
    func nodes(rrOnMaster: Bool) -> [Node] {
        [Node(name: "kube-master", labels: rrOnMaster ? ["routeReflector": "true"] : [:],
              bgp: .init(ipv4Address: "10.192.0.2/16", routeReflectorClusterID: rrOnMaster ? "10.0.0.1" : nil)),
         Node(name: "kube-node-1", bgp: .init(ipv4Address: "10.192.0.3/16")),
         Node(name: "kube-node-2", bgp: .init(ipv4Address: "10.192.0.4/16"))]
    }

    /// Spec §2.3: the mesh section of compiled_templates/mesh/ipip-always on kube-master.
    func testMeshSection() {
        let text = BirdConfig.render(node: "kube-master", family: .ipv4, topology: BGPTopology(nodes: nodes(rrOnMaster: false)))
        XCTAssertTrue(text.contains("router id 10.192.0.2;\n"))
        XCTAssertTrue(text.contains("  local as 64512;\n"))
        XCTAssertTrue(text.contains("""
        # ------------- Node-to-node mesh -------------
        # For peer /bgp/v1/host/kube-master/ip_addr_v4
        # Skipping ourselves (10.192.0.2)

        # For peer /bgp/v1/host/kube-node-1/ip_addr_v4
        protocol bgp Mesh_10_192_0_3 from bgp_template {
          neighbor 10.192.0.3 as 64512;
          source address 10.192.0.2;  # The local address we use for the TCP connection
          import all;        # Import all routes, since we don't know what the upstream
                             # topology is and therefore have to trust the ToR/RR.
          export filter {
            calico_export_to_bgp_peers(true);
            reject;
          };  # Only want to export routes for workloads.
          passive on; # Mesh is unidirectional, peer will connect to us.
        }

        """), text)
        XCTAssertTrue(text.contains("# ------------- Global peers -------------\n# No global peers configured.\n"))
        XCTAssertTrue(text.hasSuffix("# ------------- Node-specific peers -------------\n\n# No node-specific peers configured.\n"))
        let v6 = BirdConfig.render(node: "kube-master", family: .ipv6, topology: BGPTopology(nodes: nodes(rrOnMaster: false)))
        XCTAssertTrue(v6.contains("# IPv6 disabled on this node."))
    }

    /// Spec §2.5: test explicit_peering/route_reflector.
    func testRouteReflectorExample() {
        var cfg = BGPConfiguration(name: "default")
        cfg.spec.asNumber = ASNumber(64532)
        cfg.spec.nodeToNodeMeshEnabled = false
        var ext = BGPPeer(name: "ext", spec: .init())
        ext.spec.peerIP = "172.19.4.87"; ext.spec.asNumber = ASNumber(64533); ext.spec.nodeSelector = "has(routeReflector)"
        var clients = BGPPeer(name: "clients", spec: .init())
        clients.spec.nodeSelector = "has(routeReflector)"; clients.spec.peerSelector = "!has(routeReflector)"
        let topo = BGPTopology(nodes: nodes(rrOnMaster: true), peers: [ext, clients], configurations: [cfg])
        let master = BirdConfig.render(node: "kube-master", family: .ipv4, topology: topo)
        XCTAssertTrue(master.contains("""
        # ------------- Node-to-node mesh -------------
        # This node (kube-master) is configured as a route reflector with cluster ID 10.0.0.1;
        # ignore node-to-node mesh setting.
        """), master)
        XCTAssertTrue(BirdConfig.render(node: "kube-node-1", family: .ipv4, topology: topo).contains("# Node-to-node mesh disabled\n"))
        XCTAssertTrue(master.contains("""
        # For peer /bgp/v1/host/kube-master/peer_v4/10.192.0.3
        protocol bgp Node_10_192_0_3 from bgp_template {
          ttl security off;
          multihop;
          neighbor 10.192.0.3 as 64532;
          source address 10.192.0.2;  # The local address we use for the TCP connection
          import filter {
            accept; # Prior to introduction of BGP Filters we used "import all" so use default accept behaviour on import
          };
          export filter {
            calico_export_to_bgp_peers(true);
            reject;
          };  # Only want to export routes for workloads.
          rr client;
          rr cluster id 10.0.0.1;
        }
        """), master)
        XCTAssertTrue(master.contains("protocol bgp Node_10_192_0_4 from bgp_template {"))
        let external = try? XCTUnwrap(master.range(of: "protocol bgp Node_172_19_4_87").map { String(master[$0.lowerBound...]) })
        XCTAssertEqual(external?.contains("calico_export_to_bgp_peers(false);"), true)
        XCTAssertEqual(external?.contains("rr client"), false)
        let client = BirdConfig.render(node: "kube-node-1", family: .ipv4, topology: topo)
        XCTAssertTrue(client.contains("protocol bgp Node_10_192_0_2 from bgp_template {"))
        XCTAssertFalse(client.contains("rr client"))
        // With the mesh on, the reflector still ignores it.
        var meshOn = cfg
        meshOn.spec.nodeToNodeMeshEnabled = true
        let rrMesh = BirdConfig.render(node: "kube-master", family: .ipv4, topology: BGPTopology(nodes: nodes(rrOnMaster: true), peers: [clients], configurations: [meshOn]))
        XCTAssertTrue(rrMesh.contains("# This node (kube-master) is configured as a route reflector with cluster ID 10.0.0.1;\n# ignore node-to-node mesh setting.\n"))
        let node1Mesh = BirdConfig.render(node: "kube-node-1", family: .ipv4, topology: BGPTopology(nodes: nodes(rrOnMaster: true), peers: [clients], configurations: [meshOn]))
        XCTAssertTrue(node1Mesh.contains("# Skipping 10.192.0.2 (kube-master) as it is a route reflector with cluster ID 10.0.0.1\n"))
    }

    func testListenAndDebugLines() {
        var cfg = BGPConfiguration(name: "default")
        cfg.spec.listenPort = 150
        cfg.spec.bindMode = "NodeIP"
        cfg.spec.logSeverityScreen = "Debug"
        let text = BirdConfig.render(node: "kube-node-1", family: .ipv4, topology: BGPTopology(nodes: nodes(rrOnMaster: false), configurations: [cfg]))
        XCTAssertTrue(text.contains("# Set global listen_port\nlisten bgp address 10.192.0.3 port 150;\n"))
        XCTAssertTrue(text.contains("protocol device {\n  debug all;\n  scan time 2;"))
    }
}

final class BirdRouteFilesTests: XCTestCase {
    func testAggregationAndIPAMFiles() throws {
        let store = try SeedStores.seed001()
        try store.create(AnyResource(IPPool(name: "pods", spec: .init(cidr: "10.233.64.0/18", ipipMode: "CrossSubnet"))))
        let ipam = IPAM(store: store)
        try ipam.allocate(node: "node1", handle: "a")
        _ = Calicoctl(store: store).patch(kind: "bgpconfig", name: "default", patch: Seed001.serviceIPPatch)
        let policy = try XCTUnwrap(RoutePolicy(nodeName: "node1", store: store))
        let block = try XCTUnwrap(ipam.affineBlocks(of: "node1").first)
        XCTAssertEqual(BirdConfig.renderAggregation(policy, family: .ipv4), """
        # Generated by confd

        protocol static {
           # IP blocks for this host.
           route \(block) blackhole;
           # Static routes.
           route 10.233.0.0/18 blackhole;
        }

        # Aggregation of routes on this host; export the block, nothing beneath it.
        function calico_aggr ()
        {
              # Block \(block) is confirmed
              if ( net = \(block) ) then { accept; }
              if ( net ~ \(block) ) then { reject; }
        }

        """)
        let ipamText = BirdConfig.renderIPAM(policy, family: .ipv4)
        XCTAssertTrue(ipamText.contains("  # Export static routes.\n  if ( net ~ 10.233.0.0/18 ) then { accept; }\n"), ipamText)
        XCTAssertTrue(ipamText.contains("  if ( net ~ 10.233.64.0/18 ) then {\n    accept;\n  }\n"), ipamText)
        XCTAssertTrue(ipamText.contains("bgp_next_hop ~ 172.20.0.0/24 ) then\n      krt_tunnel = \"\";\n    else\n      krt_tunnel = \"tunl0\";"), ipamText)
        XCTAssertTrue(ipamText.contains("  # Don't program static routes into kernel.\n  if ( net ~ 10.233.0.0/18 ) then { reject; }\n"))
        let empty = RoutePolicy(node: Node(name: "x"), pools: [], ownBlocks: [], configuration: nil)
        XCTAssertTrue(BirdConfig.renderAggregation(empty, family: .ipv4).contains("   # No IP blocks or static routes for this host.\n"))
    }
}
