import XCTest
import BGPWire
@testable import BGPSpeaker

/// Each step of RFC 4271 §9.1.2.2 / RFC 4456 §9 in isolation (two paths that differ only there), then the order.
final class DecisionProcessTests: XCTestCase {
    let prefix = "10.9.0.0/24"

    /// Two iBGP peers in our AS; paths differ only where a test says.
    func internalPair(_ h: Harness, idA: String = "2.2.2.2", idB: String = "3.3.3.3") {
        h.peer("10.0.0.2", as: 65001, routerID: idA)
        h.peer("10.0.0.3", as: 65001, routerID: idB)
    }

    func testUnreachableNextHopIsNotEligible() {
        let h = Harness()
        internalPair(h)
        h.speaker.nextHopResolver = { $0 == ip("192.0.2.2") ? nil : NextHopResolution(igpMetric: 10) }
        h.receive(announcement([prefix], nextHop: "192.0.2.2", localPref: 300), from: "10.0.0.2")
        h.receive(announcement([prefix], nextHop: "192.0.2.3", localPref: 100), from: "10.0.0.3")
        h.process()
        XCTAssertEqual(h.bestPeer(prefix), ip("10.0.0.3"))
        XCTAssertEqual(h.best(prefix)?.bestReason, .nextHopReachable)
        let loser = h.speaker.routes(for: pfx(prefix)).first { !$0.isBest }
        XCTAssertEqual(loser?.isValid, false)
    }

    func testNoBestWhenNoNextHopResolves() {
        let h = Harness()
        internalPair(h)
        h.speaker.nextHopResolver = { _ in nil }
        h.receive(announcement([prefix], nextHop: "192.0.2.2"), from: "10.0.0.2")
        h.process()
        XCTAssertNil(h.best(prefix))
        XCTAssertEqual(h.speaker.routes(for: pfx(prefix)).count, 1)
        XCTAssertTrue(h.speaker.takeFIBChanges().isEmpty)
        // The IGP learns the next hop: the path becomes best and is installed.
        h.speaker.nextHopResolver = { _ in NextHopResolution(igpMetric: 1) }
        h.process()
        XCTAssertEqual(h.bestPeer(prefix), ip("10.0.0.2"))
        XCTAssertEqual(h.speaker.takeFIBChanges(), [.install(pfx(prefix), nextHops: [ip("192.0.2.2")])])
    }

    func testHighestLocalPref() {
        let h = Harness()
        internalPair(h)
        h.receive(announcement([prefix], nextHop: "192.0.2.2", localPref: 100), from: "10.0.0.2")
        h.receive(announcement([prefix], nextHop: "192.0.2.3", localPref: 200), from: "10.0.0.3")
        h.process()
        XCTAssertEqual(h.bestPeer(prefix), ip("10.0.0.3"))
        XCTAssertEqual(h.best(prefix)?.bestReason, .localPref)
    }

    func testLocallyOriginatedPreferred() {
        let h = Harness()
        internalPair(h)
        h.receive(announcement([prefix], nextHop: "192.0.2.2", localPref: 100), from: "10.0.0.2")
        h.speaker.originate(pfx(prefix), source: .network)
        h.process()
        XCTAssertEqual(h.best(prefix)?.source, .local(.network))
        XCTAssertEqual(h.best(prefix)?.bestReason, .locallyOriginated)
    }

