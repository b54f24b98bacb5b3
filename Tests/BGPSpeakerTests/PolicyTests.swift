import XCTest
import BGPWire
@testable import BGPSpeaker

/// Route policies: matching (prefix lists with ge/le, communities, AS path, neighbour AS), permit/deny,
/// set actions, and re-running import/export when a policy changes.
final class PolicyTests: XCTestCase {
    func testPrefixListSemantics() {
        let exact = RoutePolicy.PrefixMatch(pfx("10.0.0.0/16"))
        XCTAssertTrue(exact.matches(pfx("10.0.0.0/16")))
        XCTAssertFalse(exact.matches(pfx("10.0.1.0/24")))
        let le24 = RoutePolicy.PrefixMatch(pfx("10.0.0.0/16"), le: 24)
        XCTAssertTrue(le24.matches(pfx("10.0.0.0/16")))
        XCTAssertTrue(le24.matches(pfx("10.0.1.0/24")))
        XCTAssertFalse(le24.matches(pfx("10.0.1.0/25")))
        XCTAssertFalse(le24.matches(pfx("10.1.0.0/24")), "outside the covering prefix")
        let ge20 = RoutePolicy.PrefixMatch(pfx("10.0.0.0/8"), ge: 20)
        XCTAssertFalse(ge20.matches(pfx("10.1.0.0/16")))
        XCTAssertTrue(ge20.matches(pfx("10.1.16.0/20")))
        XCTAssertTrue(ge20.matches(pfx("10.1.1.1/32")))
        let window = RoutePolicy.PrefixMatch(pfx("0.0.0.0/0"), ge: 24, le: 26)
        XCTAssertTrue(window.matches(pfx("192.0.2.64/26")))
        XCTAssertFalse(window.matches(pfx("192.0.2.0/23")))
        XCTAssertFalse(window.matches(pfx("2001:db8::/32")), "other family")
        let v6 = RoutePolicy.PrefixMatch(pfx("2001:db8::/32"), le: 64)
        XCTAssertTrue(v6.matches(pfx("2001:db8:1::/48")))
    }

    func testFirstMatchingRuleDecidesAndDefaultDenies() {
        let policy = RoutePolicy(rules: [
            .init(match: .init(communities: [Community(asn: 65000, value: 666)]), action: .deny),
            .init(match: .init(prefixes: [.init(pfx("10.0.0.0/8"), le: 24)]), action: .permit, set: [.localPref(300)]),
        ])
        let base = PathAttributes(origin: .igp, asPath: ASPath(sequence: [65002]))
        func run(_ prefix: String, _ attributes: PathAttributes = PathAttributes(origin: .igp)) -> RoutePolicy.Route? {
            policy.apply(to: .init(prefix: pfx(prefix), attributes: attributes, nextHop: ip("10.0.0.2")), neighborAS: 65002)
        }
        XCTAssertEqual(run("10.1.0.0/24", base)?.attributes.localPref, 300)
        var tagged = base
        tagged.communities = [Community(asn: 65000, value: 666)]
        XCTAssertNil(run("10.1.0.0/24", tagged))
        XCTAssertNil(run("192.168.0.0/24", base), "no rule matched: default deny")
        XCTAssertNotNil(RoutePolicy(rules: [], defaultAction: .permit)
            .apply(to: .init(prefix: pfx("192.168.0.0/24"), attributes: base, nextHop: ip("10.0.0.2")), neighborAS: 1))
    }

    func testASPathAndNeighbourASMatches() {
        let policy = RoutePolicy(rules: [
            .init(match: .init(asPathContains: 65099), action: .deny),
            .init(match: .init(neighborAS: 65002), action: .permit, set: [.med(7)]),
        ])
        let route = RoutePolicy.Route(prefix: pfx("10.1.0.0/24"), attributes: PathAttributes(asPath: ASPath(sequence: [65002, 65010])),
                                      nextHop: ip("10.0.0.2"))
        XCTAssertEqual(policy.apply(to: route, neighborAS: 65002)?.attributes.med, 7)
        XCTAssertNil(policy.apply(to: route, neighborAS: 65003))
        var looped = route
        looped.attributes.asPath = ASPath(sequence: [65002, 65099])
        XCTAssertNil(policy.apply(to: looped, neighborAS: 65002))
    }

