import XCTest
import BGPWire
import BGPSpeaker
import BGPDaemon
import Device
@testable import HuaweiVRP
@testable import H3CComware
@testable import Quagga

/// VRP and Comware displays against spec §A/§B/§D: peers in every state short of Established, uptimes of days
/// and weeks, the detail views, `display version` and `display vlan`.
final class DisplayLayoutTests: XCTestCase {
    static func peer(_ last: Int, _ state: SessionState, _ seconds: Int, prefixes: Int = 0, asn: UInt32 = 64512) -> BGPPeerSummary {
        BGPPeerSummary(address: IPv4Address("10.2.98.\(last)")!, remoteAS: asn, state: state, upDownSeconds: seconds,
                       messagesIn: state == .established ? 1000 + last : 0, messagesOut: state == .established ? 2000 + last : 0,
                       prefixesReceived: prefixes)
    }

    static let day = 86_400, week = 7 * 86_400

    /// §A.4 (VRP8 widths) and §D: State right-aligned ending at column 75, Up/Down `HH:MM:SS` under a day and
    /// `%04dh%02dm` from a day on; PrefRcv 0 unless Established.
    func testVRPPeerTableEveryStateAndLongUptimes() {
        let peers = [
            Self.peer(141, .idle, 40, prefixes: 7),
            Self.peer(142, .connect, 3),
            Self.peer(143, .active, 2 * Self.day + 5 * 3600 + 7 * 60),
            Self.peer(144, .openSent, 1),
            Self.peer(145, .openConfirm, 1),
            Self.peer(146, .established, 3 * Self.week + 2 * Self.day + 4 * 3600 + 9 * 60 + 59, prefixes: 12),
            Self.peer(147, .established, 23 * 3600 + 59 * 60 + 59, prefixes: 3),
        ]
        let out = VRPDisplay.bgpPeers(routerID: IPv4Address("10.2.0.2")!, asn: 65001, peers: peers)
        XCTAssertEqual(out[3], " Total number of peers : 7                 Peers in established state : 2")
        let rows = out.filter { $0.hasPrefix("  10.2.98.") }
        XCTAssertEqual(rows.count, 7)
        XCTAssertEqual(rows.map { $0.field(64, 76).trimmed }, ["Idle", "Connect", "Active", "OpenSent", "OpenConfirm", "Established", "Established"])
        XCTAssertEqual(rows.map { $0.field(56, 64) }, ["00:00:40", "00:00:03", "0053h07m", "00:00:01", "00:00:01", "0556h09m", "23:59:59"])
        XCTAssertEqual(rows.map { $0.field(76, 85).trimmed }, ["0", "0", "0", "0", "0", "12", "3"])
        for row in rows { XCTAssertEqual(row.count, 85, row) }
        XCTAssertEqual(rows[0], "  10.2.98.141     4       64512        0        0     0 00:00:40        Idle        0")
    }

    /// §B.4 and §D: Comware keeps `HH:MM:SS` past a day (seed 001's `24:01:03`) and uses `%04uh%02um` from
    /// 100 hours; State starts at column 69.
    func testComwarePeerTableEveryStateAndLongUptimes() {
        let peers = [
            Self.peer(141, .idle, 40, prefixes: 7),
            Self.peer(142, .connect, 129 * 3600 + 15 * 60),
            Self.peer(143, .active, 5),
            Self.peer(144, .openSent, 2),
            Self.peer(146, .established, 2 * Self.week + 3600, prefixes: 12),
        ]
        let out = ComwareDisplay.bgpPeers(routerID: IPv4Address("2.2.2.2")!, asn: 65009, peers: peers)
        let rows = out.filter { $0.hasPrefix("  10.2.98.") }
        XCTAssertEqual(rows.map { $0.field(69, 80) }, ["Idle", "Connect", "Active", "OpenSent", "Established"])
        XCTAssertEqual(rows.map { $0.field(60, 68) }, ["00:00:40", "0129h15m", "00:00:05", "00:00:02", "0337h00m"])
        XCTAssertEqual(rows.map { $0.field(51, 59).trimmed }, ["0", "0", "0", "0", "12"])
        XCTAssertEqual(rows[1], "  10.2.98.142          64512        0        0    0       0 0129h15m Connect")
    }

