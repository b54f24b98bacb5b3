import XCTest
@testable import CLIEngine

final class HelpTests: XCTestCase {
    private func vrp(in views: [String] = []) async -> Session<LabDevice> {
        let s = Session(tree: Fixtures.vrpTree(), device: LabDevice(), hostname: "HUAWEI", startView: "user")
        for line in views { _ = await s.execute(line: line) }
        return s
    }

    private func quagga(_ lines: [String] = []) async -> Session<LabDevice> {
        let s = Session(tree: Fixtures.quaggaTree(), device: LabDevice(), hostname: "router", startView: "enable")
        for line in lines { _ = await s.execute(line: line) }
        return s
    }

    // MARK: Full help

    func testQuestionMarkOnAnEmptyLineListsTheViewWithItsTitle() async {
        let s = await vrp()
        XCTAssertEqual(s.describe(line: ""), """
        User view commands:
          debugging    Enable system debugging functions
          delete       Delete a file
          dir          List files on a file system
          display      Display information
          quit         Exit from current mode and enter prior mode
          save         Save the current configuration
          system-view  Enter the system view

        """)
    }

    func testSystemViewOffersReturnAndNotUserViewCommands() async {
        let s = await vrp(in: ["sys"])
        let lines = s.describeLines(line: "")
        XCTAssertEqual(lines.first, "System view commands:")
        let words = lines.dropFirst().map { $0.split(separator: " ").first.map(String.init) ?? "" }
        XCTAssertTrue(words.contains("return"))
        XCTAssertTrue(words.contains("quit"))
        XCTAssertFalse(words.contains("save"))
        XCTAssertTrue(words.contains("vlan"))
    }

    func testNextWordHelpIsAlignedToTheLongestWord() async {
        let s = await vrp(in: ["sys", "bgp 65001"])
        XCTAssertEqual(s.describeLines(line: "peer 10.1.1.2 "), [
            "  as-number          Specify the AS number of a peer",
            "  connect-interface  Set the source interface of TCP connections",
            "  description        Configure a description for a peer",
            "  ebgp-max-hop       Allow EBGP peers on indirectly-connected networks",
            "  password           Configure the MD5 password",
            "",
        ])
    }

    func testPlaceholdersAndCarriageReturn() async {
        let s = await vrp(in: ["sys", "bgp 65001"])
        XCTAssertEqual(s.describeLines(line: "peer 10.1.1.2 ebgp-max-hop ?".dropLast().description),
                       ["  INTEGER<1-255>  Maximum number of hops", "  <cr>", ""])
        XCTAssertEqual(s.describeLines(line: "network 10.1.1.0 "),
                       ["  INTEGER<0-32>  Length of IP address mask", "  X.X.X.X        IP address mask", "  <cr>", ""])
        XCTAssertEqual(s.describeLines(line: "quit "), ["  <cr>", ""])
        _ = await s.execute(line: "quit")
        XCTAssertEqual(s.describeLines(line: "bgp "), ["  INTEGER<1-4294967295>  AS number", ""])
    }

    func testInterfaceTypesAreOfferedAsWords() async {
        let s = await vrp(in: ["sys"])
        let types = s.describeLines(line: "interface ")
        XCTAssertEqual(types.map { $0.split(separator: " ").first.map(String.init) ?? "" },
                       ["Eth-Trunk", "GigabitEthernet", "LoopBack", "MEth", "NULL", "Vlanif", "XGigabitEthernet", ""])
        XCTAssertTrue(types.contains("  Vlanif            Vlan interface"))
        XCTAssertEqual(s.describeLines(line: "interface Vlanif "), ["  INTEGER<1-4094>  Interface number", ""])
        XCTAssertEqual(s.describeLines(line: "interface GigabitEthernet "), ["  X/Y/Z  Interface number", ""])
    }

