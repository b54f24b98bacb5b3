import XCTest

/// `peerlab bgpd` against FRR 8.4: eBGP, iBGP, IPv6 over MP-BGP, TCP MD5.
final class PeerLabFRRTests: InteropTestCase {
    private let peerlabPrefix = "10.110.0.0/24"
    private let frrPrefix = "10.120.0.0/24"

    func testEBGPWithFRR() throws { try exchange(peerlabAS: 65001, frrAS: 65002) }

    func testIBGPWithFRR() throws { try exchange(peerlabAS: 65001, frrAS: 65001) }

    /// Routes both ways between PeerLab (link side a) and FRR (side b), seen on both CLIs and in both kernels.
    private func exchange(peerlabAS: UInt32, frrAS: UInt32) throws {
        let (plNS, frrNS, link) = try pair("peerlab", "frr")
        let frr = try FRRInstance(FRRConfig(asn: frrAS, routerID: link.b.ipv4,
                                            neighbors: [FRRNeighbor(address: link.a.ipv4, remoteAS: peerlabAS)],
                                            networks: [frrPrefix]), in: frrNS, network: net)
        let bgpd = try PeerLabBgpd(BgpdConfig(routerID: link.a.ipv4, asn: peerlabAS,
                                              peers: [BgpdPeer(address: link.b.ipv4, remoteAS: frrAS, description: "frr")],
                                              networks: [peerlabPrefix]), in: plNS, network: net)

        try waitUntil("PeerLab ↔ FRR Established per FRR and per bgpd status", observe: { frr.describe() + " || " + bgpd.describe() }) {
            try frr.isEstablished(link.a.ipv4) && bgpd.isEstablished(link.b.ipv4)
        }
        try waitUntil("PeerLab's \(peerlabPrefix) in FRR's table, next hop \(link.a.ipv4)", observe: frr.describe) {
            let paths = try frr.bgpTable()[peerlabPrefix] ?? []
            return paths.contains { path in
                let hops = path["nexthops"] as? [[String: Any]] ?? []
                let asPath = path["path"] as? String ?? "?"
                return hops.contains { $0["ip"] as? String == link.a.ipv4 } && asPath == (peerlabAS == frrAS ? "" : "\(peerlabAS)")
            }
        }
        try waitUntil("FRR's \(frrPrefix) best in bgpd status via \(link.b.ipv4)", observe: bgpd.describe) {
            try bgpd.status().bestRoute(frrPrefix)?.nextHop == link.b.ipv4
        }
        try waitForKernelRoute(frrPrefix, in: plNS, via: link.b.ipv4)
        try waitForKernelRoute(peerlabPrefix, in: frrNS, via: link.a.ipv4)
        let peer = try XCTUnwrap(bgpd.status().peer(link.b.ipv4))
        XCTAssertEqual(peer.accepted, 1, "bgpd counts FRR's one prefix as accepted")
        XCTAssertEqual(peer.advertised, 1, "bgpd counts its one network as advertised to FRR")
    }

    /// FRR withdraws its prefix, then its bgpd stops: PeerLab must drop the route from status and kernel,
    /// and FRR must keep PeerLab's route only while the session is up.
    func testWithdrawAndSessionLossRemoveRoutes() throws {
        let (plNS, frrNS, link) = try pair("peerlab", "frr")
        let second = "10.120.1.0/24"
        let frr = try FRRInstance(FRRConfig(asn: 65002, routerID: link.b.ipv4,
                                            neighbors: [FRRNeighbor(address: link.a.ipv4, remoteAS: 65001)],
                                            networks: [frrPrefix, second]), in: frrNS, network: net)
        let bgpd = try PeerLabBgpd(BgpdConfig(routerID: link.a.ipv4, asn: 65001,
                                              peers: [BgpdPeer(address: link.b.ipv4, remoteAS: 65002)],
                                              networks: [peerlabPrefix]), in: plNS, network: net)
        try waitForKernelRoute(frrPrefix, in: plNS, via: link.b.ipv4)
        try waitForKernelRoute(second, in: plNS, via: link.b.ipv4)

        try frr.configure(["router bgp 65002", "address-family ipv4 unicast", "no network \(frrPrefix)"])
        try waitUntil("\(frrPrefix) withdrawn from bgpd status and the kernel", observe: { bgpd.describe() + " | " + KernelRoutes.summary(plNS) }) {
            try bgpd.status().bestRoute(frrPrefix) == nil && KernelRoutes.route(frrPrefix, in: plNS) == nil
        }
        XCTAssertNotNil(try KernelRoutes.route(second, in: plNS), "only the withdrawn prefix goes")

        frr.bgpd.stop()
        try waitUntil("the session down in bgpd status and FRR's routes gone from PeerLab's kernel",
                      observe: { bgpd.describe() + " | " + KernelRoutes.summary(plNS) }) {
            try !bgpd.isEstablished(link.b.ipv4) && KernelRoutes.route(second, in: plNS) == nil
                && bgpd.status().bestRoute(second) == nil
        }
        XCTAssertTrue(bgpd.daemon.isRunning)
    }

