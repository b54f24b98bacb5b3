import XCTest
@testable import BGPWire

/// Malformed UPDATEs: RFC 4271 §6.3 codes and data, and the RFC 7606 action for each case.
final class UpdateErrorTests: XCTestCase {
    /// Decodes an UPDATE announcing 10.0.0.0/8 with `attributes`, expecting treat-as-withdraw with this reason.
    func assertWithdrawn(_ attributes: [UInt8], subcode: UInt8, data: [UInt8]? = nil, _ options: CodecOptions = four,
                         file: StaticString = #filePath, line: UInt = #line) {
        guard let u = decodeUpdate(Wire.update(attributes: attributes, nlri: [8, 10]), options, file: file, line: line) else { return }
        guard let reason = u.treatAsWithdraw else { return XCTFail("not treat-as-withdraw: \(u)", file: file, line: line) }
        XCTAssertEqual(reason.code, 3, file: file, line: line)
        XCTAssertEqual(reason.subcode, subcode, "subcode", file: file, line: line)
        if let data { XCTAssertEqual(reason.data, data, "data", file: file, line: line) }
        XCTAssertEqual(u.nlri, [p4("10.0.0.0/8")], "the NLRI to withdraw comes back", file: file, line: line)
    }

    /// Decodes an UPDATE announcing 10.0.0.0/8, expecting it to be kept (attribute discarded at most).
    func assertKept(_ attributes: [UInt8], _ options: CodecOptions = four, file: StaticString = #filePath, line: UInt = #line) -> PathAttributes? {
        guard let u = decodeUpdate(Wire.update(attributes: attributes, nlri: [8, 10]), options, file: file, line: line) else { return nil }
        XCTAssertNil(u.treatAsWithdraw, file: file, line: line)
        XCTAssertEqual(u.nlri, [p4("10.0.0.0/8")], file: file, line: line)
        return u.attributes
    }

    // MARK: Message structure: session reset

    func testWithdrawnLengthPastTheEnd() {
        assertNotification(Wire.message(2, [0, 5, 8, 10, 0, 0]), code: 3, subcode: 1, data: [])
    }

    func testTotalAttributeLengthPastTheEnd() {
        assertNotification(Wire.message(2, [0, 0, 0, 9] + Wire.originIGP), code: 3, subcode: 1, data: [])
    }

    func testBadPrefixLengthInNLRIOrWithdrawn() {
        assertNotification(Wire.update(attributes: Wire.mandatory, nlri: [33, 10, 0, 0, 0, 0]), code: 3, subcode: 10, data: [])
        assertNotification(Wire.update(withdrawn: [40, 1, 2, 3, 4, 5]), code: 3, subcode: 10, data: [])
        assertNotification(Wire.update(attributes: Wire.mandatory, nlri: [24, 10, 0]), code: 3, subcode: 10, data: [])
    }

    func testUnrecognisedWellKnownAttributeCarriesTheTriple() {
        let bad = Wire.attribute(0x40, 99, [7, 7])
        assertNotification(Wire.update(attributes: Wire.mandatory + bad, nlri: [8, 10]), code: 3, subcode: 2, data: bad)
    }

    func testDuplicateMPAttributesReset() {
        let unreach = Wire.attribute(0x80, 15, [0, 2, 1])
        assertNotification(Wire.update(attributes: unreach + unreach), code: 3, subcode: 1, data: [])
        let reach = Wire.attribute(0x80, 14, [0, 2, 1, 16] + ip6("2001:db8::1").bytes + [0])
        assertNotification(Wire.update(attributes: Wire.originIGP + Wire.asPath4([]) + reach + reach), code: 3, subcode: 1)
    }

    func testMalformedMPReachResets() {
        // IPv6 with an 8-byte next hop.
        let badHop = Wire.attribute(0x80, 14, [0, 2, 1, 8, 1, 2, 3, 4, 5, 6, 7, 8, 0])
        assertNotification(Wire.update(attributes: Wire.originIGP + Wire.asPath4([]) + badHop), code: 3, subcode: 9, data: badHop)
        // Prefix length 129.
        let badPrefix = Wire.attribute(0x80, 14, [0, 2, 1, 16] + ip6("2001:db8::1").bytes + [0, 129] + [UInt8](repeating: 0, count: 17))
        assertNotification(Wire.update(attributes: Wire.originIGP + Wire.asPath4([]) + badPrefix), code: 3, subcode: 9, data: badPrefix)
        // Next hop length longer than the attribute.
        let short = Wire.attribute(0x80, 14, [0, 2, 1, 32, 0, 0])
        assertNotification(Wire.update(attributes: short), code: 3, subcode: 9, data: short)
        // Wrong flags (well-known).
        let flagged = Wire.attribute(0x40, 14, [0, 2, 1, 16] + ip6("2001:db8::1").bytes + [0])
        assertNotification(Wire.update(attributes: flagged), code: 3, subcode: 4, data: flagged)
        // Too short for AFI/SAFI.
        let stub = Wire.attribute(0x80, 15, [0, 2])
        assertNotification(Wire.update(attributes: stub), code: 3, subcode: 9, data: stub)
        // Truncated withdrawn prefix.
        let cut = Wire.attribute(0x80, 15, [0, 2, 1, 64, 0x20, 0x01])
        assertNotification(Wire.update(attributes: cut), code: 3, subcode: 9, data: cut)
    }

