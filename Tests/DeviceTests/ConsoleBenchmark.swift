import XCTest
import BGPWire
import CLIEngine
@testable import Device

/// Prints figures (no timing assertions): console round trips over the socket, and config edits per second.
final class ConsoleBenchmark: XCTestCase {
    func testConsoleRoundTripsAndEditsPerSecond() throws {
        let path = NSTemporaryDirectory() + "plt-vendor-\(getpid())-bench.sock"
        let device = NetworkDevice(kind: "tiny", config: RunningConfig(hostname: "TINY"), offline: true)
        let server = ConsoleServer(path: path, device: device, personality: TinyPersonality.personality)
        try server.start()
        defer { server.stop(); device.shutdown() }
        let client = try ConsoleClient(socketPath: path)
        _ = try client.open()
        let rounds = 2000
        var start = Date()
        for _ in 0..<rounds { XCTAssertEqual(try client.send("display version").output.count, 1) }
        let perLine = Date().timeIntervalSince(start) / Double(rounds)
        print(String(format: "console: %d round trips, %.1f µs per line (%.0f lines/s)", rounds, perLine * 1e6, 1 / perLine))

        start = Date()
        let edits = 500
        try device.update { c in c.bgp = BGPInstance(asn: 65001) }
        for i in 0..<edits {
            try device.update { c in
                c.bgp!.peers.append(BGPPeerSettings(address: IPv4Address(0xC000_0200 + UInt32(i)), remoteAS: 65002, ipv4Enabled: true))
            }
        }
        let perEdit = Date().timeIntervalSince(start) / Double(edits)
        print(String(format: "device: %d peer additions applied live (offline speaker), %.2f ms each", edits, perEdit * 1e3))
        XCTAssertEqual(device.peerSummaries().count, edits)
    }
}
