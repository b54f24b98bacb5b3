import XCTest
import Foundation
import BGPWire
import BGPSpeaker
import Kernel
@testable import BGPDaemon

/// Real kernel routes, only inside network namespaces this test creates (named plt-runtime-<pid>-…) and removes.
final class NamespaceFIBTests: XCTestCase {
    var namespaces: [NetworkNamespace] = []
    var daemons: [SpeakerDaemon] = []

    override func setUpWithError() throws {
        try XCTSkipUnless(getuid() == 0, "needs root to create network namespaces")
    }

    override func tearDown() {
        for d in daemons { d.shutdown() }
        daemons = []
        for ns in namespaces { try? ns.delete() }
        namespaces = []
    }

    func namespace(_ suffix: String) throws -> NetworkNamespace {
        let name = "plt-runtime-\(getpid())-\(suffix)"
        if NetworkNamespace.exists(name) { try NetworkNamespace.delete(name) }
        let ns = try NetworkNamespace.create(name)
        namespaces.append(ns)
        try ns.netlink().setLinkUp("lo")
        return ns
    }

    func bgpRoutes(_ ns: NetworkNamespace) throws -> [Route] {
        try ns.netlink().routes().filter { $0.protocol == .bgp }
    }

    func testFIBInstallsMultipathAndBlackholeWithProtocolBGP() throws {
        let ns = try namespace("fib")
        let nl = try ns.netlink()
        // A veth pair with both ends here (the dummy driver may be missing): d0 gives a connected /24.
        try nl.createVeth("d0", peer: "d1")
        try nl.addAddress(InetAddress("10.50.0.1")!, prefixLength: 24, to: "d0")
        try nl.setLinkUp("d1")
        try nl.setLinkUp("d0")
        let fib = try NetlinkFIB(namespace: ns)

        try fib.install(Prefix("10.60.0.0/24")!, nextHops: [IPAddress("10.50.0.2")!])
        try fib.install(Prefix("10.62.0.0/24")!, nextHops: [IPAddress("10.50.0.2")!, IPAddress("10.50.0.3")!])
        try fib.blackhole(Prefix("10.61.0.0/24")!)
        // A BGP route for the connected prefix must not replace the connected route.
        try fib.install(Prefix("10.50.0.0/24")!, nextHops: [IPAddress("10.50.0.9")!])

        let routes = try NetlinkRoutes(namespace: ns).routes()
        func find(_ p: String, _ origin: KernelRoute.Origin) -> KernelRoute? { routes.first { $0.prefix == Prefix(p) && $0.origin == origin } }
        XCTAssertEqual(find("10.60.0.0/24", .bgp)?.gateways, [IPAddress("10.50.0.2")!])
        XCTAssertEqual(Set(find("10.62.0.0/24", .bgp)?.gateways ?? []), [IPAddress("10.50.0.2")!, IPAddress("10.50.0.3")!])
        XCTAssertEqual(find("10.61.0.0/24", .bgp)?.metric, NetlinkFIB.metric)
        XCTAssertNotNil(find("10.50.0.0/24", .connected))
        XCTAssertNotNil(find("10.50.0.0/24", .bgp))
        XCTAssertEqual(try nl.routes().first { $0.destination == InetPrefix("10.61.0.0/24") }?.type, .blackhole)

        // Next hops resolve over the connected route, not over routes BGP installed.
        let table = NextHopTable(routes: routes)
        XCTAssertEqual(table.resolve(IPAddress("10.50.0.7")!)?.igpMetric, 0)
        XCTAssertNil(table.resolve(IPAddress("10.60.0.1")!))

        try fib.remove(Prefix("10.60.0.0/24")!)
        try fib.remove(Prefix("10.60.0.0/24")!)  // removing twice is not an error
        XCTAssertEqual(try bgpRoutes(ns).count, 3)
        try fib.flushAll()
        XCTAssertEqual(try bgpRoutes(ns).count, 0)
        XCTAssertNotNil(try NetlinkRoutes(namespace: ns).routes().first { $0.prefix == Prefix("10.50.0.0/24") && $0.origin == .connected })
    }