    func testMPAttributeRunningPastTheAttributesResets() {
        var attrs = Wire.attribute(0x80, 15, [0, 2, 1, 48, 0x20, 0x01, 0x0d, 0xb8, 0, 1])
        attrs[2] = 40
        assertNotification(Wire.update(attributes: attrs), code: 3, subcode: 1)
    }

    // MARK: RFC 7606 §4: attribute framing: treat-as-withdraw

    func testAttributeRunningPastTheTotalLengthWithdraws() {
        var nh = Wire.nextHop(10, 0, 0, 1)
        nh[2] = 9
        assertWithdrawn(Wire.originIGP + Wire.asPath4([65001]) + nh, subcode: 1, data: [])
    }

    func testTooFewBytesForAnAttributeHeaderWithdraws() {
        assertWithdrawn(Wire.mandatory + [0x40, 1], subcode: 1)
        assertWithdrawn(Wire.mandatory + [0x50, 8, 0], subcode: 1)
    }

    // MARK: RFC 7606 §7: per attribute

    func testOriginErrors() {
        let value3 = Wire.attribute(0x40, 1, [3])
        assertWithdrawn(value3 + Wire.asPath4([1]) + Wire.nextHop(10, 0, 0, 1), subcode: 6, data: value3)
        let long = Wire.attribute(0x40, 1, [0, 0])
        assertWithdrawn(long + Wire.asPath4([1]) + Wire.nextHop(10, 0, 0, 1), subcode: 5, data: long)
        let optional = Wire.attribute(0xc0, 1, [0])
        assertWithdrawn(optional + Wire.asPath4([1]) + Wire.nextHop(10, 0, 0, 1), subcode: 4, data: optional)
        let partial = Wire.attribute(0x60, 1, [0])
        assertWithdrawn(partial + Wire.asPath4([1]) + Wire.nextHop(10, 0, 0, 1), subcode: 4, data: partial)
    }

    func testASPathErrors() {
        let rest = Wire.originIGP + Wire.nextHop(10, 0, 0, 1)
        assertWithdrawn(rest + Wire.asPath4([1], type: 5), subcode: 11, data: [])
        assertWithdrawn(rest + Wire.asPath4([1], type: 3), subcode: 11, data: [])          // confederation segment
        assertWithdrawn(rest + Wire.attribute(0x40, 2, [2, 0]), subcode: 11)                // zero-length segment
        assertWithdrawn(rest + Wire.attribute(0x40, 2, [2, 2, 0, 0, 0, 1]), subcode: 11)    // overrun
        assertWithdrawn(rest + Wire.attribute(0x40, 2, [2, 1, 0, 0, 0, 1, 2]), subcode: 11) // trailing byte
        assertWithdrawn(rest + Wire.asPath4([1]), subcode: 11, two)                         // 4-byte ASNs to a 2-byte session
    }

    func testNextHopErrors() {
        let base = Wire.originIGP + Wire.asPath4([65001])
        let long = Wire.attribute(0x40, 3, [10, 0, 0, 1, 0])
        assertWithdrawn(base + long, subcode: 5, data: long)
        let zero = Wire.nextHop(0, 0, 0, 0)
        assertWithdrawn(base + zero, subcode: 8, data: zero)
        let multicast = Wire.nextHop(224, 0, 0, 5)
        assertWithdrawn(base + multicast, subcode: 8, data: multicast)
        let broadcast = Wire.nextHop(255, 255, 255, 255)
        assertWithdrawn(base + broadcast, subcode: 8, data: broadcast)
    }

    func testMEDAndLocalPrefLengthErrors() {
        let med = Wire.attribute(0x80, 4, [0, 0, 1])
        assertWithdrawn(Wire.mandatory + med, subcode: 5, data: med)
        let lp = Wire.attribute(0x40, 5, [0, 100])
        assertWithdrawn(Wire.mandatory + lp, subcode: 5, data: lp)
        let medFlags = Wire.attribute(0xc0, 4, [0, 0, 0, 1])
        assertWithdrawn(Wire.mandatory + medFlags, subcode: 4, data: medFlags)
    }

    func testCommunityLengthErrors() {
        let five = Wire.attribute(0xc0, 8, [0, 0, 0, 1, 2])
        assertWithdrawn(Wire.mandatory + five, subcode: 5, data: five)
        assertWithdrawn(Wire.mandatory + Wire.attribute(0xc0, 8, []), subcode: 5)
        let large = Wire.attribute(0xc0, 32, [UInt8](repeating: 1, count: 13))
        assertWithdrawn(Wire.mandatory + large, subcode: 5, data: large)
    }

