import Foundation
import XCTest
import BGPWire
import BGPSpeaker
import Calico
import Kernel
import BGPDaemon
@testable import CalicoNode

/// What the nodes advertise to each other over real sessions: communities from prefixAdvertisements,
/// BGPFilters on a BGPPeer (import and export, changed live), and dual-stack pods reaching each other
/// over IPv6.
final class RouteAdvertisementTests: CalicoNodeTestCase {
    /// Both nodes peering through one BGPPeer `all` that carries the (empty) BGPFilter `f`, the mesh off, and
    /// the pool advertised with a standard and a large community.
    static let clusterYAML = CalicoYAML.documents(
        CalicoYAML.twoNodes,
        CalicoYAML.pool("default-ipv4-ippool", cidr: "10.244.0.0/16", "blockSize: 26"),
        CalicoYAML.resource("BGPConfiguration", "default", spec: """
            nodeToNodeMeshEnabled: false
            communities:
            - name: cluster
              value: 65001:100
            - name: big
              value: 64512:1:2
            prefixAdvertisements:
            - cidr: 10.244.0.0/16
              communities: [cluster, big]
            """),
        filter(nil),
        CalicoYAML.resource("BGPPeer", "all", spec: """
            nodeSelector: all()
            peerSelector: all()
            filters: [f]
            """))

    /// The BGPFilter `f` with `spec` (nil: no rules).
    static func filter(_ spec: String?) -> String { CalicoYAML.resource("BGPFilter", "f", spec: spec) }

    /// The speaker's Loc-RIB path for `prefix` learned from a peer, if any.
    func learned(_ node: String, _ prefix: Prefix) -> RIBEntry? {
        agents[node]?.paths(for: prefix).first { if case .peer = $0.source { return true } else { return false } }
    }

    func ownBlock(_ node: String) -> Prefix? { IPAM(store: store).affineBlocks(of: node).first }

    func testCommunitiesReachThePeerAndBGPFiltersActOnImportAndExport() throws {
        _ = try makeTwoNodes()
        apply(Self.clusterYAML)
        addPod("web-1", on: "node1")
        addPod("web-2", on: "node2")
        try startAgents(["node1", "node2"])
        XCTAssertTrue(eventually(20, "both nodes claimed a block") { ownBlock("node1") != nil && ownBlock("node2") != nil })
        let b1 = try XCTUnwrap(ownBlock("node1")), b2 = try XCTUnwrap(ownBlock("node2"))

        // 1. An empty filter changes nothing: each node's block arrives at the other with both communities.
        XCTAssertTrue(eventually(30, "node2 learns node1's block") { learned("node2", b1) != nil })
        let seen = try XCTUnwrap(learned("node2", b1))
        XCTAssertEqual(seen.attributes.communities, [Community(asn: 65001, value: 100)])
        XCTAssertEqual(seen.attributes.largeCommunities, [LargeCommunity(64512, 1, 2)])
        XCTAssertTrue(eventually(30, "node1 learns node2's block") { learned("node1", b2) != nil })

        // 2. importV4 Reject for node1's block: node2 drops it (and its kernel route); node1 still has b2.
        apply(Self.filter("""
            importV4:
            - action: Reject
              matchOperator: Equal
              cidr: \(b1)
            """))
        XCTAssertTrue(eventually(30, "node2 rejects node1's block on import") { learned("node2", b1) == nil })
        XCTAssertTrue(try eventually(10, "node2's kernel route to b1 removed") {
            try !nodeNamespaces[1].netlink().routes(family: UInt8(AF_INET)).contains { $0.destination == KernelAddress.inet(b1) }
        })
        XCTAssertNotNil(learned("node1", b2))

        // 2b. An interface clause: both nodes reach each other through eth0, so each rejects the other's block.
        apply(Self.filter("""
            importV4:
            - action: Reject
              interface: eth*
            """))
        XCTAssertTrue(eventually(30, "node1 rejects everything arriving over eth0") { learned("node1", b2) == nil })

        // 3. The same filter as exportV4 Reject of node2's block: b1 comes back, node2 stops sending b2.
        apply(Self.filter("""
            exportV4:
            - action: Reject
              matchOperator: Equal
              cidr: \(b2)
            """))
        XCTAssertTrue(eventually(30, "node2 accepts b1 again") { learned("node2", b1) != nil })
        XCTAssertTrue(eventually(30, "node2 does not send b2 to node1") { learned("node1", b2) == nil })
        Thread.sleep(forTimeInterval: 1)
        XCTAssertNil(learned("node1", b2), "node1 imports again; only node2's export filter keeps b2 away")
        apply(Self.filter(nil))
        XCTAssertTrue(eventually(30, "without the export rule node2 sends b2 again") { learned("node1", b2) != nil })

        // 4. node2's own prefixAdvertisements replace the default ones for what node2 sends.
        apply(CalicoYAML.resource("BGPConfiguration", "node.node1", spec: """
            prefixAdvertisements:
            - cidr: \(b1)
              communities: ["65001:7"]
            """))
        XCTAssertTrue(eventually(30, "node1's own communities on b1") {
            learned("node2", b1).map { $0.attributes.communities == [Community(asn: 65001, value: 7)] && $0.attributes.largeCommunities.isEmpty } ?? false
        })
    }

