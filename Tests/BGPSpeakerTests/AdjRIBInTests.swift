import XCTest
import BGPWire
@testable import BGPSpeaker

/// The Adj-RIB-In keeps only routes that import changed or refused ("explicit"); the others are the peer's own
/// Loc-RIB paths ("implicit"). Whatever the mix, what it reports must be what the peer sent.
final class AdjRIBInTests: XCTestCase {
    let ibgpPeer = "10.0.0.2", ebgpPeer = "10.0.0.3"
    let gr = GracefulRestart(restarting: false, restartTime: 120,
                             families: [GracefulRestart.Family(family: .ipv4Unicast, forwardingStatePreserved: true)])

    /// An iBGP peer (routes with LOCAL_PREF pass import unchanged) and an eBGP one (import sets LOCAL_PREF).
    func harness(gr: GracefulRestart? = nil) -> Harness {
        let h = Harness(asn: 65001)
        h.peer(ibgpPeer, as: 65001, gr: gr)
        h.peer(ebgpPeer, as: 65003, gr: gr)
        return h
    }

    func state(_ h: Harness, _ address: String) -> AdjRIBIn { h.speaker.peers[ip(address)]!.adjIn }

    /// Counts, listing and the explicit/implicit split agree with each other and with the Loc-RIB.
    func assertConsistent(_ h: Harness, _ address: String, received: Int, file: StaticString = #filePath, line: UInt = #line) {
        let adjIn = state(h, address)
        let listed = h.speaker.adjRIBIn(ip(address))
        XCTAssertEqual(h.speaker.peerRouteCounts(ip(address)).received, received, "received count", file: file, line: line)
        XCTAssertEqual(listed.count, received, "Adj-RIB-In listing", file: file, line: line)
        let source = h.speaker.peers[ip(address)]!.pathSource
        var implicitPaths = 0
        h.speaker.ipv4.forEach { prefix, destination in
            if destination.path(from: source) != nil && !adjIn.isExplicit(prefix) { implicitPaths += 1 }
        }
        XCTAssertEqual(adjIn.implicit[0], implicitPaths, "implicit count", file: file, line: line)
    }

    func testUnchangedInternalRoutesAreNotStoredTwice() {
        let h = harness()
        h.receive(announcement(["10.1.0.0/24", "10.1.1.0/24"], nextHop: ibgpPeer, localPref: 200), from: ibgpPeer)
        XCTAssertTrue(state(h, ibgpPeer).routes.isEmpty)
        assertConsistent(h, ibgpPeer, received: 2)
        let listed = h.speaker.adjRIBIn(ip(ibgpPeer))
        XCTAssertEqual(listed.map(\.prefix), [pfx("10.1.0.0/24"), pfx("10.1.1.0/24")])
        XCTAssertEqual(listed.first?.attributes.localPref, 200)
        h.receive(withdrawal(["10.1.0.0/24"]), from: ibgpPeer)
        assertConsistent(h, ibgpPeer, received: 1)
        h.receive(withdrawal(["10.1.0.0/24", "10.9.0.0/24"]), from: ibgpPeer)
        assertConsistent(h, ibgpPeer, received: 1)
    }

    func testChangedRoutesKeepWhatWasReceived() {
        let h = harness()
        h.receive(announcement(["10.2.0.0/24"], nextHop: ebgpPeer, asPath: [65003]), from: ebgpPeer)
        h.process()
        XCTAssertEqual(state(h, ebgpPeer).routes.count, 1)
        assertConsistent(h, ebgpPeer, received: 1)
        XCTAssertNil(h.speaker.adjRIBIn(ip(ebgpPeer)).first?.attributes.localPref, "as received: no LOCAL_PREF")
        XCTAssertEqual(h.best("10.2.0.0/24")?.attributes.localPref, 100, "as imported")
        // An iBGP route without LOCAL_PREF is changed by import too (the default is filled in).
        h.receive(announcement(["10.1.0.0/24"], nextHop: ibgpPeer), from: ibgpPeer)
        XCTAssertEqual(state(h, ibgpPeer).routes.count, 1)
        // Sent again with LOCAL_PREF, it passes unchanged: the explicit entry goes.
        h.receive(announcement(["10.1.0.0/24"], nextHop: ibgpPeer, localPref: 100), from: ibgpPeer)
        XCTAssertTrue(state(h, ibgpPeer).routes.isEmpty)
        assertConsistent(h, ibgpPeer, received: 1)
    }

