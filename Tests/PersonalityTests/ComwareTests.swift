import XCTest
import BGPWire
import BGPSpeaker
import CLIEngine
import Device
@testable import H3CComware

/// A Comware device with no network and one console on it; Comware marks a refused line with ` %`.
final class ComwareConsole: OfflineConsole {
    init(hostname: String = "H3C") { super.init(H3CComware.personality, hostname: hostname) { $0.hasPrefix(" %") } }
}

final class ComwareCommandTests: XCTestCase {
    func testCommandTableValidates() {
        let issues = H3CComware.tree.validate(startView: "user", abbreviations: [("user", "sys"), ("system", "dis cu"), ("bgp", "dis this")])
        XCTAssertEqual(issues.map(\.description), [])
    }

    /// Seed 001: `<leaf02>sys` prints the banner; `show bgp peer ipv4` is the `display` alias.
    func testSeed001LeafSessionAndAliases() async {
        let c = ComwareConsole(hostname: "leaf02")
        let banner = await c.type(["sys"])
        XCTAssertEqual(banner, ["System View: return to User View with Ctrl+Z."])
        XCTAssertEqual(c.session.prompt, "[leaf02]")
        await c.type(["bgp 65010", "router-id 3.3.3.3", "peer 173.20.0.11 as-number 64513", "peer 173.20.0.12 as-number 64513",
                      "address-family ipv4 unicast", "peer 173.20.0.11 enable", "peer 173.20.0.11 reflect-client", "quit"])
        XCTAssertEqual(c.session.prompt, "[leaf02-bgp-default]")
        let out = await c.type(["show bgp peer ipv4"])
        XCTAssertEqual(out[1], " BGP local router ID: 3.3.3.3")
        XCTAssertEqual(out[3], " Total number of peers: 2          Peers in established state: 0")
        XCTAssertTrue(out.contains { $0.hasPrefix("  173.20.0.11          64513") })
        let bgp = c.device.config.bgp!
        XCTAssertEqual(bgp.peers.map(\.ipv4Enabled), [true, false])
        // Only the enabled peer carries IPv4 unicast to the speaker: routes flow after `peer X enable`.
        XCTAssertEqual(c.device.config.bgpdConfig(installRoutes: false)?.peers.map(\.families), [[.ipv4Unicast], []])
    }

    func testFamilyCommandsAreRefusedInTheInstanceView() async {
        let c = ComwareConsole()
        await c.type(["system-view", "bgp 65009", "peer 10.0.0.1 as-number 65008"])
        let refused = await c.session.execute(line: "peer 10.0.0.1 enable")
        XCTAssertEqual(refused.lines.last, " % Unrecognized command found at '^' position.")
        let badDisplay = await c.session.execute(line: "display bgp peer")
        XCTAssertEqual(badDisplay.lines.last, " % Incomplete command found at '^' position.")
    }

    func testUndoAndVlanView() async {
        let c = ComwareConsole()
        await c.type(["system-view", "vlan 98"])
        XCTAssertEqual(c.session.prompt, "[H3C-vlan98]")
        await c.type(["quit", "vlan 100 to 102", "undo vlan 101", "interface GigabitEthernet1/0/1", "port access vlan 98"])
        XCTAssertEqual(c.device.config.vlans, [98, 100, 102])
        XCTAssertEqual(c.device.config[interface: "GigabitEthernet1/0/1"].mode, .access(vlan: 98))
        await c.type(["quit", "bgp 65009", "peer 10.0.0.1 as-number 65008", "undo peer 10.0.0.1", "quit", "undo bgp 65009"])
        XCTAssertNil(c.device.config.bgp)
    }

    func testCurrentConfigurationRoundTrips() async {
        let c = ComwareConsole(hostname: "H3C")
        await c.type(["system-view", "sysname leaf01", "vlan 98", "quit", "interface Vlan-interface98", "ip address 172.20.0.254 24",
                      "interface GigabitEthernet1/0/1", "port access vlan 98", "interface GigabitEthernet1/0/48", "port link-mode route",
                      "ip address 100.0.0.2 30", "description to-spine", "interface LoopBack0", "ip address 2.2.2.2 32", "quit",
                      "ip route-static 0.0.0.0 0 100.0.0.1",
                      "bgp 65009", "router-id 2.2.2.2", "peer 100.0.0.1 as-number 65008", "peer 172.20.0.11 as-number 64512",
                      "peer 172.20.0.11 connect-interface Vlan-interface98",
                      "address-family ipv4 unicast", "balance 8", "network 2.2.2.2 32", "reflector cluster-id 2.2.2.2",
                      "peer 100.0.0.1 enable", "peer 172.20.0.11 enable", "peer 172.20.0.11 reflect-client"])
        let text = ComwareConfiguration.text(c.device.config)
        XCTAssertTrue(text.contains("\n  network 2.2.2.2 255.255.255.255\n"))
        XCTAssertTrue(text.contains("\n ip route-static 0.0.0.0 0 100.0.0.1\n"))
        let replayed = NetworkDevice(kind: H3CComware.kind, config: RunningConfig(hostname: "H3C"), offline: true)
        defer { replayed.shutdown() }
        let problems = await H3CComware.personality.replay(text, on: replayed)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(replayed.config, c.device.config)
    }

