import XCTest
import BGPWire
@testable import BGPSpeaker

/// RFC 4456 §6 reflection matrix, and the ORIGINATOR_ID / CLUSTER_LIST a reflector adds (§8) and strips towards eBGP.
final class RouteReflectionTests: XCTestCase {
    let client1 = "10.0.0.11", client2 = "10.0.0.12", nonClient1 = "10.0.0.21", nonClient2 = "10.0.0.22", external = "10.0.0.31"

    func reflector(clusterID: String? = "9.9.9.9") -> Harness {
        let h = Harness(asn: 65001, routerID: "1.1.1.1", clusterID: clusterID)
        for (address, client) in [(client1, true), (client2, true), (nonClient1, false), (nonClient2, false)] {
            h.peer(address, as: 65001, routerID: address.replacingOccurrences(of: "10.0.0.", with: "100.0.0.")) {
                $0.routeReflectorClient = client
            }
        }
        h.peer(external, as: 65031, routerID: "31.31.31.31")
        return h
    }

    func feedOneRoutePerSource(_ h: Harness) {
        h.receive(announcement(["10.1.0.0/24"], nextHop: "192.0.2.11"), from: client1)
        h.receive(announcement(["10.2.0.0/24"], nextHop: "192.0.2.21"), from: nonClient1)
        h.receive(announcement(["10.3.0.0/24"], nextHop: external, asPath: [65031]), from: external)
        h.speaker.originate(pfx("10.4.0.0/24"), source: .network)
        h.process()
    }

    func testReflectionMatrix() {
        let h = reflector()
        feedOneRoutePerSource(h)
        // rows: prefix (source); columns: who receives it.
        let expected: [String: [String: Bool]] = [
            "10.1.0.0/24": [client1: false, client2: true, nonClient1: true, nonClient2: true, external: true],
            "10.2.0.0/24": [client1: true, client2: true, nonClient1: false, nonClient2: false, external: true],
            "10.3.0.0/24": [client1: true, client2: true, nonClient1: true, nonClient2: true, external: false],
            "10.4.0.0/24": [client1: true, client2: true, nonClient1: true, nonClient2: true, external: true],
        ]
        for (prefix, row) in expected {
            for (peer, shouldGet) in row {
                XCTAssertEqual(h.sent(to: peer)[prefix] != nil, shouldGet, "\(prefix) → \(peer)")
            }
        }
    }

    func testReflectedRoutesCarryOriginatorAndClusterList() {
        let h = reflector()
        feedOneRoutePerSource(h)
        let fromClient = h.sent(to: client2)["10.1.0.0/24"]!
        XCTAssertEqual(fromClient.attributes.originatorID, v4("100.0.0.11"))
        XCTAssertEqual(fromClient.attributes.clusterList, [v4("9.9.9.9")])
        XCTAssertEqual(fromClient.nextHop, ip("192.0.2.11"), "a reflector leaves the next hop alone")
        XCTAssertEqual(fromClient.attributes.localPref, 100)
        let fromNonClient = h.sent(to: client1)["10.2.0.0/24"]!
        XCTAssertEqual(fromNonClient.attributes.originatorID, v4("100.0.0.21"))
        XCTAssertEqual(fromNonClient.attributes.clusterList, [v4("9.9.9.9")])
        // eBGP-learned and local routes are not reflected: no reflector attributes.
        for prefix in ["10.3.0.0/24", "10.4.0.0/24"] {
            let route = h.sent(to: nonClient1)[prefix]!
            XCTAssertNil(route.attributes.originatorID, prefix)
            XCTAssertEqual(route.attributes.clusterList, [], prefix)
        }
        // Towards eBGP the reflector attributes are stripped.
        let out = h.sent(to: external)["10.1.0.0/24"]!
        XCTAssertNil(out.attributes.originatorID)
        XCTAssertEqual(out.attributes.clusterList, [])
    }

    func testExistingOriginatorKeptAndClusterPrepended() {
        let h = reflector()
        h.receive(announcement(["10.5.0.0/24"], nextHop: "192.0.2.50", originatorID: "50.50.50.50", clusterList: ["8.8.8.8"]),
                  from: client1)
        h.process()
        let route = h.sent(to: nonClient1)["10.5.0.0/24"]!
        XCTAssertEqual(route.attributes.originatorID, v4("50.50.50.50"))
        XCTAssertEqual(route.attributes.clusterList, [v4("9.9.9.9"), v4("8.8.8.8")])
    }

    func testNotReflectedBackToItsOriginator() {
        let h = reflector()
        // client2's router ID is 100.0.0.12; a route that originated there is not sent back to it.
        h.receive(announcement(["10.6.0.0/24"], nextHop: "192.0.2.60", originatorID: "100.0.0.12", clusterList: ["8.8.8.8"]),
                  from: client1)
        h.process()
        XCTAssertNil(h.sent(to: client2)["10.6.0.0/24"])
        XCTAssertNotNil(h.sent(to: nonClient1)["10.6.0.0/24"])
    }

    func testClusterIDDefaultsToRouterIDWhenAClientIsConfigured() {
        let h = reflector(clusterID: nil)
        feedOneRoutePerSource(h)
        XCTAssertEqual(h.sent(to: client2)["10.1.0.0/24"]?.attributes.clusterList, [v4("1.1.1.1")])
    }

    func testWithoutReflectionIBGPRoutesStayPut() {
        let h = Harness(asn: 65001, routerID: "1.1.1.1")
        h.peer("10.0.0.2", as: 65001)
        h.peer("10.0.0.3", as: 65001)
        h.peer(external, as: 65031)
        h.receive(announcement(["10.1.0.0/24"], nextHop: "192.0.2.2"), from: "10.0.0.2")
        h.process()
        XCTAssertNil(h.sent(to: "10.0.0.3")["10.1.0.0/24"], "iBGP split horizon (RFC 4271 §9.2)")
        XCTAssertNotNil(h.sent(to: external)["10.1.0.0/24"])
    }
}
