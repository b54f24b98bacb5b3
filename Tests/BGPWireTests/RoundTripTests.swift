import XCTest
@testable import BGPWire

/// encode → decode gives back the same message, and the encoder's layout choices (code order, extended length,
/// Partial bit, segment splitting) are what the RFCs ask for.
final class RoundTripTests: XCTestCase {
    static let everything = PathAttributes(
        origin: .egp, asPath: ASPath([ASPathSegment(.sequence, [65001, 4_200_000_000]), ASPathSegment(.set, [1, 2, 3])]),
        nextHop: ip4("172.16.0.1"), med: 0, localPref: 100, atomicAggregate: true,
        aggregator: Aggregator(asn: 4_200_000_001, address: ip4("10.0.0.9")),
        communities: [Community(asn: 65001, value: 1), .noAdvertise, .noExportSubconfed],
        originatorID: ip4("3.3.3.3"), clusterList: [ip4("4.4.4.4")], largeCommunities: [LargeCommunity(4_200_000_000, 7, 8)],
        mpReach: MPReach(family: .ipv6Unicast, nextHops: [.v6(ip6("2001:db8::1")), .v6(ip6("fe80::2"))],
                         nlri: [p("2001:db8:a::/48"), p("2001:db8:b::1/128")]),
        mpUnreach: MPUnreach(family: .ipv6Unicast, withdrawn: [p("2001:db8:c::/64")]),
        unknown: [RawAttribute(flags: 0xe0, code: 99, value: [1, 2])])

    func testUpdateWithEveryAttributeBothSessionKinds() {
        let u = Update(withdrawn: [p4("10.9.0.0/16")], attributes: Self.everything, nlri: [p4("10.1.0.0/16"), p4("0.0.0.0/0"), p4("1.2.3.4/32")])
        XCTAssertEqual(roundTrip(.update(u), four), .update(u))
        XCTAssertEqual(roundTrip(.update(u), two), .update(u))
    }

    func testEachAttributeAlone() {
        let all = Self.everything
        let singles: [PathAttributes] = [
            PathAttributes(origin: .incomplete), PathAttributes(asPath: all.asPath), PathAttributes(nextHop: all.nextHop),
            PathAttributes(med: 7), PathAttributes(localPref: 0), PathAttributes(atomicAggregate: true),
            PathAttributes(aggregator: Aggregator(asn: 65000, address: ip4("1.1.1.1"))), PathAttributes(communities: all.communities),
            PathAttributes(originatorID: all.originatorID), PathAttributes(clusterList: all.clusterList),
            PathAttributes(largeCommunities: all.largeCommunities), PathAttributes(origin: .igp, mpReach: all.mpReach),
            PathAttributes(mpUnreach: all.mpUnreach), PathAttributes(unknown: all.unknown),
            PathAttributes(origin: .igp, mpReach: MPReach(family: .ipv4Unicast, nextHops: [.v4(ip4("10.0.0.1"))], nlri: [p("10.0.0.0/8")])),
        ]
        for a in singles {
            for options in [four, two] {
                XCTAssertEqual(roundTrip(.update(Update(attributes: a)), options), .update(Update(attributes: a)), "\(a)")
            }
        }
    }

    func testAttributesAreWrittenInTypeCodeOrder() {
        var a = Self.everything
        a.unknown = [RawAttribute(flags: 0xc0, code: 200, value: []), RawAttribute(flags: 0xc0, code: 11, value: [1]),
                     RawAttribute(flags: 0xc0, code: 16, value: [1, 2, 3, 4, 5, 6, 7, 8])]
        for options in [four, two] {
            let bytes = BGPMessage.update(Update(attributes: a)).encode(options: options)
            let codes = attributeCodes(bytes)
            XCTAssertEqual(codes, codes.sorted())
            XCTAssertEqual(Set(codes).count, codes.count)
        }
        XCTAssertEqual(attributeCodes(BGPMessage.update(Update(attributes: a)).encode(options: four)),
                       [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14, 15, 16, 32, 200])
        XCTAssertEqual(attributeCodes(BGPMessage.update(Update(attributes: a)).encode(options: two)),
                       [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18, 32, 200])
    }

