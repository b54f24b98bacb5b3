import XCTest
import Foundation
import BGPWire
import BGPSpeaker
@testable import BGPDaemon

/// Two in-process daemons on 127.0.0.x (loopback only) with real TCP sessions between them.
final class LoopbackTests: XCTestCase {
    var daemons: [SpeakerDaemon] = []
    var logs: [String] = []

    override func tearDown() {
        for d in daemons { d.shutdown() }
        daemons = []
        for path in logs { try? FileManager.default.removeItem(atPath: path) }
        logs = []
    }

    /// A port the kernel says is free on `address` right now.
    func freePort(_ address: String) throws -> UInt16 {
        let fd = try TCPSocket.listen(on: IPAddress(address)!, port: 0)
        defer { close(fd) }
        return try XCTUnwrap(TCPSocket.localAddress(fd)).port
    }

    struct Side { var address: String; var asn: UInt32; var id: String; var port: UInt16 }

    func makeDaemon(_ me: Side, peer: Side, password: String? = nil, networks: [String] = [],
                    families: Set<AddressFamily> = [.ipv4Unicast], gracefulRestart: UInt16? = nil) throws -> SpeakerDaemon {
        var config = BgpdConfig(speaker: SpeakerConfig(asn: me.asn, routerID: IPv4Address(me.id)!),
                                listenAddress: IPAddress(me.address)!, listenPort: me.port)
        var p = PeerConfig(address: IPAddress(peer.address)!, remoteAS: peer.asn)
        p.port = peer.port
        p.sourceAddress = IPAddress(me.address)
        p.password = password
        p.connectRetryTime = 1
        p.holdTime = 9
        p.keepaliveTime = 3
        p.families = families
        p.gracefulRestartTime = gracefulRestart
        config.peers = [p]
        config.networks = networks.map { BgpdConfig.Network(prefix: Prefix($0)!) }
        let path = NSTemporaryDirectory() + "plt-runtime-\(getpid())-\(me.address).log"
        logs.append(path)
        let log = try Logger(path: path)
        let d = try SpeakerDaemon(config: config, log: log)
        daemons.append(d)
        try d.start()
        return d
    }

    /// Polls `daemon.status()` until `condition` holds or `seconds` pass.
    @discardableResult
    func waitFor(_ daemon: SpeakerDaemon, seconds: Double = 20, _ condition: (BgpdStatus) -> Bool) -> BgpdStatus {
        let deadline = Date().addingTimeInterval(seconds)
        var status = daemon.status()
        while !condition(status) && Date() < deadline {
            usleep(50_000)
            status = daemon.status()
        }
        return status
    }

