import XCTest

/// Proves the harness with real implementations only: if these fail, PeerLab test failures mean nothing.
final class HarnessTests: InteropTestCase {
    func testFRRAndBIRDExchangeRoutesOverEBGP() throws {
        let (frrNS, birdNS, link) = try pair("frr", "bird")
        let frr = try FRRInstance(FRRConfig(asn: 65001, routerID: link.a.ipv4,
                                            neighbors: [FRRNeighbor(address: link.b.ipv4, remoteAS: 65002)],
                                            networks: ["10.101.0.0/24"]), in: frrNS, network: net)
        let bird = try BIRDInstance(BIRDConfig(asn: 65002, routerID: link.b.ipv4,
                                               neighbors: [BIRDNeighbor(name: "frr", address: link.a.ipv4, remoteAS: 65001, localAddress: link.b.ipv4)],
                                               networks: ["10.102.0.0/24"]), in: birdNS, network: net)

        try waitUntil("FRR ↔ BIRD Established on both CLIs", observe: { frr.describe() + " || " + bird.describe() }) {
            try frr.isEstablished(link.b.ipv4) && bird.isEstablished("frr")
        }
        try waitUntil("BIRD's 10.102.0.0/24 in FRR's BGP table", observe: frr.describe) {
            try frr.bgpTable()["10.102.0.0/24"] != nil
        }
        try waitUntil("FRR's 10.101.0.0/24 learned by BIRD", observe: bird.describe) {
            try bird.routes(from: "frr").contains { $0.prefix == "10.101.0.0/24" && $0.attributes["BGP.as_path"] == "65001" }
        }
        try waitForKernelRoute("10.102.0.0/24", in: frrNS, via: link.b.ipv4)
        try waitForKernelRoute("10.101.0.0/24", in: birdNS, via: link.a.ipv4)
        XCTAssertTrue(try frr.zebraInstalled().contains("10.102.0.0/24"))
    }

    func testFRRAndGoBGPExchangeRoutesOverEBGP() throws {
        let (frrNS, gobgpNS, link) = try pair("frr", "gobgp")
        let frr = try FRRInstance(FRRConfig(asn: 65001, routerID: link.a.ipv4,
                                            neighbors: [FRRNeighbor(address: link.b.ipv4, remoteAS: 65003)],
                                            networks: ["10.101.0.0/24"]), in: frrNS, network: net)
        let gobgp = try GoBGPInstance(GoBGPConfig(asn: 65003, routerID: link.b.ipv4, listenAddress: link.b.ipv4,
                                                  neighbors: [GoBGPNeighbor(address: link.a.ipv4, remoteAS: 65001)],
                                                  networks: ["10.103.0.0/24"]), in: gobgpNS, network: net)

        try waitUntil("FRR ↔ GoBGP Established on both CLIs", observe: { frr.describe() + " || " + gobgp.describe() }) {
            try frr.isEstablished(link.b.ipv4) && gobgp.isEstablished(link.a.ipv4)
        }
        try waitUntil("FRR's 10.101.0.0/24 in GoBGP's RIB", observe: gobgp.describe) {
            try gobgp.ribPrefixes().contains("10.101.0.0/24")
        }
        try waitUntil("GoBGP's 10.103.0.0/24 in FRR's BGP table", observe: frr.describe) {
            try frr.bgpTable()["10.103.0.0/24"] != nil
        }
        try waitForKernelRoute("10.103.0.0/24", in: frrNS, via: link.b.ipv4)
        let attrs = try gobgp.paths(for: "10.101.0.0/24").first?["attrs"] as? [[String: Any]] ?? []
        XCTAssertEqual(attrs.first { ($0["type"] as? Int) == 3 }?["nexthop"] as? String, link.a.ipv4, "\(attrs)")
    }

    /// The route-reflector scenario with FRR as the reflector, proving its plumbing (client routes,
    /// BIRD's recursive next hops, the attributes each CLI shows).
    func testRouteReflectorScenarioWithFRRReflector() throws {
        try runRouteReflectorScenario { ns, toFRR, toBIRD, clusterID in
            let rr = try FRRInstance(FRRConfig(asn: 65001, routerID: "10.255.0.9",
                                               neighbors: [FRRNeighbor(address: toFRR.b.ipv4, remoteAS: 65001, routeReflectorClient: true),
                                                           FRRNeighbor(address: toBIRD.b.ipv4, remoteAS: 65001, routeReflectorClient: true)],
                                               clusterID: clusterID), in: ns, network: net)
            return Reflector(isEstablished: { try rr.isEstablished($0) }, describe: rr.describe)
        }
    }
}

