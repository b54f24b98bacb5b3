import XCTest

/// `peerlab bgpd` against BIRD 2.0: eBGP and iBGP, routes both ways and in both kernels.
final class PeerLabBIRDTests: InteropTestCase {
    private let peerlabPrefix = "10.110.0.0/24"
    private let birdPrefix = "10.130.0.0/24"

    func testEBGPWithBIRD() throws { try exchange(peerlabAS: 65001, birdAS: 65004) }

    func testIBGPWithBIRD() throws { try exchange(peerlabAS: 65001, birdAS: 65001) }

    private func exchange(peerlabAS: UInt32, birdAS: UInt32) throws {
        let (plNS, birdNS, link) = try pair("peerlab", "bird")
        let bird = try BIRDInstance(BIRDConfig(asn: birdAS, routerID: link.b.ipv4,
                                               neighbors: [BIRDNeighbor(name: "peerlab", address: link.a.ipv4, remoteAS: peerlabAS, localAddress: link.b.ipv4)],
                                               networks: [birdPrefix]), in: birdNS, network: net)
        let bgpd = try PeerLabBgpd(BgpdConfig(routerID: link.a.ipv4, asn: peerlabAS,
                                              peers: [BgpdPeer(address: link.b.ipv4, remoteAS: birdAS, description: "bird")],
                                              networks: [peerlabPrefix]), in: plNS, network: net)

        try waitUntil("PeerLab ↔ BIRD Established per birdc and per bgpd status", observe: { bird.describe() + " || " + bgpd.describe() }) {
            try bird.isEstablished("peerlab") && bgpd.isEstablished(link.b.ipv4)
        }
        try waitUntil("PeerLab's \(peerlabPrefix) learned by BIRD with next hop \(link.a.ipv4)", observe: bird.describe) {
            try bird.routes(from: "peerlab").contains {
                $0.prefix == peerlabPrefix && $0.attributes["BGP.next_hop"] == link.a.ipv4
                    && $0.attributes["BGP.as_path"] == (peerlabAS == birdAS ? "" : "\(peerlabAS)")
            }
        }
        try waitUntil("BIRD's \(birdPrefix) best in bgpd status via \(link.b.ipv4)", observe: bgpd.describe) {
            try bgpd.status().bestRoute(birdPrefix)?.nextHop == link.b.ipv4
        }
        try waitForKernelRoute(birdPrefix, in: plNS, via: link.b.ipv4)
        try waitForKernelRoute(peerlabPrefix, in: birdNS, via: link.a.ipv4)
    }
}