    func testPolicyChangesMoveRoutesBetweenExplicitAndImplicit() {
        let h = harness()
        h.receive(announcement(["10.1.0.0/24", "10.1.1.0/24"], nextHop: ibgpPeer, localPref: 100), from: ibgpPeer)
        h.process()
        let deny = RoutePolicy(rules: [.init(match: .init(prefixes: [.init(pfx("10.1.0.0/24"))]), action: .deny)],
                               defaultAction: .permit)
        h.speaker.setPolicy("in", deny)
        var config = h.speaker.peers[ip(ibgpPeer)]!.config
        config.importPolicy = "in"
        h.speaker.updatePeer(config)
        h.process()
        XCTAssertNil(h.best("10.1.0.0/24"), "refused by the policy")
        XCTAssertNotNil(h.best("10.1.1.0/24"))
        assertConsistent(h, ibgpPeer, received: 2)
        XCTAssertEqual(h.speaker.peerRouteCounts(ip(ibgpPeer)).accepted, 1)
        config.importPolicy = nil
        h.speaker.updatePeer(config)
        h.process()
        XCTAssertNotNil(h.best("10.1.0.0/24"), "soft reconfiguration brings it back without the peer sending it")
        XCTAssertTrue(state(h, ibgpPeer).routes.isEmpty)
        assertConsistent(h, ibgpPeer, received: 2)
    }

    func testGracefulRestartKeepsImplicitRoutesStaleThenSweeps() {
        let h = harness(gr: gr)
        h.receive(announcement(["10.1.0.0/24", "10.1.1.0/24"], nextHop: ibgpPeer, localPref: 100), from: ibgpPeer)
        h.receive(announcement(["10.2.0.0/24"], nextHop: ebgpPeer, asPath: [65003]), from: ebgpPeer)
        h.process()
        h.speaker.sessionDown(ip(ibgpPeer))
        h.process()
        XCTAssertEqual(h.best("10.1.0.0/24")?.isStale, true)
        XCTAssertEqual(h.speaker.adjRIBIn(ip(ibgpPeer)).map(\.isStale), [true, true])
        assertConsistent(h, ibgpPeer, received: 2)
        h.establish(ibgpPeer, as: 65001, routerID: ibgpPeer, gr: gr)
        h.receive(announcement(["10.1.0.0/24"], nextHop: ibgpPeer, localPref: 100), from: ibgpPeer)
        XCTAssertEqual(h.best("10.1.0.0/24")?.isStale, false)
        assertConsistent(h, ibgpPeer, received: 2)
        h.receive(endOfRIBv4, from: ibgpPeer)
        h.process()
        XCTAssertNil(h.best("10.1.1.0/24"), "not sent again: swept")
        XCTAssertNotNil(h.best("10.1.0.0/24"))
        assertConsistent(h, ibgpPeer, received: 1)
        XCTAssertNotNil(h.best("10.2.0.0/24"), "another peer's routes are not touched")
        assertConsistent(h, ebgpPeer, received: 1)
    }

    func testSessionDownDropsExplicitAndImplicitRoutes() {
        let h = harness()
        h.receive(announcement(["10.1.0.0/24"], nextHop: ibgpPeer, localPref: 100), from: ibgpPeer)
        h.receive(announcement(["10.1.1.0/24"], nextHop: ibgpPeer), from: ibgpPeer)
        h.receive(announcement(["10.2.0.0/24"], nextHop: ebgpPeer, asPath: [65003]), from: ebgpPeer)
        h.process()
        assertConsistent(h, ibgpPeer, received: 2)
        h.speaker.sessionDown(ip(ibgpPeer))
        h.process()
        XCTAssertNil(h.best("10.1.0.0/24"))
        XCTAssertNil(h.best("10.1.1.0/24"))
        assertConsistent(h, ibgpPeer, received: 0)
        XCTAssertEqual(h.speaker.peerRouteCounts(ip(ibgpPeer)).accepted, 0)
        assertConsistent(h, ebgpPeer, received: 1)
    }
}
