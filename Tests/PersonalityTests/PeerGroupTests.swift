import XCTest
import BGPWire
import BGPSpeaker
import CLIEngine
import Device
@testable import HuaweiVRP
@testable import H3CComware
@testable import Quagga

/// Peer groups on the three personalities, offline: options typed on a group, what members inherit (and what
/// the speaker would run), the configuration text with the group before its members, and the undo/no forms.
final class PeerGroupTests: XCTestCase {
    let member = IPv4Address("10.0.0.11")!
    let ownAS = IPv4Address("10.0.0.12")!

    /// The speaker's view of one peer: what `bgpdConfig` hands the daemon.
    func running(_ d: NetworkDevice, _ address: IPv4Address) -> PeerConfig? {
        d.config.bgpdConfig(installRoutes: false)?.peers.first { $0.address == .v4(address) }
    }

    // MARK: VRP

    func testVRPGroupOptionsReachMembersAndRenderBeforeThem() async {
        let c = VRPConsole()
        await c.type(["system-view", "interface LoopBack0", "ip address 10.0.0.1 32", "quit", "bgp 65000",
                      "group rr-clients internal", "peer rr-clients connect-interface LoopBack0",
                      "peer rr-clients password cipher grp-key", "peer rr-clients timer keepalive 10 hold 30",
                      "peer 10.0.0.11 group rr-clients", "peer 10.0.0.12 as-number 65000", "peer 10.0.0.12 group rr-clients",
                      "peer 10.0.0.12 timer keepalive 20 hold 60", "ipv4-family unicast", "peer rr-clients reflect-client"])
        let bgp = c.device.config.bgp!
        XCTAssertEqual(bgp.peer(member)?.reflectClient, false, "the member's own setting is untouched: it inherits")
        let m = running(c.device, member)
        XCTAssertEqual(m?.remoteAS, 65000, "an internal group's member runs in the local AS")
        XCTAssertEqual(m?.routeReflectorClient, true)
        XCTAssertEqual(m?.sourceAddress, .v4(IPv4Address("10.0.0.1")!), "connect-interface LoopBack0 from the group")
        XCTAssertEqual(m?.password, "grp-key")
        XCTAssertEqual(m.map { [$0.keepaliveTime, $0.holdTime] }, [10, 30])
        XCTAssertEqual(running(c.device, ownAS).map { [$0.keepaliveTime, $0.holdTime] }, [20, 60], "the member's own timers win")

        let text = VRPConfiguration.lines(c.device.config)
        let cipher = PasswordCipher.vrp.encode("grp-key")
        let bgpBlock = Array(text.drop(while: { $0 != "bgp 65000" }))
        XCTAssertEqual(Array(bgpBlock.prefix(13)), [
            "bgp 65000",
            " group rr-clients internal",
            " peer rr-clients connect-interface LoopBack0",
            " peer rr-clients timer keepalive 10 hold 30",
            " peer rr-clients password cipher \(cipher)",
            " peer 10.0.0.11 group rr-clients",
            " peer 10.0.0.12 as-number 65000",
            " peer 10.0.0.12 group rr-clients",
            " peer 10.0.0.12 timer keepalive 20 hold 60",
            " #",
            " ipv4-family unicast",
            "  peer rr-clients enable",
            "  peer rr-clients reflect-client",
        ])
        XCTAssertEqual(Array(bgpBlock.dropFirst(13).prefix(2)), ["  peer 10.0.0.11 enable", "  peer 10.0.0.12 enable"])
        await c.replaySavedText()

        // `display this` in the bgp view shows the same block.
        let this = await c.run("display this")
        XCTAssertTrue(this.lines.contains("  peer rr-clients reflect-client"), this.text)
    }

    func testVRPUnknownGroupAndUndo() async {
        let c = VRPConsole()
        await c.type(["system-view", "bgp 65000"])
        let unknown = await c.run("peer nosuch reflect-client")
        XCTAssertTrue(unknown.refused)
        XCTAssertEqual(unknown.lines.last, "Error: The specified peer group does not exist.")
        let join = await c.run("peer 10.0.0.11 group nosuch")
        XCTAssertEqual(join.lines.last, "Error: The specified peer group does not exist.")

        await c.type(["group rr-clients", "peer rr-clients reflect-client", "peer 10.0.0.11 group rr-clients",
                      "peer 10.0.0.12 as-number 65000", "peer 10.0.0.12 group rr-clients", "peer 10.0.0.13 group rr-clients"])
        XCTAssertEqual(running(c.device, member)?.routeReflectorClient, true)

        // Leaving the group: a member with no AS of its own is deleted with its membership.
        await c.type(["undo peer 10.0.0.13 group rr-clients"])
        XCTAssertNil(c.device.config.bgp?.peer(IPv4Address("10.0.0.13")!))
        let notMember = await c.run("undo peer 10.0.0.12 group other")
        XCTAssertTrue(notMember.refused)

        // Deleting the group: the member with its own AS stays as a plain peer without the group's options.
        await c.type(["undo group rr-clients"])
        let bgp = c.device.config.bgp!
        XCTAssertEqual(bgp.groups, [])
        XCTAssertNil(bgp.peer(member), "a member that ran on the group's AS is deleted")
        XCTAssertEqual(bgp.peer(ownAS)?.group, nil)
        XCTAssertEqual(running(c.device, ownAS)?.routeReflectorClient, false)
        XCTAssertFalse(VRPConfiguration.text(c.device.config).contains("rr-clients"))
    }

    // MARK: Comware

