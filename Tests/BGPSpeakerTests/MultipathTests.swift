import XCTest
import BGPWire
@testable import BGPSpeaker

/// ECMP: paths equal up to and including IGP cost share the FIB, up to maxPaths.
final class MultipathTests: XCTestCase {
    func ecmp(maxPaths: Int, peers: Int = 3) -> Harness {
        let h = Harness(maxPaths: maxPaths)
        for i in 0..<peers {
            let address = "10.0.0.\(i + 2)"
            h.peer(address, as: UInt32(65002 + i))
            h.receive(announcement(["10.1.0.0/24"], nextHop: address, asPath: [UInt32(65002 + i)]), from: address)
        }
        h.process()
        return h
    }

    func testFIBGetsAllEqualNextHops() {
        let h = ecmp(maxPaths: 4)
        XCTAssertEqual(h.speaker.takeFIBChanges(),
                       [.install(pfx("10.1.0.0/24"), nextHops: [ip("10.0.0.2"), ip("10.0.0.3"), ip("10.0.0.4")])])
        let entries = h.speaker.routes(for: pfx("10.1.0.0/24"))
        XCTAssertEqual(entries.map(\.isBest), [true, false, false])
        XCTAssertEqual(entries.map(\.isMultipath), [false, true, true])
        // Peers are still sent only the best path.
        XCTAssertEqual(h.sent(to: "10.0.0.4")["10.1.0.0/24"]?.attributes.asPath, ASPath(sequence: [65001, 65002]))
    }

    func testMaxPathsLimitsTheSet() {
        let h = ecmp(maxPaths: 2)
        XCTAssertEqual(h.speaker.takeFIBChanges(),
                       [.install(pfx("10.1.0.0/24"), nextHops: [ip("10.0.0.2"), ip("10.0.0.3")])])
    }

    func testSinglePathWithoutMultipath() {
        let h = ecmp(maxPaths: 1)
        XCTAssertEqual(h.speaker.takeFIBChanges(), [.install(pfx("10.1.0.0/24"), nextHops: [ip("10.0.0.2")])])
    }

    func testLongerASPathOrHigherIGPCostIsNotMultipath() {
        let h = Harness(maxPaths: 4)
        h.speaker.nextHopResolver = { NextHopResolution(igpMetric: $0 == ip("192.0.2.4") ? 50 : 10) }
        for (peer, id) in [("10.0.0.2", "2.2.2.2"), ("10.0.0.3", "3.3.3.3"), ("10.0.0.4", "4.4.4.4"), ("10.0.0.5", "5.5.5.5")] {
            h.peer(peer, as: 65001, routerID: id)
        }
        h.receive(announcement(["10.1.0.0/24"], nextHop: "192.0.2.2", asPath: [65009]), from: "10.0.0.2")
        h.receive(announcement(["10.1.0.0/24"], nextHop: "192.0.2.3", asPath: [65009]), from: "10.0.0.3")
        h.receive(announcement(["10.1.0.0/24"], nextHop: "192.0.2.4", asPath: [65009]), from: "10.0.0.4")
        h.receive(announcement(["10.1.0.0/24"], nextHop: "192.0.2.5", asPath: [65009, 65010]), from: "10.0.0.5")
        h.process()
        XCTAssertEqual(h.speaker.takeFIBChanges(),
                       [.install(pfx("10.1.0.0/24"), nextHops: [ip("192.0.2.2"), ip("192.0.2.3")])])
    }

    func testLosingAMultipathMemberUpdatesTheFIB() {
        let h = ecmp(maxPaths: 4)
        _ = h.speaker.takeFIBChanges()
        h.receive(withdrawal(["10.1.0.0/24"]), from: "10.0.0.3")
        h.process()
        XCTAssertEqual(h.speaker.takeFIBChanges(),
                       [.install(pfx("10.1.0.0/24"), nextHops: [ip("10.0.0.2"), ip("10.0.0.4")])])
        XCTAssertTrue(h.sent(to: "10.0.0.4").withdrawn.isEmpty, "the best path did not change")
    }

    func testUnreachableNextHopLeavesTheSet() {
        let h = ecmp(maxPaths: 4)
        _ = h.speaker.takeFIBChanges()
        h.speaker.nextHopResolver = { $0 == ip("10.0.0.4") ? nil : NextHopResolution() }
        h.process()
        XCTAssertEqual(h.speaker.takeFIBChanges(),
                       [.install(pfx("10.1.0.0/24"), nextHops: [ip("10.0.0.2"), ip("10.0.0.3")])])
    }
}
