import XCTest
@testable import CLIEngine

final class SessionTests: XCTestCase {
    private func vrpSession(_ hostname: String = "HUAWEI", dialect: Dialect = .vrp5) -> (Session<LabDevice>, LabDevice) {
        let device = LabDevice()
        return (Session(tree: Fixtures.vrpTree(dialect), device: device, hostname: hostname, startView: "user"), device)
    }

    /// Types each line and returns the prompts after each one.
    private func prompts(_ session: Session<LabDevice>, _ lines: [String]) async -> [String] {
        var out: [String] = []
        for line in lines { out.append(await session.execute(line: line).prompt) }
        return out
    }

    // MARK: Views

    func testVRPViewTransitions() async {
        let (s, device) = vrpSession()
        XCTAssertEqual(s.prompt, "<HUAWEI>")
        let sys = await s.execute(line: "sys")
        XCTAssertEqual(sys.lines, ["Enter system view, return user view with Ctrl+Z."])
        XCTAssertEqual(sys.prompt, "[HUAWEI]")
        let seen = await prompts(s, ["bgp 65001", "ipv4-family unicast", "quit", "quit", "int vlanif98", "return", "system-view", "interface LoopBack 0"])
        XCTAssertEqual(seen, ["[HUAWEI-bgp]", "[HUAWEI-bgp-af-ipv4]", "[HUAWEI-bgp]", "[HUAWEI]", "[HUAWEI-Vlanif98]",
                              "<HUAWEI>", "[HUAWEI]", "[HUAWEI-LoopBack0]"])
        XCTAssertEqual(device.log, ["bgp 65001"])
        XCTAssertEqual(s.controlZ().prompt, "<HUAWEI>")
        let bye = await s.execute(line: "quit")
        XCTAssertTrue(bye.ended, "quit in user view ends the session")
    }

    func testReturnIsNotACommandInUserView() async {
        let (s, _) = vrpSession("Huawei")
        let r = await s.execute(line: "return")
        XCTAssertEqual(r.lines, ["        ^", "Error: Unrecognized command found at '^' position."])
        XCTAssertFalse(r.ended)
    }

    func testSysnameRenamesThePromptAtOnce() async {
        let (s, _) = vrpSession()
        _ = await s.execute(line: "sys")
        let r = await s.execute(line: "sysname BJ_Office_Core_S9700")
        XCTAssertEqual(r.prompt, "[BJ_Office_Core_S9700]")
        XCTAssertEqual(s.hostname, "BJ_Office_Core_S9700")
    }

    func testHandlersReceiveTypedCapturesAndNegation() async {
        let (s, device) = vrpSession()
        for line in ["sys", "bgp 65001", "peer 10.2.98.141 as\u{2010}number 63400", "peer 10.2.98.141 connect-interface Vlanif98 10.2.98.1",
                     "peer 10.1.12.1 password cipher \"a b\"", "ipv4-family unicast", "undo synchronization", "network 192.168.21.0",
                     "network 10.1.1.0 255.255.255.0", "quit", "undo peer 10.2.98.141", "quit", "vlan batch 10 20 to 30", "undo bgp 65001"] {
            let r = await s.execute(line: line)
            XCTAssertFalse(r.lines.contains { $0.contains("Error") }, "\(line): \(r.lines)")
        }
        XCTAssertEqual(device.log, [
            "bgp 65001", "peer 10.2.98.141 as 63400", "connect-interface Vlanif98 10.2.98.1", "password cipher a b",
            "undo synchronization", "network 192.168.21.0/natural", "network 10.1.1.0/24", "undo peer 10.2.98.141",
            "vlans vid=10,vid=20,last=30", "undo bgp 65001",
        ])
        XCTAssertEqual(s.prompt, "[HUAWEI]", "the undo form does not enter the view")
    }

    // MARK: Caret errors (vendor-cli.md A.2 raw samples)

    func testVRPUnrecognizedCaretCountsThePrompt() async {
        let (s, _) = vrpSession("Huawei")
        _ = await s.execute(line: "system-view")
        let r = await s.execute(line: "redo acl name LAN")
        XCTAssertEqual(r.text, "        ^\nError: Unrecognized command found at '^' position.")
    }

