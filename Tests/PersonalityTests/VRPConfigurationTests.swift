import XCTest
import BGPWire
import Device
@testable import HuaweiVRP

final class VRPConfigurationTests: XCTestCase {
    /// What `display current-configuration` prints replays into an identical running configuration.
    func testCurrentConfigurationRoundTripsThroughStartupReplay() async {
        let c = VRPConsole(hostname: "HUAWEI")
        await c.type(["system-view", "sysname Core", "vlan batch 98 100 to 102",
                      "interface Vlanif98", "ip address 10.98.0.1 255.255.255.0", "description to-calico",
                      "interface GigabitEthernet0/0/1", "port link-type access", "port default vlan 98",
                      "interface GigabitEthernet0/0/2", "port link-type trunk", "port trunk allow-pass vlan 98 100",
                      "interface LoopBack0", "ip address 1.1.1.1 32", "quit",
                      "ip route-static 192.168.0.0 16 10.98.0.254",
                      "bgp 65001", "router-id 1.1.1.1", "group rr external", "peer rr as-number 64600",
                      "peer 10.98.0.11 as-number 64512", "peer 10.98.0.11 connect-interface Vlanif98 10.98.0.1",
                      "peer 10.98.0.11 description node1", "peer 10.98.0.11 password cipher s3cret", "peer 10.98.0.12 group rr",
                      "peer 10.98.0.11 ebgp-max-hop",
                      "ipv4-family unicast", "undo synchronization", "reflector cluster-id 10.98.0.1", "network 10.98.0.0 24",
                      "network 192.168.21.0", "import-route direct", "maximum load-balancing 4", "peer 10.98.0.11 next-hop-local",
                      "undo peer 10.98.0.12 enable"])
        let text = VRPConfiguration.text(c.device.config)
        XCTAssertTrue(text.hasPrefix("!Software Version"))
        XCTAssertTrue(text.hasSuffix("#\nreturn"))
        XCTAssertTrue(text.contains("\n peer 10.98.0.11 ebgp-max-hop 255\n"))
        XCTAssertTrue(text.contains("\n  network 192.168.21.0\n"), "the natural mask is left out")
        XCTAssertTrue(text.contains("\n  network 10.98.0.0 255.255.255.0\n"))

        await c.replaySavedText()
    }

    func testReplayReportsLinesTheParserRefuses() async {
        let device = NetworkDevice(kind: HuaweiVRP.kind, config: RunningConfig(hostname: "X"), offline: true)
        defer { device.shutdown() }
        let problems = await HuaweiVRP.personality.replay("#\nsysname A\n#\nbgp 1\n peer 1.1.1.1 as-numbr 2\n#\nreturn", on: device)
        XCTAssertEqual(problems.count, 1)
        XCTAssertTrue(problems[0].hasPrefix("line 5:"), problems[0])
        XCTAssertEqual(device.config.hostname, "A")
        XCTAssertEqual(device.config.bgp?.asn, 1)
    }

    func testSaveAsksThenWritesTheConfiguration() async throws {
        let path = NSTemporaryDirectory() + "plt-vendor-\(getpid())-save.cfg"
        defer { unlink(path) }
        let device = NetworkDevice(kind: HuaweiVRP.kind, config: RunningConfig(hostname: "Saver"), saveTo: path, offline: true)
        defer { device.shutdown() }
        let session = HuaweiVRP.personality.session(on: device)
        let ask = await session.execute(line: "save")
        XCTAssertEqual(ask.lines, ["The current configuration will be written to the device."])
        XCTAssertEqual(ask.prompt, "Are you sure to continue?[Y/N]")
        let done = await session.execute(line: "y")
        XCTAssertEqual(done.lines.last, "Save the configuration successfully.")
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), VRPConfiguration.text(device.config))
    }
}
