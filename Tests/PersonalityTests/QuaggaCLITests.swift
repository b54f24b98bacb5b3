import XCTest
import CLIEngine
import BGPWire
import Device
import Kernel
@testable import Quagga

/// vtysh behaviour: modes and prompts, `%` errors, `no` forms, running-config, `write memory` and startup replay.
final class QuaggaCLITests: XCTestCase {
    var rigs: [QuaggaRig] = []

    override func tearDown() {
        for r in rigs { r.close() }
        rigs = []
    }

    /// One line's output against what Quagga prints.
    func expect(_ r: QuaggaRig, _ line: String, _ expected: [String], file: StaticString = #filePath, line number: UInt = #line) async {
        let got = await r.lines(line)
        XCTAssertEqual(got, expected, line, file: file, line: number)
    }

    func rig(appliesKernel: Bool = false) throws -> QuaggaRig {
        let r = try QuaggaRig(appliesKernel: appliesKernel)
        rigs.append(r)
        return r
    }

    /// The seed-002 router: two Calico route reflectors as eBGP neighbors, and a few settings of every kind.
    static let seedLines = [
        "configure terminal",
        "hostname bgp-router",
        "interface eth0",
        "description to k8s nodes",
        "ip address 172.31.13.116/24",
        "exit",
        "interface lo",
        "ip address 10.255.0.1/32",
        "exit",
        "ip route 10.0.0.0/8 blackhole",
        "ip route 192.168.0.0/16 172.31.13.1",
        "router bgp 7675",
        "bgp router-id 172.31.13.116",
        "network 10.255.0.1/32",
        "redistribute static",
        "neighbor 172.31.13.27 remote-as 64512",
        "neighbor 172.31.13.27 description k8s-1",
        "neighbor 172.31.13.27 password s3cret",
        "neighbor 172.31.13.27 ebgp-multihop 2",
        "neighbor 172.31.13.28 remote-as 64512",
        "neighbor 172.31.13.28 update-source lo",
        "neighbor 172.31.13.28 ebgp-multihop",
        "address-family ipv4 unicast",
        "neighbor 172.31.13.28 next-hop-self",
        "neighbor 172.31.13.28 route-reflector-client",
        "exit-address-family",
        "end",
    ]

    static let seedRunningConfig = [
        "Building configuration...",
        "",
        "Current configuration:",
        "!",
        "hostname bgp-router",
        "!",
        "interface eth0",
        " description to k8s nodes",
        " ip address 172.31.13.116/24",
        "!",
        "interface lo",
        " ip address 10.255.0.1/32",
        "!",
        "router bgp 7675",
        " bgp router-id 172.31.13.116",
        " network 10.255.0.1/32",
        " redistribute static",
        " neighbor 172.31.13.27 remote-as 64512",
        " neighbor 172.31.13.27 description k8s-1",
        " neighbor 172.31.13.27 password s3cret",
        " neighbor 172.31.13.27 ebgp-multihop 2",
        " neighbor 172.31.13.28 remote-as 64512",
        " neighbor 172.31.13.28 ebgp-multihop",
        " neighbor 172.31.13.28 update-source lo",
        " neighbor 172.31.13.28 route-reflector-client",
        " neighbor 172.31.13.28 next-hop-self",
        "!",
        "ip route 10.0.0.0/8 blackhole",
        "ip route 192.168.0.0/16 172.31.13.1",
        "!",
        "line vty",
        "!",
        "end",
    ]

    func testCommandTableValidates() {
        let issues = Quagga.tree.validate(startView: "enable", abbreviations: [
            ("enable", "conf t"), ("enable", "sh ip bgp su"), ("enable", "sh ip bgp nei"), ("enable", "sh ip ro"),
            ("enable", "sh run"), ("enable", "wr mem"), ("config", "ro b 65001"), ("config-router", "nei 10.0.0.1 rem 65001"),
            ("config-router", "redis conn"), ("config-router", "add ipv4 uni"),
        ])
        XCTAssertEqual(issues, [])
    }

