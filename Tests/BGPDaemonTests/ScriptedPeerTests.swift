import XCTest
import Foundation
import BGPWire
import BGPSpeaker
@testable import BGPDaemon

/// A hand-driven BGP peer on loopback talks to a real daemon: what the daemon sends back to bad input.
final class ScriptedPeerTests: XCTestCase {
    var daemon: SpeakerDaemon?
    var fd: Int32 = -1

    override func tearDown() {
        if fd >= 0 { close(fd) }
        daemon?.shutdown()
    }

    /// Starts a daemon on 127.0.0.21 with a passive peer 127.0.0.22 (AS 65022) and connects to it as that peer.
    func connectAsPeer(gracefulRestart: UInt16? = nil) throws {
        let listenFD = try TCPSocket.listen(on: IPAddress("127.0.0.21")!, port: 0)
        let port = try XCTUnwrap(TCPSocket.localAddress(listenFD)).port
        close(listenFD)
        var config = BgpdConfig(speaker: SpeakerConfig(asn: 65021, routerID: IPv4Address("10.0.0.21")!),
                                listenAddress: IPAddress("127.0.0.21")!, listenPort: port)
        var peer = PeerConfig(address: IPAddress("127.0.0.22")!, remoteAS: 65022)
        peer.passive = true
        peer.gracefulRestartTime = gracefulRestart
        config.peers = [peer]
        config.networks = [.init(prefix: Prefix("10.21.0.0/24")!)]
        let d = try SpeakerDaemon(config: config, log: try Logger(path: "/dev/null"))
        daemon = d
        try d.start()
        daemonPort = port
        try reconnect()
    }

    var daemonPort: UInt16 = 0

    /// Opens a (new) connection to the daemon from the peer's address; an old one is left as it is.
    func reconnect() throws {
        fd = try TCPSocket.connect(to: SocketAddress(IPAddress("127.0.0.21")!, port: daemonPort), from: IPAddress("127.0.0.22"),
                                   ttl: 1, md5Password: nil)
        framer = MessageFramer()
        var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        XCTAssertEqual(poll(&p, 1, 5000), 1)
        XCTAssertEqual(TCPSocket.pendingError(fd), 0)
    }

    func send(_ bytes: [UInt8]) { _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }

    var framer = MessageFramer()

