import XCTest
import BGPWire
@testable import BGPSpeaker

/// Graceful restart, receiving side (RFC 4724 §4.2): keep, refresh, sweep on End-of-RIB, expire.
final class GracefulRestartTests: XCTestCase {
    let restarting = "10.0.0.2", observer = "10.0.0.3"
    let gr = GracefulRestart(restarting: false, restartTime: 120,
                             families: [GracefulRestart.Family(family: .ipv4Unicast, forwardingStatePreserved: true)])

    func setUpPeers(gr: GracefulRestart?) -> Harness {
        let h = Harness()
        h.peer(restarting, as: 65002, gr: gr)
        h.peer(observer, as: 65003)
        h.receive(announcement(["10.1.0.0/24", "10.1.1.0/24"], nextHop: restarting, asPath: [65002]), from: restarting)
        h.process()
        _ = h.speaker.takeFIBChanges()
        h.clearSent()
        return h
    }

    func testWithoutGracefulRestartRoutesGoAtOnce() {
        let h = setUpPeers(gr: nil)
        h.speaker.sessionDown(ip(restarting))
        h.process()
        XCTAssertNil(h.best("10.1.0.0/24"))
        XCTAssertEqual(Set(h.sent(to: observer).withdrawn), [pfx("10.1.0.0/24"), pfx("10.1.1.0/24")])
        XCTAssertEqual(h.speaker.takeFIBChanges().count, 2)
    }

    func testStaleRoutesAreKeptAndStillUsed() {
        let h = setUpPeers(gr: gr)
        h.speaker.sessionDown(ip(restarting))
        h.process()
        let best = h.best("10.1.0.0/24")
        XCTAssertEqual(best?.isStale, true)
        XCTAssertTrue(h.sent(to: observer).batches.isEmpty, "nothing withdrawn from other peers")
        XCTAssertTrue(h.speaker.takeFIBChanges().isEmpty, "forwarding continues")
        XCTAssertEqual(h.speaker.peerRouteCounts(ip(restarting)).received, 2)
    }

    func testEndOfRIBSweepsWhatWasNotRefreshed() {
        let h = setUpPeers(gr: gr)
        h.speaker.sessionDown(ip(restarting))
        h.establish(restarting, as: 65002, routerID: restarting, gr: gr)
        h.receive(announcement(["10.1.0.0/24"], nextHop: restarting, asPath: [65002]), from: restarting)
        h.process()
        XCTAssertEqual(h.best("10.1.0.0/24")?.isStale, false, "re-announced: fresh again")
        XCTAssertEqual(h.best("10.1.1.0/24")?.isStale, true)
        h.receive(endOfRIBv4, from: restarting)
        h.process()
        XCTAssertNotNil(h.best("10.1.0.0/24"))
        XCTAssertNil(h.best("10.1.1.0/24"))
        XCTAssertEqual(h.sent(to: observer).withdrawn, [pfx("10.1.1.0/24")])
        XCTAssertEqual(h.speaker.takeFIBChanges(), [.remove(pfx("10.1.1.0/24"))])
    }

    func testRestartTimerExpiryWithdrawsStaleRoutes() {
        let h = setUpPeers(gr: gr)
        h.speaker.sessionDown(ip(restarting))
        h.process()
        h.speaker.expireStale(ip(restarting))
        h.process()
        XCTAssertNil(h.best("10.1.0.0/24"))
        XCTAssertEqual(Set(h.sent(to: observer).withdrawn), [pfx("10.1.0.0/24"), pfx("10.1.1.0/24")])
        XCTAssertEqual(h.speaker.peerRouteCounts(ip(restarting)).received, 0)
    }

    func testForwardingStateNotPreservedFlushesOnReconnect() {
        let h = setUpPeers(gr: gr)
        h.speaker.sessionDown(ip(restarting))
        let lost = GracefulRestart(restarting: true, restartTime: 120,
                                   families: [GracefulRestart.Family(family: .ipv4Unicast, forwardingStatePreserved: false)])
        h.establish(restarting, as: 65002, routerID: restarting, gr: lost)
        h.process()
        XCTAssertNil(h.best("10.1.0.0/24"))
    }

    func testFamilyNotInCapabilityIsNotRetained() {
        let both: Set<AddressFamily> = [.ipv4Unicast, .ipv6Unicast]
        let h = Harness()
        h.peer(restarting, as: 65002, families: both, gr: gr)   // GR lists IPv4 only
        h.receive(announcement(["10.1.0.0/24"], nextHop: restarting, asPath: [65002]), from: restarting)
        h.receive(announcement(["2001:db8:1::/48"], nextHop: "2001:db8::2", asPath: [65002]), from: restarting)
        h.process()
        h.speaker.sessionDown(ip(restarting))
        h.process()
        XCTAssertEqual(h.best("10.1.0.0/24")?.isStale, true)
        XCTAssertNil(h.best("2001:db8:1::/48"))
    }

    func testWithdrawDuringRestartRemovesStaleRoute() {
        let h = setUpPeers(gr: gr)
        h.speaker.sessionDown(ip(restarting))
        h.establish(restarting, as: 65002, routerID: restarting, gr: gr)
        h.receive(withdrawal(["10.1.1.0/24"]), from: restarting)
        h.process()
        XCTAssertNil(h.best("10.1.1.0/24"))
        XCTAssertEqual(h.best("10.1.0.0/24")?.isStale, true)
    }
}
