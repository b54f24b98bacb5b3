import XCTest
import BGPWire
import BGPSpeaker
import BGPDaemon
import CLIEngine
import Device
@testable import HuaweiVRP
@testable import H3CComware
@testable import Quagga

/// Keepalive and hold timers on the three personalities: the 60/180 defaults every vendor proposes, the timer
/// commands with their undo/no forms and refusals, where they show in the configuration text, what the speaker is
/// given, and the Configured / Received / Negotiated lines of the verbose displays.
final class VendorTimerTests: XCTestCase {
    static func v4(_ s: String) -> IPv4Address { IPv4Address(s)! }

    /// The speaker's peers for a device's running configuration, as `NetworkDevice` builds them.
    static func speakerPeers(_ d: NetworkDevice) -> [PeerConfig] {
        d.config.bgpdConfig(installRoutes: false, timerChangeResetsSession: RunningConfig.timerChangeResetsSession(kind: d.kind))?.peers ?? []
    }

    static func timers(_ peers: [PeerConfig]) -> [String] { peers.map { "\($0.keepaliveTime)/\($0.holdTime)" } }

    // MARK: Defaults

    func testEveryVendorProposes180And60UnlessConfigured() async {
        let vrp = VRPConsole()
        await vrp.type(["system-view", "bgp 65001", "peer 10.98.0.2 as-number 65009"])
        let comware = ComwareConsole()
        await comware.type(["system-view", "bgp 65009", "peer 10.98.0.1 as-number 65001"])
        let quagga = NetworkDevice(kind: "quagga", config: RunningConfig(hostname: "router"), offline: true)
        defer { quagga.shutdown() }
        let vtysh = Quagga.personality.session(on: quagga)
        for l in ["configure terminal", "router bgp 65011", "neighbor 10.98.0.1 remote-as 65001"] { _ = await vtysh.execute(line: l) }

        for d in [vrp.device, comware.device, quagga] {
            let peers = Self.speakerPeers(d)
            XCTAssertEqual(Self.timers(peers), ["60/180"], d.kind)
            XCTAssertEqual(peers.map(\.connectRetryTime), [BGPTimers.connectRetry], "the lab's fast retry stays (\(d.kind))")
        }
        XCTAssertEqual(Self.speakerPeers(vrp.device).map(\.timerChangeResetsSession), [true], "VRP renegotiates at once")
        XCTAssertEqual(Self.speakerPeers(comware.device).map(\.timerChangeResetsSession), [false], "Comware 7 waits for the next session")
        XCTAssertEqual(Self.speakerPeers(quagga).map(\.timerChangeResetsSession), [false], "Quagga waits for the next session")

        // Nothing configured: the configuration text has no timer line.
        XCTAssertFalse(VRPConfiguration.text(vrp.device.config).contains("timer"))
        XCTAssertFalse(ComwareConfiguration.text(comware.device.config).contains("timer"))
        XCTAssertFalse(ConfigText.running(quagga).contains { $0.contains("timers") })
    }

    // MARK: VRP

    func testVRPTimerCommandsConfigTextAndUndo() async {
        let c = VRPConsole()
        await c.type(["system-view", "bgp 65001", "router-id 1.1.1.1", "peer 10.98.0.2 as-number 65009",
                      "peer 10.98.0.3 as-number 65009", "peer 10.98.0.3 ebgp-max-hop 2",
                      "timer keepalive 10 hold 30", "peer 10.98.0.3 timer keepalive 20 hold 60", "peer 10.98.0.3 password cipher k"])
        let text = VRPConfiguration.lines(c.device.config)
        let bgp = text.firstIndex(of: "bgp 65001")!
        XCTAssertEqual(Array(text[bgp...(bgp + 8)]), [
            "bgp 65001",
            " router-id 1.1.1.1",
            " timer keepalive 10 hold 30",
            " peer 10.98.0.2 as-number 65009",
            " peer 10.98.0.3 as-number 65009",
            " peer 10.98.0.3 ebgp-max-hop 2",
            " peer 10.98.0.3 timer keepalive 20 hold 60",
            " peer 10.98.0.3 password cipher " + PasswordCipher.vrp.encode("k"),
            " #",
        ])
        let this = await c.type(["display this"])
        XCTAssertTrue(this.contains(" timer keepalive 10 hold 30"), "\(this)")
        XCTAssertTrue(this.contains(" peer 10.98.0.3 timer keepalive 20 hold 60"))
        XCTAssertEqual(Self.timers(Self.speakerPeers(c.device)), ["10/30", "20/60"], "a peer's own timers win over the instance's")

        // The saved text replays to the same timers.
        let replayed = NetworkDevice(kind: HuaweiVRP.kind, config: RunningConfig(hostname: "HUAWEI"), offline: true)
        defer { replayed.shutdown() }
        let problems = await HuaweiVRP.personality.replay(VRPConfiguration.text(c.device.config), on: replayed)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(replayed.config.bgp?.timers, c.device.config.bgp?.timers)
        XCTAssertEqual(replayed.config.bgp?.peer(Self.v4("10.98.0.3"))?.timers, BGPTimers(keepalive: 20, hold: 60))

        await c.type(["undo peer 10.98.0.3 timer"])
        XCTAssertEqual(Self.timers(Self.speakerPeers(c.device)), ["10/30", "10/30"], "undo peer timer falls back to the instance's")
        await c.type(["undo timer keepalive 10 hold 30"])
        XCTAssertEqual(Self.timers(Self.speakerPeers(c.device)), ["60/180", "60/180"])
        XCTAssertFalse(VRPConfiguration.text(c.device.config).contains("timer"))
        await c.type(["timer keepalive 0 hold 0", "peer 10.98.0.2 timer keepalive 30 hold 0"])
        XCTAssertEqual(Self.timers(Self.speakerPeers(c.device)), ["30/0", "0/0"], "hold 0 (no keepalives) takes any keepalive")
        await c.type(["undo timer"])
        XCTAssertNil(c.device.config.bgp?.timers)
    }

