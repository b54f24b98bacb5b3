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

/// The same on a live session: a VRP core and a Comware leaf in namespaces of their own, joined by a veth pair.
final class PeerIgnoreLiveTests: XCTestCase {
    var namespaces: [NetworkNamespace] = []
    var devices: [NetworkDevice] = []

    override func setUpWithError() throws {
        try XCTSkipUnless(getuid() == 0, "needs root for network namespaces")
        let pid = getpid()
        let core = try NetworkNamespace.create("plt-vendorcli-\(pid)-core")
        namespaces.append(core)
        let leaf = try NetworkNamespace.create("plt-vendorcli-\(pid)-leaf")
        namespaces.append(leaf)
        let a = try core.netlink()
        try a.createVeth("vlanif98", peer: "vlanif98", peerNamespace: leaf)
        try a.setLinkUp("vlanif98")
        try a.setLinkUp("lo")
        let b = try leaf.netlink()
        try b.setLinkUp("vlanif98")
        try b.setLinkUp("lo")
    }

    override func tearDown() {
        for d in devices { d.shutdown() }
        devices.removeAll()
        for n in namespaces { try? n.delete() }
        namespaces.removeAll()
    }

    func eventually(_ limit: Double = 60, _ condition: () async -> Bool) async -> Bool {
        let end = Date().addingTimeInterval(limit)
        while Date() < end {
            if await condition() { return true }
            try? await Task.sleep(nanoseconds: 200_000_000)
        }
        return await condition()
    }

    func testIgnoreTakesTheSessionDownAndUndoBringsItBack() async throws {
        let core = NetworkDevice(kind: HuaweiVRP.kind, config: RunningConfig(hostname: "Core"), namespace: namespaces[0], installRoutes: false)
        let leaf = NetworkDevice(kind: H3CComware.kind, config: RunningConfig(hostname: "leaf01"), namespace: namespaces[1], installRoutes: false)
        devices = [core, leaf]
        let vrp = HuaweiVRP.personality.session(on: core)
        let comware = H3CComware.personality.session(on: leaf)
        func run(_ s: Session<NetworkDevice>, _ lines: [String]) async -> [String] {
            var out: [String] = []
            for line in lines {
                let r = await s.execute(line: line)
                XCTAssertFalse(r.refused, "\(line): \(r.lines)")
                out = r.lines
            }
            return out
        }
        _ = await run(vrp, ["system-view", "interface Vlanif98", "ip address 10.98.0.1 24", "quit", "bgp 65001", "router-id 1.1.1.1",
                            "peer 10.98.0.2 as-number 65009"])
        _ = await run(comware, ["system-view", "interface Vlan-interface98", "ip address 10.98.0.2 24", "quit", "bgp 65009",
                                "router-id 2.2.2.2", "peer 10.98.0.1 as-number 65001"])
        func coreRow() async -> String { await run(vrp, ["display bgp peer"]).first { $0.hasPrefix("  10.98.0.2") } ?? "" }
        func leafRow() async -> String { await run(comware, ["display bgp peer ipv4"]).first { $0.hasPrefix("  10.98.0.1") } ?? "" }

        let up = await eventually { await coreRow().hasSuffix("Established        0") }
        let upRow = await coreRow()
        XCTAssertTrue(up, upRow)

        _ = await run(vrp, ["peer 10.98.0.2 ignore"])
        let idle = await eventually { await coreRow().field(64, 76).trimmed == "Idle" }
        let idleRow = await coreRow()
        XCTAssertTrue(idle, idleRow)
        let leafDown = await eventually { await !leafRow().hasSuffix("Established") }
        XCTAssertTrue(leafDown)
        // Held down: a few seconds later it is still Idle (the leaf keeps trying; the core refuses).
        try await Task.sleep(nanoseconds: 3_000_000_000)
        let stillIdle = await coreRow()
        XCTAssertEqual(stillIdle.field(64, 76).trimmed, "Idle", stillIdle)
        let verbose = await run(vrp, ["display bgp peer 10.98.0.2 verbose"])
        XCTAssertTrue(verbose.contains(" BGP current state: Idle"), "\(verbose)")

        _ = await run(vrp, ["undo peer 10.98.0.2 ignore"])
        let back = await eventually { await coreRow().hasSuffix("Established        0") }
        let backRow = await coreRow()
        XCTAssertTrue(back, backRow)

        // Comware's own `peer ignore` on the leaf.
        _ = await run(comware, ["peer 10.98.0.1 ignore"])
        let leafIdle = await eventually { await leafRow().hasSuffix(" Idle") }
        let leafIdleRow = await leafRow()
        XCTAssertTrue(leafIdle, leafIdleRow)
        let coreDown = await eventually { await !coreRow().contains("Established") }
        XCTAssertTrue(coreDown)
    }
}
