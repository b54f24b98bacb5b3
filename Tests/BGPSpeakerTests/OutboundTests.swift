import XCTest
import BGPWire
@testable import BGPSpeaker

/// What goes out: full table then End-of-RIB on a new session, route refresh re-sends, packing by attributes.
final class OutboundTests: XCTestCase {
    func testNewSessionGetsFullTableThenEndOfRIB() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002)
        h.receive(announcement(["10.1.0.0/24", "10.1.1.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.speaker.originate(pfx("10.9.0.0/24"), source: .network)
        h.process()
        h.speaker.addPeer(PeerConfig(address: ip("10.0.0.3"), remoteAS: 65003))
        XCTAssertFalse(h.speaker.peersWithOutbound.contains(ip("10.0.0.3")), "nothing before Established")
        h.establish("10.0.0.3", as: 65003, routerID: "3.3.3.3")
        let batches = h.speaker.takeOutbound(for: ip("10.0.0.3"))
        XCTAssertEqual(batches.last?.endOfRIB, .ipv4Unicast)
        XCTAssertEqual(batches.dropLast().flatMap(\.announce).sorted(),
                       [pfx("10.1.0.0/24"), pfx("10.1.1.0/24"), pfx("10.9.0.0/24")])
        XCTAssertEqual(h.speaker.peerRouteCounts(ip("10.0.0.3")).advertised, 3)
    }

    func testEndOfRIBPerFamily() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002, families: [.ipv4Unicast, .ipv6Unicast])
        let batches = h.speaker.takeOutbound(for: ip("10.0.0.2"))
        XCTAssertEqual(batches.compactMap(\.endOfRIB), [.ipv4Unicast, .ipv6Unicast])
    }

    func testAnnouncementsGroupedByAttributes() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002)
        h.peer("10.0.0.3", as: 65003)
        h.peer("10.0.0.4", as: 65004)
        _ = h.speaker.takeOutbound(for: ip("10.0.0.4"))
        h.receive(announcement(["10.1.0.0/24", "10.1.1.0/24", "10.1.2.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.receive(announcement(["10.3.0.0/24", "10.3.1.0/24"], nextHop: "10.0.0.3", asPath: [65003]), from: "10.0.0.3")
        h.speaker.process()
        let batches = h.speaker.takeOutbound(for: ip("10.0.0.4"))
        XCTAssertEqual(batches.map(\.announce), [
            [pfx("10.1.0.0/24"), pfx("10.1.1.0/24"), pfx("10.1.2.0/24")],
            [pfx("10.3.0.0/24"), pfx("10.3.1.0/24")],
        ])
        XCTAssertEqual(batches.map(\.attributes.asPath), [ASPath(sequence: [65001, 65002]), ASPath(sequence: [65001, 65003])])
        XCTAssertTrue(batches.allSatisfy { $0.attributes.mpReach == nil && $0.attributes.mpUnreach == nil })
    }

    func testWithdrawalsComeFirst() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002)
        h.peer("10.0.0.3", as: 65003)
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        h.receive(withdrawal(["10.1.0.0/24"]), from: "10.0.0.2")
        h.receive(announcement(["10.2.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.speaker.process()
        let batches = h.speaker.takeOutbound(for: ip("10.0.0.3"))
        XCTAssertEqual(batches.map(\.withdraw), [[pfx("10.1.0.0/24")], []])
        XCTAssertEqual(batches.map(\.announce), [[], [pfx("10.2.0.0/24")]])
    }

    func testRouteRefreshResendsTheFamily() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002)
        h.peer("10.0.0.3", as: 65003)
        h.receive(announcement(["10.1.0.0/24", "10.1.1.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        XCTAssertTrue(h.speaker.takeOutbound(for: ip("10.0.0.3")).isEmpty, "drained")
        h.speaker.routeRefreshRequested(by: ip("10.0.0.3"), family: .ipv4Unicast)
        let batches = h.speaker.takeOutbound(for: ip("10.0.0.3"))
        XCTAssertEqual(batches.flatMap(\.announce), [pfx("10.1.0.0/24"), pfx("10.1.1.0/24")])
        XCTAssertEqual(batches.first?.nextHop, ip("10.0.0.1"))
        // A family the session does not carry is ignored.
        h.speaker.routeRefreshRequested(by: ip("10.0.0.3"), family: .ipv6Unicast)
        XCTAssertTrue(h.speaker.takeOutbound(for: ip("10.0.0.3")).isEmpty)
    }

    func testSessionDownForgetsWhatWasSent() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002)
        h.peer("10.0.0.3", as: 65003)
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        h.speaker.sessionDown(ip("10.0.0.3"))
        XCTAssertEqual(h.speaker.peerRouteCounts(ip("10.0.0.3")).advertised, 0)
        h.process()
        XCTAssertTrue(h.speaker.takeOutbound(for: ip("10.0.0.3")).isEmpty)
        h.establish("10.0.0.3", as: 65003, routerID: "3.3.3.3")
        XCTAssertEqual(h.speaker.takeOutbound(for: ip("10.0.0.3")).flatMap(\.announce), [pfx("10.1.0.0/24")])
    }

    /// A session that comes up between `received` and `process` gets what the other peers have, then the change.
    /// A received announcement is decided at once (and queued for every peer), a withdrawal waits for `process`:
    /// the new session sees the first and not yet the second, like the peers that were already up.
    func testSessionUpBeforeProcessSeesAConsistentTable() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002)
        h.receive(announcement(["10.1.0.0/24", "10.2.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002, 65020]), from: "10.0.0.2")
        h.receive(withdrawal(["10.2.0.0/24"]), from: "10.0.0.2")
        h.speaker.addPeer(PeerConfig(address: ip("10.0.0.3"), remoteAS: 65003))
        h.establish("10.0.0.3", as: 65003, routerID: "3.3.3.3")
        h.drain()
        XCTAssertEqual(h.sent(to: "10.0.0.3")["10.1.0.0/24"]?.attributes.asPath, ASPath(sequence: [65001, 65002, 65020]))
        XCTAssertNotNil(h.sent(to: "10.0.0.3")["10.2.0.0/24"])
        h.process()
        XCTAssertEqual(h.sent(to: "10.0.0.3")["10.1.0.0/24"]?.attributes.asPath, ASPath(sequence: [65001, 65002, 65020]))
        XCTAssertNil(h.sent(to: "10.0.0.3")["10.2.0.0/24"])
    }

    /// A restarted peer re-sending the same route before `process` must not lose it for a session opening meanwhile.
    func testStaleRefreshBeforeProcessKeepsTheRouteForNewSessions() {
        let h = Harness()
        let gr = GracefulRestart(restarting: false, restartTime: 120,
                                 families: [GracefulRestart.Family(family: .ipv4Unicast, forwardingStatePreserved: true)])
        h.peer("10.0.0.2", as: 65002, gr: gr)
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        h.speaker.sessionDown(ip("10.0.0.2"))
        h.establish("10.0.0.2", as: 65002, routerID: "10.0.0.2", gr: gr)
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.speaker.addPeer(PeerConfig(address: ip("10.0.0.3"), remoteAS: 65003))
        h.establish("10.0.0.3", as: 65003, routerID: "3.3.3.3")
        h.process()
        XCTAssertNotNil(h.sent(to: "10.0.0.3")["10.1.0.0/24"])
        XCTAssertEqual(h.best("10.1.0.0/24")?.isStale, false)
    }
}