    func testVRPRefusesHoldTimesItCannotUse() async {
        let c = VRPConsole()
        await c.type(["system-view", "bgp 65001", "peer 10.98.0.2 as-number 65009", "timer keepalive 10 hold 30"])
        // `[HUAWEI-bgp]` is 12 columns; the caret sits under the hold value.
        let caret = { (column: Int) in [String(repeating: " ", count: 12 + column) + "^", "Error: Wrong parameter found at '^' position."] }
        let two = await c.run("timer keepalive 0 hold 2")
        XCTAssertEqual(two.lines, caret(23), "hold 1 and 2 are not hold times")
        let short = await c.run("timer keepalive 30 hold 60")
        XCTAssertEqual(short.lines, caret(24), "hold under three keepalives")
        let peerShort = await c.run("peer 10.98.0.2 timer keepalive 30 hold 89")
        XCTAssertEqual(peerShort.lines, caret(39))
        let keepalive = await c.run("timer keepalive 21846 hold 65535")
        XCTAssertTrue(keepalive.refused && keepalive.lines.last == "Error: Wrong parameter found at '^' position.", "\(keepalive.lines)")
        XCTAssertEqual(c.device.config.bgp?.timers, BGPTimers(keepalive: 10, hold: 30), "a refused line changes nothing")
        let missing = await c.run("peer 10.98.0.9 timer keepalive 10 hold 30")
        XCTAssertEqual(missing.lines, [Edits.peerMissing])
        let undoMissing = await c.run("undo peer 10.98.0.9 timer")
        XCTAssertEqual(undoMissing.lines, [Edits.peerMissing])
    }

    // MARK: Comware

    func testComwareTimerCommandsConfigTextAndUndo() async {
        let c = ComwareConsole()
        await c.type(["system-view", "bgp 65009", "router-id 2.2.2.2", "peer 10.98.0.1 as-number 65001",
                      "peer 10.98.0.1 connect-interface LoopBack0", "timer keepalive 20 hold 60",
                      "peer 10.98.0.1 timer keepalive 10 hold 30", "address-family ipv4", "peer 10.98.0.1 enable", "quit"])
        let text = ComwareConfiguration.lines(c.device.config)
        let bgp = text.firstIndex(of: "bgp 65009")!
        XCTAssertEqual(Array(text[bgp...(bgp + 5)]), [
            "bgp 65009",
            " router-id 2.2.2.2",
            " timer keepalive 20 hold 60",
            " peer 10.98.0.1 as-number 65001",
            " peer 10.98.0.1 connect-interface LoopBack0",
            " peer 10.98.0.1 timer keepalive 10 hold 30",
        ])
        let this = await c.type(["display this"])
        XCTAssertTrue(this.contains(" timer keepalive 20 hold 60"), "\(this)")
        XCTAssertEqual(Self.timers(Self.speakerPeers(c.device)), ["10/30"])

        let replayed = NetworkDevice(kind: H3CComware.kind, config: RunningConfig(hostname: "H3C"), offline: true)
        defer { replayed.shutdown() }
        let problems = await H3CComware.personality.replay(ComwareConfiguration.text(c.device.config), on: replayed)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(Self.timers(Self.speakerPeers(replayed)), ["10/30"])

        await c.type(["undo peer 10.98.0.1 timer"])
        XCTAssertEqual(Self.timers(Self.speakerPeers(c.device)), ["20/60"])
        await c.type(["undo timer"])
        XCTAssertEqual(Self.timers(Self.speakerPeers(c.device)), ["60/180"])
        XCTAssertFalse(ComwareConfiguration.text(c.device.config).contains("timer"))

        let bad = await c.session.execute(line: "timer keepalive 60 hold 179")
        XCTAssertEqual(bad.lines.last, " % Wrong parameter found at '^' position.")
        let one = await c.session.execute(line: "peer 10.98.0.1 timer keepalive 0 hold 1")
        XCTAssertEqual(one.lines.last, " % Wrong parameter found at '^' position.")
        XCTAssertNil(c.device.config.bgp?.timers)
        XCTAssertNil(c.device.config.bgp?.peer(Self.v4("10.98.0.1"))?.timers)
    }