    func testQuestionMarkHelpAndTabCompletion() async throws {
        let r = try rig()
        XCTAssertEqual(r.session.describeLines(line: "show ip bgp "), [
            "  A.B.C.D    Network in the BGP routing table to display",
            "  A.B.C.D/M  IP prefix <network>/<length>, e.g., 35.0.0.0/8",
            "  neighbors  Detailed information on TCP and BGP neighbor connections",
            "  summary    Summary of BGP neighbor status",
            "  <cr>",
        ])
        XCTAssertEqual(r.session.describeLines(line: "sh"), ["  show  Show running system information"])
        XCTAssertEqual(r.session.describeLines(line: "xyz"), ["% There is no matched command."])
        XCTAssertEqual(r.session.complete(line: "show ip bgp n"), ["neighbors"])
        XCTAssertEqual(r.session.complete(line: "conf"), ["configure"])
        await r.run("conf t", "router bgp 7675")
        let options = r.session.describeLines(line: "neighbor 172.31.13.27 ")
        XCTAssertEqual(options.first, "  activate                Enable the Address Family for this Neighbor")
        XCTAssertTrue(options.contains("  update-source           Source of routing updates"))
        XCTAssertEqual(r.session.describeLines(line: "neighbor 172.31.13.27 ebgp-multihop "),
                       ["  (1-255)  maximum hop count", "  <cr>"])
    }

    func testModesAndPrompts() async throws {
        let r = try rig()
        XCTAssertEqual(r.session.prompt, "router# ")
        var reply = await r.run("conf t")
        XCTAssertEqual(reply.prompt, "router(config)# ")
        reply = await r.run("router bgp 7675")
        XCTAssertEqual(reply.prompt, "router(config-router)# ")
        reply = await r.run("address-family ipv4 unicast")
        XCTAssertEqual(reply.prompt, "router(config-router-af)# ")
        reply = await r.run("exit-address-family")
        XCTAssertEqual(reply.prompt, "router(config-router)# ")
        reply = await r.run("address-family ipv4")
        XCTAssertEqual(reply.prompt, "router(config-router-af)# ")
        reply = await r.run("exit")
        XCTAssertEqual(reply.prompt, "router(config-router)# ")
        reply = await r.run("exit")
        XCTAssertEqual(reply.prompt, "router(config)# ")
        reply = await r.run("interface eth0")
        XCTAssertEqual(reply.prompt, "router(config-if)# ")
        reply = await r.run("end")
        XCTAssertEqual(reply.prompt, "router# ")
        reply = await r.run("disable")
        XCTAssertEqual(reply.prompt, "router> ")
        await expect(r, "configure terminal", ["% Unknown command."])
        reply = await r.run("enable")
        XCTAssertEqual(reply.prompt, "router# ")
        reply = await r.run("conf t", "hostname edge")
        XCTAssertEqual(reply.prompt, "edge(config)# ")
        XCTAssertEqual(r.device.config.hostname, "edge")
        reply = await r.run("no hostname")
        XCTAssertEqual(reply.prompt, "router(config)# ")
        reply = await r.run("end", "exit")
        XCTAssertTrue(reply.ended)
    }

