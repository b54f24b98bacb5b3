import XCTest
import BGPWire
import BGPSpeaker
import Device
@testable import BGPDaemon
@testable import Quagga

/// The Quagga displays against the layouts of vendor-cli.md §C, from plain state values (no speaker).
final class QuaggaRenderTests: XCTestCase {
    static func v4(_ s: String) -> IPv4Address { IPv4Address(s)! }
    static func prefix(_ s: String) -> Prefix { Prefix(s)! }

    static func local(_ p: String, since: UInt32 = 0) -> RIBEntry {
        RIBEntry(prefix: prefix(p), attributes: PathAttributes(origin: .igp), nextHop: .v4(.zero), source: .local(.network),
                 isBest: true, since: since)
    }

    static func learned(_ p: String, from peer: String, path: [UInt32], external: Bool = true, best: Bool = false,
                        multipath: Bool = false, med: UInt32? = 0, localPref: UInt32? = nil, since: UInt32 = 0) -> RIBEntry {
        RIBEntry(prefix: prefix(p), attributes: PathAttributes(origin: .igp, asPath: ASPath(sequence: path), med: med, localPref: localPref),
                 nextHop: .v4(v4(peer)), source: .peer(.v4(v4(peer)), routerID: v4(peer), external: external),
                 isBest: best, isMultipath: multipath, since: since)
    }

    // MARK: Uptime

    func testUptimeFormats() {
        XCTAssertEqual(Uptime.format(0), "never")
        XCTAssertEqual(Uptime.format(323), "00:05:23")
        XCTAssertEqual(Uptime.format(86_399), "23:59:59")
        XCTAssertEqual(Uptime.format(86_400 + 2 * 3600 + 3 * 60), "1d02h03m")
        XCTAssertEqual(Uptime.format(9 * 86_400 + 3 * 3600), "01w2d03h")
        XCTAssertEqual(Uptime.format(10 * 86_400 + 19 * 3600 + 59 * 60), "01w3d19h")
        XCTAssertEqual(Uptime.format(365 * 86_400 + 14 * 86_400 + 3 * 86_400), "01y02w3d")
        XCTAssertEqual(Uptime.age(0), "00:00:00")
    }

    // MARK: show ip bgp summary

    func testSummaryEstablishedAndActive() {
        let up = BGPPeerSummary(address: Self.v4("192.168.1.1"), remoteAS: 65111, state: .established,
                                upDownSeconds: 10 * 86_400 + 19 * 3600, messagesIn: 17758, messagesOut: 17788, prefixesReceived: 2)
        let down = BGPPeerSummary(address: Self.v4("192.168.2.3"), remoteAS: 65333, state: .active,
                                  upDownSeconds: 12 * 86_400 + 3 * 3600, messagesIn: 70, messagesOut: 80, lastError: "Hold Timer Expired")
        let entries = (1...7).map { Self.local("10.\($0).0.0/24") }
        let state = BGPState(routerID: Self.v4("10.2.2.2"), asn: 65222, peers: [up, down], entries: entries)
        XCTAssertEqual(SummaryView.render(state), [
            "BGP router identifier 10.2.2.2, local AS number 65222",
            "RIB entries 7, using 784 bytes of memory",
            "Peers 2, using 17 KiB of memory",
            "",
            "Neighbor        V         AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd",
            "192.168.1.1     4 65111   17758   17788        0    0    0 01w3d19h        2",
            "192.168.2.3     4 65333      70      80        0    0    0 01w5d03h Active     ",
            "",
            "Total number of neighbors 2",
            "",
            "Total num. Established sessions 1",
            "Total num. of routes received     2",
        ])
    }

    func testSummaryStatesOfPeersNotEstablished() {
        let peers = [
            BGPPeerSummary(address: Self.v4("172.31.13.27"), remoteAS: 64512, state: .idle, upDownSeconds: 40),
            BGPPeerSummary(address: Self.v4("172.31.13.28"), remoteAS: 64512, state: .connect, upDownSeconds: 3),
            BGPPeerSummary(address: Self.v4("172.31.13.29"), remoteAS: 64512, state: .openSent, upDownSeconds: 3,
                           lastError: "Connection reset"),
            BGPPeerSummary(address: Self.v4("172.31.13.30"), remoteAS: 64512, state: .idle, upDownSeconds: 93_780),
        ]
        let state = BGPState(routerID: Self.v4("172.31.13.116"), asn: 7675, peers: peers, entries: [])
        let rows = Array(SummaryView.render(state, adminDown: [Self.v4("172.31.13.30")])[5...8])
        XCTAssertEqual(rows, [
            "172.31.13.27    4 64512       0       0        0    0    0    never Idle       ",
            "172.31.13.28    4 64512       0       0        0    0    0    never Connect    ",
            "172.31.13.29    4 64512       0       0        0    0    0 00:00:03 OpenSent   ",
            "172.31.13.30    4 64512       0       0        0    0    0    never Idle (Admin)",
        ])
        XCTAssertEqual(SummaryView.render(state)[1], "RIB entries 0, using 0 bytes of memory")
        let justUp = BGPPeerSummary(address: Self.v4("172.31.13.27"), remoteAS: 64512, state: .established, upDownSeconds: 0)
        XCTAssertEqual(SummaryView.row(justUp, adminDown: false),
                       ["172.31.13.27    4 64512       0       0        0    0    0 00:00:00        0"])
        XCTAssertEqual(SummaryView.render(state)[2], "Peers 4, using 34 KiB of memory")
    }

