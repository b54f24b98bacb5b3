import XCTest
@testable import BGPWire

final class AddressTests: XCTestCase {
    func testIPv4ParseAndPrint() {
        XCTAssertEqual(IPv4Address("172.20.0.11")?.description, "172.20.0.11")
        XCTAssertNil(IPv4Address("256.1.1.1"))
        XCTAssertNil(IPv4Address("1.2.3"))
        XCTAssertNil(IPv4Address("1..2.3"))
        XCTAssertEqual(IPv4Prefix("10.244.1.77/26")?.description, "10.244.1.64/26")
    }
    func testIPv6ParseAndCanonicalText() {
        XCTAssertEqual(IPv6Address("2001:DB8:0:0:0:0:0:1")?.description, "2001:db8::1")
        XCTAssertEqual(IPv6Address("::")?.description, "::")
        XCTAssertEqual(IPv6Address("fe80::1")?.isLinkLocal, true)
        XCTAssertEqual(IPv6Address("::ffff:1.2.3.4")?.low, 0x0000_ffff_0102_0304)
        XCTAssertNil(IPv6Address("1::2::3"))
        XCTAssertEqual(IPv6Prefix("fd00:1:2:3::5/64")?.description, "fd00:1:2:3::/64")
    }
}