    func testPercentErrors() async throws {
        let r = try rig()
        await expect(r, "shw ip bgp", ["% Unknown command."])
        await expect(r, "show ip", ["% Command incomplete."])
        await expect(r, "co", ["% Ambiguous command."])
        await expect(r, "show ip bgp summary", ["No BGP process is configured"])
        await expect(r, "show ip bgp", ["No BGP process is configured"])
        await r.run("conf t", "router bgp 7675")
        await expect(r, "neighbor 172.31.13.27 description k8s-1", ["% Specify remote-as or peer-group commands first"])
        await expect(r, "no neighbor 172.31.13.27 next-hop-self", ["% Specify remote-as or peer-group commands first"])
        await expect(r, "no neighbor 172.31.13.27", ["% Create the peer-group or neighbor first"])
        await expect(r, "neighbor 172.31.13.999 remote-as 64512", ["% Unknown command."])
        await expect(r, "no network 10.9.0.0/16", ["% Can't find specified static route configuration."])
        await r.run("exit")
        let refused = await r.run("router bgp 65001")
        XCTAssertEqual(refused.lines, ["BGP is already running; AS is 7675"])
        XCTAssertEqual(refused.prompt, "router(config)# ")
        await expect(r, "no router bgp 65001", ["% Can't find BGP instance"])
        await expect(r, "no ip route 10.0.0.0/8 blackhole", ["% Can't find static route specified"])
        await r.run("interface eth0")
        await expect(r, "no ip address 10.0.0.1/24", ["% Can't find address"])
        await r.run("end")
        await expect(r, "show ip bgp 10.9.9.0/24", ["% Network not in table"])
        await expect(r, "show ip bgp 10.9.9.9", ["% Network not in table"])
        await expect(r, "show ip bgp neighbors 10.9.9.9", ["% No such neighbor or address family"])
        await expect(r, "show ip bgp summary", ["No IPv4 neighbor is configured"])
        await expect(r, "show ip forwarding", ["IP forwarding is off"])
        await expect(r, "terminal length 0", [])
        await expect(r, "terminal length 999", ["% Unknown command."])
        await expect(r, "show version", ["Quagga 1.2.4 (router).", "Copyright 1996-2005 Kunihiro Ishiguro, et al."])
    }

    func testRunningConfigFromTypedLines() async throws {
        let r = try rig()
        for line in Self.seedLines {
            let reply = await r.session.execute(line: line)
            XCTAssertEqual(reply.lines, [], line)
        }
        await expect(r, "show running-config", Self.seedRunningConfig)
        await expect(r, "write terminal", Self.seedRunningConfig)
        XCTAssertEqual(r.device.config.bgp?.peer(IPv4Address("172.31.13.28")!)?.connectInterface, "lo")
    }

    func testNoFormsUndoEachSetting() async throws {
        let r = try rig()
        for line in Self.seedLines { await r.run(line) }
        await r.run("conf t", "router bgp 7675",
                    "no neighbor 172.31.13.27 description", "no neighbor 172.31.13.27 password", "no neighbor 172.31.13.27 ebgp-multihop",
                    "no neighbor 172.31.13.28 update-source", "no neighbor 172.31.13.28 next-hop-self",
                    "no neighbor 172.31.13.28 route-reflector-client", "no neighbor 172.31.13.28 activate",
                    "no bgp router-id", "no network 10.255.0.1/32", "no redistribute static", "exit",
                    "no ip route 10.0.0.0/8 blackhole", "interface eth0", "no description", "no ip address 172.31.13.116/24", "end")
        let text = await r.lines("show running-config")
        XCTAssertEqual(Array(text[6...]), [
            "interface eth0",
            "!",
            "interface lo",
            " ip address 10.255.0.1/32",
            "!",
            "router bgp 7675",
            " neighbor 172.31.13.27 remote-as 64512",
            " neighbor 172.31.13.28 remote-as 64512",
            " neighbor 172.31.13.28 ebgp-multihop",
            " no neighbor 172.31.13.28 activate",
            "!",
            "ip route 192.168.0.0/16 172.31.13.1",
            "!",
            "line vty",
            "!",
            "end",
        ])
        await r.run("conf t", "router bgp 7675", "no neighbor 172.31.13.27 remote-as 64512", "no neighbor 172.31.13.28", "exit",
                    "no interface lo", "no ip route 192.168.0.0/16 172.31.13.1")
        XCTAssertEqual(r.device.config.bgp?.peers, [])
        XCTAssertEqual(r.device.config.interfaces.map(\.name), ["eth0"])
        XCTAssertEqual(r.device.config.staticRoutes, [])
        await r.run("no router bgp 7675")
        XCTAssertNil(r.device.config.bgp)
    }

