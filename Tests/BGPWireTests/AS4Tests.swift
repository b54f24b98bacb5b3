import XCTest
@testable import BGPWire

/// RFC 6793: talking to a 2-octet-AS speaker (AS_TRANS, AS4_PATH, AS4_AGGREGATOR) in both directions.
final class AS4Tests: XCTestCase {
    let mandatory2 = Wire.originIGP + Wire.nextHop(10, 0, 0, 1)

    func testEncodingTowardsATwoOctetSpeaker() {
        let a = PathAttributes(origin: .igp, asPath: ASPath(sequence: [65001, 4_200_000_000, 100]), nextHop: ip4("10.0.0.1"),
                               aggregator: Aggregator(asn: 4_200_000_000, address: ip4("10.0.0.9")))
        let bytes = BGPMessage.update(Update(attributes: a, nlri: [p4("10.0.0.0/8")])).encode(options: two)
        let expected = Wire.originIGP
            + Wire.attribute(0x40, 2, [2, 3] + Wire.be16(65001) + Wire.be16(23456) + Wire.be16(100))
            + Wire.nextHop(10, 0, 0, 1)
            + Wire.attribute(0xc0, 7, Wire.be16(23456) + [10, 0, 0, 9])
            + Wire.attribute(0xc0, 17, [2, 3] + Wire.be32(65001) + Wire.be32(4_200_000_000) + Wire.be32(100))
            + Wire.attribute(0xc0, 18, Wire.be32(4_200_000_000) + [10, 0, 0, 9])
        XCTAssertEqual(bytes, Wire.update(attributes: expected, nlri: [8, 10]))
        XCTAssertEqual(decodeUpdate(bytes, two)?.attributes, a)
    }

    func testTwoOctetPathsNeedNoAS4Attributes() {
        let a = PathAttributes(origin: .igp, asPath: ASPath(sequence: [65001, 100]), aggregator: Aggregator(asn: 7, address: ip4("1.1.1.1")))
        let bytes = BGPMessage.update(Update(attributes: a)).encode(options: two)
        XCTAssertEqual(Array(bytes[23...]), Wire.originIGP + Wire.asPath2([65001, 100]) + Wire.attribute(0xc0, 7, [0, 7, 1, 1, 1, 1]))
    }

    func testFourOctetSessionNeverSendsAS4Attributes() {
        let a = PathAttributes(origin: .igp, asPath: ASPath(sequence: [4_200_000_000]), aggregator: Aggregator(asn: 4_200_000_000, address: ip4("1.1.1.1")))
        let bytes = BGPMessage.update(Update(attributes: a)).encode(options: four)
        XCTAssertEqual(Array(bytes[23...]), Wire.originIGP + Wire.asPath4([4_200_000_000]) + Wire.attribute(0xc0, 7, Wire.be32(4_200_000_000) + [1, 1, 1, 1]))
    }

    func testOldSpeakersPrependedASNsAreKeptInFront() {
        // A 2-octet speaker (AS 100) received [65001, AS_TRANS] + AS4_PATH [65001, 4200000000] and prepended itself.
        let attrs = mandatory2 + Wire.asPath2([100, 65001, 23456])
            + Wire.attribute(0xc0, 17, [2, 2] + Wire.be32(65001) + Wire.be32(4_200_000_000))
        let u = decodeUpdate(Wire.update(attributes: attrs, nlri: [8, 10]), two)
        XCTAssertEqual(u?.attributes.asPath, ASPath(sequence: [100, 65001, 4_200_000_000]))
        XCTAssertNil(u?.treatAsWithdraw)
    }

    func testSetsCountAsOneWhenMerging() {
        let asPath = Wire.attribute(0x40, 2, [2, 1] + Wire.be16(100) + [1, 2] + Wire.be16(23456) + Wire.be16(5))
        let as4 = Wire.attribute(0xc0, 17, [1, 2] + Wire.be32(4_200_000_000) + Wire.be32(5))
        let u = decodeUpdate(Wire.update(attributes: mandatory2 + asPath + as4, nlri: [8, 10]), two)
        XCTAssertEqual(u?.attributes.asPath, ASPath([ASPathSegment(.sequence, [100]), ASPathSegment(.set, [4_200_000_000, 5])]))
    }

