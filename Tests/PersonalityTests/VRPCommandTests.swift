import XCTest
import BGPWire
import CLIEngine
import Device
@testable import HuaweiVRP

final class VRPCommandTests: XCTestCase {
    func testCommandTableValidates() {
        let issues = HuaweiVRP.tree.validate(startView: "user", abbreviations: [("user", "sys"), ("system", "dis cu"), ("bgp", "di this"), ("system", "dis ip rou")])
        XCTAssertEqual(issues.map(\.description), [])
    }

    /// Seed 003: the S9700 core's BGP block, typed with the seed's own hyphens (U+2010).
    func testSeed003LinesConfigureTheCore() async {
        let c = VRPConsole(hostname: "BJ_Office_Core_S9700")
        await c.type(["sys", "vlan batch 98", "interface Vlanif98", "ip address 10.2.98.1 255.255.255.0", "quit",
                      "bgp 65001", "router\u{2010}id 10.2.0.2"])
        for last in [141, 142, 143, 152] {
            await c.type(["peer 10.2.98.\(last) as\u{2010}number 63400", "peer 10.2.98.\(last) connect\u{2010}interface Vlanif98 10.2.98.1"])
        }
        await c.type(["ipv4\u{2010}family unicast", "undo synchronization", "compare\u{2010}different\u{2010}as\u{2010}med", "quit"])
        XCTAssertEqual(c.session.prompt, "[BJ_Office_Core_S9700-bgp]")
        let bgp = try! XCTUnwrap(c.device.config.bgp)
        XCTAssertEqual(bgp.asn, 65001)
        XCTAssertEqual(bgp.routerID, IPv4Address("10.2.0.2"))
        XCTAssertEqual(bgp.peers.map(\.address.description), ["10.2.98.141", "10.2.98.142", "10.2.98.143", "10.2.98.152"])
        XCTAssertEqual(Set(bgp.peers.map(\.connectAddress)), [IPv4Address("10.2.98.1")])
        XCTAssertTrue(bgp.compareDifferentASMED)
        XCTAssertTrue(bgp.undoSynchronization)
        let this = await c.type(["di this"])
        XCTAssertEqual(Array(this.prefix(6)), ["#", "bgp 65001", " router-id 10.2.0.2", " peer 10.2.98.141 as-number 63400",
                                               " peer 10.2.98.141 connect-interface Vlanif98 10.2.98.1", " peer 10.2.98.142 as-number 63400"])
        XCTAssertTrue(this.contains("  compare-different-as-med"))
        XCTAssertTrue(this.contains("  undo synchronization"))
    }

    func testPromptsFollowViewsAndSysname() async {
        let c = VRPConsole()
        XCTAssertEqual(c.session.prompt, "<HUAWEI>")
        let banner = await c.type(["system-view"])
        XCTAssertEqual(banner, ["Enter system view, return user view with Ctrl+Z."])
        await c.type(["sysname Core"])
        XCTAssertEqual(c.session.prompt, "[Core]")
        XCTAssertEqual(c.device.config.hostname, "Core")
        await c.type(["int g0/0/1"])
        XCTAssertEqual(c.session.prompt, "[Core-GigabitEthernet0/0/1]")
        await c.type(["quit", "bgp 65001", "ipv4-family unicast"])
        XCTAssertEqual(c.session.prompt, "[Core-bgp-af-ipv4]")
        XCTAssertEqual(c.session.controlZ().prompt, "<Core>")
    }

    func testUndoPeerRemovesItAndItsFamilySettings() async {
        let c = VRPConsole()
        await c.type(["sys", "bgp 65001", "peer 10.0.0.2 as-number 65002", "peer 10.0.0.2 description leaf", "ipv4-family unicast",
                      "peer 10.0.0.2 reflect-client", "reflector cluster-id 100", "quit"])
        XCTAssertEqual(c.device.config.bgp?.peer(IPv4Address("10.0.0.2")!)?.reflectClient, true)
        XCTAssertEqual(c.device.config.bgp?.clusterID, IPv4Address(100))
        await c.type(["undo peer 10.0.0.2 description"])
        XCTAssertNil(c.device.config.bgp?.peer(IPv4Address("10.0.0.2")!)?.description)
        await c.type(["undo peer 10.0.0.2"])
        XCTAssertEqual(c.device.config.bgp?.peers, [])
        let again = await c.run("undo peer 10.0.0.2")
        XCTAssertEqual(again.lines, [Edits.peerMissing])
        await c.type(["quit", "undo bgp 65001"])
        XCTAssertNil(c.device.config.bgp)
    }

    func testPortModesVlansAndStaticRoutes() async {
        let c = VRPConsole()
        await c.type(["sys", "vlan batch 10 20 to 23", "interface GigabitEthernet0/0/1", "port link-type access", "port default vlan 20",
                      "interface GigabitEthernet0/0/2", "port link-type trunk", "port trunk allow-pass vlan 10 21",
                      "interface GigabitEthernet0/0/3", "undo portswitch", "ip address 10.9.0.1 30", "quit",
                      "ip route-static 0.0.0.0 0 10.9.0.2"])
        let cfg = c.device.config
        XCTAssertEqual(cfg.vlans, [10, 20, 21, 22, 23])
        XCTAssertEqual(cfg[interface: "GigabitEthernet0/0/1"].mode, .access(vlan: 20))
        XCTAssertEqual(cfg[interface: "GigabitEthernet0/0/2"].mode, .trunk(allowed: [1, 10, 21]))
        XCTAssertEqual(cfg[interface: "GigabitEthernet0/0/3"].addresses, [InterfaceAddressConfig(IPv4Address("10.9.0.1")!, length: 30)])
        XCTAssertEqual(cfg.staticRoutes.map(\.prefix.description), ["0.0.0.0/0"])
        // An access port refuses an address until it is routed.
        await c.type(["interface GigabitEthernet0/0/1"])
        let refused = await c.run("ip address 10.8.0.1 24")
        XCTAssertEqual(refused.lines.count, 1)
        XCTAssertTrue(refused.lines[0].hasPrefix("Error:"))
        await c.type(["quit", "undo ip route-static 0.0.0.0 0 10.9.0.2"])
        XCTAssertEqual(c.device.config.staticRoutes, [])
    }

    func testWrongViewAndBadValuesUseCaretErrors() async {
        let c = VRPConsole()
        let wrongView = await c.run("interface Vlanif98")
        XCTAssertEqual(wrongView.lines, ["        ^", "Error: Unrecognized command found at '^' position."])
        await c.type(["sys", "bgp 65001"])
        let badAS = await c.run("peer 10.0.0.1 as-number 0")
        XCTAssertEqual(badAS.lines.last, "Error: Wrong parameter found at '^' position.")
    }
}
