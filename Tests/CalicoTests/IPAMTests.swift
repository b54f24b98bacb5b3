import XCTest
import BGPWire
@testable import Calico

final class IPAMTests: XCTestCase {
    func store(pool cidr: String, blockSize: Int? = nil, nodes: [String] = ["vagrant"]) throws -> Datastore {
        let s = try Datastore()
        try s.create(AnyResource(IPPool(name: "default-ipv4-ippool", spec: .init(cidr: cidr, ipipMode: "Always", natOutgoing: true, blockSize: blockSize))))
        for (i, n) in nodes.enumerated() {
            try s.create(AnyResource(Node(name: n, bgp: .init(ipv4Address: "172.20.0.\(11 + i)/24"))))
        }
        return s
    }

    func testAllocatesFromTheNodesAffineBlockInOrder() throws {
        let s = try store(pool: "10.244.0.0/16")
        let ipam = IPAM(store: s)
        let a = try ipam.allocate(node: "vagrant", handle: "k8s-pod-network.default.a")
        let b = try ipam.allocate(node: "vagrant", handle: "k8s-pod-network.default.b")
        let blocks = ipam.affineBlocks(of: "vagrant")
        XCTAssertEqual(blocks.count, 1)
        let block = try XCTUnwrap(blocks.first)
        XCTAssertEqual(block.length, 26)
        guard case .v4(let p) = block, case .v4(let av) = a, case .v4(let bv) = b else { return XCTFail() }
        XCTAssertEqual(av, p.address, ".0 of the block is handed out first")
        XCTAssertEqual(bv.value, p.address.value + 1)
        // Released ordinals go to the back of the free list.
        try ipam.release(a)
        let c = try ipam.allocate(node: "vagrant", handle: "c")
        XCTAssertEqual(c, .v4(IPv4Address(p.address.value + 2)))
        let routes = ipam.routes(for: "vagrant")
        XCTAssertEqual(routes.blackholeBlocks, [block])
        XCTAssertEqual(routes.borrowedAddresses, [])
        XCTAssertEqual(routes.localAddresses.count, 2)
        XCTAssertEqual(ipam.release(handle: "c"), [c])
    }

    func testNewBlockWhenFullThenBorrowing() throws {
        // A /24 pool of /26 blocks: four blocks.
        let s = try store(pool: "10.10.0.0/24", nodes: ["n1", "n2"])
        let ipam = IPAM(store: s)
        for i in 0..<(64 * 3) { try ipam.allocate(node: "n1", handle: "n1-\(i)") }
        XCTAssertEqual(ipam.affineBlocks(of: "n1").count, 3, "a full block makes the node claim another")
        try ipam.allocate(node: "n2", handle: "n2-0")
        XCTAssertEqual(ipam.affineBlocks(of: "n2").count, 1)
        // n1 fills n2's... no: n1 has no free block left, so it borrows from n2's block.
        let borrowed = try ipam.allocate(node: "n1", handle: "n1-borrowed")
        let n2Block = try XCTUnwrap(ipam.affineBlocks(of: "n2").first)
        XCTAssertTrue(BlockMath.contains(n2Block, borrowed))
        XCTAssertEqual(ipam.routes(for: "n1").borrowedAddresses, [BlockMath.hostPrefix(borrowed)])
        XCTAssertEqual(ipam.routes(for: "n2").borrowedAddresses, [])
        XCTAssertEqual(ipam.routes(for: "n1").blackholeBlocks.count, 3)
        // Exhaust everything.
        for i in 0..<62 { try ipam.allocate(node: "n2", handle: "n2-more-\(i)") }
        XCTAssertThrowsError(try ipam.allocate(node: "n1", handle: "none-left"))
    }

    func testPoolNodeSelectorAndNoPool() throws {
        let s = try Datastore()
        try s.create(AnyResource(Node(name: "edge", labels: ["zone": "edge"], bgp: .init(ipv4Address: "10.1.0.1/24"))))
        try s.create(AnyResource(Node(name: "core", bgp: .init(ipv4Address: "10.1.0.2/24"))))
        try s.create(AnyResource(IPPool(name: "edge-pool", spec: .init(cidr: "10.50.0.0/16", nodeSelector: "zone == 'edge'"))))
        let ipam = IPAM(store: s)
        let a = try ipam.allocate(node: "edge", handle: "x")
        XCTAssertTrue(BlockMath.contains(Prefix("10.50.0.0/16")!, a))
        XCTAssertThrowsError(try ipam.allocate(node: "core", handle: "y")) { e in
            XCTAssertEqual("\(e)", "no configured Calico pools for node core")
        }
    }

