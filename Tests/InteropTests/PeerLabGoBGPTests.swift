import XCTest

/// `peerlab bgpd` against GoBGP 3.10 (passive; GoBGP installs no kernel routes without zebra, so its RIB is asserted).
final class PeerLabGoBGPTests: InteropTestCase {
    private let peerlabPrefix = "10.110.0.0/24"
    private let gobgpPrefix = "10.140.0.0/24"

    func testEBGPWithGoBGP() throws { try exchange(peerlabAS: 65001, gobgpAS: 65005) }

    func testIBGPWithGoBGP() throws { try exchange(peerlabAS: 65001, gobgpAS: 65001) }

    private func exchange(peerlabAS: UInt32, gobgpAS: UInt32) throws {
        let (plNS, gobgpNS, link) = try pair("peerlab", "gobgp")
        let gobgp = try GoBGPInstance(GoBGPConfig(asn: gobgpAS, routerID: link.b.ipv4, listenAddress: link.b.ipv4,
                                                  neighbors: [GoBGPNeighbor(address: link.a.ipv4, remoteAS: peerlabAS)],
                                                  networks: [gobgpPrefix]), in: gobgpNS, network: net)
        let bgpd = try PeerLabBgpd(BgpdConfig(routerID: link.a.ipv4, asn: peerlabAS,
                                              peers: [BgpdPeer(address: link.b.ipv4, remoteAS: gobgpAS, description: "gobgp")],
                                              networks: [peerlabPrefix]), in: plNS, network: net)

        try waitUntil("PeerLab ↔ GoBGP Established per gobgp and per bgpd status", observe: { gobgp.describe() + " || " + bgpd.describe() }) {
            try gobgp.isEstablished(link.a.ipv4) && bgpd.isEstablished(link.b.ipv4)
        }
        try waitUntil("PeerLab's \(peerlabPrefix) in GoBGP's RIB", observe: gobgp.describe) {
            try gobgp.ribPrefixes().contains(peerlabPrefix)
        }
        let attrs = try gobgp.paths(for: peerlabPrefix).first?["attrs"] as? [[String: Any]] ?? []
        let nextHop = attrs.first { ($0["type"] as? Int) == 3 }?["nexthop"] as? String
        XCTAssertEqual(nextHop, link.a.ipv4, "GoBGP sees PeerLab's own address as next hop: \(attrs)")
        try waitUntil("GoBGP's \(gobgpPrefix) best in bgpd status via \(link.b.ipv4)", observe: bgpd.describe) {
            try bgpd.status().bestRoute(gobgpPrefix)?.nextHop == link.b.ipv4
        }
        try waitForKernelRoute(gobgpPrefix, in: plNS, via: link.b.ipv4)
    }
}