    // MARK: Quagga

    func testQuaggaTimersStoredAsQuaggaStoresThem() async {
        let d = NetworkDevice(kind: "quagga", config: RunningConfig(hostname: "router"), offline: true)
        defer { d.shutdown() }
        let s = Quagga.personality.session(on: d)
        func run(_ line: String) async -> Reply { await s.execute(line: line) }
        for l in ["configure terminal", "router bgp 65011", "redistribute connected", "neighbor 10.91.20.1 remote-as 65009",
                  "neighbor 10.91.20.1 update-source 10.91.20.2", "neighbor 10.91.20.1 route-reflector-client",
                  "timers bgp 20 60", "neighbor 10.91.20.1 timers 60 30"] {
            let r = await run(l)
            XCTAssertFalse(r.refused, "\(l): \(r.lines)")
        }
        let body = ConfigText.bgpLines(d.config.bgp!)
        XCTAssertEqual(body, [
            "router bgp 65011",
            " redistribute connected",
            " timers bgp 20 60",
            " neighbor 10.91.20.1 remote-as 65009",
            " neighbor 10.91.20.1 update-source 10.91.20.2",
            " neighbor 10.91.20.1 timers 10 30",
            " neighbor 10.91.20.1 route-reflector-client",
        ], "the keepalive is kept as at most a third of the hold time, as bgpd stores it")
        XCTAssertEqual(Self.timers(Self.speakerPeers(d)), ["10/30"])

        // What `write memory` saves replays to the same timers.
        let replayed = NetworkDevice(kind: "quagga", config: RunningConfig(hostname: "router"), offline: true)
        defer { replayed.shutdown() }
        let problems = await Quagga.personality.replay(ConfigText.saved(d).joined(separator: "\n"), on: replayed)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(replayed.config.bgp?.timers, BGPTimers(keepalive: 20, hold: 60))
        XCTAssertEqual(Self.timers(Self.speakerPeers(replayed)), ["10/30"])

        let hold = await run("timers bgp 5 2")
        XCTAssertEqual(hold.lines, ["% hold time value must be either 0 or greater than 3"])
        let peerHold = await run("neighbor 10.91.20.1 timers 5 1")
        XCTAssertEqual(peerHold.lines, ["% Invalid value"])
        let missing = await run("neighbor 10.91.20.9 timers 5 15")
        XCTAssertEqual(missing.lines, ["% Specify remote-as or peer-group commands first"])

        _ = await run("no neighbor 10.91.20.1 timers")
        XCTAssertEqual(Self.timers(Self.speakerPeers(d)), ["20/60"])
        _ = await run("no timers bgp 20 60")
        XCTAssertEqual(Self.timers(Self.speakerPeers(d)), ["60/180"])
        XCTAssertFalse(ConfigText.running(d).contains { $0.contains("timers") })
    }

    // MARK: Displays

    static func established(keepalive: UInt16, hold: UInt16, received: UInt16) -> BGPPeerSummary {
        let n = Negotiation(holdTime: hold, keepaliveTime: keepalive, remoteAS: 65009, remoteRouterID: v4("2.2.2.2"), fourOctetAS: true,
                            families: [.ipv4Unicast], peerGracefulRestart: nil, routeRefresh: true, peerHoldTime: received)
        return BGPPeerSummary(address: v4("10.98.0.2"), remoteAS: 65009, state: .established, upDownSeconds: 61,
                              session: BgpdStatus.Session(localAddress: .v4(v4("10.98.0.1")), localPort: 179, remotePort: 40000, negotiation: n))
    }