    func testSessionsExchangeAndWithdrawRoutes() throws {
        let a = Side(address: "127.0.0.1", asn: 65001, id: "10.0.0.1", port: try freePort("127.0.0.1"))
        let b = Side(address: "127.0.0.2", asn: 65002, id: "10.0.0.2", port: try freePort("127.0.0.2"))
        let da = try makeDaemon(a, peer: b, networks: ["10.1.0.0/24"])
        let db = try makeDaemon(b, peer: a, networks: ["10.2.0.0/24", "2001:db8:2::/48"])

        let sa = waitFor(da) { $0.peers.first?.state == .established && $0.routes.contains { $0.prefix == Prefix("10.2.0.0/24") } }
        XCTAssertEqual(sa.peers.first?.state, .established, "A: \(sa.peers.first?.lastError ?? "-")")
        let session = try XCTUnwrap(sa.peers.first?.session)
        XCTAssertEqual(session.localAddress, IPAddress("127.0.0.1"))
        XCTAssertEqual(session.negotiation.holdTime, 9)
        XCTAssertEqual(session.negotiation.keepaliveTime, 3)
        XCTAssertEqual(session.negotiation.remoteRouterID, IPv4Address("10.0.0.2"))
        XCTAssertTrue(session.remotePort == b.port || session.localPort == a.port)
        let learnt = try XCTUnwrap(sa.routes.first { $0.prefix == Prefix("10.2.0.0/24") })
        XCTAssertEqual(learnt.asPath.description, "65002")
        XCTAssertEqual(learnt.peer, IPAddress("127.0.0.2"))
        XCTAssertEqual(learnt.nextHop, IPAddress("127.0.0.2"))
        XCTAssertTrue(learnt.best)
        // IPv6 unicast was not negotiated (ipv4-unicast only), so the IPv6 network stays home.
        XCTAssertFalse(sa.routes.contains { $0.prefix == Prefix("2001:db8:2::/48") })

        let sb = waitFor(db) { $0.routes.contains { $0.prefix == Prefix("10.1.0.0/24") } }
        let summary = db.status(routes: false)
        XCTAssertTrue(summary.routes.isEmpty)
        XCTAssertEqual(summary.prefixes, sb.routes.count)
        XCTAssertEqual(summary.paths, sb.routes.count)
        XCTAssertNil(summary.json["routes"])
        XCTAssertEqual(summary.json["prefixes"], .number(sb.routes.count))
        XCTAssertTrue(summary.table.hasSuffix("Loc-RIB: \(sb.routes.count) prefixes, \(sb.routes.count) paths"), summary.table)
        let other = try XCTUnwrap(sb.routes.first { $0.prefix == Prefix("10.1.0.0/24") })
        XCTAssertEqual(other.asPath.description, "65001")
        XCTAssertGreaterThan(sb.peers[0].messagesIn, 2)
        XCTAssertEqual(sb.peers[0].received, 1)

        try da.withdraw(Prefix("10.1.0.0/24")!)
        let gone = waitFor(db) { !$0.routes.contains { $0.prefix == Prefix("10.1.0.0/24") } }
        XCTAssertFalse(gone.routes.contains { $0.prefix == Prefix("10.1.0.0/24") })
        XCTAssertEqual(gone.peers[0].state, .established)

        da.originate(.init(prefix: Prefix("10.1.1.0/24")!))
        let back = waitFor(db) { $0.routes.contains { $0.prefix == Prefix("10.1.1.0/24") } }
        XCTAssertTrue(back.routes.contains { $0.prefix == Prefix("10.1.1.0/24") })

        // Removing the peer on A sends Cease/Peer De-configured; B records it and drops A's routes.
        try da.removePeer(IPAddress("127.0.0.2")!)
        let down = waitFor(db) { $0.peers[0].state != .established }
        XCTAssertNotEqual(down.peers[0].state, .established)
        XCTAssertEqual(down.peers[0].lastError, "Notification received: Cease/Peer De-configured (6/3)")
        XCTAssertFalse(down.routes.contains { $0.prefix == Prefix("10.1.1.0/24") })
    }

    func testMatchingMD5PasswordsEstablish() throws {
        let a = Side(address: "127.0.0.3", asn: 65003, id: "10.0.0.3", port: try freePort("127.0.0.3"))
        let b = Side(address: "127.0.0.4", asn: 65004, id: "10.0.0.4", port: try freePort("127.0.0.4"))
        let da = try makeDaemon(a, peer: b, password: "s3cret")
        _ = try makeDaemon(b, peer: a, password: "s3cret")
        let s = waitFor(da) { $0.peers.first?.state == .established }
        XCTAssertEqual(s.peers.first?.state, .established, "A: \(s.peers.first?.lastError ?? "-")")
    }

    func testWrongMD5PasswordNeverComesUp() throws {
        let a = Side(address: "127.0.0.5", asn: 65005, id: "10.0.0.5", port: try freePort("127.0.0.5"))
        let b = Side(address: "127.0.0.6", asn: 65006, id: "10.0.0.6", port: try freePort("127.0.0.6"))
        let da = try makeDaemon(a, peer: b, password: "right")
        let db = try makeDaemon(b, peer: a, password: "wrong")
        // Several connect-retry rounds (1 s each): a signed SYN with the wrong key is dropped by the kernel.
        let s = waitFor(da, seconds: 4) { $0.peers.first?.state == .established }
        XCTAssertNotEqual(s.peers.first?.state, .established)
        XCTAssertEqual(s.peers.first?.messagesIn, 0)
        XCTAssertEqual(db.status().peers.first?.messagesIn, 0)
    }

    func testUnconfiguredPeerIsClosedAtOnce() throws {
        let a = Side(address: "127.0.0.7", asn: 65007, id: "10.0.0.7", port: try freePort("127.0.0.7"))
        let ghost = Side(address: "127.0.0.9", asn: 65009, id: "10.0.0.9", port: 179)
        let da = try makeDaemon(a, peer: ghost)
        _ = da
        // Connect from an address A has no peer for: A must close without sending anything.
        let fd = try TCPSocket.connect(to: SocketAddress(IPAddress("127.0.0.7")!, port: a.port), from: IPAddress("127.0.0.8"),
                                       ttl: 64, md5Password: nil)
        defer { close(fd) }
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        // Blocks at most 5 s for the close; a kept-open connection fails the test.
        let ready = poll(&p, 1, 5000)
        XCTAssertEqual(ready, 1)
        var byte: UInt8 = 0
        XCTAssertLessThanOrEqual(read(fd, &byte, 1), 0)
    }