    func testVRPCaretInInterfaceViewMatchesRawSample() async {
        let (s, _) = vrpSession("Huawei")
        _ = await s.execute(line: "system-view")
        _ = await s.execute(line: "interface GigabitEthernet0/0/1")
        XCTAssertEqual(s.prompt, "[Huawei-GigabitEthernet0/0/1]")
        let typo = await s.execute(line: "nat staic global 172.16.1.1")
        XCTAssertEqual(typo.lines, [String(repeating: " ", count: 33) + "^", "Error: Unrecognized command found at '^' position."])
        // A 57-character line gets the caret at column 58; VRP5 writes `Error:Incomplete` with no space.
        let short = await s.execute(line: "nat static global 172.16.1.1")
        XCTAssertEqual(short.lines, [String(repeating: " ", count: 58) + "^", "Error:Incomplete command found at '^' position."])
    }

    func testVRP8IncompleteHasASpace() async {
        let (s, _) = vrpSession("HUAWEI", dialect: .vrp8)
        let r = await s.execute(line: "display")
        XCTAssertEqual(r.lines, [String(repeating: " ", count: 16) + "^", "Error: Incomplete command found at '^' position."])
    }

    func testWrongParameterAmbiguousAndTooManyCarets() async {
        let (s, _) = vrpSession()
        _ = await s.execute(line: "sys")
        _ = await s.execute(line: "bgp 65001")
        // "[HUAWEI-bgp]" is 12 wide.
        let wrong = await s.execute(line: "peer 1.2.3 as-number 1")
        XCTAssertEqual(wrong.lines, [String(repeating: " ", count: 17) + "^", "Error: Wrong parameter found at '^' position."])
        let asn = await s.execute(line: "peer 10.1.1.2 as-number 4294967296")
        XCTAssertEqual(asn.lines.first, String(repeating: " ", count: 12 + 24) + "^")
        _ = await s.execute(line: "return")
        let ambiguous = await s.execute(line: "  di this")
        XCTAssertEqual(ambiguous.lines, [String(repeating: " ", count: 10) + "^", "Error: Ambiguous command found at '^' position."])
        let many = await s.execute(line: "save now")
        XCTAssertEqual(many.lines, [String(repeating: " ", count: 13) + "^", "Error: Too many parameters found at '^' position."])
    }

    func testHandlerRefusalPointsAtTheCapture() async {
        let (s, device) = vrpSession()
        for line in ["sys", "bgp 65001"] { _ = await s.execute(line: line) }
        let r = await s.execute(line: "peer 10.2.98.141 connect-interface Vlanif99")
        XCTAssertEqual(r.lines, [String(repeating: " ", count: 12 + 35) + "^", "Error: Wrong parameter found at '^' position."])
        XCTAssertTrue(device.log == ["bgp 65001"])
    }

    func testEchoModeForOneShotExec() async {
        let (s, _) = vrpSession()
        let r = await s.execute(line: "dis bgp pear", echo: true)
        XCTAssertEqual(r.lines, ["<HUAWEI>dis bgp pear", String(repeating: " ", count: 16) + "^",
                                 "Error: Unrecognized command found at '^' position."])
        XCTAssertEqual(r.lines[1].count - 1, r.lines[0].distance(from: r.lines[0].startIndex, to: r.lines[0].range(of: "pear")!.lowerBound))
    }

    func testQuitFollowsTheDeclaredParent() async throws {
        let views = [View("a", prompt: "<%s>"), View("b", prompt: "[%s-b]", parent: "a"), View("c", prompt: "[%s-c]", parent: "a")]
        let commands: [Command<LabDevice>] = [
            Command("go", in: ["a"], help: ["go": "Enter b"], enters: "b"),
            Command("jump", in: ["b"], help: ["jump": "Open c on top of b"]) { ctx in ctx.enter("c") },
        ]
        let s = Session(tree: try CommandTree(views: views, commands: commands, dialect: .vrp5), device: LabDevice(), hostname: "X", startView: "a")
        let seen = await prompts(s, ["go", "jump", "quit", "go", "quit"])
        XCTAssertEqual(seen, ["[X-b]", "[X-c]", "<X>", "[X-b]", "<X>"])
    }