    func testVRPVerboseTimerLines() {
        let up = VRPDisplay.bgpPeerVerbose(Self.established(keepalive: 10, hold: 30, received: 180), localAS: 65001, settings: nil,
                                           timers: BGPTimers(keepalive: 10, hold: 30))
        let at = up.firstIndex(of: " Configured: Connect-retry Time: \(BGPTimers.connectRetry) sec")!
        XCTAssertEqual(Array(up[at...(at + 3)]), [
            " Configured: Connect-retry Time: 5 sec",
            " Configured: Active Hold Time: 30 sec   Keepalive Time:10 sec",
            " Received  : Active Hold Time: 180 sec",
            " Negotiated: Active Hold Time: 30 sec   Keepalive Time:10 sec",
        ])
        let down = VRPDisplay.bgpPeerVerbose(BGPPeerSummary(address: Self.v4("10.98.0.2"), remoteAS: 65009, state: .active, upDownSeconds: 3),
                                             localAS: 65001, settings: nil)
        XCTAssertTrue(down.contains(" Configured: Active Hold Time: 180 sec   Keepalive Time:60 sec"))
        XCTAssertFalse(down.contains { $0.hasPrefix(" Received  :") || $0.hasPrefix(" Negotiated:") }, "no session, nothing received")
    }

    func testComwareVerboseTimerLines() {
        let up = ComwareDisplay.bgpPeerVerbose(Self.established(keepalive: 10, hold: 30, received: 30), localAS: 65009,
                                               routerID: Self.v4("2.2.2.2"), enabled: true)
        let pad = "        "
        let at = up.firstIndex(of: pad + "Configured: Active Hold Time: 180 sec   Keepalive Time: 60 sec")!
        XCTAssertEqual(up[at + 1], pad + "Received  : Active Hold Time: 30 sec")
        XCTAssertEqual(up[at + 2], pad + "Negotiated: Active Hold Time: 30 sec   Keepalive Time: 10 sec")
    }

    func testQuaggaNeighborTimerLines() {
        var bgp = BGPInstance(asn: 65011)
        bgp.timers = BGPTimers(keepalive: 20, hold: 60)
        var configured = BGPPeerSettings(address: Self.v4("10.98.0.2"), remoteAS: 65009, ipv4Enabled: true)
        configured.timers = BGPTimers(keepalive: 10, hold: 30)
        bgp.peers = [configured, BGPPeerSettings(address: Self.v4("10.98.0.3"), remoteAS: 65009, ipv4Enabled: true)]
        let down = BGPPeerSummary(address: Self.v4("10.98.0.3"), remoteAS: 65009, state: .active, upDownSeconds: 3)
        let state = BGPState(routerID: Self.v4("1.1.1.1"), asn: 65011, peers: [Self.established(keepalive: 10, hold: 30, received: 180), down],
                             entries: [])
        let up = NeighborView.render(state, config: bgp, only: Self.v4("10.98.0.2"))
        XCTAssertEqual(Array(up[2...4]), [
            "  BGP state = Established, up for 00:01:01",
            "  Last read 00:00:00, hold time is 30, keepalive interval is 10 seconds",
            "  Configured hold time is 30, keepalive interval is 10 seconds",
        ])
        let idle = NeighborView.render(state, config: bgp, only: Self.v4("10.98.0.3"))
        XCTAssertEqual(idle[3], "  Last read never, hold time is 60, keepalive interval is 20 seconds", "timers bgp applies to it")
        XCTAssertFalse(idle.contains { $0.hasPrefix("  Configured hold time") }, "only per-neighbor timers are listed as configured")
    }
}

/// What the speaker does with a timer change on a running peer: reset (VRP, bgpd files) or keep the session.
final class TimerChangeResetTests: XCTestCase {
    func testOnlyResettingKindsResetOnTimerChange() {
        let old = PeerConfig(address: IPAddress("10.98.0.2")!, remoteAS: 65009, holdTime: 180, keepaliveTime: 60)
        var kept = old
        kept.timerChangeResetsSession = false
        kept.holdTime = 30
        kept.keepaliveTime = 10
        XCTAssertFalse(old.needsReset(becoming: kept), "Comware/Quagga: the next OPEN carries the new timers")
        var resetting = kept
        resetting.timerChangeResetsSession = true
        XCTAssertTrue(old.needsReset(becoming: resetting), "VRP: renegotiate now")
        var password = kept
        password.password = "k"
        XCTAssertTrue(old.needsReset(becoming: password), "other session settings still reset")
    }
}
