import XCTest
import Foundation
import BGPWire
@testable import BGPDaemon

/// `peerlab bgpd` as a process on loopback: control socket, status, SIGHUP reload, clean exit on SIGTERM.
final class BgpdProcessTests: XCTestCase {
    var processes: [Process] = []
    var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "plt-runtime-\(getpid())-proc"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        for p in processes where p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() }
        processes = []
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The `peerlab` built with the tests (next to the test bundle), or PEERLAB_BIN.
    func binary() throws -> String {
        if let path = ProcessInfo.processInfo.environment["PEERLAB_BIN"] { return path }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("peerlab").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        throw XCTSkip("no peerlab executable next to the test bundle; build it or set PEERLAB_BIN")
    }

    func yaml(_ name: String, me: String, asn: UInt32, port: UInt16, peer: String, peerAS: UInt32, peerPort: UInt16, networks: [String]) -> String {
        """
        router-id: \(me.replacingOccurrences(of: "127.", with: "10."))
        asn: \(asn)
        listen: {address: \(me), port: \(port)}
        control-socket: \(directory)/\(name).sock
        log: \(directory)/\(name).log
        peers:
          - {address: \(peer), remote-as: \(peerAS), port: \(peerPort), source-address: \(me), connect-retry: 1}
        networks: [\(networks.joined(separator: ", "))]

        """
    }

    func start(_ name: String, _ text: String) throws -> Process {
        let path = "\(directory)/\(name).yaml"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try binary())
        p.arguments = ["bgpd", "--config", path]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        processes.append(p)
        return p
    }

    func status(_ name: String) -> JSON? {
        try? ControlClient.send(.object([("command", .string("status"))]), to: "\(directory)/\(name).sock")["status"]
    }

    func waitFor(_ name: String, _ condition: (JSON) -> Bool) -> JSON? {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let s = status(name), condition(s) { return s }
            usleep(50_000)
        }
        return status(name)
    }

    func prefixes(_ s: JSON?) -> [String] { s?["routes"]?.array?.compactMap { $0["prefix"]?.string } ?? [] }

    func testSighupReloadsNetworksAndSigtermExitsCleanly() throws {
        func port(_ a: String) throws -> UInt16 {
            let fd = try TCPSocket.listen(on: IPAddress(a)!, port: 0); defer { close(fd) }
            return TCPSocket.localAddress(fd)!.port
        }
        let pa = try port("127.0.0.51"), pb = try port("127.0.0.52")
        let a = try start("a", yaml("a", me: "127.0.0.51", asn: 65051, port: pa, peer: "127.0.0.52", peerAS: 65052, peerPort: pb, networks: ["10.51.0.0/24"]))
        _ = try start("b", yaml("b", me: "127.0.0.52", asn: 65052, port: pb, peer: "127.0.0.51", peerAS: 65051, peerPort: pa, networks: []))

        XCTAssertEqual(prefixes(waitFor("b") { self.prefixes($0) == ["10.51.0.0/24"] }), ["10.51.0.0/24"])

        try yaml("a", me: "127.0.0.51", asn: 65051, port: pa, peer: "127.0.0.52", peerAS: 65052, peerPort: pb, networks: ["10.51.1.0/24"])
            .write(toFile: "\(directory)/a.yaml", atomically: false, encoding: .utf8)
        kill(a.processIdentifier, SIGHUP)
        XCTAssertEqual(prefixes(waitFor("b") { self.prefixes($0) == ["10.51.1.0/24"] }), ["10.51.1.0/24"])
        // The session survived the reload: only the network changed.
        XCTAssertEqual(status("b")?["peers"]?.array?.first?["state"], .string("Established"))

        kill(a.processIdentifier, SIGTERM)
        a.waitUntilExit()
        XCTAssertEqual(a.terminationStatus, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(directory)/a.sock"), "control socket removed on exit")
        let down = waitFor("b") { $0["peers"]?.array?.first?["state"] != .string("Established") }
        XCTAssertEqual(down?["peers"]?.array?.first?["last-error"], .string("Notification received: Cease/Administrative Shutdown (6/2)"))
    }
}