    /// The next message from the daemon, or nil when it closed the connection (5 s at most).
    func receive() throws -> BGPMessage? {
        while true {
            if let m = try framer.next() { return try BGPMessage.decode(m, options: CodecOptions()) }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 5000) == 1 else { XCTFail("daemon sent nothing"); return nil }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { return nil }
            framer.append(buffer[0..<n])
        }
    }

    func open(asn: UInt32 = 65022, holdTime: UInt16 = 9, extra: [Capability] = []) -> [UInt8] {
        BGPMessage.open(Open(asn: asn, holdTime: holdTime, bgpIdentifier: IPv4Address("10.0.0.22")!,
                             capabilities: [.multiprotocol(.ipv4Unicast)] + extra)).encode(options: CodecOptions())
    }

    /// Every message restarts the hold timer (RFC 4271 §8.2.2): a peer that keeps talking stays up past the
    /// hold time, and one that falls silent gets HOLD TIMER EXPIRED one hold time after its last message.
    func testHoldTimerRunsFromTheLastMessage() throws {
        try connectAsPeer()
        send(open(holdTime: 3))
        _ = try receive(); _ = try receive()
        send(BGPMessage.keepalive.encode(options: CodecOptions()))
        let route = BGPMessage.update(Update(attributes: PathAttributes(origin: .igp, asPath: ASPath(sequence: [65022]),
                                                                        nextHop: IPv4Address("127.0.0.22")),
                                             nlri: [IPv4Prefix("10.22.0.0/24")!])).encode(options: CodecOptions())
        for _ in 0..<5 {
            usleep(1_000_000)
            send(route)
        }
        let lastSent = EventLoop.now()
        XCTAssertEqual(daemon?.status(routes: false).peers.first?.state, .established, "up 5 s into a 3 s hold time")
        var notification: BGPWire.Notification?
        while notification == nil, let message = try receive() {
            if case .notification(let n) = message { notification = n }
        }
        let silence = EventLoop.now() - lastSent
        XCTAssertEqual(notification?.code, 4, "HOLD TIMER EXPIRED")
        XCTAssertGreaterThan(silence, 2.5)
        XCTAssertLessThan(silence, 4.5)
    }

    func testNewConnectionFromARestartingPeerReplacesTheSession() throws {
        try connectAsPeer(gracefulRestart: 60)
        let gr = Capability.gracefulRestart(GracefulRestart(restarting: false, restartTime: 60, families: [
            .init(family: .ipv4Unicast, forwardingStatePreserved: true)]))
        send(open(extra: [gr]))
        _ = try receive(); _ = try receive()
        send(BGPMessage.keepalive.encode(options: CodecOptions()))
        let route = BGPMessage.update(Update(attributes: PathAttributes(origin: .igp, asPath: ASPath(sequence: [65022]),
                                                                        nextHop: IPv4Address("127.0.0.22")),
                                             nlri: [IPv4Prefix("10.22.0.0/24")!]))
        send(route.encode(options: CodecOptions()))
        let d = try XCTUnwrap(daemon)
        var deadline = Date().addingTimeInterval(5)
        while d.status().routes.count < 2 && Date() < deadline { usleep(20_000) }
        XCTAssertEqual(d.status().routes.count, 2)

        // The peer "restarts": a new connection while the old one still looks fine.
        let old = fd
        defer { close(old) }
        try reconnect()
        guard case .open? = try receive() else { return XCTFail("the daemon should answer the new connection with OPEN") }
        deadline = Date().addingTimeInterval(5)
        while d.status().routes.first(where: { $0.peer != nil })?.stale != true && Date() < deadline { usleep(20_000) }
        XCTAssertEqual(d.status().routes.first { $0.peer != nil }?.stale, true, "the restarting peer's route is kept as stale")
        XCTAssertEqual(d.status().peers.first?.lastError, "Connection failed: peer restarted (new connection, graceful restart)")
    }

    func testBadMarkerGetsHeaderErrorAndClose() throws {
        try connectAsPeer()
        send(open())
        guard case .open(let theirs)? = try receive() else { return XCTFail("expected OPEN") }
        XCTAssertEqual(theirs.asNumber, 65021)
        XCTAssertEqual(try receive(), .keepalive)
        send(BGPMessage.keepalive.encode(options: CodecOptions()))
        // Established: the daemon sends its network, then End-of-RIB.
        guard case .update(let update)? = try receive() else { return XCTFail("expected UPDATE") }
        XCTAssertEqual(update.nlri, [IPv4Prefix("10.21.0.0/24")!])
        XCTAssertEqual(update.attributes.asPath, ASPath(sequence: [65021]))

        var garbage = BGPMessage.keepalive.encode(options: CodecOptions())
        garbage[3] = 0
        send(garbage)
        var reply = try receive()
        while case .update? = reply { reply = try receive() }
        XCTAssertEqual(reply, .notification(Notification(.messageHeader, 1)))
        XCTAssertNil(try receive(), "connection should be closed")
        let status = try XCTUnwrap(daemon).status()
        XCTAssertEqual(status.peers.first?.lastError, "Notification sent: Message Header Error/Connection Not Synchronized (1/1)")
    }

    func testWrongASGetsBadPeerAS() throws {
        try connectAsPeer()
        send(open(asn: 65099))
        var reply = try receive()
        if case .open? = reply { reply = try receive() }
        guard case .notification(let n)? = reply else { return XCTFail("expected NOTIFICATION, got \(String(describing: reply))") }
        XCTAssertEqual(n.code, 2)
        XCTAssertEqual(n.subcode, 2)
        XCTAssertNil(try receive())
    }

    func testMalformedUpdateGetsItsNotification() throws {
        try connectAsPeer()
        send(open())
        _ = try receive(); _ = try receive()
        send(BGPMessage.keepalive.encode(options: CodecOptions()))
        // An UPDATE whose withdrawn-routes length runs past the message: 3/1 Malformed Attribute List.
        var bad: [UInt8] = Array(repeating: 0xff, count: 16) + [0, 23, 2] + [0, 200, 0, 0]
        bad[16] = 0; bad[17] = 23
        send(bad)
        var reply = try receive()
        while case .update? = reply { reply = try receive() }
        guard case .notification(let n)? = reply else { return XCTFail("expected NOTIFICATION") }
        XCTAssertEqual(n.code, 3)
        XCTAssertNil(try receive())
    }
}
