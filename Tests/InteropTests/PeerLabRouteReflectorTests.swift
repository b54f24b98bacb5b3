import XCTest

/// PeerLab as an RFC 4456 route reflector between an FRR client and a BIRD client (all AS 65001).
final class PeerLabRouteReflectorTests: InteropTestCase {
    func testReflectsBetweenFRRAndBIRDClientsWithOriginatorAndClusterList() throws {
        var bgpd: PeerLabBgpd?
        var links: (Link, Link)?
        try runRouteReflectorScenario { ns, toFRR, toBIRD, clusterID in
            let daemon = try PeerLabBgpd(BgpdConfig(routerID: "10.255.0.9", asn: 65001, clusterID: clusterID,
                                                    peers: [BgpdPeer(address: toFRR.b.ipv4, remoteAS: 65001, description: "frr-client",
                                                                     routeReflectorClient: true),
                                                            BgpdPeer(address: toBIRD.b.ipv4, remoteAS: 65001, description: "bird-client",
                                                                     routeReflectorClient: true)]),
                                         in: ns, network: net)
            bgpd = daemon
            links = (toFRR, toBIRD)
            return Reflector(isEstablished: { try daemon.isEstablished($0) }, describe: daemon.describe)
        }
        // The reflector itself installs both clients' routes.
        let (toFRR, toBIRD) = try XCTUnwrap(links)
        let ns = try XCTUnwrap(bgpd).namespace
        try waitForKernelRoute("10.121.0.0/24", in: ns, via: toFRR.b.ipv4)
        try waitForKernelRoute("10.122.0.0/24", in: ns, via: toBIRD.b.ipv4)
    }
}