    func testSummaryWithoutNeighbors() {
        let state = BGPState(routerID: Self.v4("10.0.0.1"), asn: 65001, peers: [], entries: [Self.local("10.1.0.0/24")])
        XCTAssertEqual(SummaryView.render(state), ["No IPv4 neighbor is configured"])
    }

    func testMemoryStrings() {
        XCTAssertEqual(SummaryView.memory(8704), "8704 bytes")
        XCTAssertEqual(SummaryView.memory(11 * 1024), "11 KiB")
        XCTAssertEqual(SummaryView.memory(11 * 1024 + 600), "12 KiB")
        XCTAssertEqual(SummaryView.memory(12 << 20), "12 MiB")
    }

    // MARK: show ip bgp

    func testTableRowsMatchTheSpecExample() {
        let entries = [
            Self.local("10.1.0.0/24"),
            Self.learned("10.233.64.0/26", from: "172.20.0.11", path: [65002], best: true),
            Self.learned("10.233.64.0/26", from: "172.20.0.12", path: [65003]),
            Self.learned("192.168.1.0/24", from: "10.0.0.3", path: [], external: false, best: true, localPref: 100),
        ]
        let state = BGPState(routerID: Self.v4("10.0.0.1"), asn: 65001, peers: [], entries: entries)
        XCTAssertEqual(BGPTableView.render(state), [
            "BGP table version is 0, local router ID is 10.0.0.1",
            "Status codes: s suppressed, d damped, h history, * valid, > best, = multipath,",
            "              i internal, r RIB-failure, S Stale, R Removed",
            "Origin codes: i - IGP, e - EGP, ? - incomplete",
            "",
            "   Network          Next Hop            Metric LocPrf Weight Path",
            "*> 10.1.0.0/24      0.0.0.0                  0         32768 i",
            "*> 10.233.64.0/26   172.20.0.11              0             0 65002 i",
            "*                   172.20.0.12              0             0 65003 i",
            "*>i192.168.1.0      10.0.0.3                 0    100      0 i",
            "",
            "Displayed  3 out of 4 total prefixes",
        ])
    }

    func testTableMultipathStaleNoMedLongPrefixAndNaturalMasks() {
        var stale = Self.learned("172.16.0.0/16", from: "172.20.0.12", path: [65003, 65010], med: nil)
        stale.isStale = true
        let entries = [
            Self.learned("10.0.0.0/8", from: "172.20.0.11", path: [65002], best: true, med: nil),
            Self.learned("10.0.0.0/8", from: "172.20.0.12", path: [65003], multipath: true, med: nil),
            stale,
            Self.learned("192.168.100.128/25", from: "172.20.0.11", path: [65002], best: true, med: 5),
        ]
        let rows = Array(BGPTableView.render(BGPState(routerID: Self.v4("10.0.0.1"), asn: 65001, peers: [], entries: entries))[6...])
        XCTAssertEqual(rows, [
            "*> 10.0.0.0         172.20.0.11                            0 65002 i",
            "*=                  172.20.0.12                            0 65003 i",
            "S  172.16.0.0       172.20.0.12                            0 65003 65010 i",
            "*> 192.168.100.128/25",
            "                    172.20.0.11              5             0 65002 i",
            "",
            "Displayed  3 out of 4 total prefixes",
        ])
    }

