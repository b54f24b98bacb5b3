import XCTest
import BGPWire
import Kernel
import CLIEngine
import Device
@testable import HuaweiVRP
@testable import H3CComware

/// A VRP core reflecting for two Comware leaves it configures only as members of one IBGP group
/// (`plt-vendorgrp-<pid>-…`): the fixture's leaf on VLAN 98 and a second leaf on a veth pair of this test's
/// own standing in for VLAN 99. `reflect-client` is typed on the group while the sessions run.
final class PeerGroupLiveTests: CoreLeafFabricTestCase {
    override class var namespacePrefix: String { "plt-vendorgrp" }

    func testGroupReflectClientReachesRunningMembersAndReflects() async throws {
        let leaf2NS = try NetworkNamespace.create("\(Self.namespacePrefix)-\(getpid())-leaf2")
        namespaces.append(leaf2NS)
        let a = try namespaces[0].netlink()
        try a.createVeth("vlanif99", peer: "vlanif99", peerNamespace: leaf2NS)
        try a.setLinkUp("vlanif99")
        let b = try leaf2NS.netlink()
        try b.setLinkUp("vlanif99")
        try b.setLinkUp("lo")

        let (core, leaf1) = makeCoreAndLeaf()
        let leaf2 = NetworkDevice(kind: H3CComware.kind, config: RunningConfig(hostname: "leaf02"), namespace: leaf2NS)
        devices.append(leaf2)
        let vrp = HuaweiVRP.personality.session(on: core)
        await run(vrp, ["system-view", "interface Vlanif98", "ip address 10.98.0.1 24", "interface Vlanif99",
                        "ip address 10.99.0.1 24", "quit", "bgp 65001", "router-id 1.1.1.1",
                        "group rr-clients internal", "peer 10.98.0.2 group rr-clients", "peer 10.99.0.2 group rr-clients"])
        let leaves = [(leaf1, 98, "2.2.2.2"), (leaf2, 99, "3.3.3.3")]
        var sessions: [Session<NetworkDevice>] = []
        for (leaf, vlan, loopback) in leaves {
            let net = "10.\(vlan).0"
            let s = H3CComware.personality.session(on: leaf)
            sessions.append(s)
            await run(s, ["system-view", "interface Vlan-interface\(vlan)", "ip address \(net).2 24",
                          "interface LoopBack0", "ip address \(loopback) 32", "quit", "bgp 65001", "router-id \(loopback)",
                          "peer \(net).1 as-number 65001", "address-family ipv4 unicast", "peer \(net).1 enable",
                          "network \(loopback) 32"])
        }
        func coreRows() async -> [String] { await run(vrp, ["display bgp peer"]).filter { $0.hasPrefix("  10.9") } }
        func leaf2Table() async -> [String] { await run(sessions[1], ["display bgp routing-table ipv4"]) }

        // Both members run on the group's AS (internal: the core's own) and come up.
        let up = await eventually { await coreRows().filter { $0.contains("Established") }.count == 2 }
        let rows = await coreRows()
        XCTAssertTrue(up, "\(rows)")
        XCTAssertTrue(rows.allSatisfy { $0.contains("65001") }, "\(rows)")

        // Without reflect-client the core keeps leaf01's route from leaf02 (IBGP split horizon).
        let learned = await eventually { await run(vrp, ["display bgp routing-table"]).contains { $0.contains("2.2.2.2/32") } }
        XCTAssertTrue(learned)
        try await Task.sleep(nanoseconds: 2_000_000_000)
        let before = await leaf2Table()
        XCTAssertFalse(before.contains { $0.contains("2.2.2.2/32") }, before.joined(separator: "\n"))

        // On the group, while the sessions run: leaf02 gets leaf01's loopback, reflected.
        await run(vrp, ["ipv4-family unicast", "peer rr-clients reflect-client", "quit"])
        let reflected = await eventually { await leaf2Table().contains { $0.contains("2.2.2.2/32") } }
        let after = await leaf2Table()
        XCTAssertTrue(reflected, after.joined(separator: "\n"))
        let row = after.first { $0.contains("2.2.2.2/32") } ?? ""
        XCTAssertTrue(row.contains("10.98.0.2"), "a reflector keeps leaf01's next hop: \(row)")
        let stillUp = await coreRows()
        XCTAssertEqual(stillUp.filter { $0.contains("Established") }.count, 2, "reflect-client resets no session: \(stillUp)")

        // `display bgp group`: the group's settings, both members in session, their rows as in `display bgp peer`.
        let group = await run(vrp, ["display bgp group rr-clients"])
        XCTAssertEqual(Array(group.prefix(5)), ["", " BGP peer-group: rr-clients", " Remote AS: 65001",
                                                " Authentication type configured: None", " Type : internal"])
        let session = group.firstIndex(of: " PeerSession Members:").map { group[$0 + 1] } ?? ""
        XCTAssertEqual(session, "   10.98.0.2          10.99.0.2")
        XCTAssertEqual(group.filter { $0.hasPrefix("  10.9") && $0.contains("Established") }.count, 2, "\(group)")
        let missing = await vrp.execute(line: "display bgp group nosuch")
        XCTAssertEqual(missing.lines.last, "Error: The specified peer group does not exist.")

        // What `save` stores replays to the same configuration.
        let saved = VRPConfiguration.text(core.config)
        XCTAssertTrue(saved.contains("  peer rr-clients reflect-client"), saved)
        let replayed = NetworkDevice(kind: HuaweiVRP.kind, config: RunningConfig(hostname: HuaweiVRP.defaultHostname), offline: true)
        defer { replayed.shutdown() }
        let problems = await HuaweiVRP.personality.replay(saved, on: replayed)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(replayed.config, core.config)
        XCTAssertEqual(replayed.config.bgpdConfig(installRoutes: false), core.config.bgpdConfig(installRoutes: false))
    }
}