    func testSetActions() {
        var route = RoutePolicy.Route(prefix: pfx("10.1.0.0/24"),
                                      attributes: PathAttributes(asPath: ASPath(sequence: [65002]), communities: [Community(1)]),
                                      nextHop: ip("10.0.0.2"))
        for action: RoutePolicy.SetAction in [.localPref(50), .med(9), .addCommunities([Community(1), Community(2)]),
                                             .prepend(asn: 65001, times: 2), .nextHop(ip("192.0.2.1"))] {
            action.apply(to: &route)
        }
        XCTAssertEqual(route.attributes.localPref, 50)
        XCTAssertEqual(route.attributes.med, 9)
        XCTAssertEqual(route.attributes.communities, [Community(1), Community(2)])
        XCTAssertEqual(route.attributes.asPath, ASPath(sequence: [65001, 65001, 65002]))
        XCTAssertEqual(route.nextHop, ip("192.0.2.1"))
        XCTAssertEqual(route.attributes.nextHop, v4("192.0.2.1"))
    }

    func testImportPolicyFiltersAndSetsAndReRunsWhenChanged() {
        let h = Harness()
        h.speaker.setPolicy("in", RoutePolicy(rules: [
            .init(match: .init(prefixes: [.init(pfx("10.1.0.0/16"), le: 24)]), set: [.localPref(250)]),
        ]))
        h.peer("10.0.0.2", as: 65002) { $0.importPolicy = "in" }
        h.receive(announcement(["10.1.1.0/24", "10.2.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        XCTAssertEqual(h.best("10.1.1.0/24")?.attributes.localPref, 250)
        XCTAssertNil(h.best("10.2.0.0/24"))
        XCTAssertEqual(h.speaker.peerRouteCounts(ip("10.0.0.2")).received, 2)
        XCTAssertEqual(h.speaker.peerRouteCounts(ip("10.0.0.2")).accepted, 1)
        // Widen the policy: the Adj-RIB-In copy is re-imported, no refresh needed.
        h.speaker.setPolicy("in", RoutePolicy(rules: [.init(set: [.localPref(120)])]))
        h.process()
        XCTAssertEqual(h.best("10.2.0.0/24")?.attributes.localPref, 120)
        XCTAssertEqual(h.best("10.1.1.0/24")?.attributes.localPref, 120)
        // Deleting the policy leaves the peer unfiltered.
        h.speaker.setPolicy("in", nil)
        h.process()
        XCTAssertEqual(h.best("10.2.0.0/24")?.attributes.localPref, 100)
    }

    func testExportPolicyDenyPrependAndChange() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002)
        h.peer("10.0.0.3", as: 65003) { $0.exportPolicy = "out" }
        h.speaker.setPolicy("out", RoutePolicy(rules: [
            .init(match: .init(prefixes: [.init(pfx("10.1.0.0/24"))]), action: .deny),
            .init(set: [.prepend(asn: 65001, times: 2), .addCommunities([Community(asn: 65001, value: 1)]), .localPref(999)]),
        ]))
        h.receive(announcement(["10.1.0.0/24", "10.2.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        let out = h.sent(to: "10.0.0.3")
        XCTAssertNil(out["10.1.0.0/24"])
        XCTAssertEqual(out["10.2.0.0/24"]?.attributes.asPath, ASPath(sequence: [65001, 65001, 65001, 65002]))
        XCTAssertEqual(out["10.2.0.0/24"]?.attributes.communities, [Community(asn: 65001, value: 1)])
        XCTAssertNil(out["10.2.0.0/24"]?.attributes.localPref, "never LOCAL_PREF to eBGP, even if a policy sets it")
        // Policy now denies 10.2.0.0/24 and permits 10.1.0.0/24: the peer gets exactly the difference.
        h.clearSent()
        h.speaker.setPolicy("out", RoutePolicy(rules: [
            .init(match: .init(prefixes: [.init(pfx("10.2.0.0/24"))]), action: .deny),
        ], defaultAction: .permit))
        h.drain()
        XCTAssertEqual(h.sent(to: "10.0.0.3").withdrawn, [pfx("10.2.0.0/24")])
        XCTAssertEqual(h.sent(to: "10.0.0.3").announced, [pfx("10.1.0.0/24")])
    }

    func testUndefinedPolicyDoesNotFilter() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002) { $0.importPolicy = "missing" }
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        XCTAssertNotNil(h.best("10.1.0.0/24"))
    }
}