    func testDualStackPodsPingOverIPv6() throws {
        _ = try makeTwoNodes()
        try addIPv6(sysctls: [("net.ipv6.conf.all.accept_dad", "0"), ("net.ipv6.conf.eth0.accept_dad", "0")]) { "fd00:20::1\($0 + 1)" }
        apply(CalicoYAML.documents(CalicoYAML.twoDualStackNodes, CalicoYAML.pool("default-ipv4-ippool", cidr: "10.244.0.0/16"),
                                   CalicoYAML.pool("default-ipv6-ippool", cidr: "fd00:244::/48")))
        addPod("web-1", on: "node1")
        addPod("web-2", on: "node2")
        try startAgents(["node1", "node2"])

        XCTAssertTrue(eventually(20, "both pods wired") { agents["node1"]?.wiredPods.count == 1 && agents["node2"]?.wiredPods.count == 1 })
        let w1 = try XCTUnwrap(agents["node1"]?.wiredPods["default/web-1"]), w2 = try XCTUnwrap(agents["node2"]?.wiredPods["default/web-2"])
        XCTAssertEqual(w1.addresses.map(\.family), [.ipv4, .ipv6])
        let v6a = w1.addresses[1].description, v6b = w2.addresses[1].description
        XCTAssertTrue(v6a.hasPrefix("fd00:244:") && v6b.hasPrefix("fd00:244:"), "\(v6a) \(v6b)")

        // kubectl shows the IPv4 address; ipam show counts both pods' addresses in each pool.
        let wide = Kubectl(store: store).getPods(wide: true).stdout
        XCTAssertTrue(wide.contains(" \(w1.address) ") && !wide.contains(v6a), wide)
        let ipam = Calicoctl(store: store).ipamShow().stdout
        XCTAssertTrue(ipam.contains("| IP Pool  | 10.244.0.0/16 |") && ipam.contains("| IP Pool  | fd00:244::/48 |"), ipam)
        XCTAssertEqual(IPAM(store: store).usage().map(\.pool.inUse), [2, 2])

        // Pod side: /128 on eth0, default via Calico's link-local gateway; node side: the /128 on cali…
        // and the gateway address on it.
        let podRoutes = try NetworkNamespace(w1.networkNamespace).netlink().routes(family: UInt8(AF_INET6))
        XCTAssertTrue(podRoutes.contains { $0.destination.length == 0 && $0.nextHops.first?.gateway == InetAddress("fe80::ecee:eeff:feee:eeee") }, "\(podRoutes)")
        let node1 = try nodeNamespaces[0].netlink()
        let node1Routes = try node1.routes(family: UInt8(AF_INET6))
        let cali = try node1.link(.name(w1.interfaceName))
        XCTAssertTrue(node1Routes.contains { $0.destination == KernelAddress.host(w1.addresses[1]) && $0.nextHops.first?.gateway == nil
            && $0.nextHops.first?.interfaceIndex == cali.index }, "\(node1Routes)")
        let caliAddresses = try node1.addresses(on: .name(w1.interfaceName)).map(\.address)
        XCTAssertTrue(caliAddresses.contains(InetAddress("fe80::ecee:eeff:feee:eeee")!), "\(caliAddresses)")
        XCTAssertEqual(cali.macAddress, [0xee, 0xee, 0xee, 0xee, 0xee, 0xee])
        // Own /122 blackholed, node2's /122 via node2's IPv6 address, both proto bird.
        XCTAssertTrue(try eventually(30, "node2's /122 in node1's kernel") {
            try node1.routes(family: UInt8(AF_INET6)).contains { $0.protocol == .bird && $0.destination.length == 122 && $0.nextHops.first?.gateway == InetAddress("fd00:20::12") }
        })
        XCTAssertTrue(try node1.routes(family: UInt8(AF_INET6)).contains { $0.type == .blackhole && $0.protocol == .bird && $0.destination.length == 122 })

        XCTAssertTrue(try eventually(30, "web-1 → web-2 over IPv6") { try ping6(from: w1.networkNamespace, to: v6b) })
        XCTAssertTrue(try ping6(from: w2.networkNamespace, to: v6a))
        XCTAssertTrue(try ping(from: w1.networkNamespace, to: w2.address.description), "IPv4 still works alongside")
    }
}