    func testUnknownTransitiveGoesOutWithPartialBit() {
        let a = PathAttributes(unknown: [RawAttribute(flags: 0xc0, code: 99, value: [5]), RawAttribute(flags: 0x80, code: 98, value: [6])])
        let bytes = BGPMessage.update(Update(attributes: a)).encode(options: four)
        XCTAssertEqual(Array(bytes[23...]), [0x80, 98, 1, 6, 0xe0, 99, 1, 5])
        guard let u = decodeUpdate(bytes) else { return }
        XCTAssertEqual(u.attributes.unknown, [RawAttribute(flags: 0xe0, code: 99, value: [5])])
    }

    func testExtendedLengthOnlyWhenNeeded() {
        let many = (0..<64).map { Community(UInt32($0)) }          // 256 bytes: needs two length octets
        let bytes = BGPMessage.update(Update(attributes: PathAttributes(communities: many))).encode(options: four)
        XCTAssertEqual(Array(bytes[23..<27]), [0xd0, 8, 1, 0])
        XCTAssertEqual(bytes.count, 23 + 4 + 256)
        let fewer = Array(many.prefix(63))                         // 252 bytes: one length octet
        let short = BGPMessage.update(Update(attributes: PathAttributes(communities: fewer))).encode(options: four)
        XCTAssertEqual(Array(short[23..<26]), [0xc0, 8, 252])
        XCTAssertEqual(roundTrip(.update(Update(attributes: PathAttributes(communities: many)))),
                       .update(Update(attributes: PathAttributes(communities: many))))
    }

    func testClassicLayoutMatchesTheRFCFigure() {
        let u = Update(withdrawn: [p4("10.0.0.0/8")],
                       attributes: PathAttributes(origin: .igp, asPath: ASPath(sequence: [65001]), nextHop: ip4("10.0.0.1")),
                       nlri: [p4("10.1.0.0/16"), p4("192.168.1.0/24")])
        XCTAssertEqual(BGPMessage.update(u).encode(options: four),
                       Wire.update(withdrawn: [8, 10], attributes: Wire.mandatory, nlri: Wire.twoPrefixes))
    }

    func testLongASPathIsSplitIntoSegmentsOf255() {
        let asns = (1...300).map { UInt32($0) }
        let a = PathAttributes(origin: .igp, asPath: ASPath(sequence: asns))
        guard let u = roundTrip(.update(Update(attributes: a))), case .update(let back) = u else { return XCTFail() }
        XCTAssertEqual(back.attributes.asPath.segments.map(\.asns.count), [255, 45])
        XCTAssertEqual(back.attributes.asPath.segments.flatMap(\.asns), asns)
        XCTAssertEqual(back.attributes.asPath.length, 300)
    }

    func testEmptyASPathIsWrittenWithOrigin() {
        let a = PathAttributes(origin: .igp)
        let bytes = BGPMessage.update(Update(attributes: a)).encode(options: four)
        XCTAssertEqual(Array(bytes[23...]), Wire.originIGP + [0x40, 2, 0])
    }

    func testEndOfRIBMarkers() {
        let v4 = UpdatePacker.endOfRIB(.ipv4Unicast)
        XCTAssertEqual(v4, Wire.update())
        let v6 = UpdatePacker.endOfRIB(.ipv6Unicast)
        XCTAssertEqual(v6, Wire.update(attributes: [0x80, 15, 3, 0, 2, 1]))
        XCTAssertEqual(decodeUpdate(v4)?.isEndOfRIB, true)
        XCTAssertEqual(decodeUpdate(v6)?.isEndOfRIB, true)
    }

    /// Type codes of the attributes in an encoded UPDATE.
    func attributeCodes(_ bytes: [UInt8]) -> [UInt8] {
        let w = Int(bytes[19]) << 8 | Int(bytes[20])
        let start = 23 + w
        let total = Int(bytes[21 + w]) << 8 | Int(bytes[22 + w])
        var i = start, codes: [UInt8] = []
        while i < start + total {
            codes.append(bytes[i + 1])
            if bytes[i] & 0x10 != 0 { i += 4 + (Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])) } else { i += 3 + Int(bytes[i + 2]) }
        }
        return codes
    }
}
