import XCTest
@testable import CLIEngine

final class ValidatorTests: XCTestCase {
    /// The abbreviations users type in the seed documents and vendor-cli.md, with the view they type them in.
    static let vrpAbbreviations: [(view: String, line: String)] = [
        ("user", "sys"), ("user", "dis cu"), ("system", "dis cu conf bgp"), ("bgp", "di this"), ("system", "dis ip rou"),
        ("system", "int g0/0/1"), ("bgp", "dis ip routing-table protocol bgp"), ("bgp-af-ipv4", "undo sync"),
    ]

    func testFixtureTablesAreSound() {
        XCTAssertEqual(Fixtures.vrpTree().validate(startView: "user", abbreviations: Self.vrpAbbreviations), [])
        XCTAssertEqual(Fixtures.comwareTree().validate(startView: "user", abbreviations: [("system", "show bgp peer ipv4"), ("user", "show ip int br")]), [])
        XCTAssertEqual(Fixtures.quaggaTree().validate(startView: "enable", abbreviations: [("enable", "conf t"), ("enable", "sh ip bgp su")]), [])
    }

    func testFindsEveryKindOfDeclarationBug() throws {
        let views = [
            View("user", prompt: "<%s>"),
            View("system", prompt: "[%s]", parent: "user"),
            View("orphan", prompt: "[%s-orphan]", parent: "nowhere"),
            View("island", prompt: "[%s-island]"),
        ]
        let commands: [Command<LabDevice>] = [
            Command("system-view", in: ["user"], help: ["system-view": "Enter system view"], enters: "system"),
            Command("dir", in: ["user"], help: ["dir": "List files"]),
            Command("display this", in: .all, help: ["display": "Display", "this": "This view"]),
            Command("display  this", in: ["system"], help: ["display": "Display", "this": "This view"]),
            Command("peer {ip:ipv4}", in: ["system"], help: ["peer": "Peer"]),
            Command("ghost", in: ["limbo"], help: ["ghost": "Nothing"], enters: "void"),
            Command("island {n:integer<1-9>}", in: ["system"], help: ["island": "Go", "n": "Number"], enters: ViewEntry("island", label: "name")),
        ]
        let tree = try CommandTree(views: views, commands: commands, dialect: .vrp5)
        let issues = tree.validate(startView: "user", abbreviations: [("user", "di this"), ("user", "sys"), ("system", "peer 1.2.3")])
        func has(_ kind: ValidationIssue.Kind, _ view: String?, _ fragment: String) -> Bool {
            issues.contains { $0.kind == kind && $0.view == view && (fragment.isEmpty || $0.detail.contains(fragment)) }
        }
        XCTAssertTrue(has(.duplicateGrammar, "system", "display this"), "\(issues)")
        XCTAssertTrue(has(.missingHelp, "system", "{ip}"), "\(issues)")
        XCTAssertTrue(has(.unknownView, "limbo", "ghost"), "\(issues)")
        XCTAssertTrue(has(.unknownView, "void", "ghost"), "\(issues)")
        XCTAssertTrue(has(.unknownView, "orphan", "nowhere"))
        XCTAssertTrue(has(.unreachableView, "orphan", ""))
        XCTAssertFalse(has(.unreachableView, "island", ""))
        XCTAssertTrue(has(.unknownCapture, "island", "'name'"))
        XCTAssertFalse(has(.unreachableView, "system", ""))
        XCTAssertTrue(has(.abbreviationNotUnique, "user", "di this"))
        XCTAssertTrue(has(.abbreviationNotUnique, "system", "peer 1.2.3"))
        XCTAssertFalse(issues.contains { $0.detail.contains("'sys'") })
        XCTAssertEqual(issues.count, 9, "\(issues.map(\.description).joined(separator: "\n"))")
    }
}
