import XCTest
import BGPWire
import BGPSpeaker
@testable import BGPDaemon

final class BgpdConfigTests: XCTestCase {
    let full = """
    router-id: 10.0.0.1
    asn: 65001
    listen: {address: "::", port: 1179}
    control-socket: /tmp/x/bgpd.sock
    install-routes: true
    cluster-id: 10.0.0.1
    compare-med-across-as: true
    max-paths: 4
    log: /tmp/x/bgpd.log
    peers:
      - address: 10.0.0.2
        remote-as: 65002
        description: leaf01
        port: 179
        source-address: 10.0.0.1
        passive: true
        ebgp-multihop: 2
        password: secret
        hold-time: 30
        keepalive: 10
        connect-retry: 3
        route-reflector-client: true
        next-hop-self: true
        keep-next-hop: false
        allow-own-as: 1
        families: [ipv4-unicast, ipv6-unicast]
        graceful-restart: 120
      - {address: "fd00::2", remote-as: 4200000001}
    networks:
      - 10.1.0.0/24
      - {prefix: 10.2.0.0/26, blackhole: true}
    redistribute: [connected, static]
    """

    func testFullExampleParses() throws {
        let c = try BgpdConfig.parse(full, file: "full.yaml")
        XCTAssertEqual(c.speaker.asn, 65001)
        XCTAssertEqual(c.speaker.routerID, IPv4Address("10.0.0.1"))
        XCTAssertEqual(c.speaker.clusterID, IPv4Address("10.0.0.1"))
        XCTAssertTrue(c.speaker.compareMEDAcrossAS)
        XCTAssertEqual(c.speaker.maxPaths, 4)
        XCTAssertEqual(c.listenAddress, IPAddress("::"))
        XCTAssertEqual(c.listenPort, 1179)
        XCTAssertEqual(c.controlSocket, "/tmp/x/bgpd.sock")
        XCTAssertTrue(c.installRoutes)
        XCTAssertEqual(c.logPath, "/tmp/x/bgpd.log")
        XCTAssertEqual(c.peers.count, 2)
        let p = c.peers[0]
        XCTAssertEqual(p.address, IPAddress("10.0.0.2"))
        XCTAssertEqual(p.remoteAS, 65002)
        XCTAssertEqual(p.description, "leaf01")
        XCTAssertEqual(p.sourceAddress, IPAddress("10.0.0.1"))
        XCTAssertTrue(p.passive)
        XCTAssertEqual(p.ebgpMultihop, 2)
        XCTAssertEqual(p.password, "secret")
        XCTAssertEqual(p.holdTime, 30)
        XCTAssertEqual(p.keepaliveTime, 10)
        XCTAssertEqual(p.connectRetryTime, 3)
        XCTAssertTrue(p.routeReflectorClient)
        XCTAssertTrue(p.nextHopSelf)
        XCTAssertEqual(p.allowOwnAS, 1)
        XCTAssertEqual(p.families, [.ipv4Unicast, .ipv6Unicast])
        XCTAssertEqual(p.gracefulRestartTime, 120)
        XCTAssertEqual(c.peers[1].remoteAS, 4_200_000_001)
        XCTAssertEqual(c.peers[1].families, [.ipv4Unicast])
        XCTAssertEqual(c.networks, [.init(prefix: Prefix("10.1.0.0/24")!), .init(prefix: Prefix("10.2.0.0/26")!, blackhole: true)])
        XCTAssertEqual(c.redistribute, [.connected, .static])
    }

    func testDefaults() throws {
        let c = try BgpdConfig.parse("router-id: 1.1.1.1\nasn: 1\n")
        XCTAssertEqual(c.listenAddress, IPAddress("::"))
        XCTAssertEqual(c.listenPort, 179)
        XCTAssertFalse(c.installRoutes)
        XCTAssertTrue(c.peers.isEmpty)
        XCTAssertNil(try BgpdConfig.parse("router-id: 1.1.1.1\nasn: 1\nlisten: {port: 0}\n").listenPort)
    }

    func error(_ yaml: String) -> String {
        do { _ = try BgpdConfig.parse(yaml, file: "bgpd.yaml"); return "no error" } catch { return "\(error)" }
    }

    func testUnknownTopLevelKeyIsNamed() {
        let e = error("router-id: 1.1.1.1\nasn: 1\nrouterid: 2.2.2.2\n")
        XCTAssertTrue(e.hasPrefix("bgpd.yaml: routerid (line 3): unknown key 'routerid'"), e)
    }