/// The crafted peer against FRR, so its messages are known to provoke the intended errors in a real speaker.
final class CraftedPeerHarnessTests: InteropTestCase {
    private func frrAndCraftedPeer(_ scenario: String, linger: TimeInterval = 30) throws -> (FRRInstance, CraftedPeer, Link) {
        let (frrNS, peerNS, link) = try pair("frr", "crafted")
        let frr = try FRRInstance(FRRConfig(asn: 65001, routerID: link.a.ipv4,
                                            neighbors: [FRRNeighbor(address: link.b.ipv4, remoteAS: 65010)]), in: frrNS, network: net)
        _ = try frr.vtysh("show version")
        let peer = try CraftedPeer(in: peerNS, network: net, connect: link.a.ipv4, source: link.b.ipv4, asn: 65010,
                                   routerID: link.b.ipv4, case: scenario, linger: linger)
        return (frr, peer, link)
    }

    func testFRRAnswersBadNLRILengthWithInvalidNetworkField() throws {
        let (frr, peer, _) = try frrAndCraftedPeer("nlri-bad-length")
        try waitUntil("FRR's NOTIFICATION", timeout: 40, observe: { peer.describe() + " || " + frr.describe() }) { peer.notification != nil }
        XCTAssertEqual(peer.notification?.code, 3)
        XCTAssertEqual(peer.notification?.subcode, 10)
    }

    /// BIRD, not FRR: FRR 8.4 logs treat-as-withdraw for a bad ORIGIN but then parses the NLRI from the
    /// wrong offset and resets the session with 3/10.
    func testBIRDTreatsMalformedOriginAsWithdraw() throws {
        for scenario in ["origin-length-2", "origin-invalid-value"] {
            let (birdNS, peerNS, link) = try pair("bird", "crafted-\(scenario)")
            let bird = try BIRDInstance(BIRDConfig(asn: 65001, routerID: link.a.ipv4,
                                                   neighbors: [BIRDNeighbor(name: "crafted", address: link.b.ipv4, remoteAS: 65010,
                                                                            localAddress: link.a.ipv4, passive: true)]),
                                        in: birdNS, network: net)
            let peer = try CraftedPeer(in: peerNS, network: net, connect: link.a.ipv4, source: link.b.ipv4, asn: 65010,
                                       routerID: link.b.ipv4, case: scenario, linger: 120)
            try waitUntil("10.50.2.0/24 from the crafted peer in BIRD (\(scenario))", timeout: 40,
                          observe: { peer.describe() + " || " + bird.describe() }) {
                try bird.routes(from: "crafted").contains { $0.prefix == "10.50.2.0/24" }
            }
            let prefixes = Set(try bird.routes(from: "crafted").map(\.prefix))
            XCTAssertFalse(prefixes.contains("10.50.0.0/24"), "\(scenario): \(bird.describe())")
            XCTAssertTrue(prefixes.contains("10.50.1.0/24"), "\(scenario): \(bird.describe())")
            XCTAssertTrue(try bird.isEstablished("crafted"))
            XCTAssertNil(peer.notification, "\(scenario): \(peer.describe())")
        }
    }

    /// The two session-reset cases the PeerLab tests use, answered by BIRD.
    func testBIRDAnswersMalformedUpdatesWithTheRFCNotification() throws {
        for (scenario, code, subcode) in [("attr-length-overrun", 3, 1), ("nlri-bad-length", 3, 10)] {
            let (birdNS, peerNS, link) = try pair("bird", "crafted-\(scenario)")
            let bird = try BIRDInstance(BIRDConfig(asn: 65001, routerID: link.a.ipv4,
                                                   neighbors: [BIRDNeighbor(name: "crafted", address: link.b.ipv4, remoteAS: 65010,
                                                                            localAddress: link.a.ipv4, passive: true)]),
                                        in: birdNS, network: net)
            let peer = try CraftedPeer(in: peerNS, network: net, connect: link.a.ipv4, source: link.b.ipv4, asn: 65010,
                                       routerID: link.b.ipv4, case: scenario)
            try waitUntil("BIRD's NOTIFICATION for \(scenario)", timeout: 40, observe: { peer.describe() + " || " + bird.describe() }) {
                peer.notification != nil
            }
            XCTAssertEqual(peer.notification?.code, code, scenario)
            XCTAssertEqual(peer.notification?.subcode, subcode, scenario)
        }
    }
}