    func testRouteReflectionAttributeErrors() {
        let id = Wire.attribute(0x80, 9, [1, 1, 1])
        assertWithdrawn(Wire.mandatory + id, subcode: 5, data: id)
        let list = Wire.attribute(0x80, 10, [1, 1, 1, 1, 2, 2])
        assertWithdrawn(Wire.mandatory + list, subcode: 5, data: list)
        let flags = Wire.attribute(0xc0, 9, [1, 1, 1, 1])
        assertWithdrawn(Wire.mandatory + flags, subcode: 4, data: flags)
    }

    func testAggregatorAndAtomicAggregateAreDiscarded() {
        XCTAssertEqual(assertKept(Wire.mandatory + Wire.attribute(0x40, 6, [1]))?.atomicAggregate, false)
        XCTAssertNil(assertKept(Wire.mandatory + Wire.attribute(0xc0, 7, [0, 1, 10, 0, 0, 1, 0]))?.aggregator)
        XCTAssertNil(assertKept(Wire.mandatory + Wire.attribute(0x40, 7, Wire.be32(1) + [10, 0, 0, 1]))?.aggregator)
        let mandatory2 = Wire.originIGP + Wire.asPath2([65001]) + Wire.nextHop(10, 0, 0, 1)
        XCTAssertNil(assertKept(mandatory2 + Wire.attribute(0xc0, 7, Wire.be32(1) + [10, 0, 0, 1]), two)?.aggregator)
        // The rest of the message is still decoded.
        XCTAssertEqual(assertKept(Wire.attribute(0x40, 6, [1]) + Wire.mandatory)?.origin, .igp)
    }

    // MARK: RFC 7606 §3 d, g

    func testMissingWellKnownAttributesWithdrawWithTheirCode() {
        assertWithdrawn(Wire.asPath4([1]) + Wire.nextHop(10, 0, 0, 1), subcode: 3, data: [1])
        assertWithdrawn(Wire.originIGP + Wire.nextHop(10, 0, 0, 1), subcode: 3, data: [2])
        assertWithdrawn(Wire.originIGP + Wire.asPath4([1]), subcode: 3, data: [3])
        assertWithdrawn([], subcode: 3, data: [1])
    }

    func testMissingAttributesForMPNLRI() {
        let reach = Wire.attribute(0x80, 14, [0, 2, 1, 16] + ip6("2001:db8::1").bytes + [0, 32, 0x20, 0x01, 0x0d, 0xb8])
        let u = decodeUpdate(Wire.update(attributes: reach + Wire.asPath4([])))
        XCTAssertEqual(u?.treatAsWithdraw, Notification(code: 3, subcode: 3, data: [1]))
        XCTAssertEqual(u?.attributes.mpReach?.nlri, [p("2001:db8::/32")])
        // NEXT_HOP is not needed without classic NLRI.
        XCTAssertNil(decodeUpdate(Wire.update(attributes: reach + Wire.originIGP + Wire.asPath4([])))?.treatAsWithdraw)
    }

    func testNoNLRINeedsNoAttributes() {
        XCTAssertNil(decodeUpdate(Wire.update(withdrawn: [8, 10], attributes: Wire.originIGP))?.treatAsWithdraw)
    }

    func testDuplicateAttributesKeepTheFirstCopy() {
        let attrs = Wire.mandatory + Wire.attribute(0x40, 1, [2]) + Wire.attribute(0x40, 1, [9])
            + Wire.attribute(0xc0, 99, [1]) + Wire.attribute(0xc0, 99, [2])
        let a = assertKept(attrs)
        XCTAssertEqual(a?.origin, .igp)
        XCTAssertEqual(a?.unknown, [RawAttribute(flags: 0xc0, code: 99, value: [1])])
    }

    func testFirstWithdrawReasonWinsAndTheRestIsStillDecoded() {
        let badOrigin = Wire.attribute(0x40, 1, [7])
        let attrs = badOrigin + Wire.asPath4([65001]) + Wire.nextHop(0, 0, 0, 0) + Wire.attribute(0x80, 4, Wire.be32(5))
        guard let u = decodeUpdate(Wire.update(attributes: attrs, nlri: [8, 10])) else { return }
        XCTAssertEqual(u.treatAsWithdraw, Notification(code: 3, subcode: 6, data: badOrigin))
        XCTAssertEqual(u.attributes.med, 5)
        XCTAssertEqual(u.attributes.asPath, ASPath(sequence: [65001]))
        XCTAssertNil(u.attributes.origin)
    }

    func testWithdrawReasonDescribesItself() {
        let u = decodeUpdate(Wire.update(attributes: Wire.originIGP + Wire.asPath4([1]), nlri: [8, 10]))
        XCTAssertEqual(u?.treatAsWithdraw?.description, "UPDATE Message Error/Missing Well-known Attribute")
    }
}
