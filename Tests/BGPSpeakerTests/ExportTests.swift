import XCTest
import BGPWire
@testable import BGPSpeaker

/// eBGP and iBGP export rules (RFC 4271 §5.1, §9.1.3), well-known communities (RFC 1997), IPv6 next hops.
final class ExportTests: XCTestCase {
    /// Us: AS 65001. eBGP peers 10.0.0.2 (65002) and 10.0.0.3 (65003), iBGP peer 10.0.0.4; our end is 10.0.0.1.
    func speaker(configureExternal: (inout PeerConfig) -> Void = { _ in },
                 configureInternal: (inout PeerConfig) -> Void = { _ in }) -> Harness {
        let h = Harness(asn: 65001, routerID: "1.1.1.1")
        h.peer("10.0.0.2", as: 65002)
        h.peer("10.0.0.3", as: 65003, configure: configureExternal)
        h.peer("10.0.0.4", as: 65001, routerID: "4.4.4.4", configure: configureInternal)
        return h
    }

    /// The export targets are built once and reused across UPDATEs: every change that alters them (a policy's
    /// content, a peer's settings, a session coming up or going) must reach the next UPDATE's exports.
    func testLaterUpdatesSeePolicyPeerAndSessionChanges() {
        let h = speaker()
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        XCTAssertNotNil(h.sent(to: "10.0.0.3")["10.1.0.0/24"])

        h.speaker.setPolicy("out", RoutePolicy(rules: [], defaultAction: .permit))
        var config = h.speaker.peers[ip("10.0.0.3")]!.config
        config.exportPolicy = "out"
        h.speaker.updatePeer(config)
        h.speaker.setPolicy("out", RoutePolicy(rules: [], defaultAction: .deny))
        h.receive(announcement(["10.1.1.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        XCTAssertNil(h.sent(to: "10.0.0.3")["10.1.1.0/24"], "the policy as it now reads")

        h.speaker.updatePeer(PeerConfig(address: ip("10.0.0.4"), remoteAS: 65001, nextHopSelf: true))
        h.receive(announcement(["10.1.2.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        XCTAssertEqual(h.sent(to: "10.0.0.4")["10.1.2.0/24"]?.nextHop, ip("10.0.0.1"), "the peer's new setting")

        h.speaker.sessionDown(ip("10.0.0.4"))
        h.receive(announcement(["10.1.3.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        XCTAssertNil(h.sent(to: "10.0.0.4")["10.1.3.0/24"], "no longer a target")
        h.establish("10.0.0.4", as: 65001, routerID: "4.4.4.4")
        h.receive(announcement(["10.1.4.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        XCTAssertNotNil(h.sent(to: "10.0.0.4")["10.1.4.0/24"], "a target again")
    }

    func testNeverSentBackToItsSource() {
        let h = speaker()
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        XCTAssertNil(h.sent(to: "10.0.0.2")["10.1.0.0/24"])
        XCTAssertNotNil(h.sent(to: "10.0.0.3")["10.1.0.0/24"])
    }

    func testToEBGP() {
        let h = speaker()
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002], med: 40,
                               communities: [Community(asn: 65002, value: 7)]), from: "10.0.0.2")
        h.process()
        let route = h.sent(to: "10.0.0.3")["10.1.0.0/24"]!
        XCTAssertEqual(route.attributes.asPath, ASPath(sequence: [65001, 65002]))
        XCTAssertEqual(route.nextHop, ip("10.0.0.1"))
        XCTAssertEqual(route.attributes.nextHop, v4("10.0.0.1"))
        XCTAssertNil(route.attributes.localPref)
        XCTAssertNil(route.attributes.med, "a MED from another AS is not passed on (RFC 4271 §5.1.4)")
        XCTAssertEqual(route.attributes.communities, [Community(asn: 65002, value: 7)])
    }

    func testToEBGPFromIBGPStripsReflectorAttributesAndLocalPref() {
        let h = speaker()
        h.receive(announcement(["10.1.0.0/24"], nextHop: "192.0.2.4", localPref: 300, originatorID: "9.9.9.9",
                               clusterList: ["8.8.8.8"]), from: "10.0.0.4")
        h.process()
        let route = h.sent(to: "10.0.0.2")["10.1.0.0/24"]!
        XCTAssertNil(route.attributes.localPref)
        XCTAssertNil(route.attributes.originatorID)
        XCTAssertEqual(route.attributes.clusterList, [])
        XCTAssertEqual(route.attributes.asPath, ASPath(sequence: [65001]))
    }

    func testLocalRouteToEBGPKeepsItsMED() {
        let h = speaker()
        h.speaker.originate(pfx("10.9.0.0/24"), source: .network, attributes: PathAttributes(med: 30))
        h.process()
        let route = h.sent(to: "10.0.0.2")["10.9.0.0/24"]!
        XCTAssertEqual(route.attributes.med, 30)
        XCTAssertEqual(route.attributes.origin, .igp)
        XCTAssertEqual(route.attributes.asPath, ASPath(sequence: [65001]))
    }

    func testPeerLocalASIsPrepended() {
        let h = speaker(configureExternal: { $0.localAS = 64999 })
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        XCTAssertEqual(h.sent(to: "10.0.0.3")["10.1.0.0/24"]?.attributes.asPath, ASPath(sequence: [64999, 65002]))
    }

    func testKeepNextHopTowardsEBGP() {
        let h = speaker(configureExternal: { $0.keepNextHop = true })
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.speaker.originate(pfx("10.9.0.0/24"), source: .network)
        h.process()
        XCTAssertEqual(h.sent(to: "10.0.0.3")["10.1.0.0/24"]?.nextHop, ip("10.0.0.2"))
        XCTAssertEqual(h.sent(to: "10.0.0.3")["10.9.0.0/24"]?.nextHop, ip("10.0.0.1"), "a local route has no other next hop")
    }

    func testToIBGP() {
        let h = speaker()
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002], med: 40), from: "10.0.0.2")
        h.process()
        let route = h.sent(to: "10.0.0.4")["10.1.0.0/24"]!
        XCTAssertEqual(route.nextHop, ip("10.0.0.2"), "iBGP keeps the eBGP next hop")
        XCTAssertEqual(route.attributes.localPref, 100)
        XCTAssertEqual(route.attributes.asPath, ASPath(sequence: [65002]), "no prepend inside the AS")
        XCTAssertEqual(route.attributes.med, 40, "MED stays inside the AS")
    }

    func testNextHopSelfTowardsIBGP() {
        let h = speaker(configureInternal: { $0.nextHopSelf = true })
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        XCTAssertEqual(h.sent(to: "10.0.0.4")["10.1.0.0/24"]?.nextHop, ip("10.0.0.1"))
    }

    func testLocalRouteToIBGPUsesOurAddress() {
        let h = speaker()
        h.speaker.originate(pfx("10.9.0.0/24"), source: .connected)
        h.process()
        let route = h.sent(to: "10.0.0.4")["10.9.0.0/24"]!
        XCTAssertEqual(route.nextHop, ip("10.0.0.1"))
        XCTAssertEqual(route.attributes.localPref, 100)
        XCTAssertEqual(route.attributes.origin, .incomplete, "redistributed")
        XCTAssertEqual(route.attributes.asPath, ASPath())
    }

    func testNoExportAndNoAdvertise() {
        let h = speaker()
        h.receive(announcement(["10.1.0.0/24"], nextHop: "192.0.2.4", communities: [.noExport]), from: "10.0.0.4")
        h.receive(announcement(["10.2.0.0/24"], nextHop: "10.0.0.2", asPath: [65002], communities: [.noAdvertise]),
                  from: "10.0.0.2")
        h.receive(announcement(["10.3.0.0/24"], nextHop: "10.0.0.2", asPath: [65002], communities: [.noExport]),
                  from: "10.0.0.2")
        h.process()
        XCTAssertNil(h.sent(to: "10.0.0.2")["10.1.0.0/24"], "NO_EXPORT: not outside the AS")
        XCTAssertNil(h.sent(to: "10.0.0.3")["10.2.0.0/24"], "NO_ADVERTISE: to nobody")
        XCTAssertNil(h.sent(to: "10.0.0.4")["10.2.0.0/24"], "NO_ADVERTISE: to nobody")
        XCTAssertNotNil(h.sent(to: "10.0.0.4")["10.3.0.0/24"], "NO_EXPORT still goes to iBGP")
        XCTAssertNil(h.sent(to: "10.0.0.3")["10.3.0.0/24"])
        XCTAssertNotNil(h.best("10.2.0.0/24"), "the communities limit export, not use")
    }

    func testIPv6NextHopFromSession() {
        let h = Harness(asn: 65001, routerID: "1.1.1.1")
        let both: Set<AddressFamily> = [.ipv4Unicast, .ipv6Unicast]
        h.speaker.addPeer(PeerConfig(address: ip("10.0.0.2"), remoteAS: 65002, families: both))
        h.speaker.addPeer(PeerConfig(address: ip("2001:db8::3"), remoteAS: 65003, families: both))
        h.speaker.addPeer(PeerConfig(address: ip("10.0.0.5"), remoteAS: 65005, families: both))
        h.establish("10.0.0.2", as: 65002, routerID: "2.2.2.2", families: both, v6NextHop: "2001:db8::1")
        h.establish("2001:db8::3", as: 65003, routerID: "3.3.3.3", local: "2001:db8::1", families: both)
        h.establish("10.0.0.5", as: 65005, routerID: "5.5.5.5", families: both)
        h.speaker.originate(pfx("2001:db8:9::/48"), source: .network)
        h.process()
        XCTAssertEqual(h.sent(to: "10.0.0.2")["2001:db8:9::/48"]?.nextHop, ip("2001:db8::1"), "localIPv6NextHop")
        XCTAssertEqual(h.sent(to: "2001:db8::3")["2001:db8:9::/48"]?.nextHop, ip("2001:db8::1"), "session address")
        XCTAssertEqual(h.sent(to: "10.0.0.5")["2001:db8:9::/48"]?.nextHop, ip("::ffff:10.0.0.1"), "IPv4-mapped fallback")
        XCTAssertNil(h.sent(to: "10.0.0.2")["2001:db8:9::/48"]?.attributes.nextHop, "IPv6 next hop rides in MP_REACH")
    }

    func testFamiliesNotNegotiatedAreNotSent() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002, families: [.ipv4Unicast])
        h.speaker.originate(pfx("2001:db8:9::/48"), source: .network)
        h.speaker.originate(pfx("10.9.0.0/24"), source: .network)
        h.process()
        XCTAssertNil(h.sent(to: "10.0.0.2")["2001:db8:9::/48"])
        XCTAssertNotNil(h.sent(to: "10.0.0.2")["10.9.0.0/24"])
    }
}
