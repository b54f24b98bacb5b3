import XCTest
@testable import CLIEngine

final class ValueTests: XCTestCase {
    let vrp = ValueContext(style: .vrp, interfaces: .vrp)
    let comware = ValueContext(style: .vrp, interfaces: .comware)
    let quagga = ValueContext(style: .quagga, interfaces: .linux)

    private func value<V: CLIValue>(_ type: V.Type, _ token: String, _ context: ValueContext) -> V? {
        if case .valid(let v) = V.parse(token, context) { return v }
        return nil
    }

    private func isMalformed<V: CLIValue>(_ type: V.Type, _ token: String, _ context: ValueContext) -> Bool {
        if case .malformed = V.parse(token, context) { return true }
        return false
    }

    private func isNoMatch<V: CLIValue>(_ type: V.Type, _ token: String, _ context: ValueContext) -> Bool {
        if case .noMatch = V.parse(token, context) { return true }
        return false
    }

    func testIPv4() {
        XCTAssertEqual(value(IPv4Value.self, "10.2.98.141", vrp)?.value, 0x0A02_628D)
        XCTAssertEqual(value(IPv4Value.self, "10.2.98.141", vrp)?.description, "10.2.98.141")
        XCTAssertTrue(isMalformed(IPv4Value.self, "1.2.3", vrp))
        XCTAssertTrue(isMalformed(IPv4Value.self, "256.1.1.1", vrp))
        XCTAssertTrue(isMalformed(IPv4Value.self, "1..2.3", vrp))
        XCTAssertTrue(isNoMatch(IPv4Value.self, "peer", vrp))
        XCTAssertEqual(IPv4Value.placeholder(vrp), "X.X.X.X")
        XCTAssertEqual(IPv4Value.placeholder(quagga), "A.B.C.D")
    }

    func testMaskAndLength() {
        XCTAssertEqual(value(IPv4MaskValue.self, "255.255.255.0", vrp)?.length, 24)
        XCTAssertEqual(value(IPv4MaskValue.self, "0.0.0.0", vrp)?.length, 0)
        XCTAssertEqual(value(IPv4MaskValue.self, "255.255.255.255", vrp)?.length, 32)
        XCTAssertTrue(isMalformed(IPv4MaskValue.self, "255.0.255.0", vrp))
        XCTAssertEqual(IPv4MaskValue(length: 26)?.description, "255.255.255.192")
        XCTAssertEqual(value(MaskLengthValue.self, "24", vrp)?.length, 24)
        XCTAssertTrue(isMalformed(MaskLengthValue.self, "33", vrp))
        XCTAssertEqual(MaskLengthValue.placeholder(vrp), "INTEGER<0-32>")
        XCTAssertEqual(MaskLengthValue.placeholder(quagga), "(0-32)")
    }

    func testIPv4Prefix() {
        let p = value(IPv4PrefixValue.self, "172.27.208.0/22", quagga)
        XCTAssertEqual(p?.length, 22)
        XCTAssertEqual(p?.description, "172.27.208.0/22")
        XCTAssertTrue(isMalformed(IPv4PrefixValue.self, "10.0.0.0/33", quagga))
        XCTAssertTrue(isMalformed(IPv4PrefixValue.self, "10.0.0/8", quagga))
        XCTAssertTrue(isNoMatch(IPv4PrefixValue.self, "10.0.0.0", quagga))
        XCTAssertEqual(IPv4PrefixValue.placeholder(quagga), "A.B.C.D/M")
    }

    func testIPv6() {
        XCTAssertEqual(value(IPv6Value.self, "2001:DB8:0:0:0:0:0:1", vrp)?.description, "2001:db8::1")
        XCTAssertEqual(value(IPv6Value.self, "::ffff:10.1.2.3", vrp)?.low, 0x0000_ffff_0a01_0203)
        XCTAssertEqual(value(IPv6Value.self, "fe80::1", vrp)?.high, 0xfe80_0000_0000_0000)
        XCTAssertEqual(value(IPv6Value.self, "::", vrp)?.description, "::")
        XCTAssertTrue(isMalformed(IPv6Value.self, "1:2:3:4:5:6:7:8:9", vrp))
        XCTAssertTrue(isMalformed(IPv6Value.self, "1::2::3", vrp))
        XCTAssertTrue(isNoMatch(IPv6Value.self, "10.1.1.1", vrp))
        XCTAssertEqual(value(IPv6PrefixValue.self, "2001:db8::/32", vrp)?.length, 32)
        XCTAssertTrue(isMalformed(IPv6PrefixValue.self, "2001:db8::/129", vrp))
    }

