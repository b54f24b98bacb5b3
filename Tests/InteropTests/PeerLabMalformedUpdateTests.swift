import XCTest

/// A hand-made peer (scripts/interop/crafted_peer.py) sends malformed UPDATEs; PeerLab must answer as
/// RFC 4271 §6.3 and RFC 7606 require.
final class PeerLabMalformedUpdateTests: InteropTestCase {
    /// Starts bgpd (passive toward the crafted peer) and the crafted peer running `scenario`.
    private func run(_ scenario: String, linger: TimeInterval = 30) throws -> (PeerLabBgpd, CraftedPeer, Link) {
        let (plNS, peerNS, link) = try pair("peerlab", "crafted")
        let bgpd = try PeerLabBgpd(BgpdConfig(routerID: link.a.ipv4, asn: 65001,
                                              peers: [BgpdPeer(address: link.b.ipv4, remoteAS: 65010, description: "crafted", passive: true)]),
                                   in: plNS, network: net)
        let peer = try CraftedPeer(in: peerNS, network: net, connect: link.a.ipv4, source: link.b.ipv4, asn: 65010,
                                   routerID: link.b.ipv4, case: scenario, linger: linger)
        return (bgpd, peer, link)
    }

    private func expectNotification(_ scenario: String, code: Int, subcode: Int) throws {
        let (bgpd, peer, _) = try run(scenario)
        try waitUntil("the crafted peer to reach Established", timeout: 40, observe: { peer.describe() + " || " + bgpd.describe() }) {
            peer.event("established") != nil
        }
        try waitUntil("a NOTIFICATION for \(scenario)", timeout: 40, observe: { peer.describe() + " || " + bgpd.describe() }) {
            peer.notification != nil
        }
        let n = try XCTUnwrap(peer.notification)
        XCTAssertEqual(n.code, code, "NOTIFICATION code for \(scenario): \(peer.describe())")
        XCTAssertEqual(n.subcode, subcode, "NOTIFICATION subcode for \(scenario): \(peer.describe())")
        XCTAssertTrue(bgpd.daemon.isRunning, "bgpd must survive malformed input: \(bgpd.describe())")
    }

    /// Total Path Attribute Length past the end of the message: 3/1 Malformed Attribute List, session reset.
    func testAttributeLengthOverrunIsMalformedAttributeList() throws {
        try expectNotification("attr-length-overrun", code: 3, subcode: 1)
    }

    /// IPv4 NLRI with prefix length 33: 3/10 Invalid Network Field, session reset.
    func testBadNLRIPrefixLengthIsInvalidNetworkField() throws {
        try expectNotification("nlri-bad-length", code: 3, subcode: 10)
    }

    /// ORIGIN with length 2 is treat-as-withdraw (RFC 7606 §7.1): the prefix goes, the session and other routes stay.
    func testOriginLengthTwoIsTreatAsWithdraw() throws { try expectTreatAsWithdraw("origin-length-2") }

    /// ORIGIN with an undefined value (5) is treat-as-withdraw too (RFC 7606 §7.1).
    func testInvalidOriginValueIsTreatAsWithdraw() throws { try expectTreatAsWithdraw("origin-invalid-value") }

    private func expectTreatAsWithdraw(_ scenario: String) throws {
        let (bgpd, peer, link) = try run(scenario, linger: 120)
        try waitUntil("the UPDATE after the malformed one to be in the Loc-RIB", timeout: 40,
                      observe: { peer.describe() + " || " + bgpd.describe() }) {
            try bgpd.status().bestRoute("10.50.2.0/24") != nil
        }
        let status = try bgpd.status()
        XCTAssertEqual(status.peer(link.b.ipv4)?.state, "Established", bgpd.describe())
        XCTAssertNil(status.bestRoute("10.50.0.0/24"), "the prefix of the malformed UPDATE is withdrawn: \(bgpd.describe())")
        XCTAssertNotNil(status.bestRoute("10.50.1.0/24"), "other routes from the peer stay: \(bgpd.describe())")
        XCTAssertNil(peer.notification, "no NOTIFICATION for a treat-as-withdraw error: \(peer.describe())")
    }
}
