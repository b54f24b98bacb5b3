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
    }
}