    func testRoutesFromOnePeerAndAdvertisedRoutes() {
        let entries = [
            Self.local("10.1.0.0/24"),
            Self.learned("10.233.64.0/26", from: "172.20.0.11", path: [65002], best: true),
            Self.learned("10.233.64.0/26", from: "172.20.0.12", path: [65003]),
        ]
        let state = BGPState(routerID: Self.v4("10.0.0.1"), asn: 65001, peers: [], entries: entries)
        XCTAssertEqual(Array(BGPTableView.render(state, from: .v4(Self.v4("172.20.0.12")))[6...]), [
            "*  10.233.64.0/26   172.20.0.12              0             0 65003 i",
            "",
            "Displayed  1 out of 3 total prefixes",
        ])
        var out = Self.learned("10.1.0.0/24", from: "10.0.0.1", path: [65001], med: nil)
        out.source = .local(.network)
        XCTAssertEqual(Array(BGPTableView.advertised(Self.v4("10.0.0.1"), [out])[5...]), [
            "   Network          Next Hop            Metric LocPrf Weight Path",
            "*> 10.1.0.0/24      10.0.0.1                 0         32768 65001 i",
            "",
            "Total number of prefixes 1",
        ])
        XCTAssertEqual(BGPTableView.advertised(Self.v4("10.0.0.1"), []), [])
    }

    func testEmptyTable() {
        let lines = BGPTableView.render(BGPState(routerID: Self.v4("10.0.0.1"), asn: 65001, peers: [], entries: []))
        XCTAssertEqual(lines.last, "No BGP prefixes displayed, 0 exist")
        XCTAssertEqual(lines.count, 5)
    }

    // MARK: show ip bgp <prefix>

    func testPrefixDetail() {
        let now = Date(timeIntervalSince1970: 1_714_564_800)  // Wed May  1 12:00:00 2024 UTC
        let entries = [
            Self.learned("10.233.64.0/26", from: "172.20.0.11", path: [65002], best: true, since: 1000),
            Self.learned("10.233.64.0/26", from: "172.20.0.12", path: [65003], since: 940),
        ]
        let p = Self.prefix("10.233.64.0/26")
        let state = BGPState(routerID: Self.v4("10.0.0.1"), asn: 65001, peers: [], entries: entries, clock: 1000,
                             advertisedTo: [p: [.v4(Self.v4("10.0.0.3"))]])
        XCTAssertEqual(BGPTableView.detail(state, prefix: p, now: now), [
            "BGP routing table entry for 10.233.64.0/26",
            "Paths: (2 available, best #1, table Default-IP-Routing-Table)",
            "  Advertised to non peer-group peers:",
            "  10.0.0.3",
            "  65002",
            "    172.20.0.11 from 172.20.0.11 (172.20.0.11)",
            "      Origin IGP, metric 0, localpref 100, valid, external, best",
            "      Last update: Wed May  1 12:00:00 2024",
            "",
            "  65003",
            "    172.20.0.12 from 172.20.0.12 (172.20.0.12)",
            "      Origin IGP, metric 0, localpref 100, valid, external",
            "      Last update: Wed May  1 11:59:00 2024",
            "",
        ])
        XCTAssertEqual(BGPTableView.detail(state, prefix: Self.prefix("10.9.9.0/24"), now: now), ["% Network not in table"])
    }

    func testLocalAndReflectedPathDetail() {
        var reflected = Self.learned("10.233.65.0/26", from: "10.0.0.3", path: [], external: false, localPref: 100)
        reflected.attributes.originatorID = Self.v4("10.0.0.9")
        reflected.attributes.clusterList = [Self.v4("10.0.0.3")]
        let entries = [Self.local("10.233.65.0/26"), reflected]
        let p = Self.prefix("10.233.65.0/26")
        let lines = BGPTableView.detail(BGPState(routerID: Self.v4("10.0.0.1"), asn: 65001, peers: [], entries: entries),
                                        prefix: p, now: Date(timeIntervalSince1970: 0))
        XCTAssertEqual(lines[2], "  Not advertised to any peer")
        XCTAssertEqual(Array(lines[3...5]), [
            "  Local",
            "    0.0.0.0 from 0.0.0.0 (10.0.0.1)",
            "      Origin IGP, metric 0, localpref 100, weight 32768, valid, sourced, local, best",
        ])
        XCTAssertEqual(lines[10], "      Origin IGP, metric 0, localpref 100, valid, internal")
        XCTAssertEqual(lines[11], "      Originator: 10.0.0.9, Cluster list: 10.0.0.3 ")
    }

    // MARK: show ip bgp neighbors

