import XCTest
import BGPWire
import BGPSpeaker
import Kernel
import CLIEngine
import Device
@testable import HuaweiVRP
@testable import H3CComware

/// Live sessions between a VRP core and a Comware leaf in namespaces of their own (`plt-vendorcli-<pid>-…`),
/// joined by a veth pair standing in for VLAN 98: `peer ignore` and MD5 keys that went through cipher text.
final class CoreLeafLiveTests: CoreLeafFabricTestCase {
    override class var namespacePrefix: String { "plt-vendorcli" }

    /// The core's configuration reaches it only as saved text, where the key is `%^%#…%^%#` cipher text; the
    /// leaf gets it as Comware `$c$3$…` cipher text. The session comes up only if both decode to the same MD5 key.
    func testMD5KeysSurviveTheirCipherText() async throws {
        let key = "Lab-MD5-key"
        let typed = NetworkDevice(kind: HuaweiVRP.kind, config: RunningConfig(hostname: "Core"), offline: true)
        defer { typed.shutdown() }
        await run(HuaweiVRP.personality.session(on: typed), [
            "system-view", "interface Vlanif98", "ip address 10.98.0.1 24", "quit", "bgp 65001", "router-id 1.1.1.1",
            "peer 10.98.0.2 as-number 65009", "peer 10.98.0.2 password cipher \(key)"])
        let saved = VRPConfiguration.text(typed.config)
        XCTAssertFalse(saved.contains(key))

        let (core, leaf) = makeCoreAndLeaf(core: HuaweiVRP.defaultHostname)
        let problems = await HuaweiVRP.personality.replay(saved, on: core)
        XCTAssertEqual(problems, [])
        let vrp = HuaweiVRP.personality.session(on: core)
        let comware = H3CComware.personality.session(on: leaf)
        await run(comware, ["system-view", "interface Vlan-interface98", "ip address 10.98.0.2 24", "quit", "bgp 65009",
                            "router-id 2.2.2.2", "peer 10.98.0.1 as-number 65001", "peer 10.98.0.1 password simple not-the-key"])
        func coreRow() async -> String { await run(vrp, ["display bgp peer"]).first { $0.hasPrefix("  10.98.0.2") } ?? "" }

        // Different keys: TCP MD5 drops the SYNs, the session never comes up.
        try await Task.sleep(nanoseconds: 4_000_000_000)
        let refused = await coreRow()
        XCTAssertFalse(refused.contains("Established"), refused)

        await run(comware, ["peer 10.98.0.1 password cipher " + PasswordCipher.comware.encode(key)])
        let up = await eventually { await coreRow().contains("Established") }
        let upRow = await coreRow()
        XCTAssertTrue(up, upRow)
        let verbose = await run(vrp, ["display bgp peer 10.98.0.2 verbose"])
        XCTAssertTrue(verbose.contains(" Authentication type configured: MD5"))
    }

    func testIgnoreTakesTheSessionDownAndUndoBringsItBack() async throws {
        let (core, leaf) = makeCoreAndLeaf()
        let vrp = HuaweiVRP.personality.session(on: core)
        let comware = H3CComware.personality.session(on: leaf)
        await run(vrp, ["system-view", "interface Vlanif98", "ip address 10.98.0.1 24", "quit", "bgp 65001", "router-id 1.1.1.1",
                            "peer 10.98.0.2 as-number 65009"])
        await run(comware, ["system-view", "interface Vlan-interface98", "ip address 10.98.0.2 24", "quit", "bgp 65009",
                                "router-id 2.2.2.2", "peer 10.98.0.1 as-number 65001"])
        func coreRow() async -> String { await run(vrp, ["display bgp peer"]).first { $0.hasPrefix("  10.98.0.2") } ?? "" }
        func leafRow() async -> String { await run(comware, ["display bgp peer ipv4"]).first { $0.hasPrefix("  10.98.0.1") } ?? "" }

        let up = await eventually { await coreRow().hasSuffix("Established        0") }
        let upRow = await coreRow()
        XCTAssertTrue(up, upRow)

        await run(vrp, ["peer 10.98.0.2 ignore"])
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

        await run(vrp, ["undo peer 10.98.0.2 ignore"])
        let back = await eventually { await coreRow().hasSuffix("Established        0") }
        let backRow = await coreRow()
        XCTAssertTrue(back, backRow)

        // Comware's own `peer ignore` on the leaf.
        await run(comware, ["peer 10.98.0.1 ignore"])
        let leafIdle = await eventually { await leafRow().hasSuffix(" Idle") }
        let leafIdleRow = await leafRow()
        XCTAssertTrue(leafIdle, leafIdleRow)
        let coreDown = await eventually { await !coreRow().contains("Established") }
        XCTAssertTrue(coreDown)
    }
}
