import XCTest
@testable import CLIEngine

final class MatcherTests: XCTestCase {
    let vrp = Fixtures.vrpTree()
    let quagga = Fixtures.quaggaTree()

    private func grammar(_ line: String, in view: String, _ tree: CommandTree<LabDevice>? = nil) -> String? {
        (tree ?? vrp).match(line, in: view).grammar
    }

    private func captures(_ line: String, in view: String, _ tree: CommandTree<LabDevice>? = nil) -> Captures? {
        if case .ok(let m) = (tree ?? vrp).match(line, in: view) { return m.captures }
        return nil
    }

    // MARK: Abbreviation

    func testUniquePrefixesFromTheSeeds() {
        XCTAssertEqual(grammar("sys", in: "user"), "system-view")
        XCTAssertEqual(grammar("dis cu", in: "user"), "display current-configuration [configuration {section:word}]")
        XCTAssertEqual(captures("dis cu conf bgp", in: "system")?.text("section"), "bgp")
        XCTAssertEqual(grammar("dis ip rou", in: "system"), "display ip routing-table [protocol (bgp | direct | static)]")
        XCTAssertEqual(grammar(" dis ip routing-table protocol bgp", in: "bgp"), "display ip routing-table [protocol (bgp | direct | static)]")
        XCTAssertEqual(grammar("dis this", in: "user"), "display this")
        XCTAssertEqual(grammar("int g0/0/1", in: "system"), "interface {if:interface}")
        XCTAssertEqual(grammar("DIS CU", in: "user"), "display current-configuration [configuration {section:word}]", "VRP keywords ignore case")
    }

    func testUniquenessIsComputedPerView() {
        // `di` prefixes `dir` and `display` in user view, but only `display` in bgp view (seed: `[…-bgp]di this`).
        guard case .ambiguous(let i) = vrp.match("di this", in: "user") else { return XCTFail("\(vrp.match("di this", in: "user"))") }
        XCTAssertEqual(i, 0)
        XCTAssertEqual(grammar("di this", in: "bgp"), "display this")
    }

    func testExactKeywordBeatsLongerKeywordItPrefixes() {
        XCTAssertEqual(grammar("dis ip routing-table", in: "system"), "display ip routing-table [protocol (bgp | direct | static)]")
        XCTAssertEqual(grammar("dis ipv rou", in: "system"), "display ipv6 routing-table")
        guard case .ambiguous(let i) = vrp.match("dis i rou", in: "system") else { return XCTFail() }
        XCTAssertEqual(i, 1, "`i` prefixes both `ip` and `ipv6`")
    }

    func testAmbiguousPrefixWithinOneCommandsChoice() {
        XCTAssertNotNil(grammar("peer 1.1.1.1 password c abc", in: "bgp"))
        guard case .ambiguous(let i) = quagga.match("co", in: "enable") else { return XCTFail() }
        XCTAssertEqual(i, 0, "`co` prefixes configure and copy")
        XCTAssertEqual(grammar("conf t", in: "enable", quagga), "configure terminal")
        XCTAssertEqual(grammar("sh ip bgp su", in: "enable", quagga), "show ip bgp summary")
    }

    func testTypographicHyphensFromPastedDocsAreFolded() {
        // Seed 003 shows `as‐number` and `connect‐interface` with U+2010.
        XCTAssertEqual(grammar("peer 10.2.98.141 as\u{2010}number 63400", in: "bgp"), "peer {ip:ipv4} as-number {asn:asn}")
        XCTAssertEqual(grammar("compare\u{2010}different\u{2010}as\u{2010}med", in: "bgp-af-ipv4"), "compare-different-as-med")
    }

    func testQuaggaKeywordsAreCaseSensitive() {
        guard case .unrecognized(let i) = quagga.match("SHOW ip bgp", in: "enable") else { return XCTFail() }
        XCTAssertEqual(i, 0)
    }

    // MARK: Errors and where they point

    func testEachErrorKindAndItsToken() {
        guard case .unrecognized(0) = vrp.match("redo acl name LAN", in: "system") else { return XCTFail() }
        guard case .unrecognized(1) = vrp.match("display bgpx", in: "system") else { return XCTFail() }
        guard case .incomplete = vrp.match("peer 10.1.1.2", in: "bgp") else { return XCTFail() }
        guard case .incomplete = vrp.match("display", in: "user") else { return XCTFail() }
        guard case .wrongParameter(3) = vrp.match("peer 10.1.1.2 as-number 0", in: "bgp") else { return XCTFail() }
        guard case .wrongParameter(3) = vrp.match("peer 10.1.1.2 ebgp-max-hop 256", in: "bgp") else { return XCTFail() }
        guard case .tooManyParameters(1) = vrp.match("system-view now", in: "user") else { return XCTFail() }
        guard case .unrecognized(0) = vrp.match("interface Vlanif98", in: "user") else { return XCTFail("wrong view") }
        guard case .empty = vrp.match("   ", in: "user") else { return XCTFail() }
    }

    func testMalformedAddressIsWrongParameterEvenWhereAGroupNameCouldGo() {
        // `peer {group:word} as-number …` would take any word, but `1.2.3` is clearly a broken address.
        guard case .wrongParameter(let i) = vrp.match("peer 1.2.3 as-number 1", in: "bgp") else {
            return XCTFail("\(vrp.match("peer 1.2.3 as-number 1", in: "bgp"))")
        }
        XCTAssertEqual(i, 1)
        XCTAssertEqual(grammar("peer leafs as-number 65009", in: "bgp"), "peer {group:word} as-number {asn:asn}")
    }

