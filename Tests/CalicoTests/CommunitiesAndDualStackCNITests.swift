import XCTest
import BGPWire
@testable import Calico

/// BGPConfiguration communities/prefixAdvertisements (validation words of `validateBGPConfigurationSpec`)
/// and CNI ADD on a node with IPv4 and IPv6 pools.
final class CommunitiesAndDualStackCNITests: XCTestCase {
    func create(_ spec: String) throws -> CommandOutput {
        Calicoctl(store: try Datastore()).create(file: "apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata:\n  name: default\nspec:\n" + spec)
    }

    func testCommunityValidationMessages() throws {
        XCTAssertEqual(try create("""
          communities:
          - name: web
            value: 65001:100
        """).stderr, "Failed to create 'BGPConfiguration' resource: [error with field Spec.Communities = '[{web 65001:100}]' (communities are defined but not used in Spec.PrefixAdvertisement[].)]\n")
        XCTAssertTrue(try create("""
          communities:
          - name: web
            value: "65001"
          prefixAdvertisements:
          - cidr: 10.0.0.0/8
            communities: [web]
        """).stderr.contains("error with field Spec.Communities[].Value = '65001' (invalid community value or format used.)"))
        XCTAssertTrue(try create("""
          communities:
          - name: web
            value: 70000:1
          prefixAdvertisements:
          - cidr: 10.0.0.0/8
            communities: [web]
        """).stderr.contains("error with field Spec.Communities[].Value = '70000' (invalid community value, expected 16 bit value)"))
        XCTAssertTrue(try create("""
          prefixAdvertisements:
          - cidr: 10.0.0.0/8
            communities: ["1:2:4294967296"]
        """).stderr.contains("(invalid community value, expected 32 bit value)"))
        XCTAssertTrue(try create("""
          prefixAdvertisements:
          - cidr: 10.0.0.0/8
            communities: [nosuch]
        """).stderr.contains("error with field Spec.PrefixAdvertisements[].Communities[] = 'nosuch' (community used is invalid or not defined.)"))
        XCTAssertTrue(try create("""
          prefixAdvertisements:
          - cidr: 10.0.0.0/33
            communities: ["1:2"]
        """).stderr.contains("error with field Spec.PrefixAdvertisements[].CIDR = '10.0.0.0/33' (invalid CIDR value.)"))
        let ok = try create("""
          communities:
          - name: web
            value: 65001:100
          - name: big
            value: 4200000000:1:2
          prefixAdvertisements:
          - cidr: 10.244.0.0/16
            communities: [web, big, "65001:5"]
        """)
        XCTAssertEqual(ok.exitCode, 0, ok.description)
    }

    func testPrefixAdvertisementsResolveNamesIntoBothKinds() {
        var config = BGPConfiguration(name: "default")
        config.spec.opaque["communities"] = .array([.object([("name", .string("web")), ("value", .string("65001:100"))]),
                                                    .object([("name", .string("big")), ("value", .string("4200000000:1:2"))])])
        config.spec.opaque["prefixAdvertisements"] = .array([.object([("cidr", .string("10.244.0.0/16")),
                                                                      ("communities", .array([.string("web"), .string("big"), .string("65001:5")]))])])
        XCTAssertEqual(config.prefixAdvertisements, [.init(cidr: Prefix("10.244.0.0/16")!,
                                                           communities: [Community(asn: 65001, value: 100), Community(asn: 65001, value: 5)],
                                                           largeCommunities: [LargeCommunity(4_200_000_000, 1, 2)])])
    }

    func testDualStackPodGetsAnAddressFromEachFamilysBlock() throws {
        let store = try Datastore()
        try store.create(AnyResource(Node(name: "n1", bgp: .init(ipv4Address: "172.20.0.11/24", ipv6Address: "fd00:20::11/64"))))
        try store.create(AnyResource(IPPool(name: "v4", spec: .init(cidr: "10.244.0.0/16"))))
        try store.create(AnyResource(IPPool(name: "v6", spec: .init(cidr: "fd00:244::/48"))))
        try store.create(AnyResource(Pod(namespace: "default", name: "web", nodeName: "n1")))
        let cni = CNI(store: store)
        let r = try cni.add(namespace: "default", pod: "web", node: "n1")
        XCTAssertEqual(r.addresses.count, 2)
        XCTAssertEqual(r.address, r.addresses[0])
        XCTAssertEqual(r.addresses.map(\.family), [.ipv4, .ipv6])
        XCTAssertTrue(BlockMath.contains(Prefix("fd00:244::/48")!, r.addresses[1]))
        XCTAssertEqual(r.endpoint.spec.ipNetworks, ["\(r.addresses[0])/32", "\(r.addresses[1])/128"])
        XCTAssertEqual(try cni.add(namespace: "default", pod: "web", node: "n1").addresses, r.addresses, "ADD is idempotent")
        // Pod status: podIP is the IPv4 address, podIPs both.
        guard case .pod(let pod)? = try? store.get(.pod, "web", namespace: "default") else { return XCTFail("pod gone") }
        XCTAssertEqual(pod.podIP, r.address.description)
        XCTAssertEqual(JSONValue.object(pod.body)["status"]?["podIPs"]?.arrayValue?.compactMap { $0["ip"]?.stringValue },
                       r.addresses.map(\.description))
        // The node owns a /26 and a /122 (the IPv6 default block size), both blackholed and exported.
        let blocks = IPAM(store: store).affineBlocks(of: "n1")
        XCTAssertEqual(blocks.map(\.length).sorted(), [26, 122])
        XCTAssertEqual(Calico.RoutePolicy(nodeName: "n1", store: store)?.staticBlackholes.count, 2)
        // ipam show counts both pools' addresses.
        XCTAssertEqual(IPAM(store: store).usage().map(\.pool.inUse), [1, 1])
        let show = Calicoctl(store: store).ipamShow().stdout
        XCTAssertTrue(show.contains("| IP Pool  | 10.244.0.0/16 |      65536 | 1 (0%)     | 65535 (100%)      |\n"
                                    + "| IP Pool  | fd00:244::/48 | 1.2089e+24 | 1 (0%)     | 1.2089e+24 (100%) |\n"), show)
        try cni.delete(namespace: "default", pod: "web", node: "n1")
        XCTAssertEqual(IPAM(store: store).usage().map(\.pool.inUse), [0, 0], "DEL releases both")
    }
}

