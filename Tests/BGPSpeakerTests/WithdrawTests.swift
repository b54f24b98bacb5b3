import XCTest
import BGPWire
@testable import BGPSpeaker

/// Withdrawals propagate when the best path goes away or changes into something that is not exported;
/// a change to the next-best path replaces the advertisement; unchanged results send nothing.
final class WithdrawTests: XCTestCase {
    func testWithdrawPropagatesToEveryPeer() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002)
        h.peer("10.0.0.3", as: 65003)
        h.peer("10.0.0.4", as: 65001)
        h.receive(announcement(["10.1.0.0/24", "10.1.1.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        XCTAssertNotNil(h.sent(to: "10.0.0.3")["10.1.0.0/24"])
        XCTAssertEqual(h.speaker.takeFIBChanges().count, 2)
        h.clearSent()
        h.receive(withdrawal(["10.1.0.0/24"]), from: "10.0.0.2")
        h.process()
        for peer in ["10.0.0.3", "10.0.0.4"] {
            XCTAssertEqual(h.sent(to: peer).withdrawn, [pfx("10.1.0.0/24")], peer)
            XCTAssertEqual(h.sent(to: peer).announced, [], peer)
        }
        XCTAssertEqual(h.sent(to: "10.0.0.2").withdrawn, [], "it never had it")
        XCTAssertEqual(h.speaker.takeFIBChanges(), [.remove(pfx("10.1.0.0/24"))])
        XCTAssertTrue(h.speaker.routes(for: pfx("10.1.0.0/24")).isEmpty)
        XCTAssertEqual(h.speaker.peerRouteCounts(ip("10.0.0.3")).advertised, 1)
    }

    func testFallbackToNextBestIsAReplacementNotAWithdrawal() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002)
        h.peer("10.0.0.3", as: 65003)
        h.peer("10.0.0.5", as: 65005)
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.3", asPath: [65003, 65033]), from: "10.0.0.3")
        h.process()
        XCTAssertEqual(h.sent(to: "10.0.0.5")["10.1.0.0/24"]?.attributes.asPath, ASPath(sequence: [65001, 65002]))
        h.clearSent()
        h.receive(withdrawal(["10.1.0.0/24"]), from: "10.0.0.2")
        h.process()
        let toFive = h.sent(to: "10.0.0.5")
        XCTAssertEqual(toFive.withdrawn, [])
        XCTAssertEqual(toFive["10.1.0.0/24"]?.attributes.asPath, ASPath(sequence: [65001, 65003, 65033]))
        // 10.0.0.3 is now the source: it gets a withdrawal of what it was sent before (the path via 65002).
        XCTAssertEqual(h.sent(to: "10.0.0.3").withdrawn, [pfx("10.1.0.0/24")])
        // 10.0.0.2 had never been sent it (it was the source); now it gets the path via 65003.
        XCTAssertNotNil(h.sent(to: "10.0.0.2")["10.1.0.0/24"])
    }

    func testBestChangingToUnexportableWithdraws() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002)
        h.peer("10.0.0.3", as: 65003)
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        XCTAssertNotNil(h.sent(to: "10.0.0.3")["10.1.0.0/24"])
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002], communities: [.noExport]), from: "10.0.0.2")
        h.process()
        XCTAssertNil(h.sent(to: "10.0.0.3")["10.1.0.0/24"])
        XCTAssertEqual(h.sent(to: "10.0.0.3").withdrawn, [pfx("10.1.0.0/24")])
    }

    func testRepeatedIdenticalAnnouncementSendsNothing() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002)
        h.peer("10.0.0.3", as: 65003)
        let update = announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002])
        h.receive(update, from: "10.0.0.2")
        h.process()
        h.clearSent()
        h.receive(update, from: "10.0.0.2")
        h.process()
        XCTAssertTrue(h.speaker.peersWithOutbound.isEmpty)
        XCTAssertTrue(h.sent(to: "10.0.0.3").batches.isEmpty)
        XCTAssertTrue(h.speaker.takeFIBChanges().count == 1, "only the first install")
    }

    func testChangeUndoneWithinOneBatchSendsNothing() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002)
        h.peer("10.0.0.3", as: 65003)
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        h.clearSent()
        h.receive(withdrawal(["10.1.0.0/24"]), from: "10.0.0.2")
        h.process()    // not drained: the withdrawal is queued
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        XCTAssertTrue(h.speaker.takeOutbound(for: ip("10.0.0.3")).isEmpty)
        // And a prefix that appeared and vanished before being sent is not withdrawn either.
        h.receive(announcement(["10.2.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        h.receive(withdrawal(["10.2.0.0/24"]), from: "10.0.0.2")
        h.process()
        XCTAssertTrue(h.speaker.takeOutbound(for: ip("10.0.0.3")).isEmpty)
    }

    func testIPv6WithdrawalViaMPUnreach() {
        let h = Harness()
        let both: Set<AddressFamily> = [.ipv4Unicast, .ipv6Unicast]
        h.peer("10.0.0.2", as: 65002, families: both)
        h.peer("10.0.0.3", as: 65003, families: both)
        h.receive(announcement(["2001:db8:1::/48"], nextHop: "2001:db8::2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        XCTAssertNotNil(h.sent(to: "10.0.0.3")["2001:db8:1::/48"])
        h.receive(withdrawal(["2001:db8:1::/48"]), from: "10.0.0.2")
        h.process()
        XCTAssertNil(h.sent(to: "10.0.0.3")["2001:db8:1::/48"])
        let batch = h.sent(to: "10.0.0.3").batches.last!
        XCTAssertEqual(batch.withdraw, [pfx("2001:db8:1::/48")])
        XCTAssertEqual(batch.nextHop, ip("::"))
    }
}