    func testQuestionsTakeTheNextLineAsTheAnswer() async {
        let (s, device) = vrpSession("Huawei")
        // vendor-cli.md A.10, raw eNSP transcript.
        let out = await s.transcript(["save", "y"])
        XCTAssertEqual(out, [
            "<Huawei>save",
            "The current configuration will be written to the device.",
            "Are you sure to continue?[Y/N]y",
            "Now saving the current configuration to the slot 0.",
            "Save the configuration successfully.",
        ])
        XCTAssertEqual(device.log, ["save"])
        XCTAssertFalse(s.isAwaitingAnswer)
        let asked = await s.execute(line: "save")
        XCTAssertEqual(asked.prompt, "Are you sure to continue?[Y/N]")
        XCTAssertTrue(s.isAwaitingAnswer)
        let declined = await s.execute(line: "n")
        XCTAssertEqual(declined.lines, [])
        XCTAssertEqual(declined.prompt, "<Huawei>")
        XCTAssertEqual(device.log, ["save"])
        _ = await s.execute(line: "save")
        XCTAssertEqual(s.controlZ().prompt, "<Huawei>", "Ctrl+Z drops the question")
        XCTAssertFalse(s.isAwaitingAnswer)
    }

    // MARK: Comware

    func testComwarePromptsAliasesAndErrors() async {
        let device = LabDevice()
        let s = Session(tree: Fixtures.comwareTree(), device: device, hostname: "leaf02", startView: "user")
        let sys = await s.execute(line: "sys")
        XCTAssertEqual(sys.lines, ["System View: return to User View with Ctrl+Z."])
        let seen = await prompts(s, ["show bgp peer ipv4", "bgp 65009", "address-family ipv4", "peer 10.0.0.5 enable", "quit", "end"])
        XCTAssertEqual(seen, ["[leaf02]", "[leaf02-bgp-default]", "[leaf02-bgp-default-ipv4]", "[leaf02-bgp-default-ipv4]", "[leaf02-bgp-default]", "<leaf02>"])
        XCTAssertEqual(device.log, ["display bgp peer ipv4", "peer enable"])
        let incomplete = await s.execute(line: "display bgp peer")
        XCTAssertEqual(incomplete.lines, [String(repeating: " ", count: 8 + 16 + 1) + "^", " % Incomplete command found at '^' position."])
        _ = await s.execute(line: "system-view")
        let iface = await s.execute(line: "interface Vlan10")
        XCTAssertEqual(iface.prompt, "[leaf02-Vlan-interface10]")
        let exit = await s.execute(line: "exit")
        XCTAssertEqual(exit.prompt, "[leaf02]", "exit is an alias of quit")
    }

    // MARK: Quagga / FRR

    func testQuaggaModesAndSeedNeighbors() async {
        let device = LabDevice()
        let s = Session(tree: Fixtures.quaggaTree(), device: device, hostname: "router", startView: "enable")
        XCTAssertEqual(s.prompt, "router# ")
        let seen = await prompts(s, ["conf t", "router bgp 64512", "neighbor 172.31.13.27 remote-as 64512", "neighbor 172.31.13.28 remote-as 64512",
                                     "address-family ipv4 unicast", "exit-address-family", "end"])
        XCTAssertEqual(seen, ["router(config)# ", "router(config-router)# ", "router(config-router)# ", "router(config-router)# ",
                              "router(config-router-af)# ", "router(config-router)# ", "router# "])
        XCTAssertEqual(device.log, ["router bgp", "neighbor 172.31.13.27 remote-as 64512", "neighbor 172.31.13.28 remote-as 64512"])
        let unknown = await s.execute(line: "sh ip bgp sumary")
        XCTAssertEqual(unknown.lines, ["% Unknown command."])
        let incomplete = await s.execute(line: "sh ip")
        XCTAssertEqual(incomplete.lines, ["% Command incomplete."])
        let ambiguous = await s.execute(line: "co")
        XCTAssertEqual(ambiguous.lines, ["% Ambiguous command."])
        let bye = await s.execute(line: "exit")
        XCTAssertTrue(bye.ended)
    }

