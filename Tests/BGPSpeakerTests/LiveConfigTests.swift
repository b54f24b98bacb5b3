import XCTest
import BGPWire
@testable import BGPSpeaker

/// Configuration changes while running: which need a session reset, and the in-place ones taking effect.
final class LiveConfigTests: XCTestCase {
    func testChangesThatResetTheSession() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002)
        let base = h.speaker.peerConfigs[0]
        let resets: [(String, (inout PeerConfig) -> Void)] = [
            ("remote AS", { $0.remoteAS = 65009 }), ("local AS", { $0.localAS = 64999 }), ("password", { $0.password = "x" }),
            ("source", { $0.sourceAddress = ip("10.0.0.9") }), ("port", { $0.port = 1179 }),
            ("families", { $0.families = [.ipv4Unicast, .ipv6Unicast] }), ("multihop", { $0.ebgpMultihop = 3 }),
            ("hold time", { $0.holdTime = 9 }), ("graceful restart", { $0.gracefulRestartTime = 60 }),
            ("shutdown", { $0.shutdown = true }),
        ]
        for (name, change) in resets {
            var config = base
            change(&config)
            XCTAssertEqual(h.speaker.updatePeer(config), .resetSession, name)
            h.speaker.updatePeer(base)
        }
        let inPlace: [(String, (inout PeerConfig) -> Void)] = [
            ("description", { $0.description = "spine" }), ("rr client", { $0.routeReflectorClient = true }),
            ("next-hop-self", { $0.nextHopSelf = true }), ("import policy", { $0.importPolicy = "p" }),
            ("export policy", { $0.exportPolicy = "p" }), ("allow-as-in", { $0.allowOwnAS = 1 }),
            ("keep next hop", { $0.keepNextHop = true }), ("passive", { $0.passive = true }),
        ]
        for (name, change) in inPlace {
            var config = h.speaker.peerConfigs[0]
            change(&config)
            XCTAssertEqual(h.speaker.updatePeer(config), .inPlace, name)
            XCTAssertEqual(h.speaker.peerConfigs[0], config)
        }
        XCTAssertEqual(h.speaker.updatePeer(PeerConfig(address: ip("10.0.0.7"), remoteAS: 65007)), .resetSession,
                       "an unknown peer is added and must be started")
        XCTAssertEqual(h.speaker.peerConfigs.count, 2)
    }

    func testNextHopSelfAppliesInPlace() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002)
        h.peer("10.0.0.4", as: 65001)
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        XCTAssertEqual(h.sent(to: "10.0.0.4")["10.1.0.0/24"]?.nextHop, ip("10.0.0.2"))
        var config = h.speaker.peerConfigs.first { $0.address == ip("10.0.0.4") }!
        config.nextHopSelf = true
        h.clearSent()
        XCTAssertEqual(h.speaker.updatePeer(config), .inPlace)
        h.drain()
        XCTAssertEqual(h.sent(to: "10.0.0.4")["10.1.0.0/24"]?.nextHop, ip("10.0.0.1"))
        XCTAssertTrue(h.sent(to: "10.0.0.2").batches.isEmpty, "other peers untouched")
    }

    func testBecomingAReflectorClientStartsReflection() {
        let h = Harness(routerID: "1.1.1.1")
        h.peer("10.0.0.2", as: 65001, routerID: "2.2.2.2")
        h.peer("10.0.0.3", as: 65001, routerID: "3.3.3.3")
        h.receive(announcement(["10.1.0.0/24"], nextHop: "192.0.2.2"), from: "10.0.0.2")
        h.process()
        XCTAssertNil(h.sent(to: "10.0.0.3")["10.1.0.0/24"])
        var config = h.speaker.peerConfigs.first { $0.address == ip("10.0.0.2") }!
        config.routeReflectorClient = true
        XCTAssertEqual(h.speaker.updatePeer(config), .inPlace)
        h.process()
        let reflected = h.sent(to: "10.0.0.3")["10.1.0.0/24"]
        XCTAssertEqual(reflected?.attributes.originatorID, v4("2.2.2.2"))
        XCTAssertEqual(reflected?.attributes.clusterList, [v4("1.1.1.1")])
        // And back: no longer a client, the reflected route is withdrawn.
        config.routeReflectorClient = false
        h.speaker.updatePeer(config)
        h.process()
        XCTAssertNil(h.sent(to: "10.0.0.3")["10.1.0.0/24"])
    }

    func testRemovingAPeerWithdrawsItsRoutes() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002)
        h.peer("10.0.0.3", as: 65003)
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        _ = h.speaker.takeFIBChanges()
        h.speaker.removePeer(ip("10.0.0.2"))
        h.process()
        XCTAssertNil(h.best("10.1.0.0/24"))
        XCTAssertEqual(h.sent(to: "10.0.0.3").withdrawn, [pfx("10.1.0.0/24")])
        XCTAssertEqual(h.speaker.takeFIBChanges(), [.remove(pfx("10.1.0.0/24"))])
        XCTAssertEqual(h.speaker.peerConfigs.map(\.address), [ip("10.0.0.3")])
        // The freed slot is reused by the next peer without confusing sources.
        h.peer("10.0.0.5", as: 65005)
        h.receive(announcement(["10.5.0.0/24"], nextHop: "10.0.0.5", asPath: [65005]), from: "10.0.0.5")
        h.process()
        XCTAssertEqual(h.bestPeer("10.5.0.0/24"), ip("10.0.0.5"))
    }

    func testSpeakerConfigChangeReDecides() {
        let h = Harness()
        h.peer("10.0.0.2", as: 65002, routerID: "2.2.2.2")
        h.peer("10.0.0.4", as: 65004, routerID: "4.4.4.4")
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002], med: 50), from: "10.0.0.2")
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.4", asPath: [65004], med: 10), from: "10.0.0.4")
        h.process()
        XCTAssertEqual(h.bestPeer("10.1.0.0/24"), ip("10.0.0.2"))
        h.speaker.config.compareMEDAcrossAS = true
        h.process()
        XCTAssertEqual(h.bestPeer("10.1.0.0/24"), ip("10.0.0.4"))
        h.speaker.config.maxPaths = 2
        h.speaker.config.compareMEDAcrossAS = false
        h.process()
        XCTAssertEqual(h.speaker.routes(for: pfx("10.1.0.0/24")).filter { $0.isBest || $0.isMultipath }.count, 2)
    }
}
