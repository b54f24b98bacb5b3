import XCTest
@testable import BGPWire

/// UpdatePacker: nothing lost, every message within the limit, no more messages than the bytes need.
final class PackerTests: XCTestCase {
    let attributes = PathAttributes(origin: .igp, asPath: ASPath(sequence: [65001, 65002]), localPref: 100,
                                    communities: [Community(asn: 65001, value: 1)])

    /// Everything the messages carry, collected by decoding them.
    struct Collected {
        var announced4: [IPv4Prefix] = [], withdrawn4: [IPv4Prefix] = [], announced6: [Prefix] = [], withdrawn6: [Prefix] = []
        var nextHops4: Set<IPv4Address> = [], nextHops6: Set<[IPAddress]> = []
        var pathAttributes: Set<PathAttributes> = []
    }

    func collect(_ messages: [[UInt8]], _ options: CodecOptions = four, maxSize: Int = 4096,
                 file: StaticString = #filePath, line: UInt = #line) -> Collected {
        var c = Collected()
        for m in messages {
            XCTAssertLessThanOrEqual(m.count, maxSize, file: file, line: line)
            guard let u = decodeUpdate(m, options, file: file, line: line) else { continue }
            XCTAssertNil(u.treatAsWithdraw, file: file, line: line)
            c.announced4 += u.nlri
            c.withdrawn4 += u.withdrawn
            if !u.nlri.isEmpty, let nh = u.attributes.nextHop { c.nextHops4.insert(nh) }
            if let r = u.attributes.mpReach { c.announced6 += r.nlri; c.nextHops6.insert(r.nextHops) }
            if let w = u.attributes.mpUnreach { c.withdrawn6 += w.withdrawn }
            if !u.nlri.isEmpty || u.attributes.mpReach != nil {
                var a = u.attributes.pathOnly
                a.nextHop = nil
                c.pathAttributes.insert(a)
            }
        }
        return c
    }

    func v4Prefixes(_ n: Int, length: UInt8 = 24) -> [IPv4Prefix] {
        (0..<n).map { IPv4Prefix(IPv4Address(0x0a00_0000 | UInt32($0) << 8), length: length) }
    }

    func v6Prefixes(_ n: Int) -> [Prefix] {
        (0..<n).map { .v6(IPv6Prefix(IPv6Address(high: 0x2001_0db8_0000_0000 | UInt64($0) << 16, low: 0), length: 64)) }
    }

    func testTwentyThousandIPv4PrefixesSplitWithoutLoss() {
        let prefixes = v4Prefixes(20_000)
        let messages = UpdatePacker.updates(attributes: attributes, nextHop: .v4(ip4("10.0.0.1")), announce: prefixes.map(Prefix.v4),
                                            withdraw: [], options: four)
        let c = collect(messages)
        XCTAssertEqual(c.announced4, prefixes)
        XCTAssertEqual(c.nextHops4, [ip4("10.0.0.1")])
        XCTAssertEqual(c.pathAttributes, [attributes])
        // Each message spends 23 bytes of framing plus the attributes plus NEXT_HOP; the rest is 4-byte prefixes.
        let perMessage = messages[0].count - 4 * (c.announced4.count > 0 ? decodeUpdate(messages[0])!.nlri.count : 0)
        let room = 4096 - perMessage
        let fewest = (prefixes.count * 4 + room - 1) / room
        XCTAssertEqual(messages.count, fewest)
        XCTAssertGreaterThan(messages.count, 1)
        for m in messages.dropLast() { XCTAssertGreaterThan(m.count, 4096 - 4) }
    }

    func testIPv6PrefixesWithLinkLocalNextHop() {
        let prefixes = v6Prefixes(5000)
        let messages = UpdatePacker.updates(attributes: attributes, nextHop: .v6(ip6("2001:db8::1")), linkLocalNextHop: ip6("fe80::1"),
                                            announce: prefixes, withdraw: [], options: four)
        let c = collect(messages)
        XCTAssertEqual(c.announced6, prefixes)
        XCTAssertEqual(c.nextHops6, [[.v6(ip6("2001:db8::1")), .v6(ip6("fe80::1"))]])
        XCTAssertEqual(c.announced4, [])
        XCTAssertEqual(c.pathAttributes, [attributes])
        for m in messages.dropLast() { XCTAssertGreaterThan(m.count, 4096 - 9) }
    }

