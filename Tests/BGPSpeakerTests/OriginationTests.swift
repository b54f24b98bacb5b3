import XCTest
import BGPWire
@testable import BGPSpeaker

/// Locally originated routes (network, connected, static, blackhole) and what reaches the FIB.
final class OriginationTests: XCTestCase {
    func testOriginBySource() {
        let h = Harness()
        let cases: [(OriginSource, String, Origin)] = [
            (.network, "10.1.0.0/24", .igp), (.connected, "10.2.0.0/24", .incomplete),
            (.staticRoute, "10.3.0.0/24", .incomplete), (.blackhole, "10.4.0.0/24", .igp), (.aggregate, "10.5.0.0/16", .igp),
        ]
        for (source, prefix, _) in cases { h.speaker.originate(pfx(prefix), source: source) }
        h.process()
        for (source, prefix, origin) in cases {
            let best = h.best(prefix)
            XCTAssertEqual(best?.source, .local(source), prefix)
            XCTAssertEqual(best?.attributes.origin, origin, prefix)
            XCTAssertEqual(best?.nextHop, ip("0.0.0.0"), prefix)
            XCTAssertEqual(best?.attributes.med, 0, prefix)
        }
        XCTAssertEqual(h.speaker.originatedRoutes.map(\.source), cases.map(\.0))
    }

    func testOnlyBlackholeAndPeerRoutesReachTheFIB() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002)
        h.speaker.originate(pfx("10.1.0.0/24"), source: .network)
        h.speaker.originate(pfx("10.4.0.0/24"), source: .blackhole)
        h.receive(announcement(["10.7.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        XCTAssertEqual(h.speaker.takeFIBChanges(), [
            .blackhole(pfx("10.4.0.0/24")),
            .install(pfx("10.7.0.0/24"), nextHops: [ip("10.0.0.2")]),
        ])
    }

    func testLocalRouteTakingOverRemovesTheKernelRoute() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002)
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        _ = h.speaker.takeFIBChanges()
        h.speaker.originate(pfx("10.1.0.0/24"), source: .connected)
        h.process()
        XCTAssertEqual(h.speaker.takeFIBChanges(), [.remove(pfx("10.1.0.0/24"))])
        h.speaker.withdrawOrigin(pfx("10.1.0.0/24"), source: .connected)
        h.process()
        XCTAssertEqual(h.speaker.takeFIBChanges(), [.install(pfx("10.1.0.0/24"), nextHops: [ip("10.0.0.2")])])
    }

    func testWithdrawOriginWithdrawsFromPeers() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002)
        h.speaker.originate(pfx("10.1.0.0/24"), source: .network, attributes: PathAttributes(communities: [Community(asn: 1, value: 2)]))
        h.process()
        XCTAssertEqual(h.sent(to: "10.0.0.2")["10.1.0.0/24"]?.attributes.communities, [Community(asn: 1, value: 2)])
        h.speaker.withdrawOrigin(pfx("10.1.0.0/24"), source: .network)
        h.process()
        XCTAssertNil(h.sent(to: "10.0.0.2")["10.1.0.0/24"])
        XCTAssertTrue(h.speaker.locRIB(family: .ipv4Unicast).isEmpty)
    }

    func testTwoLocalSourcesForOnePrefix() {
        let h = Harness()
        h.speaker.originate(pfx("10.1.0.0/24"), source: .staticRoute)
        h.speaker.originate(pfx("10.1.0.0/24"), source: .network)
        h.process()
        XCTAssertEqual(h.best("10.1.0.0/24")?.source, .local(.network), "ORIGIN igp beats incomplete")
        XCTAssertEqual(h.speaker.routes(for: pfx("10.1.0.0/24")).count, 2)
    }
}