/// bird.cfg's apply_communities and BGP Filters section (spec §2.8).
final class BirdFilterTextTests: XCTestCase {
    func testFilterFunctionsCommunitiesAndPeerCalls() throws {
        let store = try Datastore()
        let out = Calicoctl(store: store).create(file: """
        apiVersion: projectcalico.org/v3
        kind: BGPFilter
        metadata:
          name: test-filter
        spec:
          importV4:
          - action: Accept
            matchOperator: In
            cidr: 44.0.0.0/16
          - action: Reject
            source: RemotePeers
            cidr: 44.1.0.0/16
            matchOperator: In
          - action: Reject
            interface: eth*
          exportV4:
          - action: Accept
            matchOperator: NotIn
            cidr: 10.0.0.0/8
            prefixLength:
              min: 16
          - action: Reject
        ---
        apiVersion: projectcalico.org/v3
        kind: BGPConfiguration
        metadata:
          name: default
        spec:
          communities:
          - name: a
            value: 65001:100
          prefixAdvertisements:
          - cidr: 192.168.0.0/16
            communities: [a, "1:2:3"]
          - cidr: fd00::/48
            communities: [a]
        ---
        apiVersion: projectcalico.org/v3
        kind: BGPPeer
        metadata:
          name: tor
        spec:
          peerIP: 10.192.0.1
          asNumber: 65001
          filters: [test-filter]
        """)
        XCTAssertEqual(out.exitCode, 0, out.description)
        try store.create(AnyResource(Node(name: "n1", bgp: .init(ipv4Address: "10.192.0.2/16"))))
        let filters = store.list(.bgpFilter).compactMap { r -> BGPFilter? in if case .bgpFilter(let f) = r { return f } else { return nil } }
        let text = BirdConfig.render(node: "n1", family: .ipv4, topology: BGPTopology(datastore: store), filters: filters)
        XCTAssertTrue(text.hasPrefix("""
        function apply_communities ()
        {
          if ( net ~ 192.168.0.0/16 ) then { bgp_community.add((65001, 100)); bgp_large_community.add((1, 2, 3)); }
        }

        # Generated by confd
        """), text)
        XCTAssertTrue(text.contains("""
        # -------------- BGP Filters ------------------
        # v4 BGPFilter test-filter
        function 'bgp_test-filter_importFilterV4'() {
          if ((net ~ 44.0.0.0/16)) then { accept; }
          if ((net ~ 44.1.0.0/16)&&((defined(source))&&(source ~ [ RTS_BGP ]))) then { reject; }
          if (((defined(ifname))&&(ifname ~ "eth*"))) then { reject; }
        }
        function 'bgp_test-filter_exportFilterV4'() {
          if ((net !~ [ 10.0.0.0/8{16,32} ])) then { accept; }
          reject;
        }

        # ------------- Node-to-node mesh -------------
        """), text)
        XCTAssertTrue(text.contains("""
          import filter {
            'bgp_test-filter_importFilterV4'();
            accept;
        """), text)
        XCTAssertTrue(text.contains("""
          export filter {
            'bgp_test-filter_exportFilterV4'();
            calico_export_to_bgp_peers(false);
        """), text)
        XCTAssertTrue(BirdConfig.render(node: "n1", family: .ipv4, topology: BGPTopology(datastore: store))
            .contains("# -------------- BGP Filters ------------------\n# No v4 BGPFilters configured\n\n# ------------- Node-to-node mesh"))
        XCTAssertEqual(BirdConfig.renderCommunities(BGPTopology(datastore: store).defaultConfiguration?.prefixAdvertisements ?? [], family: .ipv6),
                       "function apply_communities ()\n{\n  if ( net ~ fd00::/48 ) then { bgp_community.add((65001, 100)); }\n}\n")

        let long = BirdConfig.functionName(filter: String(repeating: "x", count: 60), import: true, family: .ipv4)
        XCTAssertEqual(long.count, 66, "64 characters inside the quotes")
        XCTAssertTrue(long.hasPrefix("'bgp_xxx") && long.dropLast().suffix(17).first == "_", long)
        XCTAssertNotEqual(long, BirdConfig.functionName(filter: String(repeating: "x", count: 61), import: true, family: .ipv4))
    }
}