    func testVRPVerboseUpTimeRollsOverToDays() {
        XCTAssertEqual(VRPDisplay.duration(3665), "01h01m05s")
        XCTAssertEqual(VRPDisplay.duration(86_399), "23h59m59s")
        XCTAssertEqual(VRPDisplay.duration(14 * 86_400 + 18 * 3600 + 32 * 60 + 10), "14d18h32m10s")
        let long = VRPDisplay.bgpPeerVerbose(Self.peer(146, .established, 3 * Self.week + 5), localAS: 65001, settings: nil)
        XCTAssertTrue(long.contains(" BGP current state: Established, Up for 21d00h00m05s"), "\(long)")
        XCTAssertTrue(long.contains(" BGP last state: OpenConfirm"))
        XCTAssertTrue(long.contains(" Received: Total 1146 messages"))
        XCTAssertTrue(long.contains(" Sent: Total 2146 messages"))
        for state in [SessionState.idle, .connect, .active, .openSent] {
            let out = VRPDisplay.bgpPeerVerbose(Self.peer(141, state, 9), localAS: 65001, settings: nil)
            XCTAssertTrue(out.contains(" BGP current state: \(state.rawValue)"), "\(out)")
            XCTAssertFalse(out.contains { $0.hasPrefix(" BGP last state") || $0.hasPrefix(" Port:") })
        }
    }

    func testVRPVerboseShowsTheNegotiatedSession() {
        var p = Self.peer(146, .established, 59)
        let n = Negotiation(holdTime: 90, keepaliveTime: 30, remoteAS: 64512, remoteRouterID: IPv4Address("10.2.98.146")!, fourOctetAS: true,
                            families: [.ipv4Unicast], peerGracefulRestart: nil, routeRefresh: true)
        p.session = BgpdStatus.Session(localAddress: .v4(IPv4Address("10.2.98.1")!), localPort: 179, remotePort: 40123, negotiation: n)
        let out = VRPDisplay.bgpPeerVerbose(p, localAS: 65001, settings: nil)
        XCTAssertTrue(out.contains(" BGP version 4, Remote router ID 10.2.98.146"))
        XCTAssertTrue(out.contains(" Port: Local - 179        Remote - 40123"))
        XCTAssertTrue(out.contains(" Negotiated: Active Hold Time: 90 sec   Keepalive Time:30 sec"))
        XCTAssertTrue(out.contains("  Peer supports bgp 4-byte-as capability"))
        XCTAssertTrue(out.contains("  Address family IPv4 Unicast: advertised and received"))
        let comware = ComwareDisplay.bgpPeerVerbose(p, localAS: 65001, routerID: IPv4Address("10.2.0.2")!, enabled: true)
        XCTAssertTrue(comware.contains("        Negotiated: Active Hold Time: 90 sec   Keepalive Time: 30 sec"))
        XCTAssertTrue(comware.contains("        Peer supports BGP route AS4 capability"))
        XCTAssertTrue(comware.contains("        BGP current state: Established, Up for 00h00m59s"))
        let table = comware.firstIndex(of: " Msg type     Last rcvd time/      Current rcvd count/      History rcvd count/")
        XCTAssertNotNil(table)
        XCTAssertEqual(comware[table! + 2], " Total        -                    1146                     1146")
        XCTAssertEqual(comware[table! + 3], "              -                    2146                     2146")
    }

    /// §A.6 detail: an EBGP route names its direct out-interface, an IBGP one its relay next hop and interface.
    func testVRPRouteDetailOutInterfaces() {
        var a = PathAttributes()
        a.origin = .igp
        a.asPath = ASPath(sequence: [64512])
        let ebgp = IPv4Address("10.2.98.141")!, ibgp = IPv4Address("10.9.9.9")!
        let routes = [
            RIBEntry(prefix: Prefix("172.30.9.64/26")!, attributes: a, nextHop: .v4(ebgp),
                     source: .peer(.v4(ebgp), routerID: ebgp, external: true), isBest: true),
            RIBEntry(prefix: Prefix("172.30.9.64/26")!, attributes: a, nextHop: .v4(ibgp),
                     source: .peer(.v4(ibgp), routerID: ibgp, external: false)),
        ]
        let out = VRPDisplay.bgpRoute(IPv4Prefix("172.30.9.64/26")!, routerID: IPv4Address("10.2.0.2")!, asn: 65001, routes: routes,
                                      advertisedTo: [], duration: { _ in 2 * 86_400 + 61 },
                                      outInterface: { $0 == ebgp ? "Vlanif98" : nil })
        XCTAssertEqual(out[3], " Paths:   2 available, 1 best, 1 select")
        XCTAssertEqual(out.filter { $0.hasPrefix(" Direct Out-interface") }, [" Direct Out-interface: Vlanif98"])
        XCTAssertEqual(out.filter { $0.hasPrefix(" Relay IP") }, [" Relay IP Nexthop: 10.9.9.9", " Relay IP Out-Interface: NULL0"])
        XCTAssertEqual(out.filter { $0.hasPrefix(" Route Duration") }.first, " Route Duration: 2d00h01m01s")
        XCTAssertEqual(out.filter { $0 == " Not advertised to any peer yet" }.count, 2)
    }

