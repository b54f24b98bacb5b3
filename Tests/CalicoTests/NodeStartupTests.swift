import XCTest
import BGPWire
@testable import Calico

final class NodeStartupTests: XCTestCase {
    func testDigestsAgainstKnownValues() {
        XCTAssertEqual(Digest.hex(Digest.sha1(Array("abc".utf8))), "a9993e364706816aba3e25717850c26c9cd0d89d")
        XCTAssertEqual(Digest.hex(Digest.sha256(Array(String(repeating: "a", count: 100).utf8))),
                       "2816597888e4a0d3a36b82b83316ab32680eb8f00f8cd3b904d681246d285a0e")
    }

    /// Seed 004 shows kube-system/kube-dns-6f4fd4bdf-8q7zp on interface cali800a63073ed.
    func testPodInterfaceNameFromSeed004() {
        XCTAssertEqual(NodeStartup.interfaceName(namespace: "kube-system", pod: "kube-dns-6f4fd4bdf-8q7zp"), "cali800a63073ed")
    }

    func testRouterID() {
        XCTAssertEqual(NodeStartup.routerID(nodeName: "node1", nodeIPv4: IPv4Address("10.0.0.1"), environment: [:]), IPv4Address("10.0.0.1"))
        XCTAssertEqual(NodeStartup.routerID(nodeName: "node1", nodeIPv4: nil, environment: ["CALICO_ROUTER_ID": "hash"]), IPv4Address("202.18.243.27"))
        XCTAssertEqual(NodeStartup.routerID(nodeName: "x", nodeIPv4: nil, environment: ["CALICO_ROUTER_ID": "1.2.3.4"]), IPv4Address("1.2.3.4"))
    }

    func testDefaultPool() throws {
        let pool = try XCTUnwrap(try NodeStartup.defaultIPv4Pool(environment: ["CALICO_IPV4POOL_IPIP": "Always"]))
        XCTAssertEqual(pool.metadata.name, "default-ipv4-ippool")
        XCTAssertEqual(pool.spec.cidr, "192.168.0.0/16")
        XCTAssertEqual(pool.ipipMode, "Always")
        XCTAssertEqual(pool.spec.natOutgoing, true)
        XCTAssertEqual(pool.effectiveBlockSize, 26)
        XCTAssertEqual(try NodeStartup.defaultIPv4Pool(environment: ["CALICO_IPV4POOL_CIDR": "10.244.0.0/16", "CALICO_IPV4POOL_IPIP": "cross-subnet",
                                                                      "CALICO_IPV4POOL_NAT_OUTGOING": "false", "CALICO_IPV4POOL_BLOCK_SIZE": "24"])?.spec,
                       { var s = IPPool.Spec(cidr: "10.244.0.0/16", ipipMode: "CrossSubnet", vxlanMode: "Never", natOutgoing: false, blockSize: 24, nodeSelector: "all()")
                         s.allowedUses = ["Workload", "Tunnel"]; s.assignmentMode = "Automatic"; return s }())
        XCTAssertNil(try NodeStartup.defaultIPv4Pool(environment: ["NO_DEFAULT_POOLS": "true"]))
        XCTAssertThrowsError(try NodeStartup.defaultIPv4Pool(environment: ["CALICO_IPV4POOL_IPIP": "sometimes"]))
    }

    /// The IPv6 default pool: the environment's CIDR and block size, else a ULA /48 that depends on the seed
    /// only (so a lab comes up the same way twice), /122 blocks and no NAT.
    func testDefaultIPv6Pool() throws {
        let pool = try XCTUnwrap(try NodeStartup.defaultIPv6Pool(environment: [:], seed: "n1"))
        XCTAssertEqual(pool.metadata.name, "default-ipv6-ippool")
        XCTAssertEqual(pool.prefix?.family, .ipv6Unicast)
        XCTAssertTrue(pool.spec.cidr.hasPrefix("fd") && pool.spec.cidr.hasSuffix("::/48"), pool.spec.cidr)
        XCTAssertEqual(pool.effectiveBlockSize, 122)
        XCTAssertEqual(pool.spec.natOutgoing, false)
        XCTAssertEqual(try NodeStartup.defaultIPv6Pool(environment: [:], seed: "n1")?.spec.cidr, pool.spec.cidr)
        XCTAssertNotEqual(try NodeStartup.defaultIPv6Pool(environment: [:], seed: "n2")?.spec.cidr, pool.spec.cidr)
        let given = try XCTUnwrap(try NodeStartup.defaultIPv6Pool(environment: ["CALICO_IPV6POOL_CIDR": "fd00:10::/64",
                                                                             "CALICO_IPV6POOL_BLOCK_SIZE": "120"], seed: "n1"))
        XCTAssertEqual(given.spec.cidr, "fd00:10::/64")
        XCTAssertEqual(given.effectiveBlockSize, 120)
        XCTAssertNil(try NodeStartup.defaultIPv6Pool(environment: ["NO_DEFAULT_POOLS": "true"], seed: "n1"))
        XCTAssertThrowsError(try NodeStartup.defaultIPv6Pool(environment: ["CALICO_IPV6POOL_BLOCK_SIZE": "big"], seed: "n1"))
    }
}

final class NodeConfigTests: XCTestCase {
    /// Seed 001 node4 (rack 2, AS 64513): identity, sessions and originated routes in one value.
    func testSeed001Node4() throws {
        let store = try SeedStores.seed001()
        try store.create(AnyResource(IPPool(name: "pods", spec: .init(cidr: "10.233.64.0/18"))))
        try IPAM(store: store).allocate(node: "node4", handle: "pod-a")
        _ = Calicoctl(store: store).patch(kind: "bgpconfig", name: "default", patch: Seed001.serviceIPPatch)
        let cfg = try XCTUnwrap(NodeConfig.compute(for: "node4", store: store))
        XCTAssertEqual(cfg.routerID, IPv4Address("173.20.0.11"))
        XCTAssertEqual(cfg.asNumber, ASNumber(64513))
        XCTAssertEqual(cfg.listenPort, 179)
        XCTAssertNil(cfg.bindAddress)
        XCTAssertEqual(cfg.logLevel, "info")
        XCTAssertEqual(cfg.peers.map(\.protocolName), ["Node_173_20_0_12", "Node_173_20_0_13", "Node_173_20_0_254"])
        XCTAssertEqual(cfg.originated.count, 2)
        XCTAssertEqual(cfg.originated.last, Prefix("10.233.0.0/18"))
        XCTAssertTrue(BlockMath.contains(Prefix("10.233.64.0/18")!, cfg.originated[0]))
        XCTAssertNil(NodeConfig.compute(for: "nope", store: store))
    }
}
