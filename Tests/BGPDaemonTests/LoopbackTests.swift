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

    func makeDaemon(_ me: Side, peer: Side, password: String? = nil, networks: [String] = []) throws -> SpeakerDaemon {
        var config = BgpdConfig(speaker: SpeakerConfig(asn: me.asn, routerID: IPv4Address(me.id)!),
                                listenAddress: IPAddress(me.address)!, listenPort: me.port)
        var p = PeerConfig(address: IPAddress(peer.address)!, remoteAS: peer.asn)
        p.port = peer.port
        p.sourceAddress = IPAddress(me.address)
        p.password = password
        p.connectRetryTime = 1
        p.holdTime = 9
        p.keepaliveTime = 3
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
        let learnt = try XCTUnwrap(sa.routes.first { $0.prefix == Prefix("10.2.0.0/24") })
        XCTAssertEqual(learnt.asPath.description, "65002")
        XCTAssertEqual(learnt.peer, IPAddress("127.0.0.2"))
        XCTAssertEqual(learnt.nextHop, IPAddress("127.0.0.2"))
        XCTAssertTrue(learnt.best)
        // IPv6 unicast was not negotiated (ipv4-unicast only), so the IPv6 network stays home.
        XCTAssertFalse(sa.routes.contains { $0.prefix == Prefix("2001:db8:2::/48") })

        let sb = waitFor(db) { $0.routes.contains { $0.prefix == Prefix("10.1.0.0/24") } }
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
}