    /// IPv6 unicast over an IPv6 session (MP_REACH_NLRI both ways).
    func testIPv6UnicastWithFRR() throws {
        let (plNS, frrNS, link) = try pair("peerlab", "frr")
        let plV6 = "fd00:110::/64", frrV6 = "fd00:120::/64"
        let frr = try FRRInstance(FRRConfig(asn: 65002, routerID: link.b.ipv4,
                                            neighbors: [FRRNeighbor(address: link.a.ipv6, remoteAS: 65001, families: ["ipv6"])],
                                            networks: [frrV6]), in: frrNS, network: net)
        let bgpd = try PeerLabBgpd(BgpdConfig(routerID: link.a.ipv4, asn: 65001,
                                              peers: [BgpdPeer(address: link.b.ipv6, remoteAS: 65002, description: "frr6",
                                                               families: ["ipv6-unicast"])],
                                              networks: [plV6]), in: plNS, network: net)

        try waitUntil("IPv6 session Established per FRR and per bgpd status", observe: { frr.describe() + " || " + bgpd.describe() }) {
            try frr.isEstablished(link.a.ipv6) && bgpd.isEstablished(link.b.ipv6)
        }
        try waitUntil("PeerLab's \(plV6) in FRR's IPv6 table", observe: { "\((try? frr.bgpTable(ipv6: true).keys.sorted()) ?? [])" }) {
            try frr.bgpTable(ipv6: true)[plV6] != nil
        }
        try waitUntil("FRR's \(frrV6) best in bgpd status", observe: bgpd.describe) {
            try bgpd.status().bestRoute(frrV6) != nil
        }
        try waitForKernelRoute(frrV6, in: plNS)
        try waitForKernelRoute(plV6, in: frrNS)
        let route = try XCTUnwrap(KernelRoutes.route(frrV6, in: plNS))
        XCTAssertTrue(route.gateways.contains { $0 == link.b.ipv6 || $0.hasPrefix("fe80:") },
                      "PeerLab's kernel route for \(frrV6) goes via FRR (global or link-local): \(route)")
    }

    func testMD5WithMatchingPasswordEstablishes() throws {
        let (plNS, frrNS, link) = try pair("peerlab", "frr")
        let frr = try FRRInstance(FRRConfig(asn: 65002, routerID: link.b.ipv4,
                                            neighbors: [FRRNeighbor(address: link.a.ipv4, remoteAS: 65001, password: "plt-s3cret")],
                                            networks: [frrPrefix]), in: frrNS, network: net)
        let bgpd = try PeerLabBgpd(BgpdConfig(routerID: link.a.ipv4, asn: 65001,
                                              peers: [BgpdPeer(address: link.b.ipv4, remoteAS: 65002, password: "plt-s3cret")],
                                              networks: [peerlabPrefix]), in: plNS, network: net)
        try waitUntil("MD5 session Established per FRR and per bgpd status", observe: { frr.describe() + " || " + bgpd.describe() }) {
            try frr.isEstablished(link.a.ipv4) && bgpd.isEstablished(link.b.ipv4)
        }
        try waitUntil("FRR's route over the MD5 session", observe: bgpd.describe) { try bgpd.status().bestRoute(frrPrefix) != nil }
    }

    func testMD5WithWrongPasswordNeverEstablishes() throws {
        let (plNS, frrNS, link) = try pair("peerlab", "frr")
        let frr = try FRRInstance(FRRConfig(asn: 65002, routerID: link.b.ipv4,
                                            neighbors: [FRRNeighbor(address: link.a.ipv4, remoteAS: 65001, password: "plt-right")],
                                            networks: [frrPrefix]), in: frrNS, network: net)
        let bgpd = try PeerLabBgpd(BgpdConfig(routerID: link.a.ipv4, asn: 65001,
                                              peers: [BgpdPeer(address: link.b.ipv4, remoteAS: 65002, password: "plt-wrong", connectRetry: 2)],
                                              networks: [peerlabPrefix]), in: plNS, network: net)
        // The daemon is up and knows the peer, so "not Established" is about the password, not a dead process.
        XCTAssertNotNil(try bgpd.status().peer(link.b.ipv4), bgpd.describe())
        let neverUp = try assertNever("Established with mismatched MD5 keys", within: 30) {
            try frr.isEstablished(link.a.ipv4) || bgpd.isEstablished(link.b.ipv4)
        }
        XCTAssertTrue(neverUp, "session came up despite mismatched MD5 passwords: \(frr.describe()) || \(bgpd.describe())")
        XCTAssertTrue(bgpd.daemon.isRunning, "bgpd exited: \(bgpd.describe())")
        XCTAssertNil(try bgpd.status().bestRoute(frrPrefix))
    }
}