    func testLongerAS4PathIsIgnored() {
        let attrs = mandatory2 + Wire.asPath2([23456])
            + Wire.attribute(0xc0, 17, [2, 2] + Wire.be32(65001) + Wire.be32(4_200_000_000))
        XCTAssertEqual(decodeUpdate(Wire.update(attributes: attrs, nlri: [8, 10]), two)?.attributes.asPath, ASPath(sequence: [23456]))
    }

    func testAS4AggregatorReplacesASTransAggregator() {
        let attrs = mandatory2 + Wire.asPath2([23456])
            + Wire.attribute(0xc0, 7, Wire.be16(23456) + [10, 0, 0, 9])
            + Wire.attribute(0xc0, 17, [2, 1] + Wire.be32(4_200_000_000))
            + Wire.attribute(0xc0, 18, Wire.be32(4_200_000_000) + [10, 0, 0, 9])
        let a = decodeUpdate(Wire.update(attributes: attrs, nlri: [8, 10]), two)?.attributes
        XCTAssertEqual(a?.aggregator, Aggregator(asn: 4_200_000_000, address: ip4("10.0.0.9")))
        XCTAssertEqual(a?.asPath, ASPath(sequence: [4_200_000_000]))
    }

    func testRealTwoOctetAggregatorMakesAS4AttributesStale() {
        let attrs = mandatory2 + Wire.asPath2([300, 23456])
            + Wire.attribute(0xc0, 7, Wire.be16(300) + [10, 0, 0, 3])
            + Wire.attribute(0xc0, 17, [2, 1] + Wire.be32(4_200_000_000))
            + Wire.attribute(0xc0, 18, Wire.be32(4_200_000_000) + [10, 0, 0, 9])
        let a = decodeUpdate(Wire.update(attributes: attrs, nlri: [8, 10]), two)?.attributes
        XCTAssertEqual(a?.aggregator, Aggregator(asn: 300, address: ip4("10.0.0.3")))
        XCTAssertEqual(a?.asPath, ASPath(sequence: [300, 23456]))
        XCTAssertEqual(a?.unknown, [])
    }

    func testAS4AttributesFromAFourOctetSpeakerAreDiscarded() {
        let attrs = Wire.mandatory + Wire.attribute(0xc0, 17, [2, 1] + Wire.be32(7)) + Wire.attribute(0xc0, 18, Wire.be32(7) + [1, 1, 1, 1])
        let u = decodeUpdate(Wire.update(attributes: attrs, nlri: [8, 10]), four)
        XCTAssertEqual(u?.attributes, PathAttributes(origin: .igp, asPath: ASPath(sequence: [65001]), nextHop: ip4("10.0.0.1")))
        XCTAssertNil(u?.treatAsWithdraw)
    }

    func testMalformedAS4AttributesAreDiscarded() {
        let attrs = mandatory2 + Wire.asPath2([23456]) + Wire.attribute(0xc0, 17, [2, 2] + Wire.be32(1))
            + Wire.attribute(0xc0, 7, Wire.be16(23456) + [1, 1, 1, 1]) + Wire.attribute(0xc0, 18, [0, 1])
        let u = decodeUpdate(Wire.update(attributes: attrs, nlri: [8, 10]), two)
        XCTAssertNil(u?.treatAsWithdraw)
        XCTAssertEqual(u?.attributes.asPath, ASPath(sequence: [23456]))
        XCTAssertEqual(u?.attributes.aggregator, Aggregator(asn: 23456, address: ip4("1.1.1.1")))
    }

    func testOpenForAFourOctetASUsesASTrans() throws {
        let open = Open(asn: 4_200_000_000, holdTime: 90, bgpIdentifier: ip4("1.1.1.1"), capabilities: [])
        let bytes = BGPMessage.open(open).encode(options: four)
        XCTAssertEqual(Array(bytes[20..<22]), Wire.be16(23456))
        guard case .open(let back) = try decode(bytes) else { return XCTFail() }
        XCTAssertEqual(back.asNumber, 4_200_000_000)
    }
}