    /// Seed 004's `update-source lo`: the loopback address the lab put in the kernel becomes the session's source.
    func testUpdateSourceInterfaceResolvesTheKernelAddress() async throws {
        let r = try rig(appliesKernel: true)
        try r.namespace.netlink().addAddress(InetAddress("192.20.30.40")!, prefixLength: 32, to: "lo")
        await r.run("conf t", "router bgp 64567", "neighbor 172.17.8.101 remote-as 64512",
                    "neighbor 172.17.8.101 ebgp-multihop 2", "neighbor 172.17.8.101 update-source lo", "end")
        let peer = try XCTUnwrap(r.device.config.bgp?.peer(IPv4Address("172.17.8.101")!))
        XCTAssertEqual(peer.connectInterface, "lo")
        XCTAssertEqual(peer.connectAddress, IPv4Address("192.20.30.40"))
        XCTAssertEqual(r.device.config.bgpdConfig(installRoutes: false)?.peers.first?.sourceAddress, IPAddress("192.20.30.40"))
        let text = await r.lines("show running-config")
        XCTAssertTrue(text.contains(" neighbor 172.17.8.101 update-source lo"), "\(text)")
        await r.run("conf t", "router bgp 64567", "no neighbor 172.17.8.101 update-source", "end")
        XCTAssertNil(r.device.config.bgp?.peer(IPv4Address("172.17.8.101")!)?.connectAddress)
    }

    func testClassfulAndMaskFormsAndMaximumPaths() async throws {
        let r = try rig()
        await r.run("conf t", "ip route 10.20.0.0 255.255.0.0 172.31.13.1", "ip route 10.30.1.0/24 eth0",
                    "router bgp 7675", "network 10.0.0.0", "network 172.16.5.9 mask 255.255.255.0", "maximum-paths 4", "end")
        var text = await r.lines("show running-config")
        XCTAssertEqual(Array(text[6...12]), [
            "router bgp 7675", " network 10.0.0.0/8", " network 172.16.5.0/24", " maximum-paths 4", "!",
            "ip route 10.20.0.0/16 172.31.13.1", "ip route 10.30.1.0/24 eth0",
        ])
        await r.run("conf t", "no ip route 10.20.0.0 255.255.0.0 172.31.13.1", "router bgp 7675",
                    "no network 10.0.0.0", "no network 172.16.5.0/24", "no maximum-paths", "end")
        text = await r.lines("show running-config")
        XCTAssertEqual(Array(text[6...9]), ["router bgp 7675", "!", "ip route 10.30.1.0/24 eth0", "!"])
        await expect(r, "show ip bgp neighbors 10.1.1.1 routes", ["% No such neighbor or address family"])
    }

