import XCTest
import BGPWire
@testable import BGPSpeaker

/// Three speakers wired in memory: every outbound batch of one is turned into an UPDATE for the other,
/// as the runtime's encoder and decoder would. Proves propagation and withdrawal end to end.
final class ThreeSpeakerScenarioTests: XCTestCase {
    /// A node: its speaker plus the address it uses on each link.
    struct Node {
        let name: String
        let speaker: Speaker
        var addresses: [String: IPAddress] = [:]   // neighbour name → our address on that link
    }

    var nodes: [String: Node] = [:]

    func node(_ name: String, asn: UInt32, routerID: String, clusterID: String? = nil) {
        nodes[name] = Node(name: name, speaker: Speaker(config: SpeakerConfig(asn: asn, routerID: v4(routerID),
                                                                              clusterID: clusterID.map(v4))))
    }

    /// Connects `a` and `b` with a session; `rrClientOf` makes `b` a client of `a`.
    func link(_ a: String, _ aAddress: String, _ b: String, _ bAddress: String, rrClient: Bool = false) {
        nodes[a]!.addresses[b] = ip(aAddress)
        nodes[b]!.addresses[a] = ip(bAddress)
        let sa = nodes[a]!.speaker, sb = nodes[b]!.speaker
        var toB = PeerConfig(address: ip(bAddress), remoteAS: sb.config.asn, families: [.ipv4Unicast, .ipv6Unicast])
        toB.routeReflectorClient = rrClient
        sa.addPeer(toB)
        sb.addPeer(PeerConfig(address: ip(aAddress), remoteAS: sa.config.asn, families: [.ipv4Unicast, .ipv6Unicast]))
        sa.sessionEstablished(ip(bAddress), NegotiatedSession(localAddress: ip(aAddress), remoteRouterID: sb.config.routerID,
                                                              remoteAS: sb.config.asn, families: [.ipv4Unicast, .ipv6Unicast],
                                                              localIPv6NextHop: IPv6Address("2001:db8::\(a.utf8.first!)")))
        sb.sessionEstablished(ip(aAddress), NegotiatedSession(localAddress: ip(bAddress), remoteRouterID: sa.config.routerID,
                                                              remoteAS: sa.config.asn, families: [.ipv4Unicast, .ipv6Unicast],
                                                              localIPv6NextHop: IPv6Address("2001:db8::\(b.utf8.first!)")))
    }

    /// Runs every speaker and delivers their output until nothing moves.
    func converge() {
        for _ in 0..<20 {
            var moved = false
            for node in nodes.values { node.speaker.process() }
            for (name, node) in nodes {
                for (neighbour, ourAddress) in node.addresses {
                    let peerAddress = nodes[neighbour]!.addresses[name]!
                    for batch in node.speaker.takeOutbound(for: peerAddress) {
                        nodes[neighbour]!.speaker.received(update(from: batch), from: ourAddress)
                        moved = true
                    }
                }
            }
            if !moved { return }
        }
        XCTFail("did not converge")
    }

    /// What an encoder/decoder pair would make of a batch.
    func update(from batch: OutboundBatch) -> Update {
        func v4s(_ prefixes: [Prefix]) -> [IPv4Prefix] { prefixes.compactMap { if case .v4(let p) = $0 { p } else { nil } } }
        let v6Announce = batch.announce.filter { $0.family == .ipv6Unicast }
        let v6Withdraw = batch.withdraw.filter { $0.family == .ipv6Unicast }
        if let family = batch.endOfRIB {
            return family == .ipv4Unicast ? Update()
                : Update(attributes: PathAttributes(mpUnreach: MPUnreach(family: family, withdrawn: [])))
        }
        var attributes = batch.attributes
        if !v6Announce.isEmpty { attributes.mpReach = MPReach(family: .ipv6Unicast, nextHops: [batch.nextHop], nlri: v6Announce) }
        if !v6Withdraw.isEmpty { attributes.mpUnreach = MPUnreach(family: .ipv6Unicast, withdrawn: v6Withdraw) }
        return Update(withdrawn: v4s(batch.withdraw), attributes: attributes, nlri: v4s(batch.announce))
    }

    func best(_ node: String, _ prefix: String) -> RIBEntry? {
        nodes[node]!.speaker.routes(for: pfx(prefix)).first { $0.isBest }
    }