    func testNeighborsEstablishedAndDown() {
        var settings = BGPInstance(asn: 7675)
        var rr = BGPPeerSettings(address: Self.v4("172.31.13.27"), remoteAS: 64512, ipv4Enabled: true)
        rr.description = "k8s-1"
        rr.ebgpMaxHop = 2
        rr.reflectClient = true
        settings.peers = [rr]
        let negotiation = Negotiation(holdTime: 90, keepaliveTime: 30, remoteAS: 64512, remoteRouterID: Self.v4("172.31.13.27"),
                                      fourOctetAS: true, families: [.ipv4Unicast], peerGracefulRestart: nil, routeRefresh: true)
        let session = BgpdStatus.Session(localAddress: .v4(Self.v4("172.31.13.116")), localPort: 179, remotePort: 40123,
                                         negotiation: negotiation)
        let up = BGPPeerSummary(address: Self.v4("172.31.13.27"), remoteAS: 64512, state: .established, upDownSeconds: 3723,
                                messagesIn: 12, messagesOut: 14, prefixesReceived: 3, description: "k8s-1", session: session)
        let down = BGPPeerSummary(address: Self.v4("172.31.13.28"), remoteAS: 7675, state: .active, upDownSeconds: 5)
        let state = BGPState(routerID: Self.v4("172.31.13.116"), asn: 7675, peers: [up, down], entries: [])
        let one = NeighborView.render(state, config: settings, only: Self.v4("172.31.13.27"))
        XCTAssertEqual(Array(one[0...4]), [
            "BGP neighbor is 172.31.13.27, remote AS 64512, local AS 7675, external link",
            " Description: k8s-1",
            "  BGP version 4, remote router ID 172.31.13.27",
            "  BGP state = Established, up for 01:02:03",
            "  Last read 00:00:00, hold time is 90, keepalive interval is 30 seconds",
        ])
        XCTAssertTrue(one.contains("    Total:                 14         12"))
        XCTAssertTrue(one.contains("  Route-Reflector Client"))
        XCTAssertTrue(one.contains("  3 accepted prefixes"))
        XCTAssertTrue(one.contains("  External BGP neighbor may be up to 2 hops away."))
        XCTAssertTrue(one.contains("Local host: 172.31.13.116, Local port: 179"))
        XCTAssertTrue(one.contains("Foreign host: 172.31.13.27, Foreign port: 40123"))
        let other = NeighborView.render(state, config: settings, only: Self.v4("172.31.13.28"))
        XCTAssertEqual(other[0], "BGP neighbor is 172.31.13.28, remote AS 7675, local AS 7675, internal link")
        XCTAssertEqual(other[2], "  BGP state = Active")
        XCTAssertFalse(other.contains { $0.hasPrefix("Local host") })
        XCTAssertEqual(NeighborView.render(state, config: settings, only: Self.v4("9.9.9.9")), ["% No such neighbor or address family"])
        XCTAssertEqual(NeighborView.render(state, config: settings).filter { $0.hasPrefix("BGP neighbor is") }.count, 2)
    }

    // MARK: show ip route

    func testRouteTableWithECMPStaticAndConnected() {
        let p = { (s: String) in IPv4Prefix(s)! }
        let bgp = ZebraRoute.bgp([
            Self.learned("10.233.64.0/26", from: "172.20.0.11", path: [65002], best: true, med: nil, since: 38),
            Self.learned("10.233.64.0/26", from: "172.20.0.12", path: [65003], multipath: true, med: nil, since: 38),
            Self.learned("10.233.64.0/26", from: "172.20.0.13", path: [65004, 65005], med: nil, since: 38),
            Self.learned("10.0.0.0/8", from: "10.0.0.3", path: [], external: false, best: true, since: 100),
            Self.local("10.1.0.0/24"),
        ], clock: 100, interface: { _ in "eth0" })
        let routes = ZebraRoute.selecting(bgp + [
            ZebraRoute(kind: .connected, prefix: p("172.20.0.0/16"), nextHops: [.connected("eth0")]),
            ZebraRoute(kind: .staticRoute, prefix: p("10.0.0.0/8"), nextHops: [.blackhole], distance: 1),
            ZebraRoute(kind: .staticRoute, prefix: p("0.0.0.0/0"), nextHops: [.gateway(Self.v4("172.20.0.1"), interface: "eth0")], distance: 1),
        ])
        XCTAssertEqual(RouteView.render(routes), [
            "Codes: K - kernel route, C - connected, S - static, R - RIP,",
            "       O - OSPF, I - IS-IS, B - BGP, P - PIM, A - Babel, N - NHRP,",
            "       > - selected route, * - FIB route",
            "",
            "S>* 0.0.0.0/0 [1/0] via 172.20.0.1, eth0",
            "S>* 10.0.0.0/8 [1/0] is directly connected, Null0",
            "B   10.0.0.0/8 [200/0] via 10.0.0.3, eth0, 00:00:00",
            "B>* 10.233.64.0/26 [20/0] via 172.20.0.11, eth0, 00:01:02",
            "  *                       via 172.20.0.12, eth0, 00:01:02",
            "C>* 172.20.0.0/16 is directly connected, eth0",
        ])
    }
}