    func testComwareGroupEnableAndReflectClientInTheFamily() async {
        let c = ComwareConsole()
        await c.type(["system-view", "bgp 65009", "group leaves external", "peer leaves as-number 65010",
                      "peer leaves description leaf switches", "peer 10.98.0.2 group leaves", "peer 10.98.0.3 group leaves"])
        XCTAssertEqual(running(c.device, IPv4Address("10.98.0.2")!)?.families, [], "Comware: nothing until the group is enabled")
        await c.type(["address-family ipv4 unicast", "peer leaves enable", "peer leaves next-hop-local"])
        let m = running(c.device, IPv4Address("10.98.0.2")!)
        XCTAssertEqual(m?.families, [.ipv4Unicast])
        XCTAssertEqual(m?.nextHopSelf, true)
        XCTAssertEqual(m?.remoteAS, 65010)
        XCTAssertEqual(m?.description, "leaf switches")

        let text = ComwareConfiguration.lines(c.device.config)
        let bgpBlock = Array(text.drop(while: { $0 != "bgp 65009" }))
        XCTAssertEqual(Array(bgpBlock.prefix(10)), [
            "bgp 65009",
            " group leaves external",
            " peer leaves as-number 65010",
            " peer leaves description leaf switches",
            " peer 10.98.0.2 group leaves",
            " peer 10.98.0.3 group leaves",
            " #",
            " address-family ipv4 unicast",
            "  peer leaves enable",
            "  peer leaves next-hop-local",
        ])
        XCTAssertFalse(bgpBlock.contains("  peer 10.98.0.2 enable"), "members are enabled through the group")

        let replayed = NetworkDevice(kind: H3CComware.kind, config: RunningConfig(hostname: "H3C"), offline: true)
        defer { replayed.shutdown() }
        let problems = await H3CComware.personality.replay(ComwareConfiguration.text(c.device.config), on: replayed)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(replayed.config, c.device.config)

        let unknown = await c.session.execute(line: "peer spines enable")
        XCTAssertTrue(unknown.refused)
        await c.type(["quit", "undo group leaves"])
        XCTAssertEqual(c.device.config.bgp?.peers.map(\.address), [], "members without their own AS went with the group")
    }

    // MARK: Quagga

    func quagga() -> (NetworkDevice, Session<NetworkDevice>) {
        let d = NetworkDevice(kind: "quagga", config: RunningConfig(hostname: Quagga.defaultHostname), offline: true)
        return (d, Quagga.personality.session(on: d))
    }

    func testQuaggaPeerGroupRunningConfigAndInheritance() async throws {
        let (d, s) = quagga()
        defer { d.shutdown() }
        for line in ["configure terminal", "router bgp 65000", "neighbor RR peer-group", "neighbor RR remote-as 65000",
                     "neighbor RR update-source 10.0.0.1", "neighbor RR route-reflector-client",
                     "neighbor 10.0.0.11 peer-group RR", "neighbor 10.0.0.12 remote-as 65000", "neighbor 10.0.0.12 peer-group RR",
                     "neighbor 10.0.0.12 description own-line"] {
            let r = await s.execute(line: line)
            XCTAssertFalse(r.refused, "\(line): \(r.lines)")
        }
        let m = running(d, member)
        XCTAssertEqual(m?.remoteAS, 65000)
        XCTAssertEqual(m?.routeReflectorClient, true)
        XCTAssertEqual(m?.sourceAddress, .v4(IPv4Address("10.0.0.1")!))

        let text = ConfigText.running(d)
        let start = try XCTUnwrap(text.firstIndex(of: "router bgp 65000"))
        XCTAssertEqual(Array(text[start...].prefix(10)), [
            "router bgp 65000",
            " neighbor RR peer-group",
            " neighbor RR remote-as 65000",
            " neighbor RR update-source 10.0.0.1",
            " neighbor RR route-reflector-client",
            " neighbor 10.0.0.11 peer-group RR",
            " neighbor 10.0.0.12 remote-as 65000",
            " neighbor 10.0.0.12 peer-group RR",
            " neighbor 10.0.0.12 description own-line",
            "!",
        ])

        let replayed = NetworkDevice(kind: "quagga", config: RunningConfig(hostname: Quagga.defaultHostname), offline: true)
        defer { replayed.shutdown() }
        let problems = await Quagga.personality.replay(text.joined(separator: "\n"), on: replayed)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(replayed.config, d.config)

        let unknown = await s.execute(line: "neighbor 10.0.0.13 peer-group NOPE")
        XCTAssertEqual(unknown.lines, ["% Configure the peer-group first"])
        let noAS = await s.execute(line: "neighbor NOAS peer-group")
        XCTAssertFalse(noAS.refused)
        let orphan = await s.execute(line: "neighbor 10.0.0.14 peer-group NOAS")
        XCTAssertEqual(orphan.lines, ["% Specify remote-as or peer-group remote AS first"])

        // `no neighbor X peer-group G` deletes a member that ran on the group's AS; `no neighbor G peer-group`
        // deletes the group and its members (Quagga's peer_group_delete).
        _ = await s.execute(line: "no neighbor 10.0.0.11 peer-group RR")
        XCTAssertNil(d.config.bgp?.peer(member))
        _ = await s.execute(line: "no neighbor RR peer-group")
        XCTAssertEqual(d.config.bgp?.groups.map(\.name), ["NOAS"])
        XCTAssertNil(d.config.bgp?.peer(ownAS))
        // `no neighbor WORD` deletes a group too.
        _ = await s.execute(line: "no neighbor NOAS")
        XCTAssertEqual(d.config.bgp?.groups, [])
        XCTAssertFalse(ConfigText.running(d).contains { $0.contains("peer-group") })
    }
}