    /// Seed 004's migration: add new-pool, disable the old one, recreate the pod, delete the old pool.
    func testSeed004PoolMigration() throws {
        let s = try store(pool: "192.168.0.0/16")
        let ctl = Calicoctl(store: s)
        let ipam = IPAM(store: s)
        let old = try ipam.allocate(node: "vagrant", handle: "k8s-pod-network.kube-system.kube-dns-6f4fd4bdf-8q7zp")
        XCTAssertTrue(BlockMath.contains(Prefix("192.168.0.0/16")!, old))
        XCTAssertEqual(ctl.create(file: Seed004.newPool).stdout, "Successfully created 1 'IPPool' resource(s)\n")
        // The seed's pool.yaml carries a 192.0.0.0/16 typo: Calico refuses to change a pool's CIDR.
        let typo = ctl.apply(file: Seed004.poolList)
        XCTAssertEqual(typo.exitCode, 1)
        XCTAssertTrue(typo.stderr.contains("IPPool CIDR cannot be modified"), typo.stderr)
        let fixed = Seed004.disabledPool.replacingOccurrences(of: "192.0.0.0/16", with: "192.168.0.0/16")
        XCTAssertEqual(ctl.apply(file: fixed).stdout, "Successfully applied 1 'IPPool' resource(s)\n")
        XCTAssertEqual(ctl.get(kind: "ippool", output: "wide").stdout, """
        NAME                  CIDR             NAT    IPIPMODE   VXLANMODE   DISABLED   DISABLEBGPEXPORT   SELECTOR   ASSIGNMENTMODE   
        default-ipv4-ippool   192.168.0.0/16   true   Always     Never       true       false              all()      Automatic        
        new-pool              10.0.0.0/16      true   Always     Never       false      false              all()      Automatic        


        """)
        // Existing workloads keep their address; new ones come from new-pool even though the node has a
        // block with free addresses in the disabled pool.
        ipam.release(handle: "k8s-pod-network.kube-system.kube-dns-6f4fd4bdf-8q7zp")
        let new = try ipam.allocate(node: "vagrant", handle: "k8s-pod-network.kube-system.kube-dns-6f4fd4bdf-8q7zp")
        XCTAssertTrue(BlockMath.contains(Prefix("10.0.0.0/16")!, new))
        XCTAssertEqual(ctl.delete(kind: "pool", names: ["default-ipv4-ippool"]).stdout, "Successfully deleted 1 'IPPool' resource(s)\n")
        XCTAssertEqual(ipam.routes(for: "vagrant").blackholeBlocks.count, 1, "the empty old block and its affinity are released")
    }

    func testIPv6Blocks() throws {
        let s = try Datastore()
        try s.create(AnyResource(Node(name: "n", bgp: .init(ipv6Address: "fd00::1/64"))))
        try s.create(AnyResource(IPPool(name: "v6", spec: .init(cidr: "fd00:10::/112"))))
        let ipam = IPAM(store: s)
        let a = try ipam.allocate(node: "n", handle: "h", family: .ipv6)
        let block = try XCTUnwrap(ipam.affineBlocks(of: "n").first)
        XCTAssertEqual(block.length, 122)
        XCTAssertTrue(BlockMath.contains(block, a))
    }

    func testIPAMShow() throws {
        let s = try store(pool: "10.244.0.0/16")
        let ipam = IPAM(store: s)
        for i in 0..<5 { try ipam.allocate(node: "vagrant", handle: "p\(i)") }
        XCTAssertEqual(Calicoctl(store: s).ipamShow().stdout, """
        +----------+---------------+-----------+------------+--------------+
        | GROUPING |     CIDR      | IPS TOTAL | IPS IN USE |   IPS FREE   |
        +----------+---------------+-----------+------------+--------------+
        | IP Pool  | 10.244.0.0/16 |     65536 | 5 (0%)     | 65531 (100%) |
        +----------+---------------+-----------+------------+--------------+

        """)
        // A one-block pool makes the block row predictable.
        let one = try store(pool: "10.245.0.0/26")
        for i in 0..<5 { try IPAM(store: one).allocate(node: "vagrant", handle: "p\(i)") }
        XCTAssertEqual(Calicoctl(store: one).ipamShow(showBlocks: true).stdout, """
        +----------+---------------+-----------+------------+----------+
        | GROUPING |     CIDR      | IPS TOTAL | IPS IN USE | IPS FREE |
        +----------+---------------+-----------+------------+----------+
        | IP Pool  | 10.245.0.0/26 |        64 | 5 (8%)     | 59 (92%) |
        | Block    | 10.245.0.0/26 |        64 | 5 (8%)     | 59 (92%) |
        +----------+---------------+-----------+------------+----------+

        """)
        XCTAssertEqual(IPAMShow.g5(16777216), "1.6777e+07")
        XCTAssertEqual(IPAMShow.g5(65536), "65536")
    }
}