    func testIPv6SessionCarriesIPv6Routes() throws {
        // Both daemons on ::1 with their own ports: each one's peer is ::1, told apart by the port it listens on.
        let a = Side(address: "::1", asn: 65011, id: "10.0.0.11", port: try freePort("::1"))
        let b = Side(address: "::1", asn: 65012, id: "10.0.0.12", port: try freePort("::1"))
        _ = try makeDaemon(a, peer: b, networks: ["2001:db8:11::/48"], families: [.ipv6Unicast])
        let db = try makeDaemon(b, peer: a, networks: ["2001:db8:12::/48"], families: [.ipv6Unicast])
        let s = waitFor(db) { $0.routes.contains { $0.prefix == Prefix("2001:db8:11::/48") } }
        XCTAssertEqual(s.peers.first?.state, .established, s.peers.first?.lastError ?? "-")
        let r = try XCTUnwrap(s.routes.first { $0.prefix == Prefix("2001:db8:11::/48") })
        XCTAssertEqual(r.asPath.description, "65011")
        XCTAssertEqual(r.nextHop, IPAddress("::1"))
    }

    func testControlSocketDrivesTheDaemon() throws {
        let a = Side(address: "127.0.0.13", asn: 65013, id: "10.0.0.13", port: try freePort("127.0.0.13"))
        let b = Side(address: "127.0.0.14", asn: 65014, id: "10.0.0.14", port: try freePort("127.0.0.14"))
        let da = try makeDaemon(a, peer: b)
        let db = try makeDaemon(b, peer: a)
        let path = NSTemporaryDirectory() + "plt-runtime-\(getpid())-ctl.sock"
        let server = try ControlServer(daemon: da, path: path, reloadConfig: nil)
        defer { server.close() }

        func call(_ text: String) throws -> JSON { try ControlClient.send(try JSON.parse(text), to: path) }
        XCTAssertEqual(try call(#"{"command":"originate","prefix":"10.13.0.0/24"}"#)["ok"], .bool(true))
        waitFor(db) { $0.routes.contains { $0.prefix == Prefix("10.13.0.0/24") } }
        let status = try call(#"{"command":"status"}"#)
        XCTAssertEqual(status["status"]?["asn"], .number(65013))
        let peers = try XCTUnwrap(status["status"]?["peers"]?.array)
        XCTAssertEqual(peers.first?["address"], .string("127.0.0.14"))
        XCTAssertEqual(peers.first?["state"], .string("Established"))
        let routes = try XCTUnwrap(status["status"]?["routes"]?.array)
        XCTAssertEqual(routes.first?["prefix"], .string("10.13.0.0/24"))
        XCTAssertEqual(routes.first?["origin"], .string("igp"))

        XCTAssertEqual(try call(#"{"command":"withdraw","prefix":"10.13.0.0/24"}"#)["ok"], .bool(true))
        let gone = waitFor(db) { $0.routes.isEmpty }
        XCTAssertTrue(gone.routes.isEmpty)

        let text = try call(#"{"command":"status","format":"text"}"#)["text"]?.string ?? ""
        XCTAssertTrue(text.contains("127.0.0.14"), text)

        let bad = try call(#"{"command":"withdraw","prefix":"10.99.0.0/24"}"#)
        XCTAssertEqual(bad["ok"], .bool(false))
        XCTAssertEqual(bad["error"]?.string, "10.99.0.0/24 is not an originated network")
        XCTAssertEqual(try call(#"{"command":"fly"}"#)["ok"], .bool(false))
        XCTAssertEqual(try call(#"{"command":"reload"}"#)["ok"], .bool(false))

        XCTAssertEqual(try call(#"{"command":"add-peer","peer":{"address":"127.0.0.15","remote-as":65015,"passive":true}}"#)["ok"], .bool(true))
        XCTAssertEqual(da.status().peers.map(\.address), [IPAddress("127.0.0.14")!, IPAddress("127.0.0.15")!])
        XCTAssertEqual(try call(#"{"command":"remove-peer","address":"127.0.0.14"}"#)["ok"], .bool(true))
        XCTAssertEqual(da.status().peers.map(\.address), [IPAddress("127.0.0.15")!])
    }

    func testGracefulRestartKeepsRoutesStaleUntilThePeerIsBack() throws {
        let a = Side(address: "127.0.0.16", asn: 65016, id: "10.0.0.16", port: try freePort("127.0.0.16"))
        let b = Side(address: "127.0.0.17", asn: 65017, id: "10.0.0.17", port: try freePort("127.0.0.17"))
        let da = try makeDaemon(a, peer: b, gracefulRestart: 60)
        let db = try makeDaemon(b, peer: a, networks: ["10.17.1.0/24", "10.17.2.0/24"], gracefulRestart: 60)
        let learnt = waitFor(da) { $0.routes.count == 2 }
        XCTAssertEqual(learnt.routes.count, 2)

        // B goes away without a NOTIFICATION: A keeps B's routes, marked stale.
        db.shutdown(notify: false)
        let stale = waitFor(da) { $0.peers[0].state != .established && $0.routes.allSatisfy(\.stale) }
        XCTAssertNotEqual(stale.peers[0].state, .established)
        XCTAssertEqual(stale.routes.map(\.prefix), [Prefix("10.17.1.0/24")!, Prefix("10.17.2.0/24")!])
        XCTAssertTrue(stale.routes.allSatisfy(\.stale))

        // B restarts announcing only one of them: after its End-of-RIB the other stale route is swept.
        _ = try makeDaemon(b, peer: a, networks: ["10.17.1.0/24"], gracefulRestart: 60)
        let back = waitFor(da) { $0.peers[0].state == .established && $0.routes.count == 1 && !$0.routes[0].stale }
        XCTAssertEqual(back.routes.map(\.prefix), [Prefix("10.17.1.0/24")!])
        XCTAssertEqual(back.routes.first?.stale, false)
    }

    func testReloadResetsOnlySessionsThatNeedIt() throws {
        let a = Side(address: "127.0.0.18", asn: 65018, id: "10.0.0.18", port: try freePort("127.0.0.18"))
        let b = Side(address: "127.0.0.19", asn: 65019, id: "10.0.0.19", port: try freePort("127.0.0.19"))
        let da = try makeDaemon(a, peer: b, networks: ["10.18.0.0/24"])
        let db = try makeDaemon(b, peer: a)
        XCTAssertEqual(waitFor(db) { $0.routes.count == 1 }.routes.count, 1)
        var config = da.configuration

        // A description and a network: applied in place, the session stays up.
        config.peers[0].description = "spine"
        config.networks.append(.init(prefix: Prefix("10.18.1.0/24")!))
        let inPlace = da.reload(config)
        XCTAssertEqual(inPlace.changed, [IPAddress("127.0.0.19")!])
        XCTAssertEqual(inPlace.reset, [])
        XCTAssertEqual(inPlace.networksOriginated, [Prefix("10.18.1.0/24")!])
        XCTAssertEqual(waitFor(db) { $0.routes.count == 2 }.routes.count, 2)
        let messagesBefore = db.status().peers[0].messagesIn
        XCTAssertEqual(db.status().peers[0].lastError, nil)

        // A new hold time needs a new OPEN: the session is reset, B hears why.
        config.peers[0].holdTime = 12
        let reset = da.reload(config)
        XCTAssertEqual(reset.reset, [IPAddress("127.0.0.19")!])
        let bDown = waitFor(db) { $0.peers[0].lastError != nil }
        XCTAssertEqual(bDown.peers[0].lastError, "Notification received: Cease/Other Configuration Change (6/6)")
        let back = waitFor(da) { $0.peers[0].state == .established }
        XCTAssertEqual(back.peers[0].session?.negotiation.holdTime, 9, "min(12, B's 9)")
        XCTAssertGreaterThan(db.status().peers[0].messagesIn, messagesBefore)

        // A shut-down peer stays down; undoing it brings the session back.
        config.peers[0].shutdown = true
        da.reload(config)
        let idle = waitFor(da) { $0.peers[0].state == .idle }
        XCTAssertEqual(idle.peers[0].state, .idle)
        XCTAssertEqual(idle.peers[0].lastError, "Administrative shutdown")
        config.peers[0].shutdown = false
        da.reload(config)
        XCTAssertEqual(waitFor(da) { $0.peers[0].state == .established }.peers[0].state, .established)
    }
}