    /// `display ?`: every word that can follow, in `"  %-*s  %s"` lines sized to the longest, then a blank line.
    func testDisplayQuestionMarkListsTheNextWords() async {
        let s = await vrp()
        XCTAssertEqual(s.describeLines(line: "display "), [
            "  bgp                    BGP information",
            "  current-configuration  Current configuration",
            "  ip                     IP address",
            "  ipv6                   IPv6 information",
            "  this                   Display the configuration of the current view",
            "  version                System version",
            "",
        ])
        // The same after an abbreviated word (`dis ?`), and the prefix form `dis?` lists only the word itself.
        XCTAssertEqual(s.describeLines(line: "dis "), s.describeLines(line: "display "))
        XCTAssertEqual(s.describeLines(line: "dis"), ["  display", ""])
    }

    // MARK: Prefix help

    func testPrefixHelpListsOnlyMatchingKeywords() async {
        let s = await vrp()
        XCTAssertEqual(s.describeLines(line: "dis"), ["  display", ""])
        XCTAssertEqual(s.describeLines(line: "d"), ["  debugging", "  delete", "  dir", "  display", ""])
        XCTAssertEqual(s.describeLines(line: "display c"), ["  current-configuration", ""])
    }

    func testHelpAfterABadWordIsTheCaretError() async {
        let s = await vrp()
        XCTAssertEqual(s.describeLines(line: "disx"), ["        ^", "Error: Unrecognized command found at '^' position."])
        XCTAssertEqual(s.describeLines(line: "display bgp pear "), [String(repeating: " ", count: 20) + "^",
                                                             "Error: Unrecognized command found at '^' position."])
    }

    func testQuaggaHelp() async {
        let s = await quagga()
        XCTAssertEqual(s.describeLines(line: "sh"), ["  show  Show running system information"])
        XCTAssertEqual(s.describeLines(line: "xyz"), ["% There is no matched command."])
        XCTAssertEqual(s.describeLines(line: "show ip bgp "), ["  A.B.C.D/M  IP prefix <network>/<length>", "  summary    Summary of BGP neighbor status", "  <cr>"])
        _ = await s.execute(line: "configure terminal")
        XCTAssertEqual(s.describeLines(line: "router bgp "), ["  (1-4294967295)  AS number"])
        XCTAssertEqual(s.describeLines(line: ""), [
            "  end        End current mode and change to enable mode.",
            "  exit       Exit current mode and down to previous mode",
            "  interface  Select an interface to configure",
            "  no         Negate a command or set its defaults",
            "  quit       Exit current mode and down to previous mode",
            "  router     Enable a routing process",
        ])
    }

    func testComwareHelpFollowsAliases() async {
        let s = Session(tree: Fixtures.comwareTree(), device: LabDevice(), hostname: "H3C", startView: "user")
        XCTAssertEqual(s.describeLines(line: "show bgp peer "), ["  ipv4  IPv4 address family", ""])
    }

    // MARK: Tab

    func testCompletionCandidates() async {
        let s = await vrp()
        XCTAssertEqual(s.complete(line: "sy"), ["system-view"])
        XCTAssertEqual(s.completedLine(line: "sy"), "system-view ")
        XCTAssertEqual(s.complete(line: "d"), ["debugging", "delete", "dir", "display"])
        XCTAssertNil(s.completedLine(line: "d"))
        XCTAssertEqual(s.completedLine(line: "dis cu"), "dis current-configuration ")
        XCTAssertEqual(s.complete(line: "display "), ["bgp", "current-configuration", "ip", "ipv6", "this", "version"])
        XCTAssertEqual(s.complete(line: "xyz q"), [])
        _ = await s.execute(line: "sys")
        XCTAssertEqual(s.complete(line: "int Vlan"), ["Vlanif"])
        XCTAssertEqual(s.complete(line: "DIS CU"), ["current-configuration"])
        _ = await s.execute(line: "bgp 65001")
        XCTAssertEqual(s.complete(line: "peer 10.1.1.2 e"), ["ebgp-max-hop"])
    }
}
