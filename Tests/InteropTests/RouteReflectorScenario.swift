import XCTest

/// What the route-reflector scenario needs from the reflector under test.
struct Reflector {
    var isEstablished: (_ client: String) throws -> Bool
    var describe: () -> String
}

/// A reflector (AS 65001, cluster-id 10.255.0.1) between an FRR client and a BIRD client. The clients
/// must see each other's route with ORIGINATOR_ID = the originating client's router ID, CLUSTER_LIST =
/// [cluster-id] and the originating client's next hop, and install it in their kernels.
extension InteropTestCase {
    func runRouteReflectorScenario(makeReflector: (_ ns: Namespace, _ toFRR: Link, _ toBIRD: Link, _ clusterID: String) throws -> Reflector) throws {
        let clusterID = "10.255.0.1"
        let frrPrefix = "10.121.0.0/24", birdPrefix = "10.122.0.0/24"
        let rrNS = try net.namespace("reflector")
        let frrNS = try net.namespace("frr-client")
        let birdNS = try net.namespace("bird-client")
        let toFRR = try net.connect(rrNS, frrNS)      // a = reflector, b = FRR
        let toBIRD = try net.connect(rrNS, birdNS)    // a = reflector, b = BIRD
        // Reflected routes keep the originating client's next hop, so each client needs a way to it.
        try net.addRoute(toBIRD.ipv4Subnet, via: toFRR.a.ipv4, in: frrNS)
        try net.addRoute(toFRR.ipv4Subnet, via: toBIRD.a.ipv4, in: birdNS)
        try Command.run(["ip", "netns", "exec", rrNS.name, "sysctl", "-qw", "net.ipv4.ip_forward=1"])

        let frr = try FRRInstance(FRRConfig(asn: 65001, routerID: toFRR.b.ipv4,
                                            neighbors: [FRRNeighbor(address: toFRR.a.ipv4, remoteAS: 65001)],
                                            networks: [frrPrefix]), in: frrNS, network: net)
        let bird = try BIRDInstance(BIRDConfig(asn: 65001, routerID: toBIRD.b.ipv4,
                                               neighbors: [BIRDNeighbor(name: "reflector", address: toBIRD.a.ipv4, remoteAS: 65001,
                                                                        localAddress: toBIRD.b.ipv4, recursiveNextHop: true)],
                                               networks: [birdPrefix], igpRoutes: [(toFRR.ipv4Subnet, toBIRD.a.ipv4)]),
                                    in: birdNS, network: net)
        let reflector = try makeReflector(rrNS, toFRR, toBIRD, clusterID)

        try waitUntil("both clients Established per their CLIs and per the reflector",
                      observe: { [frr.describe(), bird.describe(), reflector.describe()].joined(separator: " || ") }) {
            try frr.isEstablished(toFRR.a.ipv4) && bird.isEstablished("reflector")
                && reflector.isEstablished(toFRR.b.ipv4) && reflector.isEstablished(toBIRD.b.ipv4)
        }

        var reflected: [String: Any] = [:]
        try waitUntil("BIRD's \(birdPrefix) reflected to FRR with ORIGINATOR_ID and CLUSTER_LIST",
                      observe: { "\(reflected) || \(frr.describe()) || \(reflector.describe())" }) {
            guard let path = try frr.paths(for: birdPrefix).first else { return false }
            reflected = path
            let clusters = (path["clusterList"] as? [String: Any])?["list"] as? [String] ?? []
            return path["originatorId"] as? String == toBIRD.b.ipv4 && clusters == [clusterID]
        }
        let frrHops = (reflected["nexthops"] as? [[String: Any]] ?? []).compactMap { $0["ip"] as? String }
        XCTAssertEqual(frrHops.first, toBIRD.b.ipv4, "a reflector keeps the client's next hop")

        var birdRoute: BIRDRoute?
        try waitUntil("FRR's \(frrPrefix) reflected to BIRD with BGP.originator_id and BGP.cluster_list",
                      observe: { "\(String(describing: birdRoute)) || \(bird.describe()) || \(reflector.describe())" }) {
            birdRoute = try bird.routes(from: "reflector").first { $0.prefix == frrPrefix }
            return birdRoute?.attributes["BGP.originator_id"] == toFRR.b.ipv4
                && birdRoute?.attributes["BGP.cluster_list"] == clusterID
        }
        XCTAssertEqual(birdRoute?.attributes["BGP.next_hop"], toFRR.b.ipv4)

        try waitForKernelRoute(birdPrefix, in: frrNS, via: toFRR.a.ipv4)
        try waitForKernelRoute(frrPrefix, in: birdNS, via: toBIRD.a.ipv4)
    }
}
