import XCTest
import BGPWire
import BGPSpeaker
import Device
@testable import HuaweiVRP

final class VRPRenderMoreTests: XCTestCase {
    func testPeerVerboseKeyLines() {
        let p = BGPPeerSummary(address: IPv4Address("10.1.1.2")!, remoteAS: 200, state: .established, upDownSeconds: 3665,
                               messagesIn: 1833, messagesOut: 1800, prefixesReceived: 5, prefixesAdvertised: 18, description: "Leaf-1")
        var settings = BGPPeerSettings(address: p.address, remoteAS: 200, ipv4Enabled: true)
        settings.password = .cipher("x")
        let out = VRPDisplay.bgpPeerVerbose(p, localAS: 100, settings: settings)
        XCTAssertEqual(out[1], " BGP Peer is 10.1.1.2,  remote AS 200")
        XCTAssertEqual(out[2], " Type: EBGP link")
        XCTAssertEqual(out[3], " Peer's description: \"Leaf-1\"")
        XCTAssertTrue(out.contains(" BGP current state: Established, Up for 01h01m05s"))
        XCTAssertTrue(out.contains(" Received total routes: 5"))
        XCTAssertTrue(out.contains(" Advertised total routes: 18"))
        XCTAssertTrue(out.contains(" Authentication type configured: MD5"))
        let idle = VRPDisplay.bgpPeerVerbose(BGPPeerSummary(address: p.address, remoteAS: 100, state: .idle, upDownSeconds: 9),
                                             localAS: 100, settings: nil)
        XCTAssertEqual(idle[2], " Type: IBGP link")
        XCTAssertTrue(idle.contains(" BGP current state: Idle"))
    }

    func testRouteDetailForLearnedPath() {
        var a = PathAttributes()
        a.origin = .igp
        a.asPath = ASPath(sequence: [200])
        a.med = 0
        let from = IPv4Address("10.1.12.2")!
        let e = RIBEntry(prefix: Prefix("100.1.1.0/24")!, attributes: a, nextHop: .v4(from),
                         source: .peer(.v4(from), routerID: IPv4Address("2.2.2.2")!, external: true), isBest: true)
        let out = VRPDisplay.bgpRoute(IPv4Prefix("100.1.1.0/24")!, routerID: IPv4Address("1.1.1.1")!, asn: 65001, routes: [e],
                                      advertisedTo: [.v4(IPv4Address("10.1.13.3")!)], duration: { _ in 4093 })
        XCTAssertEqual(out[3], " Paths:   1 available, 1 best, 1 select")
        XCTAssertEqual(out[4], " BGP routing table entry information of 100.1.1.0/24:")
        XCTAssertEqual(out[5], " From: 10.1.12.2 (2.2.2.2)")
        XCTAssertEqual(out[6], " Route Duration: 01h08m13s")
        XCTAssertTrue(out.contains(" AS-path 200, origin igp, MED 0, pref-val 0, valid, external, best, select, active, pre 255"))
        XCTAssertEqual(Array(out.suffix(3).prefix(2)), [" Advertised to such 1 peers:", "    10.1.13.3"])
    }

    /// §A.8 template `%-28s%-6s%-9s%6s%7s%11u%11u`.
    func testInterfaceBriefColumns() {
        var c = RunningConfig(hostname: "S")
        c[interface: "GigabitEthernet0/0/2"].shutdown = true
        c[interface: "Vlanif98"].addresses = [InterfaceAddressConfig(IPv4Address("10.98.0.1")!, length: 24)]
        let out = VRPDisplay.interfaceBrief(c)
        let ge = out.first { $0.hasPrefix("GigabitEthernet0/0/2") }!
        XCTAssertEqual(ge.field(28, 34), "*down ")
        XCTAssertEqual(ge.field(34, 43), "down     ")
        XCTAssertEqual(ge.field(43, 49), "    0%")
        XCTAssertEqual(ge.count, 28 + 6 + 9 + 6 + 7 + 11 + 11)
        XCTAssertEqual(out.first { $0.hasPrefix("Vlanif98") }!.field(43, 49), "    --")
        XCTAssertEqual(out.first { $0.hasPrefix("NULL0") }!.field(34, 43).trimmed, "up(s)")
    }

    func testVlanDisplayListsPortsByMembership() {
        var c = RunningConfig(hostname: "S")
        c.vlans = [98]
        c[interface: "GigabitEthernet0/0/1"].mode = .access(vlan: 98)
        c[interface: "GigabitEthernet0/0/2"].mode = .trunk(allowed: [1, 98])
        let out = VRPDisplay.vlans(c)
        XCTAssertEqual(out[0], "The total number of vlans is : 2")
        let row = out.firstIndex { $0.hasPrefix("98 ") }!
        XCTAssertEqual(Array(out[row...(row + 1)]), ["98   common  UT:GE0/0/1(U)", "             TG:GE0/0/2(U)"])
        XCTAssertEqual(out.first { $0.hasPrefix("1 ") }, "1    common  UT:GE0/0/2(U)")
    }

    func testDisplayCurrentConfigurationBGPOnlyAndDisplayThisInInterface() async {
        let c = VRPConsole()
        await c.type(["sys", "interface Vlanif98", "ip address 10.98.0.1 24"])
        let this = await c.type(["display this"])
        XCTAssertEqual(this, ["#", "interface Vlanif98", " ip address 10.98.0.1 255.255.255.0", "#", "return"])
        await c.type(["quit", "bgp 65001", "peer 10.98.0.2 as-number 65009"])
        let bgpOnly = await c.type(["dis cu conf bgp"])
        XCTAssertEqual(bgpOnly.first, "#")
        XCTAssertEqual(bgpOnly[1], "bgp 65001")
        XCTAssertFalse(bgpOnly.contains { $0.hasPrefix("interface") })
        XCTAssertEqual(bgpOnly.suffix(2), ["#", "return"])
        let version = await c.type(["display version"])
        XCTAssertEqual(version.first, "Huawei Versatile Routing Platform Software")
    }
}