    func testASNumberPlainAndAsdot() {
        XCTAssertEqual(value(ASNumberValue.self, "65001", vrp)?.value, 65001)
        XCTAssertEqual(value(ASNumberValue.self, "4294967295", vrp)?.value, UInt32.max)
        let dot = value(ASNumberValue.self, "635.88", vrp)
        XCTAssertEqual(dot?.value, 635 * 65536 + 88)
        XCTAssertEqual(dot?.description, "635.88")
        XCTAssertTrue(isMalformed(ASNumberValue.self, "0", vrp))
        XCTAssertTrue(isMalformed(ASNumberValue.self, "4294967296", vrp))
        XCTAssertTrue(isMalformed(ASNumberValue.self, "99999999999999999999999", vrp))
        XCTAssertTrue(isMalformed(ASNumberValue.self, "65536.1", vrp))
        XCTAssertTrue(isMalformed(ASNumberValue.self, "0.0", vrp))
        XCTAssertTrue(isNoMatch(ASNumberValue.self, "1.2.3.4", vrp))
        XCTAssertTrue(isNoMatch(ASNumberValue.self, "as65001", vrp))
        XCTAssertEqual(ASNumberValue.placeholder(vrp), "INTEGER<1-4294967295>")
        XCTAssertEqual(ASNumberValue.placeholder(quagga), "(1-4294967295)")
    }

    func testIntegerBounds() {
        var c = vrp
        c.bounds = 1...255
        XCTAssertEqual(value(IntegerValue.self, "255", c)?.value, 255)
        XCTAssertTrue(isMalformed(IntegerValue.self, "0", c))
        XCTAssertTrue(isMalformed(IntegerValue.self, "256", c))
        XCTAssertTrue(isNoMatch(IntegerValue.self, "ten", c))
        XCTAssertEqual(IntegerValue.placeholder(c), "INTEGER<1-255>")
    }

    func testWordsAndStrings() {
        var c = vrp
        c.bounds = 1...5
        XCTAssertEqual(value(WordValue.self, "leaf1", c)?.text, "leaf1")
        XCTAssertTrue(isMalformed(WordValue.self, "leaf-one", c))
        XCTAssertEqual(WordValue.placeholder(c), "STRING<1-5>")
        XCTAssertEqual(WordValue.placeholder(quagga), "WORD")
        XCTAssertEqual(value(QuotedStringValue.self, "\"to leaf 1\"", vrp)?.text, "to leaf 1")
        XCTAssertTrue(WordValue.isFreeText(vrp))
        XCTAssertFalse(IPv4Value.isFreeText(vrp))
    }

    func testVRPInterfaceNames() {
        XCTAssertEqual(value(InterfaceNameValue.self, "g0/0/1", vrp)?.description, "GigabitEthernet0/0/1")
        XCTAssertEqual(value(InterfaceNameValue.self, "GE0/0/2", vrp)?.description, "GigabitEthernet0/0/2")
        XCTAssertEqual(value(InterfaceNameValue.self, "vlanif98", vrp)?.description, "Vlanif98")
        XCTAssertEqual(value(InterfaceNameValue.self, "LoopBack0", vrp)?.description, "LoopBack0")
        XCTAssertEqual(value(InterfaceNameValue.self, "loop0", vrp)?.description, "LoopBack0")
        XCTAssertEqual(value(InterfaceNameValue.self, "Eth-Trunk1", vrp)?.description, "Eth-Trunk1")
        XCTAssertTrue(isMalformed(InterfaceNameValue.self, "Vlanif5000", vrp))
        XCTAssertTrue(isMalformed(InterfaceNameValue.self, "g0/0", vrp))
        XCTAssertTrue(isNoMatch(InterfaceNameValue.self, "Vlan-interface10", vrp))
        XCTAssertEqual(value(InterfaceNameValue.self, "eth0", vrp)?.description, "Eth-Trunk0", "a unique prefix of the type name")
        XCTAssertTrue(isNoMatch(InterfaceNameValue.self, "98", vrp))
    }

    func testComwareAndLinuxInterfaceNames() {
        XCTAssertEqual(value(InterfaceNameValue.self, "Vlan10", comware)?.description, "Vlan-interface10")
        XCTAssertEqual(value(InterfaceNameValue.self, "vlan-interface98", comware)?.description, "Vlan-interface98")
        XCTAssertEqual(value(InterfaceNameValue.self, "GE1/0/1", comware)?.description, "GigabitEthernet1/0/1")
        XCTAssertEqual(value(InterfaceNameValue.self, "XGE1/0/49", comware)?.description, "Ten-GigabitEthernet1/0/49")
        XCTAssertTrue(isNoMatch(InterfaceNameValue.self, "Vlanif98", comware))
        XCTAssertEqual(value(InterfaceNameValue.self, "eth0", quagga)?.description, "eth0")
        XCTAssertEqual(value(InterfaceNameValue.self, "veth-leaf1", quagga)?.description, "veth-leaf1")
        XCTAssertTrue(isNoMatch(InterfaceNameValue.self, "a-name-longer-than-15", quagga))
        XCTAssertTrue(InterfaceNameValue.isFreeText(quagga))
        XCTAssertFalse(InterfaceNameValue.isFreeText(vrp))
        XCTAssertEqual(InterfaceNameValue.completions(prefix: "v", comware), ["Vlan-interface"])
    }
}