    /// A (65001) — B (65002) — C (65003), eBGP in a line.
    func testEBGPChainPropagatesAndWithdraws() {
        node("A", asn: 65001, routerID: "1.1.1.1")
        node("B", asn: 65002, routerID: "2.2.2.2")
        node("C", asn: 65003, routerID: "3.3.3.3")
        link("A", "172.16.12.1", "B", "172.16.12.2")
        link("B", "172.16.23.2", "C", "172.16.23.3")
        nodes["A"]!.speaker.originate(pfx("10.1.0.0/24"), source: .network)
        nodes["A"]!.speaker.originate(pfx("2001:db8:a::/48"), source: .connected)
        converge()

        let atC = best("C", "10.1.0.0/24")
        XCTAssertEqual(atC?.attributes.asPath, ASPath(sequence: [65002, 65001]))
        XCTAssertEqual(atC?.nextHop, ip("172.16.23.2"))
        XCTAssertEqual(atC?.source, .peer(ip("172.16.23.2"), routerID: v4("2.2.2.2"), external: true))
        XCTAssertEqual(best("C", "2001:db8:a::/48")?.nextHop, ip("2001:db8::66"), "B's IPv6 next hop ('B' = 0x42 = 66)")
        XCTAssertEqual(best("C", "2001:db8:a::/48")?.attributes.origin, .incomplete)
        XCTAssertNil(best("A", "10.1.0.0/24").flatMap { if case .peer = $0.source { $0 } else { nil } },
                     "A does not learn its own route back (B does not send it to its source; C's copy would loop)")

        nodes["A"]!.speaker.withdrawOrigin(pfx("10.1.0.0/24"), source: .network)
        converge()
        XCTAssertNil(best("B", "10.1.0.0/24"))
        XCTAssertNil(best("C", "10.1.0.0/24"))
        XCTAssertNotNil(best("C", "2001:db8:a::/48"))
    }

    /// Triangle: C hears 10.1/24 from A directly and via B; losing the direct link fails over to B.
    func testTriangleFailover() {
        node("A", asn: 65001, routerID: "1.1.1.1")
        node("B", asn: 65002, routerID: "2.2.2.2")
        node("C", asn: 65003, routerID: "3.3.3.3")
        link("A", "172.16.12.1", "B", "172.16.12.2")
        link("B", "172.16.23.2", "C", "172.16.23.3")
        link("A", "172.16.13.1", "C", "172.16.13.3")
        nodes["A"]!.speaker.originate(pfx("10.1.0.0/24"), source: .network)
        converge()
        XCTAssertEqual(best("C", "10.1.0.0/24")?.attributes.asPath, ASPath(sequence: [65001]))
        XCTAssertEqual(nodes["C"]!.speaker.routes(for: pfx("10.1.0.0/24")).count, 2)

        // The A–C session drops: both sides forget what they had from each other.
        nodes["A"]!.speaker.sessionDown(ip("172.16.13.3"))
        nodes["C"]!.speaker.sessionDown(ip("172.16.13.1"))
        nodes["A"]!.addresses["C"] = nil
        nodes["C"]!.addresses["A"] = nil
        converge()
        XCTAssertEqual(best("C", "10.1.0.0/24")?.attributes.asPath, ASPath(sequence: [65002, 65001]))
        XCTAssertEqual(best("C", "10.1.0.0/24")?.nextHop, ip("172.16.23.2"))
    }

    /// iBGP through a route reflector: R (65000, RR) with clients X and Y; X also has an eBGP customer E.
    func testRouteReflectorScenario() {
        node("R", asn: 65000, routerID: "10.255.0.1")
        node("X", asn: 65000, routerID: "10.255.0.2")
        node("Y", asn: 65000, routerID: "10.255.0.3")
        node("E", asn: 65100, routerID: "10.255.0.100")
        link("R", "10.0.1.1", "X", "10.0.1.2", rrClient: true)
        link("R", "10.0.2.1", "Y", "10.0.2.3", rrClient: true)
        link("X", "192.0.2.2", "E", "192.0.2.100")
        nodes["E"]!.speaker.originate(pfx("203.0.113.0/24"), source: .network)
        converge()
        let atY = best("Y", "203.0.113.0/24")
        XCTAssertEqual(atY?.attributes.asPath, ASPath(sequence: [65100]))
        XCTAssertEqual(atY?.nextHop, ip("192.0.2.100"), "iBGP and the reflector keep E's next hop")
        XCTAssertEqual(atY?.attributes.originatorID, v4("10.255.0.2"))
        XCTAssertEqual(atY?.attributes.clusterList, [v4("10.255.0.1")])
        XCTAssertEqual(atY?.attributes.localPref, 100)
        // Y's own network reaches E through R and X, with reflector attributes stripped at the AS border.
        nodes["Y"]!.speaker.originate(pfx("198.51.100.0/24"), source: .network)
        converge()
        let atE = best("E", "198.51.100.0/24")
        XCTAssertEqual(atE?.attributes.asPath, ASPath(sequence: [65000]))
        XCTAssertNil(atE?.attributes.originatorID)
        XCTAssertEqual(atE?.nextHop, ip("192.0.2.2"))
        // E withdraws: gone everywhere.
        nodes["E"]!.speaker.withdrawOrigin(pfx("203.0.113.0/24"), source: .network)
        converge()
        for name in ["R", "X", "Y"] { XCTAssertNil(best(name, "203.0.113.0/24"), name) }
    }
}