    func testIPv4NextHopForIPv6RoutesIsMapped() {
        let messages = UpdatePacker.updates(attributes: attributes, nextHop: .v4(ip4("10.0.0.1")), announce: [p("2001:db8::/32")],
                                            withdraw: [], options: four)
        XCTAssertEqual(collect(messages).nextHops6, [[.v6(ip6("::ffff:10.0.0.1"))]])
    }

    func testMixedWithdrawAndAnnounceOfBothFamilies() {
        let w4 = v4Prefixes(3000, length: 32), a4 = v4Prefixes(2000, length: 16)
        let w6 = v6Prefixes(1500), a6 = Array(v6Prefixes(3000).suffix(1500))
        // The IPv6 next hop is given; IPv4 routes take theirs from the attributes.
        var withV4 = attributes
        withV4.nextHop = ip4("192.0.2.1")
        let messages = UpdatePacker.updates(attributes: withV4, nextHop: .v6(ip6("2001:db8::1")),
                                            announce: a6 + a4.map(Prefix.v4), withdraw: w4.map(Prefix.v4) + w6, options: four)
        let c = collect(messages)
        XCTAssertEqual(c.nextHops4, [ip4("192.0.2.1")])
        XCTAssertEqual(c.nextHops6, [[.v6(ip6("2001:db8::1"))]])
        XCTAssertEqual(c.withdrawn4, w4)
        XCTAssertEqual(c.withdrawn6, w6)
        XCTAssertEqual(c.announced4, a4)
        XCTAssertEqual(c.announced6, a6)
        let payload = 3000 * 5 + 2000 * 3 + 1500 * 9 + 1500 * 9
        XCTAssertLessThanOrEqual(messages.count, payload / (4096 - 200) + 2)
    }

    func testTwoOctetSessionAndSmallLimit() {
        var a = attributes
        a.asPath = ASPath(sequence: [4_200_000_000, 65001])
        let prefixes = v4Prefixes(500)
        let messages = UpdatePacker.updates(attributes: a, nextHop: .v4(ip4("10.0.0.1")), announce: prefixes.map(Prefix.v4),
                                            withdraw: v6Prefixes(40), options: two, maxSize: 200)
        let c = collect(messages, two, maxSize: 200)
        XCTAssertEqual(c.announced4, prefixes)
        XCTAssertEqual(c.withdrawn6, v6Prefixes(40))
        XCTAssertEqual(c.pathAttributes, [a])
    }

    func testExtendedLengthBoundaryInsideMPReach() {
        // Sizes around the 255-byte attribute value where the MP_REACH header grows by one octet.
        for n in 20...40 {
            for limit in [300, 301, 302, 303, 320] {
                let messages = UpdatePacker.updates(attributes: attributes, nextHop: .v6(ip6("2001:db8::1")),
                                                    announce: v6Prefixes(n), withdraw: v6Prefixes(n), options: four, maxSize: limit)
                let c = collect(messages, maxSize: limit)
                XCTAssertEqual(c.announced6, v6Prefixes(n))
                XCTAssertEqual(c.withdrawn6, v6Prefixes(n))
            }
        }
    }

    func testNothingToSendIsNoMessage() {
        XCTAssertEqual(UpdatePacker.updates(attributes: attributes, nextHop: nil, announce: [], withdraw: [], options: four), [])
    }

    func testWithdrawOnlyMessagesCarryNoPathAttributes() {
        let messages = UpdatePacker.updates(attributes: attributes, nextHop: nil, announce: [], withdraw: [p("10.0.0.0/8")], options: four)
        XCTAssertEqual(messages, [Wire.update(withdrawn: [8, 10])])
    }

    func testNilNextHopFallsBackToTheAttributes() {
        var a = attributes
        a.nextHop = ip4("192.0.2.7")
        let messages = UpdatePacker.updates(attributes: a, nextHop: nil, announce: [p("10.0.0.0/8")], withdraw: [], options: four)
        XCTAssertEqual(collect(messages).nextHops4, [ip4("192.0.2.7")])
    }
}
