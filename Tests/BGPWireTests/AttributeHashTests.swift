import XCTest
@testable import BGPWire

/// `PathAttributes.hash(into:)` folds the fields itself: equal attributes must hash alike however they were
/// built, and the attributes of a real table (paths, MEDs, communities) must spread.
final class AttributeHashTests: XCTestCase {
    func attributes(_ path: [UInt32], med: UInt32? = nil, communities: [Community] = []) -> PathAttributes {
        PathAttributes(origin: .igp, asPath: ASPath(sequence: path), nextHop: IPv4Address("10.0.0.2"), med: med,
                       localPref: 100, communities: communities)
    }

    func testEqualAttributesHashAlikeWhetherBuiltOrDecoded() throws {
        let built = attributes([65002, 65003], med: 5, communities: [Community(asn: 65002, value: 7)])
        let update = Update(attributes: built, nlri: [IPv4Prefix("10.1.0.0/24")!])
        let bytes = BGPMessage.update(update).encode(options: CodecOptions())
        guard case .update(let decoded) = try BGPMessage.decode(bytes[...], options: CodecOptions()) else {
            return XCTFail("not an UPDATE")
        }
        XCTAssertEqual(decoded.attributes, built)
        XCTAssertEqual(decoded.attributes.hashValue, built.hashValue)
        var copy = built
        copy.communities = [Community(asn: 65002, value: 7)]   // a new array with the same contents
        XCTAssertEqual(copy.hashValue, built.hashValue)
    }

    func testEveryFieldCounts() {
        let base = attributes([65002], med: 5)
        var variants: [PathAttributes] = []
        var v = base; v.origin = .incomplete; variants.append(v)
        v = base; v.asPath = ASPath([ASPathSegment(.set, [65002])]); variants.append(v)
        v = base; v.nextHop = IPv4Address("10.0.0.3"); variants.append(v)
        v = base; v.med = nil; variants.append(v)
        v = base; v.med = 0; variants.append(v)
        v = base; v.localPref = nil; variants.append(v)
        v = base; v.atomicAggregate = true; variants.append(v)
        v = base; v.aggregator = Aggregator(asn: 65002, address: IPv4Address("10.0.0.2")!); variants.append(v)
        v = base; v.communities = [.noExport]; variants.append(v)
        v = base; v.originatorID = IPv4Address("1.1.1.1"); variants.append(v)
        v = base; v.clusterList = [IPv4Address("1.1.1.1")!]; variants.append(v)
        v = base; v.largeCommunities = [LargeCommunity(64512, 1, 2)]; variants.append(v)
        v = base; v.unknown = [RawAttribute(flags: 0xc0, code: 99, value: [1])]; variants.append(v)
        let hashes = Set(([base] + variants).map(\.hashValue))
        XCTAssertEqual(hashes.count, variants.count + 1, "each single-field change gives another hash")
    }

    func testTableShapedAttributesSpread() {
        var hashes = Set<Int>()
        for u in 0..<20_000 {
            hashes.insert(attributes([64600 + UInt32(u % 300), 65100 + UInt32(u % 400), 4_200_000_000 + UInt32(u)],
                                     med: UInt32(u % 50)).hashValue)
        }
        XCTAssertEqual(hashes.count, 20_000)
    }
}
