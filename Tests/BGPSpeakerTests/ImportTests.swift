import XCTest
import BGPWire
@testable import BGPSpeaker

/// Import rules: AS loops (with allow-as-in), reflector loops (RFC 4456 §8), eBGP attribute clean-up.
final class ImportTests: XCTestCase {
    func accepted(_ h: Harness, _ peer: String) -> Int { h.speaker.peerRouteCounts(ip(peer)).accepted }

    /// The shortcut that skips import for routes it would not change must agree with the rules themselves: over
    /// every combination of session type, LOCAL_PREF, ORIGINATOR_ID, CLUSTER_LIST, AS loop and policy, it says
    /// "unchanged" exactly when `importRoute` accepts the route with the attributes and next hop as received.
    func testUnchangedShortcutAgreesWithTheImportRules() {
        let interner = AttributeInterner()
        let routerID = v4("1.1.1.1"), cluster = v4("9.9.9.9")
        let policy = RoutePolicy(rules: [], defaultAction: .permit)
        var cases = 0
        for external in [false, true] {
            for localPref: UInt32? in [nil, 100, 200] {
                for originator: IPv4Address? in [nil, routerID, v4("2.2.2.2")] {
                    for clusterList in [[], [cluster], [v4("8.8.8.8")]] {
                        for asPath: [UInt32] in [[65002], [65002, 65001]] {
                            for withPolicy in [false, true] {
                                let received = interner.intern(
                                    PathAttributes(origin: .igp, asPath: ASPath(sequence: asPath), nextHop: v4("10.0.0.2"),
                                                   localPref: localPref, originatorID: originator, clusterList: clusterList),
                                    nextHop: ip("10.0.0.2"))
                                let context = ImportContext(ownASes: [65001], routerID: routerID, clusterID: cluster,
                                                            defaultLocalPref: 100, fromExternal: external, allowOwnAS: 0,
                                                            remoteAS: external ? 65002 : 65001,
                                                            policy: withPolicy ? policy : nil)
                                let rules = try? importRoute(pfx("10.1.0.0/24"), received, context).get()
                                let unchangedByRules = rules.map {
                                    $0.attributes == received.attributes && $0.nextHop == received.nextHop
                                } ?? false
                                let shortcut = importLeavesUnchanged(received, context)
                                if shortcut { XCTAssertTrue(unchangedByRules, "shortcut wrong for \(received.attributes)") }
                                if !withPolicy { XCTAssertEqual(shortcut, unchangedByRules, "\(received.attributes)") }
                                cases += 1
                            }
                        }
                    }
                }
            }
        }
        XCTAssertEqual(cases, 216)
    }

    /// The import context is built once per peer and kept: a policy's new content, and a cluster ID that appears
    /// when the first reflector client is configured, must reach the next UPDATE.
    func testLaterUpdatesSeePolicyAndClusterChanges() {
        let h = Harness(asn: 65001, routerID: "1.1.1.1")
        h.peer("10.0.0.2", as: 65001) { $0.importPolicy = "in" }
        h.peer("10.0.0.3", as: 65001)
        h.speaker.setPolicy("in", RoutePolicy(rules: [], defaultAction: .permit))
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", localPref: 100), from: "10.0.0.2")
        XCTAssertEqual(accepted(h, "10.0.0.2"), 1)
        h.speaker.setPolicy("in", RoutePolicy(rules: [], defaultAction: .deny))
        h.receive(announcement(["10.1.1.0/24"], nextHop: "10.0.0.2", localPref: 100), from: "10.0.0.2")
        XCTAssertNil(h.best("10.1.1.0/24"), "the policy as it now reads")
        h.speaker.setPolicy("in", nil)

        // No cluster ID yet: a CLUSTER_LIST naming 1.1.1.1 is no loop.
        h.receive(announcement(["10.2.0.0/24"], nextHop: "10.0.0.2", localPref: 100, clusterList: ["1.1.1.1"]), from: "10.0.0.2")
        XCTAssertNotNil(h.best("10.2.0.0/24"))
        h.speaker.updatePeer(PeerConfig(address: ip("10.0.0.3"), remoteAS: 65001, routeReflectorClient: true))
        h.process()
        XCTAssertNil(h.best("10.2.0.0/24"), "the router ID is now the cluster ID: a loop")
        h.receive(announcement(["10.2.1.0/24"], nextHop: "10.0.0.2", localPref: 100, clusterList: ["1.1.1.1"]), from: "10.0.0.2")
        XCTAssertNil(h.best("10.2.1.0/24"), "and so for the next UPDATE")
    }