    func testVRPVersionUptimeUnits() {
        XCTAssertEqual(VRPDisplay.uptime(0), "0 week, 0 day, 0 hour, 0 minute")
        XCTAssertEqual(VRPDisplay.uptime(Self.week + Self.day + 3600 + 60), "1 week, 1 day, 1 hour, 1 minute")
        XCTAssertEqual(VRPDisplay.uptime(3 * Self.week + 2 * Self.day + 5 * 3600 + 17 * 60 + 59), "3 weeks, 2 days, 5 hours, 17 minutes")
        let out = VRPDisplay.version(uptimeSeconds: 2 * 3600 + 3 * 60)
        XCTAssertEqual(out[3], "HUAWEI S9712 Terminal uptime is 0 week, 0 day, 2 hours, 3 minutes")
        XCTAssertEqual(out[5], "MPU 9(Master) : uptime is 0 week, 0 day, 2 hours, 3 minutes")
    }

    func testComwareVersionInItsOwnLayout() async {
        XCTAssertEqual(ComwareVersion.uptime(Self.week + 2 * Self.day + 3600 + 5 * 60), "1 week, 2 days, 1 hour, 5 minutes")
        XCTAssertEqual(ComwareVersion.uptime(59), "0 weeks, 0 days, 0 hours, 0 minutes")
        let out = ComwareVersion.lines(uptimeSeconds: 3 * Self.week + 4 * 3600 + 2 * 60)
        XCTAssertEqual(out[0], "H3C Comware Software, Version 7.1.070, Release 6616")
        XCTAssertEqual(out[2], "H3C S6850-56HF uptime is 3 weeks, 0 days, 4 hours, 2 minutes")
        XCTAssertTrue(out.contains("Uptime is 3 weeks,0 days,4 hours,2 minutes"))
        XCTAssertTrue(out.contains("BOARD TYPE:         S6850-56HF"))
        // Typed on a console, in any view and as `show version`, and the release matches the configuration text.
        let c = ComwareConsole()
        await c.type(["system-view", "bgp 65009"])
        let typed = await c.type(["dis version"])
        XCTAssertEqual(typed.first, "H3C Comware Software, Version 7.1.070, Release 6616")
        XCTAssertTrue(typed[2].hasPrefix("H3C S6850-56HF uptime is 0 weeks, 0 days, 0 hours, "), typed[2])
        let alias = await c.type(["show version"])
        XCTAssertEqual(alias.count, typed.count)
        XCTAssertTrue(ComwareConfiguration.text(c.device.config).contains("\n version \(ComwareVersion.release)\n"))
    }

    func testVRPVlanPortsInCells() {
        var c = RunningConfig(hostname: "S")
        c.vlans = [98]
        for n in 1...6 { c[interface: "GigabitEthernet0/0/\(n)"].mode = .access(vlan: 98) }
        c[interface: "GigabitEthernet0/0/6"].shutdown = true
        c[interface: "GigabitEthernet0/0/7"].mode = .trunk(allowed: [1, 98])
        let out = VRPDisplay.vlans(c)
        let start = out.firstIndex { $0.hasPrefix("98 ") }!
        XCTAssertEqual(Array(out[start...(start + 2)]), [
            "98   common  UT:GE0/0/1(U)      GE0/0/2(U)      GE0/0/3(U)      GE0/0/4(U)",
            "                GE0/0/5(U)      GE0/0/6(D)",
            "             TG:GE0/0/7(U)",
        ])
        XCTAssertEqual(out.first { $0.hasPrefix("1 ") }, "1    common  UT:GE0/0/7(U)")
        XCTAssertTrue(out.contains("98   enable  default       enable  disable    VLAN 0098"))
    }