    func testDaemonsInNamespacesInstallLearntRoutesAndFlushOnShutdown() throws {
        let a = try namespace("a"), b = try namespace("b")
        let nla = try a.netlink(), nlb = try b.netlink()
        try nla.createVeth("va", peer: "vb", peerNamespace: b)
        try nla.addAddress(InetAddress("10.77.0.1")!, prefixLength: 30, to: "va")
        try nlb.addAddress(InetAddress("10.77.0.2")!, prefixLength: 30, to: "vb")
        try nla.setLinkUp("va"); try nlb.setLinkUp("vb")
        // B has a static route to redistribute.
        try nlb.addRoute(.via(InetPrefix("10.90.0.0/24")!, InetAddress("10.77.0.1")!))

        // Default dual-stack listener ("::"), MD5 on both sides, and A passive: B's IPv4 connection must be
        // accepted by A's IPv6 socket with the key set for the IPv4-mapped peer address.
        func config(_ asn: UInt32, _ id: String, peer: String, peerAS: UInt32, passive: Bool) -> BgpdConfig {
            var c = BgpdConfig(speaker: SpeakerConfig(asn: asn, routerID: IPv4Address(id)!), installRoutes: true)
            var p = PeerConfig(address: IPAddress(peer)!, remoteAS: peerAS)
            p.connectRetryTime = 1
            p.password = "ns-secret"
            p.passive = passive
            c.peers = [p]
            return c
        }
        var cb = config(65102, "10.0.0.2", peer: "10.77.0.1", peerAS: 65101, passive: false)
        cb.networks = [.init(prefix: Prefix("10.88.0.0/24")!), .init(prefix: Prefix("10.89.0.0/24")!, blackhole: true)]
        cb.redistribute = [.static, .connected]
        let da = try SpeakerDaemon(config: config(65101, "10.0.0.1", peer: "10.77.0.2", peerAS: 65102, passive: true), namespace: a)
        let db = try SpeakerDaemon(config: cb, namespace: b)
        daemons = [da, db]
        try da.start(); try db.start()

        func waitForRoutes(_ ns: NetworkNamespace, count: Int) throws -> [Route] {
            let deadline = Date().addingTimeInterval(20)
            var routes = try bgpRoutes(ns)
            while routes.count < count && Date() < deadline { usleep(100_000); routes = try bgpRoutes(ns) }
            return routes
        }
        let learnt = try waitForRoutes(a, count: 4)
        XCTAssertEqual(da.status().peers.first?.state, .established, da.status().peers.first?.lastError ?? "-")
        let byPrefix = Dictionary(learnt.map { ($0.destination.description, $0) }, uniquingKeysWith: { x, _ in x })
        XCTAssertEqual(byPrefix["10.88.0.0/24"]?.nextHops.first?.gateway, InetAddress("10.77.0.2"))
        XCTAssertEqual(byPrefix["10.89.0.0/24"]?.nextHops.first?.gateway, InetAddress("10.77.0.2"))
        XCTAssertNotNil(byPrefix["10.90.0.0/24"], "redistributed static route: \(learnt)")
        // B's connected subnet, redistributed; A installs it beside its own connected route (metric 20 vs 0).
        XCTAssertEqual(byPrefix["10.77.0.0/30"]?.metric, NetlinkFIB.metric, "redistributed connected route: \(learnt)")
        XCTAssertEqual(byPrefix.count, 4, "\(learnt)")
        // B holds its own blackhole network as a blackhole route.
        let own = try waitForRoutes(b, count: 1)
        XCTAssertTrue(own.contains { $0.destination == InetPrefix("10.89.0.0/24") && $0.type == .blackhole }, "\(own)")

        da.shutdown()
        XCTAssertEqual(try bgpRoutes(a).count, 0)
    }
}