    func testTypedValueBeatsFreeWord() {
        XCTAssertEqual(grammar("peer 10.2.98.141 as-number 63400", in: "bgp"), "peer {ip:ipv4} as-number {asn:asn}")
        let q = captures("neighbor 10.0.0.3 update-source 10.0.0.1", in: "router-bgp", quagga)
        XCTAssertTrue(q?.contains("src") == true)
        let ifname = captures("neighbor 10.0.0.3 update-source lo", in: "router-bgp", quagga)
        XCTAssertEqual(ifname?.text("ifname"), "lo")
    }

    // MARK: Typed captures

    func testCapturesAreTyped() throws {
        let c = try XCTUnwrap(captures("peer 10.1.12.1 as-number 635.88", in: "bgp"))
        XCTAssertEqual(c["ip", as: IPv4Value.self]?.value, 0x0A01_0C01)
        XCTAssertEqual(c["asn", as: ASNumberValue.self]?.value, 635 * 65536 + 88)
        XCTAssertNil(c["asn", as: IPv4Value.self])
        XCTAssertEqual(c.keywords, ["peer", "as-number"])
        let mask = try XCTUnwrap(captures("network 10.1.1.0 255.255.255.0", in: "bgp"))
        XCTAssertEqual(mask["mask", as: IPv4MaskValue.self]?.length, 24)
        let len = try XCTUnwrap(captures("network 10.1.1.0 24", in: "bgp"))
        XCTAssertEqual(len["len", as: MaskLengthValue.self]?.length, 24)
        guard case .wrongParameter(2) = vrp.match("network 10.1.1.0 255.0.255.0", in: "bgp") else { return XCTFail() }
    }

    func testRepeatedPartsForVlanBatch() throws {
        let c = try XCTUnwrap(captures("vlan batch 10 20 to 30", in: "system"))
        XCTAssertEqual(c.all("vid", as: IntegerValue.self).map(\.value), [10, 20])
        XCTAssertEqual(c.all("last", as: IntegerValue.self).map(\.value), [30])
        XCTAssertEqual(c.entries.map(\.name), ["vid", "vid", "last"])
        guard case .wrongParameter(4) = vrp.match("vlan batch 10 to 5000", in: "system") else { return XCTFail() }
        guard case .incomplete = vrp.match("vlan batch", in: "system") else { return XCTFail() }
    }

    func testTwoWordInterfaceNames() throws {
        let c = try XCTUnwrap(captures("interface LoopBack 0", in: "system"))
        XCTAssertEqual(c.text("if"), "LoopBack0")
        XCTAssertEqual(c.entries.first?.text, "LoopBack 0")
        XCTAssertEqual(captures("int vlan 98", in: "system")?.text("if"), "Vlanif98")
        guard case .wrongParameter(2) = vrp.match("interface Vlanif 5000", in: "system") else { return XCTFail() }
        guard case .incomplete = vrp.match("interface GigabitEthernet", in: "system") else { return XCTFail() }
        let src = try XCTUnwrap(captures("peer 10.2.98.141 connect-interface Vlanif98 10.2.98.1", in: "bgp"))
        XCTAssertEqual(src.text("if"), "Vlanif98")
        XCTAssertEqual(src.text("src"), "10.2.98.1")
    }

    func testTextCaptureTakesTheRestOfTheLine() {
        XCTAssertEqual(captures("peer 10.1.12.1 description to AR1  uplink ", in: "bgp")?.text("text"), "to AR1  uplink")
        guard case .wrongParameter(3) = vrp.match("peer 10.1.12.1 description " + String(repeating: "x", count: 81), in: "bgp") else {
            return XCTFail()
        }
    }

    func testNegatedForms() {
        guard case .ok(let m) = vrp.match("undo peer 10.1.1.2", in: "bgp") else { return XCTFail() }
        XCTAssertTrue(m.negated)
        XCTAssertEqual(m.grammar, "undo peer {ip:ipv4}")
        guard case .ok(let sync) = vrp.match("undo sync", in: "bgp-af-ipv4") else { return XCTFail() }
        XCTAssertEqual(sync.grammar, "undo synchronization")
        guard case .ok(let no) = quagga.match("no neighbor 172.31.13.27 remote-as 64512", in: "router-bgp") else { return XCTFail() }
        XCTAssertTrue(no.negated)
        guard case .unrecognized(1) = vrp.match("undo router-id 1.1.1.1", in: "bgp") else { return XCTFail("no negation declared") }
    }

    func testComwareAliasesReplaceTheFirstWord() {
        let comware = Fixtures.comwareTree()
        XCTAssertEqual(comware.match("show bgp peer ipv4", in: "system").grammar, "display bgp peer ipv4 [unicast]")
        XCTAssertEqual(comware.match("show ip int br", in: "user").grammar, "display ip interface brief")
        XCTAssertEqual(comware.match("show current-configuration configuration bgp", in: "user").grammar,
                       "display current-configuration [configuration {section:word}]")
        XCTAssertEqual(comware.match("no peer 10.0.0.5", in: "bgp").grammar, "undo peer {ip:ipv4}")
        guard case .incomplete = comware.match("display bgp peer", in: "system") else { return XCTFail("needs ipv4") }
    }
}