    func testShortestASPathWithSetCountingOne() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002, routerID: "2.2.2.2")
        h.peer("10.0.0.3", as: 65003, routerID: "3.3.3.3")
        h.receive(announcement([prefix], nextHop: "10.0.0.2", asPath: [65002, 65010]), from: "10.0.0.2")
        // 65003 {65020,65021,65022} has length 2: the set counts once; tie on length → router ID decides.
        h.receive(announcement([prefix], nextHop: "10.0.0.3",
                               asPathSegments: [ASPathSegment(.sequence, [65003]), ASPathSegment(.set, [65020, 65021, 65022])]),
                  from: "10.0.0.3")
        h.process()
        XCTAssertEqual(h.bestPeer(prefix), ip("10.0.0.2"))
        XCTAssertEqual(h.best(prefix)?.bestReason, .routerID)
        h.receive(announcement([prefix], nextHop: "10.0.0.3", asPath: [65003]), from: "10.0.0.3")
        h.process()
        XCTAssertEqual(h.bestPeer(prefix), ip("10.0.0.3"))
        XCTAssertEqual(h.best(prefix)?.bestReason, .asPathLength)
    }

    func testLowestOrigin() {
        let h = Harness()
        internalPair(h)
        h.receive(announcement([prefix], nextHop: "192.0.2.2", origin: .incomplete), from: "10.0.0.2")
        h.receive(announcement([prefix], nextHop: "192.0.2.3", origin: .egp), from: "10.0.0.3")
        h.process()
        XCTAssertEqual(h.bestPeer(prefix), ip("10.0.0.3"))
        XCTAssertEqual(h.best(prefix)?.bestReason, .origin)
    }

    func testMEDOnlyWithinSameNeighbourAS() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002, routerID: "2.2.2.2")
        h.peer("10.0.0.3", as: 65002, routerID: "3.3.3.3")
        h.peer("10.0.0.4", as: 65004, routerID: "4.4.4.4")
        // Same neighbour AS: lower MED wins although its router ID is higher.
        h.receive(announcement([prefix], nextHop: "10.0.0.2", asPath: [65002], med: 50), from: "10.0.0.2")
        h.receive(announcement([prefix], nextHop: "10.0.0.3", asPath: [65002], med: 10), from: "10.0.0.3")
        h.process()
        XCTAssertEqual(h.bestPeer(prefix), ip("10.0.0.3"))
        XCTAssertEqual(h.best(prefix)?.bestReason, .med)
    }

    func testMEDIgnoredAcrossASUnlessConfigured() {
        for compareAcross in [false, true] {
            let h = Harness(compareMEDAcrossAS: compareAcross)
            h.peer("10.0.0.2", as: 65002, routerID: "2.2.2.2")
            h.peer("10.0.0.4", as: 65004, routerID: "4.4.4.4")
            h.receive(announcement([prefix], nextHop: "10.0.0.2", asPath: [65002], med: 50), from: "10.0.0.2")
            h.receive(announcement([prefix], nextHop: "10.0.0.4", asPath: [65004], med: 10), from: "10.0.0.4")
            h.process()
            XCTAssertEqual(h.bestPeer(prefix), ip(compareAcross ? "10.0.0.4" : "10.0.0.2"), "compareAcross=\(compareAcross)")
            XCTAssertEqual(h.best(prefix)?.bestReason, compareAcross ? .med : .routerID)
        }
    }

    func testMissingMEDCountsAsZero() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002, routerID: "2.2.2.2")
        h.peer("10.0.0.3", as: 65002, routerID: "3.3.3.3")
        h.receive(announcement([prefix], nextHop: "10.0.0.2", asPath: [65002], med: 5), from: "10.0.0.2")
        h.receive(announcement([prefix], nextHop: "10.0.0.3", asPath: [65002]), from: "10.0.0.3")
        h.process()
        XCTAssertEqual(h.bestPeer(prefix), ip("10.0.0.3"))
        XCTAssertEqual(h.best(prefix)?.bestReason, .med)
    }

    func testExternalOverInternal() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65001, routerID: "2.2.2.2")
        h.peer("10.0.0.9", as: 65009, routerID: "9.9.9.9")
        h.receive(announcement([prefix], nextHop: "192.0.2.2", asPath: [65009]), from: "10.0.0.2")
        h.receive(announcement([prefix], nextHop: "10.0.0.9", asPath: [65009]), from: "10.0.0.9")
        h.process()
        XCTAssertEqual(h.bestPeer(prefix), ip("10.0.0.9"))
        XCTAssertEqual(h.best(prefix)?.bestReason, .externalOverInternal)
    }

    func testLowestIGPCost() {
        let h = Harness()
        internalPair(h)
        h.speaker.nextHopResolver = { NextHopResolution(igpMetric: $0 == ip("192.0.2.2") ? 20 : 5) }
        h.receive(announcement([prefix], nextHop: "192.0.2.2"), from: "10.0.0.2")
        h.receive(announcement([prefix], nextHop: "192.0.2.3"), from: "10.0.0.3")
        h.process()
        XCTAssertEqual(h.bestPeer(prefix), ip("10.0.0.3"))
        XCTAssertEqual(h.best(prefix)?.bestReason, .igpMetric)
        // The IGP changes its mind: a new resolver re-decides (as nextHopsChanged() does).
        h.speaker.nextHopResolver = { NextHopResolution(igpMetric: $0 == ip("192.0.2.2") ? 1 : 9) }
        h.process()
        XCTAssertEqual(h.bestPeer(prefix), ip("10.0.0.2"))
    }

    func testLowestRouterIDUsesOriginatorID() {
        let h = Harness()
        internalPair(h, idA: "2.2.2.2", idB: "3.3.3.3")
        h.receive(announcement([prefix], nextHop: "192.0.2.2"), from: "10.0.0.2")
        h.receive(announcement([prefix], nextHop: "192.0.2.3"), from: "10.0.0.3")
        h.process()
        XCTAssertEqual(h.bestPeer(prefix), ip("10.0.0.2"))
        XCTAssertEqual(h.best(prefix)?.bestReason, .routerID)
        // A reflected path carries ORIGINATOR_ID 1.0.0.9, lower than 2.2.2.2: it now wins on router ID.
        h.receive(announcement([prefix], nextHop: "192.0.2.3", originatorID: "1.0.0.9", clusterList: ["7.7.7.7"]),
                  from: "10.0.0.3")
        h.process()
        XCTAssertEqual(h.bestPeer(prefix), ip("10.0.0.3"))
        XCTAssertEqual(h.best(prefix)?.bestReason, .routerID)
    }

    func testShortestClusterList() {
        let h = Harness()
        internalPair(h)
        h.receive(announcement([prefix], nextHop: "192.0.2.9", originatorID: "9.9.9.9", clusterList: ["7.7.7.7", "8.8.8.8"]),
                  from: "10.0.0.2")
        h.receive(announcement([prefix], nextHop: "192.0.2.9", originatorID: "9.9.9.9", clusterList: ["8.8.8.8"]),
                  from: "10.0.0.3")
        h.process()
        XCTAssertEqual(h.bestPeer(prefix), ip("10.0.0.3"))
        XCTAssertEqual(h.best(prefix)?.bestReason, .clusterListLength)
    }

    func testLowestPeerAddress() {
        let h = Harness()
        // Two sessions to the same router (same router ID): only the address separates them.
        internalPair(h, idA: "5.5.5.5", idB: "5.5.5.5")
        h.receive(announcement([prefix], nextHop: "192.0.2.9"), from: "10.0.0.3")
        h.receive(announcement([prefix], nextHop: "192.0.2.9"), from: "10.0.0.2")
        h.process()
        XCTAssertEqual(h.bestPeer(prefix), ip("10.0.0.2"))
        XCTAssertEqual(h.best(prefix)?.bestReason, .peerAddress)
    }

    func testOnlyPath() {
        let h = Harness()
        internalPair(h)
        h.receive(announcement([prefix], nextHop: "192.0.2.2"), from: "10.0.0.2")
        h.process()
        XCTAssertEqual(h.best(prefix)?.bestReason, .onlyPath)
    }

    func testEarlierStepWinsOverLaterOnes() {
        let h = Harness()
        internalPair(h, idA: "2.2.2.2", idB: "3.3.3.3")
        // B is worse on local-pref only; better on AS path, origin, MED, router ID doesn't matter.
        h.receive(announcement([prefix], nextHop: "192.0.2.2", asPath: [65009, 65010, 65011], origin: .incomplete,
                               med: 100, localPref: 200), from: "10.0.0.2")
        h.receive(announcement([prefix], nextHop: "192.0.2.3", asPath: [65009], origin: .igp, med: 0, localPref: 150),
                  from: "10.0.0.3")
        h.process()
        XCTAssertEqual(h.bestPeer(prefix), ip("10.0.0.2"))
        XCTAssertEqual(h.best(prefix)?.bestReason, .localPref)
        // Equal local-pref: AS path length (a later step) decides, before origin.
        h.receive(announcement([prefix], nextHop: "192.0.2.3", asPath: [65009], origin: .incomplete, localPref: 200),
                  from: "10.0.0.3")
        h.receive(announcement([prefix], nextHop: "192.0.2.2", asPath: [65009, 65010], origin: .igp, localPref: 200),
                  from: "10.0.0.2")
        h.process()
        XCTAssertEqual(h.bestPeer(prefix), ip("10.0.0.3"))
        XCTAssertEqual(h.best(prefix)?.bestReason, .asPathLength)
    }

    /// RFC 4271's MED rule is not transitive; the elimination form gives one answer whatever the arrival order.
    func testMEDResultIndependentOfArrivalOrder() {
        let orders = [["a", "b", "c"], ["c", "b", "a"], ["b", "a", "c"], ["c", "a", "b"]]
        var winners: Set<IPAddress> = []
        for order in orders {
            let h = Harness()
            h.peer("10.0.0.2", as: 65002, routerID: "2.2.2.2")   // a: AS 65002 MED 20
            h.peer("10.0.0.3", as: 65003, routerID: "3.3.3.3")   // b: AS 65003 MED 10
            h.peer("10.0.0.4", as: 65002, routerID: "4.4.4.4")   // c: AS 65002 MED 5
            let updates: [String: (Update, String)] = [
                "a": (announcement([prefix], nextHop: "10.0.0.2", asPath: [65002], med: 20), "10.0.0.2"),
                "b": (announcement([prefix], nextHop: "10.0.0.3", asPath: [65003], med: 10), "10.0.0.3"),
                "c": (announcement([prefix], nextHop: "10.0.0.4", asPath: [65002], med: 5), "10.0.0.4"),
            ]
            for name in order {
                h.receive(updates[name]!.0, from: updates[name]!.1)
                h.process()
            }
            winners.insert(h.bestPeer(prefix)!)
        }
        // a is eliminated by c (same AS, higher MED); b vs c → router ID: b (3.3.3.3) beats c (4.4.4.4).
        XCTAssertEqual(winners, [ip("10.0.0.3")])
    }

    func testStepsAreInRFCOrderAndExplained() {
        XCTAssertEqual(DecisionProcess.steps.map(\.reason), [
            .nextHopReachable, .localPref, .locallyOriginated, .asPathLength, .origin, .med,
            .externalOverInternal, .igpMetric, .routerID, .clusterListLength, .peerAddress,
        ])
        let lines = DecisionProcess.explanation.split(separator: "\n")
        XCTAssertEqual(lines.count, DecisionProcess.steps.count)
        for (line, step) in zip(lines, DecisionProcess.steps) {
            XCTAssertTrue(line.contains(step.rule) && line.contains(step.rfc), String(line))
        }
        XCTAssertTrue(lines[5].hasPrefix("6. prefer the lowest MED"))
    }

    func testDisplayOrderRanksTheLosers() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65001, routerID: "2.2.2.2")
        h.peer("10.0.0.3", as: 65001, routerID: "3.3.3.3")
        h.peer("10.0.0.4", as: 65001, routerID: "4.4.4.4")
        h.receive(announcement([prefix], nextHop: "192.0.2.2", localPref: 100), from: "10.0.0.2")
        h.receive(announcement([prefix], nextHop: "192.0.2.3", localPref: 300), from: "10.0.0.3")
        h.receive(announcement([prefix], nextHop: "192.0.2.4", localPref: 200), from: "10.0.0.4")
        h.process()
        let entries = h.speaker.routes(for: pfx(prefix))
        XCTAssertEqual(entries.map(\.nextHop), [ip("192.0.2.3"), ip("192.0.2.4"), ip("192.0.2.2")])
        XCTAssertEqual(entries.map(\.isBest), [true, false, false])
        XCTAssertEqual(entries.map(\.bestReason), [.localPref, .localPref, .localPref])
    }

    func testExplainNamesTheStepAndItsRFC() {
        let h = Harness()
        internalPair(h)
        h.receive(announcement([prefix], nextHop: "192.0.2.2", localPref: 100), from: "10.0.0.2")
        h.receive(announcement([prefix], nextHop: "192.0.2.3", localPref: 200), from: "10.0.0.3")
        h.process()
        let lines = h.speaker.routes(for: pfx(prefix)).map(DecisionProcess.explain)
        XCTAssertEqual(lines, ["best: higher local preference (RFC 4271 §9.1.1)", "not best, lost on: higher local preference (RFC 4271 §9.1.1)"])
        XCTAssertNil(DecisionProcess.step(for: .onlyPath))
    }

    /// The resolver's answers are cached until the runtime says they changed.
    func testNextHopsChangedReevaluatesCachedAnswers() {
        final class IGP { var reachable: Set<IPAddress> = [] }
        let igp = IGP()
        let h = Harness()
        h.speaker.nextHopResolver = { igp.reachable.contains($0) ? NextHopResolution() : nil }
        internalPair(h)
        h.receive(announcement([prefix], nextHop: "192.0.2.2"), from: "10.0.0.2")
        h.process()
        XCTAssertNil(h.best(prefix))
        igp.reachable = [ip("192.0.2.2")]
        h.receive(announcement(["10.8.0.0/24"], nextHop: "192.0.2.2"), from: "10.0.0.2")
        h.process()
        XCTAssertNil(h.best("10.8.0.0/24"), "cached: unreachable until told otherwise")
        h.speaker.nextHopsChanged()
        h.process()
        XCTAssertNotNil(h.best(prefix))
        XCTAssertNotNil(h.best("10.8.0.0/24"))
    }
}
