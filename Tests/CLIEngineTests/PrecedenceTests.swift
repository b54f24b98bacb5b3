import XCTest
@testable import CLIEngine

/// A value kind a personality adds: a route distinguisher `ASN:nn`.
struct RouteDistinguisherValue: CLIValue {
    let asn: UInt32
    let number: UInt32
    static let typeName = "rd"
    static let defaultHelp = "Route distinguisher"
    var description: String { "\(asn):\(number)" }

    static func parse(_ token: String, _ context: ValueContext) -> ValueParse<RouteDistinguisherValue> {
        let parts = token.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else { return .noMatch }
        guard let a = UInt32(parts[0]), let n = UInt32(parts[1]) else { return .malformed }
        return .valid(RouteDistinguisherValue(asn: a, number: n))
    }

    static func placeholder(_ context: ValueContext) -> String { context.style == .vrp ? "STRING<3-21>" : "ASN:NN_OR_IP-ADDRESS:NN" }
}

final class PrecedenceTests: XCTestCase {
    private func tree(_ commands: [Command<LabDevice>], _ dialect: Dialect = .vrp5, types: [any CLIValue.Type] = []) throws -> CommandTree<LabDevice> {
        try CommandTree(views: [View("v", prompt: "<%s>")], commands: commands, dialect: dialect, valueTypes: types)
    }

    func testTypedValueBeatsKeywordThatLooksTheSame() throws {
        // A keyword spelled like a number loses to the typed value that can take it.
        let t = try tree([Command("hops {n:integer<1-10>}", in: ["v"]), Command("hops 5 fixed", in: ["v"])])
        XCTAssertEqual(t.match("hops 5", in: "v").grammar, "hops {n:integer<1-10>}")
        guard case .tooManyParameters(2) = t.match("hops 5 fixed", in: "v") else { return XCTFail("\(t.match("hops 5 fixed", in: "v"))") }
    }

    func testKeywordBeatsFreeWordAndAbbreviatedInterfaceType() throws {
        let t = try tree([
            Command("display interface [brief | {if:interface}]", in: ["v"]),
            Command("group {name:word}", in: ["v"]), Command("group list", in: ["v"]),
        ], .comware7)
        // `br` prefixes the keyword `brief` and the interface type `Bridge-Aggregation`: the keyword wins,
        // which is why `show ip int br` works on Comware.
        guard case .ok(let brief) = t.match("dis int br", in: "v") else { return XCTFail() }
        XCTAssertTrue(brief.captures.has(keyword: "brief"))
        guard case .ok(let bagg) = t.match("dis int Bridge-Aggregation 1", in: "v") else { return XCTFail() }
        XCTAssertEqual(bagg.captures.text("if"), "Bridge-Aggregation1")
        XCTAssertEqual(t.match("group li", in: "v").grammar, "group list")
        XCTAssertEqual(t.match("group leafs", in: "v").grammar, "group {name:word}")
    }

    func testSameWordInTwoCommandsIsNotAmbiguous() throws {
        let t = try tree([Command("display bgp peer", in: ["v"]), Command("display bgp routing-table", in: ["v"])])
        XCTAssertEqual(t.match("dis bgp p", in: "v").grammar, "display bgp peer")
        XCTAssertEqual(t.match("d b r", in: "v").grammar, "display bgp routing-table")
    }

    func testTwoCompleteGrammarsForOneLineAreAmbiguous() throws {
        let t = try tree([Command("set {a:word}", in: ["v"]), Command("set {b:string}", in: ["v"])])
        guard case .ambiguous(1) = t.match("set x", in: "v") else { return XCTFail() }
    }

    func testPersonalityValueTypes() throws {
        let t = try tree([Command("route-distinguisher {rd:rd}", in: ["v"])], types: [RouteDistinguisherValue.self])
        guard case .ok(let m) = t.match("route-distinguisher 65001:10", in: "v") else { return XCTFail() }
        XCTAssertEqual(m.captures["rd", as: RouteDistinguisherValue.self]?.number, 10)
        guard case .wrongParameter(1) = t.match("route-distinguisher 65001:99999999999", in: "v") else { return XCTFail() }
        let s = Session(tree: t, device: LabDevice(), hostname: "R", startView: "v")
        XCTAssertEqual(s.describeLines(line: "route-distinguisher "), ["  STRING<3-21>  Route distinguisher", ""])
    }

    func testHugeAndOddInputNeverCrashes() throws {
        let t = Fixtures.vrpTree()
        for line in [String(repeating: "peer ", count: 2000), "\"", "\"\"", "peer \"unterminated", String(repeating: "9", count: 500),
                     "\u{0}\u{7f}", "dis\tcu", "vlan batch " + String(repeating: "1 to ", count: 300) + "2", "ïntërfacé ☃"] {
            for view in ["user", "system", "bgp"] {
                _ = t.match(line, in: view)
            }
        }
        XCTAssertEqual(t.match("dis\tcu", in: "user").grammar, "display current-configuration [configuration {section:word}]")
        XCTAssertEqual(t.match("vlan batch " + String(repeating: "1 to 2 ", count: 300), in: "system").grammar,
                       "vlan batch ({vid:integer<1-4094>} [to {last:integer<1-4094>}])...")
    }
}

/// Random word soup through every entry point: nothing may crash, and every refusal names a real token.
final class SoupTests: XCTestCase {
    func testRandomLinesNeverCrash() async {
        let words = ["dis", "display", "peer", "10.1.1.2", "1.2.3", "as-number", "65001", "635.88", "0", "undo", "no", "show",
                     "interface", "LoopBack", "0", "g0/0/1", "vlan", "batch", "to", "\"a b\"", "\"", "?", "description", "x",
                     "quit", "return", "sys", "bgp", "ipv4-family", "unicast", "network", "255.255.255.0", "24", "conf", "t"]
        var seed: UInt64 = 0x5EED
        func next(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int(seed >> 33) % n
        }
        let trees = [Fixtures.vrpTree(), Fixtures.comwareTree(), Fixtures.quaggaTree()]
        for (t, tree) in trees.enumerated() {
            let session = Session(tree: tree, device: LabDevice(), hostname: "R", startView: t == 2 ? "enable" : "user")
            for _ in 0..<400 {
                let line = (0..<next(7)).map { _ in words[next(words.count)] }.joined(separator: String(repeating: " ", count: 1 + next(2)))
                _ = session.describe(line: line)
                _ = session.complete(line: line)
                let before = session.prompt
                let reply = await session.execute(line: line)
                if let caret = reply.lines.first, caret.hasSuffix("^"), t < 2 {
                    // Under a token's first character, or one column past the end of the line.
                    let column = caret.count - 1 - before.count
                    let starts = Token.split(line).map(\.column)
                    let end = Matcher.restOfLine(line, from: 0).count + 1
                    XCTAssertTrue(starts.contains(column) || column == end, "\(line) → column \(column)")
                }
                if reply.ended { _ = await session.execute(line: "sys") }
                for view in tree.views.map(\.name) { _ = tree.match(line, in: view) }
            }
        }
    }
}
