import XCTest
import BGPWire
import Kernel
import CLIEngine
import Device
@testable import HuaweiVRP
@testable import H3CComware

/// A VRP core and a Comware leaf in namespaces of their own (`plt-vendortimers-<pid>-…`, one veth pair between
/// them): the hold and keepalive times they negotiate, as both verbose displays show them, and what a timer
/// change does to a running session on each vendor.
final class VendorTimerLiveTests: CoreLeafFabricTestCase {
    override class var namespacePrefix: String { "plt-vendortimers" }

    /// The timer lines of a verbose display, without the indentation.
    static func timerLines(_ verbose: [String]) -> [String] {
        verbose.map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("Configured: Active") || $0.hasPrefix("Received  :") || $0.hasPrefix("Negotiated:") }
    }

    static func portLine(_ verbose: [String]) -> String? { verbose.first { $0.contains("Port:") } }

    func testVRPTimersAndComwareDefaultsNegotiateHold30Keepalive10() async throws {
        let (core, leaf) = makeCoreAndLeaf()
        let vrp = HuaweiVRP.personality.session(on: core)
        let comware = H3CComware.personality.session(on: leaf)
        await run(vrp, ["system-view", "interface Vlanif98", "ip address 10.98.0.1 24", "quit", "bgp 65001", "router-id 1.1.1.1",
                        "timer keepalive 10 hold 30", "peer 10.98.0.2 as-number 65009"])
        await run(comware, ["system-view", "interface Vlan-interface98", "ip address 10.98.0.2 24", "quit", "bgp 65009",
                            "router-id 2.2.2.2", "peer 10.98.0.1 as-number 65001"])
        func coreVerbose() async -> [String] { await run(vrp, ["display bgp peer 10.98.0.2 verbose"]) }
        func leafVerbose() async -> [String] { await run(comware, ["display bgp peer ipv4 10.98.0.1 verbose"]) }

        let up = await eventually { await coreVerbose().contains { $0.hasPrefix(" BGP current state: Established") } }
        let upLines = await coreVerbose()
        XCTAssertTrue(up, "\(upLines)")
        let leafUp = await eventually { await leafVerbose().contains { $0.contains("BGP current state: Established") } }
        let leafUpLines = await leafVerbose()
        XCTAssertTrue(leafUp, "\(leafUpLines)")

        let coreLines = await coreVerbose()
        XCTAssertEqual(Self.timerLines(coreLines), [
            "Configured: Active Hold Time: 30 sec   Keepalive Time:10 sec",
            "Received  : Active Hold Time: 180 sec",
            "Negotiated: Active Hold Time: 30 sec   Keepalive Time:10 sec",
        ])
        let leafLines = await leafVerbose()
        XCTAssertEqual(Self.timerLines(leafLines), [
            "Configured: Active Hold Time: 180 sec   Keepalive Time: 60 sec",
            "Received  : Active Hold Time: 30 sec",
            "Negotiated: Active Hold Time: 30 sec   Keepalive Time: 10 sec",
        ])

        // Comware 7 keeps the running session: same TCP connection, same negotiated timers, new Configured line.
        let port = Self.portLine(leafLines)
        XCTAssertNotNil(port)
        await run(comware, ["timer keepalive 20 hold 60"])
        try await Task.sleep(nanoseconds: 2_000_000_000)
        let kept = await leafVerbose()
        XCTAssertEqual(Self.portLine(kept), port, "a Comware timer change closes no session")
        XCTAssertEqual(Self.timerLines(kept), [
            "Configured: Active Hold Time: 60 sec   Keepalive Time: 20 sec",
            "Received  : Active Hold Time: 30 sec",
            "Negotiated: Active Hold Time: 30 sec   Keepalive Time: 10 sec",
        ])

        // VRP drops the session to renegotiate: the new one runs on the leaf's 60/20 against the core's 180/60.
        await run(vrp, ["undo timer"])
        let renegotiated = await eventually {
            await Self.timerLines(coreVerbose()).last == "Negotiated: Active Hold Time: 60 sec   Keepalive Time:20 sec"
        }
        let after = await coreVerbose()
        XCTAssertTrue(renegotiated, "\(after)")
        XCTAssertEqual(Self.timerLines(after), [
            "Configured: Active Hold Time: 180 sec   Keepalive Time:60 sec",
            "Received  : Active Hold Time: 60 sec",
            "Negotiated: Active Hold Time: 60 sec   Keepalive Time:20 sec",
        ])
        let leafAgain = await eventually {
            await Self.timerLines(leafVerbose()).last == "Negotiated: Active Hold Time: 60 sec   Keepalive Time: 20 sec"
        }
        let leafAfter = await leafVerbose()
        XCTAssertTrue(leafAgain, "\(leafAfter)")
        XCTAssertNotEqual(Self.portLine(leafAfter), port, "a new TCP connection")
    }
}