    func testQuaggaTriesEnclosingModesSoFlatConfigsReplay() async {
        let device = LabDevice()
        let s = Session(tree: Fixtures.quaggaTree(), device: device, hostname: "bgpd", startView: "enable")
        // A bgpd.conf body, replayed line by line as vtysh would read it.
        let config = ["configure terminal", "router bgp 65001", " bgp router-id 10.0.0.1", " neighbor 172.20.0.11 remote-as 65002",
                      " address-family ipv4 unicast", "  network 10.1.0.0/24", " neighbor 10.0.0.3 remote-as 65001",
                      "interface eth0", "router bgp 65001"]
        var seen: [String] = []
        for line in config {
            let r = await s.execute(line: line)
            XCTAssertEqual(r.lines, [], line)
            seen.append(r.prompt)
        }
        XCTAssertEqual(seen, ["bgpd(config)# ", "bgpd(config-router)# ", "bgpd(config-router)# ", "bgpd(config-router)# ",
                              "bgpd(config-router-af)# ", "bgpd(config-router-af)# ", "bgpd(config-router)# ", "bgpd(config-if)# ",
                              "bgpd(config-router)# "])
        XCTAssertEqual(device.log, ["router bgp", "neighbor 172.20.0.11 remote-as 65002", "neighbor 10.0.0.3 remote-as 65001", "router bgp"])
        // The same file through load(config:), which skips `!` comments.
        let again = Session(tree: Fixtures.quaggaTree(), device: LabDevice(), hostname: "bgpd", startView: "enable")
        _ = await again.execute(line: "configure terminal")
        let rejected = await again.load(config: (["!", "! Zebra configuration saved from vty"] + config.dropFirst() + ["bogus line"]).joined(separator: "\n"),
                                        scopesByIndentation: false)
        XCTAssertEqual(rejected, [ConfigRejection(lineNumber: 11, line: "bogus line", output: ["% Unknown command."])])
        XCTAssertEqual(again.device.log, device.log)
        // Not past `config`: enable-mode commands stay unknown in configuration modes, and failures keep the mode.
        let show = await s.execute(line: "show ip bgp summary")
        XCTAssertEqual(show.lines, ["% Unknown command."])
        XCTAssertEqual(show.prompt, "bgpd(config-router)# ")
        // VRP does not do this: `sysname` is a system-view command and stays unknown in bgp view.
        let (vrp, _) = vrpSession()
        for line in ["sys", "bgp 65001"] { _ = await vrp.execute(line: line) }
        let r = await vrp.execute(line: "sysname X")
        XCTAssertEqual(r.lines.last, "Error: Unrecognized command found at '^' position.")
    }

    func testLoadingAVRPConfigScopesByIndentation() async {
        let (s, device) = vrpSession("BJ_Office_Core_S9700")
        _ = await s.execute(line: "system-view")
        // Seed 003's `di this` output (with its U+2010 hyphens), plus one bad line.
        let config = """
        #
        bgp 65001
         router\u{2010}id 10.2.0.2
         peer 10.2.98.141 as\u{2010}number 63400
         peer 10.2.98.141 connect\u{2010}interface Vlanif98 10.2.98.1
         peer 10.2.98.142 as-number 0
         #
         ipv4\u{2010}family unicast
          undo synchronization
          compare\u{2010}different\u{2010}as\u{2010}med
        #
        interface Vlanif98
         ip address 10.2.98.1 255.255.255.0
        #
        return
        """
        let rejected = await s.load(config: config, scopesByIndentation: true)
        XCTAssertEqual(rejected.map(\.lineNumber), [6])
        XCTAssertEqual(rejected.first?.output.last, "Error: Wrong parameter found at '^' position.")
        XCTAssertEqual(device.log, ["bgp 65001", "peer 10.2.98.141 as 63400", "connect-interface Vlanif98 10.2.98.1",
                                    "undo synchronization", "compare-different-as-med"])
        XCTAssertEqual(s.prompt, "<BJ_Office_Core_S9700>", "the file ends with return")
    }

    func testRefusedFlag() async {
        let (s, _) = vrpSession()
        let bad = await s.execute(line: "dis bgp pear")
        XCTAssertTrue(bad.refused)
        let good = await s.execute(line: "dis bgp peer")
        XCTAssertFalse(good.refused)
        let empty = await s.execute(line: "")
        XCTAssertFalse(empty.refused)
    }

    func testFRRRepeatsTheLineInErrors() async {
        let s = Session(tree: Fixtures.quaggaTree(.frr), device: LabDevice(), hostname: "r1", startView: "enable")
        let unknown = await s.execute(line: "sh ip bgp sumary")
        XCTAssertEqual(unknown.lines, ["% Unknown command: sh ip bgp sumary"])
        let incomplete = await s.execute(line: "write")
        XCTAssertEqual(incomplete.lines, ["% Command incomplete: write"])
        _ = await s.execute(line: "conf t")
        _ = await s.execute(line: "router bgp 65001")
        let wrong = await s.execute(line: "neighbor 10.0.0.3 remote-as 0")
        XCTAssertEqual(wrong.lines, ["% Unknown command: neighbor 10.0.0.3 remote-as 0"], "FRR has no Wrong parameter message")
        XCTAssertEqual(s.controlZ().prompt, "r1# ")
    }
}
