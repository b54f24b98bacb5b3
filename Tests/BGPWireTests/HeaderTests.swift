import XCTest
@testable import BGPWire

/// RFC 4271 §4.1 header and §6.1 header errors; KEEPALIVE, NOTIFICATION and ROUTE-REFRESH bodies.
final class HeaderTests: XCTestCase {
    func testKeepaliveIsNineteenBytesOfHeader() throws {
        let bytes = Wire.marker + [0, 19, 4]
        XCTAssertEqual(try decode(bytes), .keepalive)
        XCTAssertEqual(BGPMessage.keepalive.encode(options: four), bytes)
    }

    func testKeepaliveWithBodyIsBadLength() {
        assertNotification(Wire.message(4, [0]), code: 1, subcode: 2, data: [0, 20])
    }

    func testMarkerNotAllOnesIsConnectionNotSynchronized() {
        var bytes = Wire.message(4, [])
        bytes[5] = 0xfe
        assertNotification(bytes, code: 1, subcode: 1, data: [])
    }

    func testLengthOutsideRangeCarriesTheLengthField() {
        assertNotification(Wire.marker + [0, 18, 4], code: 1, subcode: 2, data: [0, 18])
        var big = Wire.marker + [0x10, 0x01, 2]
        big += [UInt8](repeating: 0, count: 4097 - 19)
        assertNotification(big, code: 1, subcode: 2, data: [0x10, 0x01])
    }

    func testLengthFieldDisagreeingWithTheBytesIsBadLength() {
        var bytes = Wire.message(4, [])
        bytes += [0]
        assertNotification(bytes, code: 1, subcode: 2, data: [0, 19])
    }

    func testShortBufferIsBadLength() {
        assertNotification(Array(Wire.marker.prefix(10)), code: 1, subcode: 2, data: [])
    }

    func testUnknownTypeCarriesTheType() {
        assertNotification(Wire.message(9, []), code: 1, subcode: 3, data: [9])
        assertNotification(Wire.message(0, []), code: 1, subcode: 3, data: [0])
    }

    func testPerTypeMinimumLengths() {
        assertNotification(Wire.message(1, [4, 0, 1, 0, 90, 1, 1, 1]), code: 1, subcode: 2, data: [0, 27])
        assertNotification(Wire.message(2, [0, 0]), code: 1, subcode: 2, data: [0, 21])
        assertNotification(Wire.message(3, [6]), code: 1, subcode: 2, data: [0, 20])
        assertNotification(Wire.message(5, [0, 1, 0]), code: 1, subcode: 2, data: [0, 22])
    }

    func testNotificationRoundTripAndLayout() throws {
        let n = Notification(.cease, Notification.CeaseSubcode.administrativeShutdown.rawValue, data: Array("bye".utf8))
        let bytes = BGPMessage.notification(n).encode(options: four)
        XCTAssertEqual(bytes, Wire.message(3, [6, 2] + Array("bye".utf8)))
        XCTAssertEqual(try decode(bytes), .notification(n))
        XCTAssertEqual(n.description, "Cease/Administrative Shutdown")
    }

    func testRouteRefreshLayoutAndRoundTrip() throws {
        let rr = RouteRefresh(family: .ipv6Unicast, subtype: 1)
        let bytes = BGPMessage.routeRefresh(rr).encode(options: four)
        XCTAssertEqual(bytes, Wire.message(5, [0, 2, 1, 1]))
        XCTAssertEqual(try decode(bytes), .routeRefresh(rr))
        XCTAssertEqual(roundTrip(.routeRefresh(RouteRefresh(family: .ipv4Unicast))), .routeRefresh(RouteRefresh(family: .ipv4Unicast)))
        XCTAssertEqual(roundTrip(.routeRefresh(RouteRefresh(family: .ipv4Unicast, subtype: 2))),
                       .routeRefresh(RouteRefresh(family: .ipv4Unicast, subtype: 2)))
    }

    func testRouteRefreshTooLongCarriesTheWholeMessage() {
        let bytes = Wire.message(5, [0, 1, 0, 1, 0])
        assertNotification(bytes, code: 7, subcode: 1, data: bytes)
    }

    func testRouteRefreshForUnknownFamilyIsIgnorable() {
        do {
            _ = try decode(Wire.message(5, [0, 25, 0, 65]))
            XCTFail("decoded an L2VPN route refresh")
        } catch {
            XCTAssertTrue(error.isIgnorableRouteRefresh)
        }
        do {
            _ = try decode(Wire.message(5, [0, 1, 3, 1]))
            XCTFail("decoded subtype 3")
        } catch {
            XCTAssertTrue(error.isIgnorableRouteRefresh)
        }
    }
}