    func testSaveAsksThreeQuestionsThenWrites() async throws {
        let path = NSTemporaryDirectory() + "plt-vendor-\(getpid())-comware.cfg"
        defer { unlink(path) }
        let device = NetworkDevice(kind: H3CComware.kind, config: RunningConfig(hostname: "leaf"), saveTo: path, offline: true)
        defer { device.shutdown() }
        let s = H3CComware.personality.session(on: device)
        let first = await s.execute(line: "save")
        XCTAssertEqual(first.prompt, "The current configuration will be written to the device. Are you sure? [Y/N]:")
        _ = await s.execute(line: "y")
        _ = await s.execute(line: "")
        let done = await s.execute(line: "y")
        XCTAssertEqual(done.lines.last, "Saved the current configuration to mainboard device successfully.")
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), ComwareConfiguration.text(device.config))
    }
}

final class ComwareRenderTests: XCTestCase {
    /// Seed 001 (leaf01), rendered from the peers' state: the layout must match the seed line for line.
    func testDisplayBGPPeerIPv4MatchesSeed001() {
        func peer(_ a: String, _ asn: UInt32, _ inMsgs: Int, _ outMsgs: Int, _ pref: Int, _ h: Int, _ m: Int, _ s: Int) -> BGPPeerSummary {
            BGPPeerSummary(address: IPv4Address(a)!, remoteAS: asn, state: .established, upDownSeconds: h * 3600 + m * 60 + s,
                           messagesIn: inMsgs, messagesOut: outMsgs, prefixesReceived: pref)
        }
        let out = ComwareDisplay.bgpPeers(routerID: IPv4Address("2.2.2.2")!, asn: 65009, peers: [
            peer("100.0.0.1", 65008, 1696, 1677, 8, 23, 52, 28),
            peer("172.20.0.11", 64512, 1648, 1506, 4, 23, 51, 50),
            peer("172.20.0.12", 64512, 1647, 1659, 4, 23, 51, 44),
        ])
        XCTAssertEqual(out, [
            "",
            " BGP local router ID: 2.2.2.2",
            " Local AS number: 65009",
            " Total number of peers: 3          Peers in established state: 3",
            "",
            "  * - Dynamically created peer",
            "  Peer                    AS  MsgRcvd  MsgSent OutQ PrefRcv Up/Down  State",
            "",
            "  100.0.0.1            65008     1696     1677    0       8 23:52:28 Established",
            "  172.20.0.11          64512     1648     1506    0       4 23:51:50 Established",
            "  172.20.0.12          64512     1647     1659    0       4 23:51:44 Established",
        ])
    }

    /// Seed 001 (leaf02) shows `24:01:03` past a day; from 100 hours Comware switches to `0129h15m`.
    func testUpDownFormsAndNotEstablishedPeers() {
        let peers = [
            BGPPeerSummary(address: IPv4Address("100.0.0.5")!, remoteAS: 65008, state: .established, upDownSeconds: 24 * 3600 + 63,
                           messagesIn: 1561, messagesOut: 1686, prefixesReceived: 11),
            BGPPeerSummary(address: IPv4Address("2.114.82.34")!, remoteAS: 100, state: .connect, upDownSeconds: 129 * 3600 + 15 * 60,
                           prefixesReceived: 9),
        ]
        let out = ComwareDisplay.bgpPeers(routerID: IPv4Address("3.3.3.3")!, asn: 65010, peers: peers)
        XCTAssertEqual(out[3], " Total number of peers: 2          Peers in established state: 1")
        XCTAssertEqual(out[8], "  100.0.0.5            65008     1561     1686    0      11 24:01:03 Established")
        XCTAssertEqual(out[9], "  2.114.82.34            100        0        0    0       0 0129h15m Connect")
    }

    func testRoutingTableStatusColumnsAndLocalRoutes() {
        var local = PathAttributes()
        local.origin = .igp
        var learned = PathAttributes()
        learned.origin = .igp
        learned.asPath = ASPath(sequence: [64512])
        let nh = IPv4Address("172.20.0.11")!
        let routes = [
            RIBEntry(prefix: Prefix("2.2.2.2/32")!, attributes: local, nextHop: .v4(.zero), source: .local(.network), isBest: true),
            RIBEntry(prefix: Prefix("10.244.1.0/26")!, attributes: learned, nextHop: .v4(nh), source: .peer(.v4(nh), routerID: nh, external: true), isBest: true),
        ]
        let out = ComwareDisplay.bgpRoutingTable(routerID: IPv4Address("2.2.2.2")!, routes: routes)
        XCTAssertEqual(out[1], " Total number of routes: 2")
        let rows = out.filter { $0.hasPrefix("*") }
        XCTAssertEqual(rows[0], "* >  2.2.2.2/32         127.0.0.1       0                     32768   i")
        XCTAssertEqual(rows[1], "* >e 10.244.1.0/26      172.20.0.11                           0       64512i")
    }

    func testIPRoutingTableBGPAndShortNames() {
        let entries = [IPRouteEntry(prefix: IPv4Prefix("10.244.1.0/26")!, proto: .ebgp, preference: 255, nextHop: IPv4Address("172.20.0.11")!,
                                    interface: "Vlan-interface98")]
        let out = ComwareDisplay.ipRoutingTableBGP(entries)
        XCTAssertEqual(Array(out.prefix(5)), ["", "Summary count : 1", "", "BGP Routing table status : <Active>", "Summary count : 1"])
        XCTAssertEqual(out[7], "10.244.1.0/26      BGP     255 0           172.20.0.11     Vlan98")
        XCTAssertEqual(out.suffix(2), ["BGP Routing table status : <Inactive>", "Summary count : 0"])
    }
}
