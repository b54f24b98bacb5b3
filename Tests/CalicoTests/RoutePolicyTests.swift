import XCTest
import BGPWire
@testable import Calico

final class RoutePolicyTests: XCTestCase {
    func policy(ipip: String = "Always", vxlan: String? = nil, blocks: [String] = ["10.244.1.0/26"], rr: Bool = false,
                config: BGPConfiguration? = nil, labels: [String: String] = [:]) -> RoutePolicy {
        let node = Node(name: "n1", labels: labels, bgp: .init(ipv4Address: "172.20.0.11/24", routeReflectorClusterID: rr ? "244.0.0.1" : nil))
        var noExport = IPPool(name: "private", spec: .init(cidr: "10.99.0.0/16"))
        noExport.spec.disableBGPExport = true
        let pools = [IPPool(name: "default", spec: .init(cidr: "10.244.0.0/16", ipipMode: ipip, vxlanMode: vxlan)), noExport]
        return RoutePolicy(node: node, pools: pools, ownBlocks: blocks.compactMap(Prefix.init), configuration: config)
    }

    func testExportRules() {
        let p = policy()
        XCTAssertTrue(p.exports(Prefix("10.244.1.0/26")!, toInternalPeer: true), "own block aggregate")
        XCTAssertFalse(p.exports(Prefix("10.244.1.5/32")!, toInternalPeer: false), "nothing beneath an own block")
        XCTAssertTrue(p.exports(Prefix("10.244.2.7/32")!, toInternalPeer: true), "borrowed /32 in a pool")
        XCTAssertTrue(p.exports(Prefix("10.244.2.0/26")!, toInternalPeer: false), "other in-pool routes")
        XCTAssertFalse(p.exports(Prefix("10.99.1.0/26")!, toInternalPeer: false), "disableBGPExport pool")
        XCTAssertFalse(p.exports(Prefix("172.20.0.0/24")!, toInternalPeer: false), "non-pool routes (node subnet, ToR routes)")
        XCTAssertFalse(p.exports(Prefix("10.244.2.0/26")!, toInternalPeer: true, viaTunnelInterface: true))
        XCTAssertEqual(p.staticBlackholes, [Prefix("10.244.1.0/26")!])
    }

    /// Seed 001: serviceClusterIPs 10.233.0.0/18 is advertised from every node and not programmed locally.
    func testServiceClusterIPsFromSeed001() throws {
        let store = try Datastore()
        let ctl = Calicoctl(store: store)
        _ = ctl.apply(file: Seed001.bgpConf)
        XCTAssertEqual(ctl.patch(kind: "BGPConfig", name: "default", patch: Seed001.serviceIPPatch).exitCode, 0)
        let cfg = try store.get(.bgpConfiguration, "default").bgpConfiguration
        let p = policy(blocks: [], config: cfg)
        XCTAssertEqual(p.staticBlackholes, [Prefix("10.233.0.0/18")!])
        XCTAssertTrue(p.exports(Prefix("10.233.0.0/18")!, toInternalPeer: false))
        XCTAssertEqual(p.kernelRoute(for: Prefix("10.233.0.0/18")!, nextHop: IPAddress("172.20.0.12")!), .notProgrammed)
        let excluded = policy(blocks: [], config: cfg, labels: [RoutePolicy.excludeFromLBLabel: "true"])
        XCTAssertEqual(excluded.staticBlackholes, [])
    }

    func testKernelProgrammingByEncapsulation() {
        let nhLocal = IPAddress("172.20.0.12")!, nhRemote = IPAddress("173.20.0.12")!
        let block = Prefix("10.244.2.0/26")!
        XCTAssertEqual(policy(ipip: "Always").kernelRoute(for: block, nextHop: nhLocal), .ipip(nextHop: nhLocal))
        XCTAssertEqual(policy(ipip: "CrossSubnet").kernelRoute(for: block, nextHop: nhLocal), .direct(nextHop: nhLocal))
        XCTAssertEqual(policy(ipip: "CrossSubnet").kernelRoute(for: block, nextHop: nhRemote), .ipip(nextHop: nhRemote))
        XCTAssertEqual(policy(ipip: "Never").kernelRoute(for: block, nextHop: nhLocal), .direct(nextHop: nhLocal))
        XCTAssertEqual(policy(ipip: "Never", vxlan: "Always").kernelRoute(for: block, nextHop: nhLocal), .notProgrammed)
        XCTAssertEqual(policy().kernelRoute(for: Prefix("8.8.8.0/24")!, nextHop: nhLocal), .direct(nextHop: nhLocal), "ToR routes are installed too")
    }

    func testTunnelAddressIsTheFirstAddressOfTheBlock() throws {
        let store = try Datastore()
        try store.create(AnyResource(Node(name: "n1", bgp: .init(ipv4Address: "172.20.0.11/24"))))
        try store.create(AnyResource(IPPool(name: "p", spec: .init(cidr: "10.244.0.0/16", ipipMode: "Always"))))
        let ipam = IPAM(store: store)
        let tunl = try ipam.assignTunnelAddress(node: "n1")
        let block = try XCTUnwrap(ipam.affineBlocks(of: "n1").first)
        XCTAssertEqual(Prefix.v4(IPv4Prefix(tunl, length: 26)), block)
        guard case .v4(let bp) = block else { return XCTFail() }
        XCTAssertEqual(tunl, bp.address)
        XCTAssertEqual(try store.get(.node, "n1").node?.spec.bgp?.ipv4IPIPTunnelAddr, tunl.description)
        XCTAssertEqual(try ipam.assignTunnelAddress(node: "n1"), tunl, "idempotent")
        XCTAssertEqual(RoutePolicy(nodeName: "n1", store: store)?.staticBlackholes, [block])
    }
}
