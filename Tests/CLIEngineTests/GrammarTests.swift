import XCTest
@testable import CLIEngine

final class GrammarTests: XCTestCase {
    func testParsesKeywordsCapturesOptionalsChoicesAndRepeats() throws {
        let g = try Grammar(parsing: "peer {ip:ipv4} ebgp-max-hop [{hops:integer<1-255>}]")
        XCTAssertEqual(g, .sequence([.keyword("peer"), .capture(name: "ip", type: "ipv4", bounds: nil), .keyword("ebgp-max-hop"),
                                     .optional(.capture(name: "hops", type: "integer", bounds: 1...255))]))
        let choice = try Grammar(parsing: "import-route (direct | static) [route-policy {name:word}]")
        XCTAssertEqual(choice.description, "import-route (direct | static) [route-policy {name:word}]")
        let repeated = try Grammar(parsing: "vlan batch ({vid:integer<1-4094>} [to {last:integer<1-4094>}])...")
        XCTAssertEqual(repeated.description, "vlan batch ({vid:integer<1-4094>} [to {last:integer<1-4094>}])...")
        let optChoice = try Grammar(parsing: "maximum load-balancing [ebgp|ibgp] {n:integer<1-32>}")
        XCTAssertEqual(optChoice.description, "maximum load-balancing [ebgp | ibgp] {n:integer<1-32>}")
    }

    func testUndoFormsDropTrailingValues() throws {
        func undo(_ g: String) throws -> String { try Grammar(parsing: g).droppingTrailingValues.description }
        XCTAssertEqual(try undo("router-id {id:ipv4}"), "router-id")
        XCTAssertEqual(try undo("peer {ip:ipv4} description {text:text}"), "peer {ip:ipv4} description")
        XCTAssertEqual(try undo("peer {ip:ipv4} ebgp-max-hop [{hops:integer<1-255>}]"), "peer {ip:ipv4} ebgp-max-hop")
        XCTAssertEqual(try undo("network {net:ipv4} [{mask:mask} | {len:masklen}]"), "network")
        XCTAssertEqual(try undo("synchronization"), "synchronization")
        XCTAssertEqual(try undo("{x:word} {y:word}"), "{x:word}", "something always remains")
        let views = [View("v", prompt: "[%s]")]
        let tree = try CommandTree<LabDevice>(views: views, commands: [
            Command("router-id {id:ipv4}", in: ["v"], help: ["router-id": "Router ID", "id": "Address"], negation: .withoutValues),
        ], dialect: .vrp5)
        guard case .ok(let m) = tree.match("undo router-id", in: "v") else { return XCTFail() }
        XCTAssertTrue(m.negated)
        XCTAssertEqual(m.grammar, "undo router-id")
        guard case .tooManyParameters(2) = tree.match("undo router-id 1.1.1.1", in: "v") else { return XCTFail() }
    }

    func testSpacingDoesNotChangeTheCanonicalForm() throws {
        XCTAssertEqual(try Grammar(parsing: "network  {ip:ipv4}  [ {mask:mask}|{len:masklen} ]").description,
                       try Grammar(parsing: "network {ip:ipv4} [{mask:mask} | {len:masklen}]").description)
    }

    func testBadGrammarsAreReportedNotCrashed() {
        for bad in ["", "peer {ip}", "peer [{ip:ipv4}", "peer {ip:ipv4", "peer }", "a | ", "x {n:integer<5-1>}", "... peer", "peer )"] {
            XCTAssertThrowsError(try Grammar(parsing: bad), bad) { error in
                XCTAssertTrue(error is GrammarError, bad)
            }
        }
    }

    func testUnknownTypeAndMisplacedTextFailTreeConstruction() {
        let views = [View("v", prompt: "<%s>")]
        XCTAssertThrowsError(try CommandTree<LabDevice>(views: views, commands: [Command("x {a:nosuchtype}", in: ["v"])], dialect: .vrp5))
        XCTAssertThrowsError(try CommandTree<LabDevice>(views: views, commands: [Command("x {a:text} y", in: ["v"])], dialect: .vrp5))
        XCTAssertNoThrow(try CommandTree<LabDevice>(views: views, commands: [Command("x {a:text}", in: ["v"])], dialect: .vrp5))
    }

    func testTokenizerKeepsColumnsAndQuotedStrings() {
        XCTAssertEqual(Token.split(" dis  ip routing-table"), [Token("dis", column: 1), Token("ip", column: 6), Token("routing-table", column: 9)])
        XCTAssertEqual(Token.split("peer 1.1.1.1 description \"to leaf 1\" x"),
                       [Token("peer", column: 0), Token("1.1.1.1", column: 5), Token("description", column: 13),
                        Token("\"to leaf 1\"", column: 25), Token("x", column: 37)])
        XCTAssertEqual(Token.split("a \"open quote"), [Token("a", column: 0), Token("\"open quote", column: 2)])
        XCTAssertEqual(Token.split("   "), [])
    }
}
