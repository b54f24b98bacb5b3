import XCTest
import Foundation
import BGPWire
import BGPSpeaker
@testable import BGPDaemon

/// Prints how long a full table takes to cross one loopback session (no timing is asserted).
final class PropagationBenchmark: XCTestCase {
    func testBenchmarkTwentyThousandPrefixes() throws {
        let count = 20_000
        func daemon(_ me: String, _ asn: UInt32, peer: String, peerAS: UInt32, port: UInt16, peerPort: UInt16) throws -> SpeakerDaemon {
            var c = BgpdConfig(speaker: SpeakerConfig(asn: asn, routerID: IPv4Address(me.replacingOccurrences(of: "127.", with: "10."))!),
                               listenAddress: IPAddress(me)!, listenPort: port)
            var p = PeerConfig(address: IPAddress(peer)!, remoteAS: peerAS)
            p.port = peerPort; p.sourceAddress = IPAddress(me); p.connectRetryTime = 1
            c.peers = [p]
            return try SpeakerDaemon(config: c, log: try Logger(path: "/dev/null"))
        }
        func freePort(_ a: String) throws -> UInt16 {
            let fd = try TCPSocket.listen(on: IPAddress(a)!, port: 0); defer { close(fd) }
            return TCPSocket.localAddress(fd)!.port
        }
        let pa = try freePort("127.0.0.31"), pb = try freePort("127.0.0.32")
        let a = try daemon("127.0.0.31", 65031, peer: "127.0.0.32", peerAS: 65032, port: pa, peerPort: pb)
        let b = try daemon("127.0.0.32", 65032, peer: "127.0.0.31", peerAS: 65031, port: pb, peerPort: pa)
        try a.start(); try b.start()
        defer { a.shutdown(); b.shutdown() }
        let up = Date().addingTimeInterval(20)
        while b.status().peers.first?.state != .established && Date() < up { usleep(20_000) }
        XCTAssertEqual(b.status().peers.first?.state, .established)

        let prefixes = (0..<count).map { i in Prefix.v4(IPv4Prefix(IPv4Address(UInt32(0x0a00_0000 | i << 8)), length: 24)) }
        let start = Date()
        a.loop.sync {
            for p in prefixes { a.speaker.originate(p, source: .network) }
            a.needProcess()
        }
        let deadline = Date().addingTimeInterval(60)
        var received = 0
        while received < count && Date() < deadline {
            usleep(10_000)
            received = b.withSpeaker { $0.peerRouteCounts(IPAddress("127.0.0.31")!).received }
        }
        let seconds = Date().timeIntervalSince(start)
        XCTAssertEqual(received, count)
        let messages = a.status().peers.first?.messagesOut ?? 0
        print(String(format: "benchmark: %d prefixes A→B over one loopback session in %.3f s (%.0f prefixes/s, %d messages out)",
                     count, seconds, Double(count) / seconds, messages))
    }
}
