import XCTest
import BGPWire
import BGPSpeaker
import Kernel
import CLIEngine
import Device
@testable import HuaweiVRP
@testable import H3CComware

/// `peer <ip> ignore` / `undo peer <ip> ignore` (VRP and Comware): the peer stays configured, the session is
/// held Idle, and the displays show it Idle with no prefixes (spec §D).
final class PeerIgnoreTests: XCTestCase {
    func testVRPIgnoreIsConfigurationTheSpeakerRuns() async {
        let c = VRPConsole()
        await c.type(["system-view", "bgp 65001", "peer 10.98.0.2 as-number 65009", "peer 10.98.0.2 ignore"])
        XCTAssertEqual(c.device.config.bgp?.peer(IPv4Address("10.98.0.2")!)?.shutdown, true)
        XCTAssertEqual(c.device.config.bgpdConfig(installRoutes: false)?.peers.map(\.shutdown), [true])
        let this = await c.type(["display this"])
        XCTAssertTrue(this.contains(" peer 10.98.0.2 ignore"), "\(this)")
        let table = await c.type(["display bgp peer"])
        let row = table.first { $0.hasPrefix("  10.98.0.2") }
        XCTAssertEqual(row?.field(64, 76).trimmed, "Idle")
        XCTAssertEqual(row?.field(76, 85).trimmed, "0")
        // Replayed from the saved text, the peer is still ignored.
        let replayed = NetworkDevice(kind: HuaweiVRP.kind, config: RunningConfig(hostname: HuaweiVRP.defaultHostname), offline: true)
        defer { replayed.shutdown() }
        let problems = await HuaweiVRP.personality.replay(VRPConfiguration.text(c.device.config), on: replayed)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(replayed.config, c.device.config)
        await c.type(["undo peer 10.98.0.2 ignore"])
        XCTAssertEqual(c.device.config.bgpdConfig(installRoutes: false)?.peers.map(\.shutdown), [false])
        let after = await c.type(["display this"])
        XCTAssertFalse(after.contains { $0.contains("ignore") })
        let missing = await c.run("peer 10.98.0.9 ignore")
        XCTAssertEqual(missing.lines, [Edits.peerMissing])
    }

    func testComwareIgnoreIsConfigurationTheSpeakerRuns() async {
        let c = ComwareConsole()
        await c.type(["system-view", "bgp 65009", "peer 10.98.0.1 as-number 65001", "peer 10.98.0.1 ignore"])
        XCTAssertEqual(c.device.config.bgpdConfig(installRoutes: false)?.peers.map(\.shutdown), [true])
        let text = ComwareConfiguration.text(c.device.config)
        XCTAssertTrue(text.contains("\n peer 10.98.0.1 ignore\n"), text)
        let table = await c.type(["display bgp peer ipv4"])
        XCTAssertEqual(table.first { $0.hasPrefix("  10.98.0.1") }.map { String($0.split(separator: " ").last!) }, "Idle")
        await c.type(["undo peer 10.98.0.1 ignore"])
        XCTAssertEqual(c.device.config.bgpdConfig(installRoutes: false)?.peers.map(\.shutdown), [false])
    }
}