    func testUnknownPeerKeyIsNamedWithItsPath() {
        let e = error("router-id: 1.1.1.1\nasn: 1\npeers:\n  - {address: 10.0.0.2, remote-as: 2, hold: 9}\n")
        XCTAssertTrue(e.contains("peers[0].hold"), e)
        XCTAssertTrue(e.contains("unknown key 'hold'"), e)
    }

    func testBadValuesAreRejected() {
        XCTAssertTrue(error("router-id: 1.1.1\nasn: 1\n").contains("router-id"))
        XCTAssertTrue(error("router-id: 1.1.1.1\nasn: -5\n").contains("asn"))
        XCTAssertTrue(error("asn: 1\n").contains("router-id"))
        XCTAssertTrue(error("router-id: 1.1.1.1\nasn: 1\npeers:\n  - {address: 10.0.0.2, remote-as: 2, hold-time: 2}\n").contains("hold-time"))
        XCTAssertTrue(error("router-id: 1.1.1.1\nasn: 1\npeers:\n  - {address: 10.0.0.2, remote-as: 2, families: [l2vpn]}\n").contains("unknown family 'l2vpn'"))
        XCTAssertTrue(error("router-id: 1.1.1.1\nasn: 1\nnetworks: [10.0.0.0/33]\n").contains("networks[0]"))
        XCTAssertTrue(error("router-id: 1.1.1.1\nasn: 1\nredistribute: [ospf]\n").contains("unknown source 'ospf'"))
        XCTAssertTrue(error("router-id: 1.1.1.1\nasn: 1\npeers:\n  - {address: 10.0.0.2, remote-as: 2}\n  - {address: 10.0.0.2, remote-as: 3}\n")
            .contains("configured twice"))
        XCTAssertTrue(error("router-id: 1.1.1.1\nasn: 1\ninstall-routes: maybe\n").contains("install-routes"))
    }

    func testPeerFromJSON() throws {
        let p = try BgpdConfig.parsePeer(#"{"address":"10.0.0.9","remote-as":65009,"passive":true}"#, file: "add-peer")
        XCTAssertEqual(p.address, IPAddress("10.0.0.9"))
        XCTAssertTrue(p.passive)
        XCTAssertThrowsError(try BgpdConfig.parsePeer(#"{"address":"10.0.0.9","remote-as":1,"colour":"red"}"#, file: "add-peer"))
    }
}

final class NextHopTableTests: XCTestCase {
    func route(_ p: String, via gateways: [String] = [], _ origin: KernelRoute.Origin = .connected, metric: UInt32 = 0) -> KernelRoute {
        KernelRoute(prefix: Prefix(p)!, gateways: gateways.map { IPAddress($0)! }, origin: origin, metric: metric)
    }

    func testConnectedStaticAndRecursive() {
        let table = NextHopTable(routes: [
            route("10.0.0.0/30"),
            route("192.168.0.0/16", via: ["10.0.0.2"], .staticRoute, metric: 20),
            route("172.16.0.0/24", via: ["192.168.1.1"], .staticRoute, metric: 5),
            route("203.0.113.0/24", via: ["10.0.0.2"], .bgp),
        ])
        XCTAssertEqual(table.resolve(IPAddress("10.0.0.2")!)?.igpMetric, 0)
        XCTAssertEqual(table.resolve(IPAddress("192.168.5.5")!)?.igpMetric, 20)
        XCTAssertEqual(table.resolve(IPAddress("172.16.0.9")!)?.igpMetric, 25)
        // Routes BGP installed never resolve a BGP next hop.
        XCTAssertNil(table.resolve(IPAddress("203.0.113.1")!))
        XCTAssertNil(table.resolve(IPAddress("8.8.8.8")!))
        XCTAssertNil(table.resolve(IPAddress("fd00::1")!))
    }

    func testLongestMatchWinsAndLoopsEnd() {
        let table = NextHopTable(routes: [
            route("10.0.0.0/8", via: ["10.9.9.9"], .staticRoute),
            route("10.1.0.0/16"),
        ])
        XCTAssertEqual(table.resolve(IPAddress("10.1.2.3")!)?.igpMetric, 0)
        // 10.2.0.1 → via 10.9.9.9 → via 10.9.9.9 …: a loop, so unreachable.
        XCTAssertNil(table.resolve(IPAddress("10.2.0.1")!))
    }

    func testRedistributionPrefixes() {
        let table = NextHopTable(routes: [route("10.0.0.0/30"), route("fe80::/64"), route("192.168.0.0/16", via: ["10.0.0.2"], .staticRoute)])
        XCTAssertEqual(table.connectedPrefixes, [Prefix("10.0.0.0/30")!])
        XCTAssertEqual(table.staticPrefixes, [Prefix("192.168.0.0/16")!])
    }
}
