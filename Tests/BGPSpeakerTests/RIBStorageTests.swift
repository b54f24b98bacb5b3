import XCTest
import BGPWire
@testable import BGPSpeaker

/// The storage promises the memory budget rests on: 16-byte paths, shared attribute sets that go away with
/// their last route, and per-family keys.
final class RIBStorageTests: XCTestCase {
    func testPathIsSixteenBytes() {
        XCTAssertEqual(MemoryLayout<Path>.stride, 16)
        XCTAssertEqual(MemoryLayout<Path?>.stride, 16)
        XCTAssertEqual(MemoryLayout<IPv4Prefix>.stride, 8, "the key of every IPv4 map")
    }

    func testRoutesShareOneAttributeSet() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002)
        let baseline = h.speaker.attributeSetCount
        let prefixes = (0..<200).map { "10.1.\($0).0/24" }
        h.receive(announcement(Array(prefixes[..<100]), nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.receive(announcement(Array(prefixes[100...]), nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        // Received set, accepted set (LOCAL_PREF filled in): two, whatever the number of prefixes.
        XCTAssertEqual(h.speaker.attributeSetCount - baseline, 2)
        let first = h.speaker.ipv4[pfx("10.1.0.0/24")]!.paths[0].attributes
        let last = h.speaker.ipv4[pfx("10.1.199.0/24")]!.paths[0].attributes
        XCTAssertTrue(first === last)
    }

    /// Sets whose hashes collide share a bucket chain: each is found again, and each leaves it (head, middle or
    /// tail) without losing the others.
    func testCollidingSetsChainAndUnlink() {
        let interner = AttributeInterner()
        func attributes(_ med: UInt32) -> PathAttributes { PathAttributes(origin: .igp, med: med) }
        var sets: [AttributeSet?] = (0..<4).map { interner.intern(attributes(UInt32($0)), nextHop: ip("10.0.0.2"), hash: 42) }
        XCTAssertEqual(interner.count, 4)
        XCTAssertEqual(Set(sets.map { ObjectIdentifier($0!) }).count, 4, "distinct attributes, distinct sets")
        for med in 0..<4 {
            XCTAssertTrue(interner.intern(attributes(UInt32(med)), nextHop: ip("10.0.0.2"), hash: 42) === sets[med])
        }
        // The chain runs newest first: 3, 2, 1, 0. Drop a middle one, the head, then the tail.
        for gone in [1, 3, 0] {
            sets[gone] = nil
            let survivors = sets.indices.filter { sets[$0] != nil }
            XCTAssertEqual(interner.count, survivors.count)
            for med in survivors {
                XCTAssertTrue(interner.intern(attributes(UInt32(med)), nextHop: ip("10.0.0.2"), hash: 42) === sets[med])
            }
        }
        XCTAssertEqual(interner.count, 1)
        withExtendedLifetime(sets) {}
    }

    func testAttributeSetsGoAwayWithTheirLastRoute() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002)
        h.peer("10.0.0.3", as: 65003)
        let baseline = h.speaker.attributeSetCount
        h.receive(announcement(["10.1.0.0/24", "10.1.1.0/24"], nextHop: "10.0.0.2", asPath: [65002], med: 5), from: "10.0.0.2")
        h.process()
        XCTAssertGreaterThan(h.speaker.attributeSetCount, baseline)
        h.receive(withdrawal(["10.1.0.0/24"]), from: "10.0.0.2")
        h.process()
        XCTAssertGreaterThan(h.speaker.attributeSetCount, baseline, "still used by 10.1.1.0/24")
        h.receive(withdrawal(["10.1.1.0/24"]), from: "10.0.0.2")
        h.process()
        h.drain()
        XCTAssertEqual(h.speaker.attributeSetCount, baseline)
    }

    func testPathsAreStampedWithTheClock() {
        let h = Harness()
        var now: UInt32 = 1000
        h.speaker.clock = { now }
        h.peer("10.0.0.2", as: 65002)
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        now = 1060
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        XCTAssertEqual(h.best("10.1.0.0/24")?.since, 1000, "an identical re-announcement is not a change")
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002], med: 1), from: "10.0.0.2")
        h.process()
        XCTAssertEqual(h.best("10.1.0.0/24")?.since, 1060)
    }

    func testReestablishingWithoutDownDropsTheOldSessionsRoutes() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002)
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        h.establish("10.0.0.2", as: 65002, routerID: "10.0.0.2")
        h.process()
        XCTAssertNil(h.best("10.1.0.0/24"))
    }

    func testQueriesForDisplay() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002)
        h.peer("10.0.0.3", as: 65003)
        h.receive(announcement(["10.1.0.0/24", "10.0.0.0/8"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        XCTAssertEqual(h.speaker.locRIB(family: .ipv4Unicast).map(\.prefix), [pfx("10.0.0.0/8"), pfx("10.1.0.0/24")])
        XCTAssertEqual(h.speaker.longestMatch(ip("10.1.0.77")), pfx("10.1.0.0/24"))
        XCTAssertEqual(h.speaker.longestMatch(ip("10.2.0.1")), pfx("10.0.0.0/8"))
        XCTAssertNil(h.speaker.longestMatch(ip("192.0.2.1")))
        XCTAssertEqual(h.speaker.advertisedTo(pfx("10.1.0.0/24")), [ip("10.0.0.3")])
        XCTAssertEqual(h.speaker.adjRIBOut(ip("10.0.0.3")).map(\.prefix), [pfx("10.0.0.0/8"), pfx("10.1.0.0/24")])
        XCTAssertEqual(h.speaker.adjRIBOut(ip("10.0.0.3")).first?.attributes.asPath, ASPath(sequence: [65001, 65002]))
        XCTAssertEqual(h.speaker.adjRIBIn(ip("10.0.0.2")).count, 2)
        XCTAssertEqual(h.speaker.peerRouteCounts(ip("10.0.0.2")).received, 2)
        XCTAssertTrue(h.speaker.isEstablished(ip("10.0.0.3")))
        XCTAssertEqual(h.speaker.locRIBSize(family: .ipv4Unicast).paths, 2)
    }
}
