import XCTest
@testable import BGPWire

/// Well-formed UPDATEs assembled by hand from the RFC 4271 §4.3 and RFC 4760 layouts.
final class UpdateDecodeTests: XCTestCase {
    func testClassicAnnouncement() {
        let bytes = Wire.update(attributes: Wire.mandatory, nlri: Wire.twoPrefixes)
        guard let u = decodeUpdate(bytes) else { return }
        XCTAssertNil(u.treatAsWithdraw)
        XCTAssertEqual(u.nlri, [p4("10.1.0.0/16"), p4("192.168.1.0/24")])
        XCTAssertEqual(u.withdrawn, [])
        XCTAssertEqual(u.attributes, PathAttributes(origin: .igp, asPath: ASPath(sequence: [65001]), nextHop: ip4("10.0.0.1")))
    }

    func testWithdrawalOnlyAndDefaultRoute() {
        guard let u = decodeUpdate(Wire.update(withdrawn: [0, 32, 10, 0, 0, 1, 8, 10])) else { return }
        XCTAssertEqual(u.withdrawn, [p4("0.0.0.0/0"), p4("10.0.0.1/32"), p4("10.0.0.0/8")])
        XCTAssertNil(u.treatAsWithdraw)
        XCTAssertFalse(u.isEndOfRIB)
    }

    func testHostBitsInAPrefixAreMasked() {
        guard let u = decodeUpdate(Wire.update(attributes: Wire.mandatory, nlri: [23, 10, 0, 3])) else { return }
        XCTAssertEqual(u.nlri, [p4("10.0.2.0/23")])
    }

    func testEveryKnownAttribute() {
        let attrs = Wire.originIGP
            + Wire.attribute(0x40, 2, [1, 2] + Wire.be32(65003) + Wire.be32(65004) + [2, 1] + Wire.be32(65002))
            + Wire.nextHop(192, 0, 2, 1)
            + Wire.attribute(0x80, 4, Wire.be32(50))
            + Wire.attribute(0x40, 5, Wire.be32(200))
            + Wire.attribute(0x40, 6, [])
            + Wire.attribute(0xc0, 7, Wire.be32(65010) + [10, 9, 9, 9])
            + Wire.attribute(0xc0, 8, Wire.be32(0xfde9_0064) + Wire.be32(0xffff_ff01))
            + Wire.attribute(0x80, 9, [1, 1, 1, 1])
            + Wire.attribute(0x80, 10, [2, 2, 2, 2, 3, 3, 3, 3])
            + Wire.attribute(0xc0, 32, Wire.be32(65001) + Wire.be32(1) + Wire.be32(2))
        guard let u = decodeUpdate(Wire.update(attributes: attrs, nlri: [24, 198, 51, 100])) else { return }
        XCTAssertNil(u.treatAsWithdraw)
        let a = u.attributes
        XCTAssertEqual(a.origin, .igp)
        XCTAssertEqual(a.asPath, ASPath([ASPathSegment(.set, [65003, 65004]), ASPathSegment(.sequence, [65002])]))
        XCTAssertEqual(a.asPath.description, "{65003,65004} 65002")
        XCTAssertEqual(a.nextHop, ip4("192.0.2.1"))
        XCTAssertEqual(a.med, 50)
        XCTAssertEqual(a.localPref, 200)
        XCTAssertTrue(a.atomicAggregate)
        XCTAssertEqual(a.aggregator, Aggregator(asn: 65010, address: ip4("10.9.9.9")))
        XCTAssertEqual(a.communities, [Community(asn: 65001, value: 100), .noExport])
        XCTAssertEqual(a.originatorID, ip4("1.1.1.1"))
        XCTAssertEqual(a.clusterList, [ip4("2.2.2.2"), ip4("3.3.3.3")])
        XCTAssertEqual(a.largeCommunities, [LargeCommunity(65001, 1, 2)])
        XCTAssertEqual(a.unknown, [])
    }

    func testExtendedLengthFormIsAcceptedForShortValues() {
        let attrs = Wire.attribute(0x40, 1, [2], extended: true) + Wire.asPath4([65001]) + Wire.nextHop(10, 0, 0, 1)
        XCTAssertEqual(decodeUpdate(Wire.update(attributes: attrs, nlri: [8, 10]))?.attributes.origin, .incomplete)
    }

