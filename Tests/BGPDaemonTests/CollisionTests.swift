import XCTest
import Foundation
import BGPWire
import BGPSpeaker
@testable import BGPDaemon

/// RFC 4271 §6.8 against a real daemon: a scripted peer opens a second connection while the daemon's own one is
/// in OpenSent, and the connection initiated by the higher BGP Identifier must survive.
final class CollisionTests: XCTestCase {
    var daemon: SpeakerDaemon?
    var fds: [Int32] = []

    override func tearDown() {
        for fd in fds { close(fd) }
        fds = []
        daemon?.shutdown()
    }

    /// A blocking-with-timeout view of one TCP connection held by the scripted peer.
    final class Wire {
        let fd: Int32
        var framer = MessageFramer()
        init(_ fd: Int32) { self.fd = fd }
        func send(_ m: BGPMessage) {
            let bytes = m.encode(options: CodecOptions())
            _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }
        /// The next message, or nil once the daemon closed the connection (5 s at most).
        func receive() throws -> BGPMessage? {
            while true {
                if let m = try framer.next() { return try BGPMessage.decode(m, options: CodecOptions()) }
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&p, 1, 5000) == 1 else { return nil }
                var buffer = [UInt8](repeating: 0, count: 4096)
                let n = read(fd, &buffer, buffer.count)
                if n <= 0 { return nil }
                framer.append(buffer[0..<n])
            }
        }
    }

    /// Sets up both connections; returns (the daemon's outgoing one, the scripted peer's outgoing one).
    func collide() throws -> (daemonInitiated: Wire, peerInitiated: Wire) {
        let peerListener = try TCPSocket.listen(on: IPAddress("127.0.0.42")!, port: 0)
        fds.append(peerListener)
        let peerPort = try XCTUnwrap(TCPSocket.localAddress(peerListener)).port
        let probe = try TCPSocket.listen(on: IPAddress("127.0.0.41")!, port: 0)
        let daemonPort = try XCTUnwrap(TCPSocket.localAddress(probe)).port
        close(probe)

        var config = BgpdConfig(speaker: SpeakerConfig(asn: 65041, routerID: IPv4Address("10.0.0.41")!),
                                listenAddress: IPAddress("127.0.0.41")!, listenPort: daemonPort)
        var peer = PeerConfig(address: IPAddress("127.0.0.42")!, remoteAS: 65042)
        peer.port = peerPort
        peer.sourceAddress = IPAddress("127.0.0.41")
        config.peers = [peer]
        let d = try SpeakerDaemon(config: config, log: try Logger(path: "/dev/null"))
        daemon = d
        try d.start()

        var p = pollfd(fd: peerListener, events: Int16(POLLIN), revents: 0)
        XCTAssertEqual(poll(&p, 1, 5000), 1, "the daemon never connected")
        let (accepted, _) = try XCTUnwrap(TCPSocket.accept(peerListener))
        fds.append(accepted)
        let daemonInitiated = Wire(accepted)
        guard case .open? = try daemonInitiated.receive() else { throw BgpdError("no OPEN on the daemon's connection") }

        let out = try TCPSocket.connect(to: SocketAddress(IPAddress("127.0.0.41")!, port: daemonPort),
                                        from: IPAddress("127.0.0.42"), ttl: 1, md5Password: nil)
        fds.append(out)
        var q = pollfd(fd: out, events: Int16(POLLOUT), revents: 0)
        XCTAssertEqual(poll(&q, 1, 5000), 1)
        let peerInitiated = Wire(out)
        guard case .open? = try peerInitiated.receive() else { throw BgpdError("no OPEN on the peer's connection") }
        return (daemonInitiated, peerInitiated)
    }

    func open(id: String) -> BGPMessage {
        .open(Open(asn: 65042, holdTime: 90, bgpIdentifier: IPv4Address(id)!, capabilities: [.multiprotocol(.ipv4Unicast)]))
    }

    func testHigherPeerIdentifierKeepsThePeersConnection() throws {
        let (mine, theirs) = try collide()
        // Peer ID 10.0.0.99 > 10.0.0.41: the connection the peer initiated survives.
        mine.send(open(id: "10.0.0.99"))
        XCTAssertEqual(try mine.receive(), .keepalive)
        XCTAssertEqual(try mine.receive(), .notification(BGPWire.Notification(.cease, 7)))
        XCTAssertNil(try mine.receive())

        theirs.send(open(id: "10.0.0.99"))
        XCTAssertEqual(try theirs.receive(), .keepalive)
        theirs.send(.keepalive)
        let deadline = Date().addingTimeInterval(5)
        while daemon?.status().peers.first?.state != .established && Date() < deadline { usleep(20_000) }
        XCTAssertEqual(daemon?.status().peers.first?.state, .established)
    }

    func testLowerPeerIdentifierKeepsTheDaemonsConnection() throws {
        let (mine, theirs) = try collide()
        // Peer ID 10.0.0.1 < 10.0.0.41: the connection the daemon initiated survives.
        theirs.send(open(id: "10.0.0.1"))
        XCTAssertEqual(try theirs.receive(), .keepalive)
        XCTAssertEqual(try theirs.receive(), .notification(BGPWire.Notification(.cease, 7)))
        XCTAssertNil(try theirs.receive())

        mine.send(open(id: "10.0.0.1"))
        XCTAssertEqual(try mine.receive(), .keepalive)
        mine.send(.keepalive)
        let deadline = Date().addingTimeInterval(5)
        while daemon?.status().peers.first?.state != .established && Date() < deadline { usleep(20_000) }
        XCTAssertEqual(daemon?.status().peers.first?.state, .established)
    }
}