    func testComwareVerboseForPeersNotEstablished() {
        for state in [SessionState.idle, .connect, .active, .openSent] {
            let out = ComwareDisplay.bgpPeerVerbose(Self.peer(141, state, 9), localAS: 65009, routerID: IPv4Address("2.2.2.2")!, enabled: true)
            XCTAssertTrue(out.contains("        BGP current state: \(state.rawValue)"), "\(out)")
            XCTAssertFalse(out.contains { $0.contains("Up for") || $0.contains("BGP last state") || $0.contains("Port:") })
        }
    }

    /// §C.5/§C.6 and §D on Quagga: `up for 01w4d15h` in neighbors, route ages past a day and a week, and the
    /// states of neighbors that are down or shut down.
    func testQuaggaNeighborsAndRoutesWithLongUptimes() {
        let up = BGPPeerSummary(address: IPv4Address("192.168.1.1")!, remoteAS: 65111, state: .established,
                                upDownSeconds: Self.week + 4 * Self.day + 15 * 3600 + 7)
        let idle = BGPPeerSummary(address: IPv4Address("192.168.1.2")!, remoteAS: 65111, state: .idle, upDownSeconds: 30)
        let state = BGPState(routerID: IPv4Address("192.168.1.254")!, asn: 65222, peers: [up, idle], entries: [])
        let out = NeighborView.render(state, config: nil, adminDown: [idle.address])
        XCTAssertTrue(out.contains("  BGP state = Established, up for 01w4d15h"), "\(out)")
        let second = Array(out.drop { !$0.hasPrefix("BGP neighbor is 192.168.1.2") })
        XCTAssertEqual(Array(second[2...3]), ["  BGP state = Idle", " Administratively shut down"])
        for (seconds, age) in [(Self.day + 2 * 3600 + 3 * 60, "1d02h03m"), (Self.week + 3 * Self.day + 19 * 3600, "01w3d19h")] {
            let route = ZebraRoute(kind: .bgp, prefix: IPv4Prefix("10.233.64.0/26")!,
                                   nextHops: [.gateway(IPv4Address("172.20.0.11")!, interface: "eth0")],
                                   distance: 20, uptimeSeconds: seconds)
            XCTAssertEqual(RouteView.render([route]).last, "B>* 10.233.64.0/26 [20/0] via 172.20.0.11, eth0, \(age)")
        }
    }

    /// A loopback /32 is one host entry via 127.0.0.1: on its own interface on VRP, on InLoop0 on Comware (§B.7).
    func testLoopbackAddressesInTheIPRoutingTable() {
        var c = RunningConfig(hostname: "S")
        c[interface: "LoopBack0"].addresses = [InterfaceAddressConfig(IPv4Address("1.1.1.1")!, length: 32)]
        let vrp = VRPDisplay.ipRoutingTable(c.connectedRoutes).filter { $0.contains("1.1.1.1/32") }
        XCTAssertEqual(vrp, ["        1.1.1.1/32  Direct  0    0           D   127.0.0.1       LoopBack0"])
        let comware = ComwareDisplay.ipRoutingTable(c.connectedRoutes).filter { $0.hasPrefix("1.1.1.1/32") }
        XCTAssertEqual(comware, ["1.1.1.1/32         Direct  0   0           127.0.0.1       InLoop0"])
    }

    func testVRPRouteDetailForALocalNetworkRoute() {
        let e = RIBEntry(prefix: Prefix("1.1.1.1/32")!, attributes: PathAttributes(origin: .igp), nextHop: .v4(.zero),
                         source: .local(.network), isBest: true)
        let out = VRPDisplay.bgpRoute(IPv4Prefix("1.1.1.1/32")!, routerID: IPv4Address("1.1.1.1")!, asn: 65001, routes: [e],
                                      advertisedTo: [.v4(IPv4Address("10.98.0.2")!)], duration: { _ in 87 })
        XCTAssertEqual(Array(out[4...7]), [" BGP routing table entry information of 1.1.1.1/32:", " Network route.",
                                           " From: 0.0.0.0 (0.0.0.0)", " Route Duration: 00h01m27s"])
        XCTAssertTrue(out.contains(" AS-path Nil, origin igp, MED 0, pref-val 0, valid, local, best, select, active, pre 0"), "\(out)")
        XCTAssertEqual(Array(out.suffix(3).prefix(2)), [" Advertised to such 1 peers:", "    10.98.0.2"])
    }
}
