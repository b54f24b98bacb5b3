import XCTest
@testable import BGPWire

/// The attribute table is the single source of flags and RFC 7606 actions: check it against the RFCs.
final class AttributeTableTests: XCTestCase {
    func testCodesAreUniqueAndInWriteOrder() {
        let codes = AttributeDescriptor.all.map(\.code.rawValue)
        XCTAssertEqual(codes, codes.sorted())
        XCTAssertEqual(Set(codes).count, codes.count)
        for d in AttributeDescriptor.all {
            XCTAssertEqual(AttributeDescriptor.lookup(d.code.rawValue)?.code, d.code)
        }
        XCTAssertNil(AttributeDescriptor.lookup(16))
    }

    func testFlagsAndActionsFollowTheRFCs() {
        let expected: [AttributeCode: (flags: UInt8, action: ErrorAction)] = [
            .origin: (0x40, .treatAsWithdraw),            // RFC 7606 §7.1
            .asPath: (0x40, .treatAsWithdraw),            // §7.2
            .nextHop: (0x40, .treatAsWithdraw),           // §7.3
            .med: (0x80, .treatAsWithdraw),               // §7.4
            .localPref: (0x40, .treatAsWithdraw),         // §7.5
            .atomicAggregate: (0x40, .attributeDiscard),  // §7.6
            .aggregator: (0xc0, .attributeDiscard),       // §7.7
            .communities: (0xc0, .treatAsWithdraw),       // §7.8
            .originatorID: (0x80, .treatAsWithdraw),      // §7.9
            .clusterList: (0x80, .treatAsWithdraw),       // §7.10
            .mpReach: (0x80, .sessionReset),              // §7.11
            .mpUnreach: (0x80, .sessionReset),            // §7.11
            .as4Path: (0xc0, .attributeDiscard),          // RFC 6793 §6
            .as4Aggregator: (0xc0, .attributeDiscard),    // RFC 6793 §6
            .largeCommunities: (0xc0, .treatAsWithdraw),  // RFC 8092 §6
        ]
        XCTAssertEqual(AttributeDescriptor.all.count, expected.count)
        for d in AttributeDescriptor.all {
            XCTAssertEqual(d.flags, expected[d.code]?.flags, d.name)
            XCTAssertEqual(d.onError, expected[d.code]?.action, d.name)
        }
    }

    /// Each action really happens on the wire: a flags error on every known attribute.
    func testFlagErrorTakesEachAttributesAction() {
        for d in AttributeDescriptor.all {
            let wrongFlags = d.flags ^ 0x80
            let bad = Wire.attribute(wrongFlags, d.code.rawValue, [0, 0, 0, 0])
            // First, so that the good copies in `mandatory` are the discarded duplicates.
            let bytes = Wire.update(attributes: bad + Wire.mandatory, nlri: [8, 10])
            switch d.onError {
            case .sessionReset:
                assertNotification(bytes, code: 3, subcode: 4, data: bad)
            case .treatAsWithdraw:
                XCTAssertEqual(decodeUpdate(bytes)?.treatAsWithdraw, Notification(code: 3, subcode: 4, data: bad), d.name)
            case .attributeDiscard:
                let u = decodeUpdate(bytes)
                XCTAssertNil(u?.treatAsWithdraw, d.name)
                XCTAssertEqual(u?.attributes, PathAttributes(origin: .igp, asPath: ASPath(sequence: [65001]), nextHop: ip4("10.0.0.1")), d.name)
            }
        }
    }
}