    func testOwnASInPathIsALoop() {
        let h = Harness(asn: 65001)
        h.peer("10.0.0.2", as: 65002)
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002, 65001, 65003]), from: "10.0.0.2")
        h.receive(announcement(["10.2.0.0/24"], nextHop: "10.0.0.2", asPath: [65002, 65003]), from: "10.0.0.2")
        h.process()
        XCTAssertTrue(h.speaker.routes(for: pfx("10.1.0.0/24")).isEmpty)
        XCTAssertNotNil(h.best("10.2.0.0/24"))
        let counts = h.speaker.peerRouteCounts(ip("10.0.0.2"))
        XCTAssertEqual(counts.received, 2, "Adj-RIB-In keeps the looped route (unfiltered)")
        XCTAssertEqual(counts.accepted, 1)
    }

    func testAllowOwnASPermitsThatManyOccurrences() {
        let h = Harness(asn: 65001)
        h.peer("10.0.0.2", as: 65002) { $0.allowOwnAS = 2 }
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002, 65001, 65001]), from: "10.0.0.2")
        h.receive(announcement(["10.2.0.0/24"], nextHop: "10.0.0.2", asPath: [65002, 65001, 65001, 65001]), from: "10.0.0.2")
        h.process()
        XCTAssertNotNil(h.best("10.1.0.0/24"), "two occurrences allowed")
        XCTAssertNil(h.best("10.2.0.0/24"), "three is still a loop")
    }

    func testAllowOwnASChangeReRunsImportFromAdjRIBIn() {
        let h = Harness(asn: 65001)
        h.peer("10.0.0.2", as: 65002)
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002, 65001]), from: "10.0.0.2")
        h.process()
        XCTAssertNil(h.best("10.1.0.0/24"))
        var config = h.speaker.peerConfigs[0]
        config.allowOwnAS = 1
        XCTAssertEqual(h.speaker.updatePeer(config), .inPlace)
        h.process()
        XCTAssertNotNil(h.best("10.1.0.0/24"), "soft reconfiguration: no need to ask the peer again")
    }

    func testPeerLocalASAlsoCountsAsOwn() {
        let h = Harness(asn: 65001)
        h.peer("10.0.0.2", as: 65002) { $0.localAS = 64999 }
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002, 64999]), from: "10.0.0.2")
        h.process()
        XCTAssertNil(h.best("10.1.0.0/24"))
    }

    func testOwnOriginatorIDIsRejected() {
        let h = Harness(asn: 65001, routerID: "1.1.1.1")
        h.peer("10.0.0.2", as: 65001)
        h.receive(announcement(["10.1.0.0/24"], nextHop: "192.0.2.1", originatorID: "1.1.1.1", clusterList: ["5.5.5.5"]),
                  from: "10.0.0.2")
        h.process()
        XCTAssertNil(h.best("10.1.0.0/24"))
        XCTAssertEqual(accepted(h, "10.0.0.2"), 0)
    }

    func testOwnClusterIDInClusterListIsRejected() {
        let h = Harness(asn: 65001, routerID: "1.1.1.1", clusterID: "7.7.7.7")
        h.peer("10.0.0.2", as: 65001)
        h.receive(announcement(["10.1.0.0/24"], nextHop: "192.0.2.1", originatorID: "3.3.3.3", clusterList: ["6.6.6.6", "7.7.7.7"]),
                  from: "10.0.0.2")
        h.receive(announcement(["10.2.0.0/24"], nextHop: "192.0.2.1", originatorID: "3.3.3.3", clusterList: ["6.6.6.6"]),
                  from: "10.0.0.2")
        h.process()
        XCTAssertNil(h.best("10.1.0.0/24"))
        XCTAssertNotNil(h.best("10.2.0.0/24"))
    }

    func testEBGPLocalPrefIgnoredAndReflectorAttributesDropped() {
        let h = Harness(asn: 65001)
        h.peer("10.0.0.2", as: 65002)
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002], localPref: 500,
                               originatorID: "9.9.9.9", clusterList: ["8.8.8.8"]), from: "10.0.0.2")
        h.process()
        let best = h.best("10.1.0.0/24")!
        XCTAssertEqual(best.attributes.localPref, 100)
        XCTAssertNil(best.attributes.originatorID)
        XCTAssertEqual(best.attributes.clusterList, [])
        // The unfiltered copy still shows what was sent.
        XCTAssertEqual(h.speaker.adjRIBIn(ip("10.0.0.2")).first?.attributes.localPref, 500)
    }

    func testIBGPLocalPrefKeptAndDefaultedWhenMissing() {
        let h = Harness(asn: 65001)
        h.peer("10.0.0.2", as: 65001)
        h.receive(announcement(["10.1.0.0/24"], nextHop: "192.0.2.1", localPref: 250), from: "10.0.0.2")
        h.receive(announcement(["10.2.0.0/24"], nextHop: "192.0.2.1"), from: "10.0.0.2")
        h.process()
        XCTAssertEqual(h.best("10.1.0.0/24")?.attributes.localPref, 250)
        XCTAssertEqual(h.best("10.2.0.0/24")?.attributes.localPref, 100)
    }

    func testRoutesFromUnknownOrDownPeersAreIgnored() {
        let h = Harness()
        h.speaker.addPeer(PeerConfig(address: ip("10.0.0.2"), remoteAS: 65002))
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.9", asPath: [65009]), from: "10.0.0.9")
        h.process()
        XCTAssertTrue(h.speaker.routes(for: pfx("10.1.0.0/24")).isEmpty)
    }

    func testIPv6RoutesOnlyInNegotiatedFamilies() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002, families: [.ipv4Unicast])
        h.peer("10.0.0.3", as: 65003, families: [.ipv4Unicast, .ipv6Unicast])
        h.receive(announcement(["2001:db8:1::/48"], nextHop: "2001:db8::2", asPath: [65002]), from: "10.0.0.2")
        h.receive(announcement(["2001:db8:2::/48"], nextHop: "2001:db8::3", asPath: [65003]), from: "10.0.0.3")
        h.process()
        XCTAssertNil(h.best("2001:db8:1::/48"))
        XCTAssertEqual(h.best("2001:db8:2::/48")?.nextHop, ip("2001:db8::3"))
    }

    func testLinkLocalSecondNextHopIsNotChosen() {
        XCTAssertEqual(Speaker.preferredNextHop([ip("2001:db8::3"), ip("fe80::1")]), ip("2001:db8::3"))
        XCTAssertEqual(Speaker.preferredNextHop([ip("fe80::1")]), ip("fe80::1"))
        XCTAssertEqual(Speaker.preferredNextHop([ip("::"), ip("fe80::1")]), ip("fe80::1"))
    }

    func testTreatAsWithdrawRemovesTheNLRI() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002)
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        XCTAssertNotNil(h.best("10.1.0.0/24"))
        var broken = announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002])
        broken.treatAsWithdraw = BGPWire.Notification(.updateMessage, 1)
        h.receive(broken, from: "10.0.0.2")
        h.process()
        XCTAssertNil(h.best("10.1.0.0/24"))
        XCTAssertEqual(h.speaker.peerRouteCounts(ip("10.0.0.2")).received, 0)
    }

    func testIncompleteUpdatesAreIgnoredNotFatal() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002, families: [.ipv4Unicast, .ipv6Unicast])
        // NLRI without NEXT_HOP, MP_REACH without next hops, withdrawals of unknown prefixes, multicast SAFI.
        h.receive(Update(attributes: PathAttributes(origin: .igp), nlri: [IPv4Prefix("10.1.0.0/24")!]), from: "10.0.0.2")
        h.receive(Update(attributes: PathAttributes(origin: .igp, mpReach: MPReach(family: .ipv6Unicast, nextHops: [],
                                                                                   nlri: [pfx("2001:db8::/32")]))), from: "10.0.0.2")
        h.receive(withdrawal(["10.9.0.0/24", "2001:db8:9::/48"]), from: "10.0.0.2")
        let multicast = AddressFamily(afi: .ipv4, safi: .multicast)
        h.receive(Update(attributes: PathAttributes(origin: .igp, mpReach: MPReach(family: multicast, nextHops: [ip("10.0.0.2")],
                                                                                   nlri: [pfx("10.7.0.0/24")]))), from: "10.0.0.2")
        h.process()
        XCTAssertTrue(h.speaker.locRIB(family: .ipv4Unicast).isEmpty)
        XCTAssertTrue(h.speaker.locRIB(family: .ipv6Unicast).isEmpty)
        XCTAssertEqual(h.speaker.peerRouteCounts(ip("10.0.0.2")).received, 0)
    }
}