    func testWriteMemoryThenStartupReplayRoundTrips() async throws {
        let r = try rig()
        for line in Self.seedLines { await r.run(line) }
        await expect(r, "write memory", ["Building Configuration...", "Integrated configuration saved to \(r.saveFile)", "[OK]"])
        let saved = try String(contentsOfFile: r.saveFile, encoding: .utf8)
        // A Quagga-saved file: the "saved from vty" header with its time, then the body without show's framing.
        let lines = saved.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(Array(lines.prefix(2)), ["!", "! Zebra configuration saved from vty"])
        XCTAssertNotNil(lines[2].range(of: #"^!   \d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}$"#, options: .regularExpression), lines[2])
        XCTAssertEqual(Array(lines.dropFirst(4)), Array(Self.seedRunningConfig.dropFirst(4).dropLast()) + [""])

        let fresh = try rig()
        let problems = await Quagga.personality.replay(saved, on: fresh.device)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(fresh.device.config, r.device.config)
        let again = Quagga.personality.session(on: fresh.device)
        XCTAssertEqual(again.prompt, "bgp-router# ")
        let shown = await again.execute(line: "show running-config").lines
        XCTAssertEqual(shown, Self.seedRunningConfig)
    }

    /// The lab's own startup files for seeds 002 and 004 replay without a refused line and print back as Quagga would.
    func testSeedStartupFilesReplay() async throws {
        let labs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("labs")
        for file in ["seed-002/configs/router.conf", "seed-004/configs/border.conf"] {
            let text = try String(contentsOf: labs.appendingPathComponent(file), encoding: .utf8)
            let r = try rig()
            let problems = await Quagga.personality.replay(text, on: r.device)
            XCTAssertEqual(problems, [], file)
            let shown = await r.lines("show running-config")
            // Every command line of the file comes back, in order (the file's comment header aside).
            let commands = text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("!") }
            XCTAssertEqual(shown.filter { !$0.hasPrefix("!") && !["Building configuration...", "", "Current configuration:", "end"].contains($0) },
                           commands, file)
        }
    }

    func testHostSettingsRoundTripAndNoForms() async throws {
        let r = try rig()
        await r.run("conf t", "password zebra", "enable password secret", "log file /var/log/quagga/bgpd.log")
        var shown = await r.lines("do-not-exist")
        XCTAssertEqual(shown, ["% Unknown command."])
        await r.run("end")
        shown = await r.lines("show running-config")
        XCTAssertEqual(Array(shown[4...8]), ["hostname router", "password zebra", "enable password secret",
                                              "log file /var/log/quagga/bgpd.log", "!"])
        await r.run("conf t", "no password", "no enable password", "no log file", "end")
        shown = await r.lines("show running-config")
        XCTAssertEqual(Array(shown[4...5]), ["hostname router", "!"])
        // Another router keeps its own settings.
        let other = try rig()
        XCTAssertEqual(other.device.quaggaHostSettings, HostSettings())
    }

    func testReplayReportsLinesItRefuses() async throws {
        let r = try rig()
        let text = "hostname r9\n!\nrouter bgp 65001\n neighbor 10.0.0.2 description lonely\n bogus line\n!\nend\n"
        let problems = await Quagga.personality.replay(text, on: r.device)
        XCTAssertEqual(problems, [
            "line 4: neighbor 10.0.0.2 description lonely: % Specify remote-as or peer-group commands first",
            "line 5: bogus line: % Unknown command.",
        ])
        XCTAssertEqual(r.device.config.hostname, "r9")
        XCTAssertEqual(r.device.config.bgp?.asn, 65001)
    }

    func testShowsWithConfiguredButIdleNeighbors() async throws {
        let r = try rig()
        for line in Self.seedLines { await r.run(line) }
        let summary = await r.lines("show ip bgp summary")
        XCTAssertEqual(summary[0], "BGP router identifier 172.31.13.116, local AS number 7675")
        XCTAssertEqual(summary.filter { $0.hasPrefix("172.31.13.2") }.count, 2)
        for row in summary where row.hasPrefix("172.31.13.2") {
            XCTAssertTrue(row.hasPrefix("172.31.13.2"))
            let state = row.dropFirst(67).trimmingCharacters(in: .whitespaces)
            XCTAssertTrue(["Idle", "Connect", "Active"].contains(state), row)
        }
        let route = await r.lines("show ip route")
        XCTAssertTrue(route.contains("S>* 10.0.0.0/8 [1/0] is directly connected, Null0"), "\(route)")
        XCTAssertTrue(route.contains("S>* 192.168.0.0/16 [1/0] via 172.31.13.1, eth0"), "\(route)")
        XCTAssertTrue(route.contains("C>* 172.31.13.0/24 is directly connected, eth0"), "\(route)")
        let neighbors = await r.lines("sh ip bgp nei 172.31.13.27")
        XCTAssertEqual(neighbors[0], "BGP neighbor is 172.31.13.27, remote AS 64512, local AS 7675, external link")
        XCTAssertEqual(neighbors[1], " Description: k8s-1")
    }
}