    func testMPReachIPv6WithGlobalAndLinkLocalNextHop() {
        let global = ip6("2001:db8::1"), linkLocal = ip6("fe80::1")
        let value: [UInt8] = [0, 2, 1, 32] + global.bytes + linkLocal.bytes + [0]
            + [64] + ip6("2001:db8:1:2::").bytes.prefix(8) + [0]
        let attrs = Wire.attribute(0x80, 14, value) + Wire.originIGP + Wire.asPath4([65001])
        guard let u = decodeUpdate(Wire.update(attributes: attrs)) else { return }
        XCTAssertNil(u.treatAsWithdraw)
        XCTAssertEqual(u.attributes.mpReach, MPReach(family: .ipv6Unicast, nextHops: [.v6(global), .v6(linkLocal)],
                                                     nlri: [p("2001:db8:1:2::/64"), p("::/0")]))
    }

    func testMPReachIPv6WithOneNextHopAndIPv4Family() {
        let value: [UInt8] = [0, 2, 1, 16] + ip6("2001:db8::9").bytes + [0, 128] + ip6("2001:db8::5").bytes
        let attrs = Wire.originIGP + Wire.asPath4([]) + Wire.attribute(0x80, 14, value)
        XCTAssertEqual(decodeUpdate(Wire.update(attributes: attrs))?.attributes.mpReach?.nlri, [p("2001:db8::5/128")])
        let v4: [UInt8] = [0, 1, 1, 4, 10, 0, 0, 2, 0, 24, 10, 20, 30]
        let u = decodeUpdate(Wire.update(attributes: Wire.originIGP + Wire.asPath4([]) + Wire.attribute(0x80, 14, v4)))
        XCTAssertEqual(u?.attributes.mpReach, MPReach(family: .ipv4Unicast, nextHops: [.v4(ip4("10.0.0.2"))], nlri: [p("10.20.30.0/24")]))
    }

    func testMPUnreachAndIPv6EndOfRIB() {
        let value: [UInt8] = [0, 2, 1, 48, 0x20, 0x01, 0x0d, 0xb8, 0, 1]
        let u = decodeUpdate(Wire.update(attributes: Wire.attribute(0x80, 15, value)))
        XCTAssertEqual(u?.attributes.mpUnreach, MPUnreach(family: .ipv6Unicast, withdrawn: [p("2001:db8:1::/48")]))
        XCTAssertEqual(u?.isEndOfRIB, false)
        let eor = decodeUpdate(Wire.update(attributes: Wire.attribute(0x80, 15, [0, 2, 1])))
        XCTAssertEqual(eor?.isEndOfRIB, true)
        XCTAssertEqual(decodeUpdate(Wire.update())?.isEndOfRIB, true)
    }

    func testMPAttributesForUnknownFamiliesAreIgnored() {
        let reach = Wire.attribute(0x80, 14, [0, 25, 65, 4, 1, 2, 3, 4, 0, 1, 2])
        let unreach = Wire.attribute(0x80, 15, [0, 1, 128, 1, 2])
        let u = decodeUpdate(Wire.update(attributes: reach + unreach))
        XCTAssertNil(u?.attributes.mpReach)
        XCTAssertNil(u?.attributes.mpUnreach)
        XCTAssertNil(u?.treatAsWithdraw)
    }

    func testUnknownOptionalTransitiveIsKeptAndNonTransitiveDropped() {
        let attrs = Wire.mandatory + Wire.attribute(0xc0, 99, [1, 2, 3]) + Wire.attribute(0x80, 98, [4])
            + Wire.attribute(0xd0, 16, [0, 2, 0xfd, 0xe9, 0, 0, 0, 100], extended: true)
        guard let u = decodeUpdate(Wire.update(attributes: attrs, nlri: [8, 10])) else { return }
        XCTAssertEqual(u.attributes.unknown, [RawAttribute(flags: 0xc0, code: 99, value: [1, 2, 3]),
                                              RawAttribute(flags: 0xc0, code: 16, value: [0, 2, 0xfd, 0xe9, 0, 0, 0, 100])])
        XCTAssertNil(u.treatAsWithdraw)
    }

    func testDecodesFromASliceThatDoesNotStartAtZero() throws {
        let stream = Wire.message(4, []) + Wire.update(attributes: Wire.mandatory, nlri: Wire.twoPrefixes)
        let m = try BGPMessage.decode(stream[19...], options: four)
        guard case .update(let u) = m else { return XCTFail() }
        XCTAssertEqual(u.nlri.count, 2)
    }

    func testAttributeNames() {
        XCTAssertEqual(PathAttributes.attributeName(2), "AS_PATH")
        XCTAssertEqual(PathAttributes.attributeName(14), "MP_REACH_NLRI")
        XCTAssertEqual(PathAttributes.attributeName(99), "attribute 99")
    }
}
