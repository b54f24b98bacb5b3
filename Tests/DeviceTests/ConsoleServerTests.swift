import XCTest
import CLIEngine
@testable import Device

/// A two-view personality, just enough to drive the console protocol.
enum TinyPersonality {
    static let commands: [Command<NetworkDevice>] = [
        Command("system-view", in: ["user"], help: ["system-view": "Enter system view"], enters: "system") { ctx in ctx.print("Entered.") },
        Command("sysname {name:word<1-30>}", in: ["system"], help: ["sysname": "Set the name", "name": "Name"]) { ctx in
            try Edits.sysname(ctx, default: "TINY")
        },
        Command("display version", in: .all, help: ["display": "Display", "version": "Version"]) { ctx in ctx.print("Tiny 1.0") },
    ]
    static let personality = Personality(
        kind: "tiny",
        tree: try! CommandTree(views: [View("user", prompt: "<%s>", helpTitle: "User view commands:"),
                                       View("system", prompt: "[%s]", parent: "user", helpTitle: "System view commands:")],
                               commands: commands, dialect: .vrp5),
        startView: "user", configureCommand: "system-view", banner: ["Welcome"], defaultHostname: "TINY",
        configurationText: { "sysname \($0.hostname)" }, isFraming: { $0 == "#" })
}

final class ConsoleServerTests: XCTestCase {
    var server: ConsoleServer!
    var device: NetworkDevice!
    var path = ""

    override func setUpWithError() throws {
        path = NSTemporaryDirectory() + "plt-vendor-\(getpid())-console-\(name.hashValue & 0xffff).sock"
        device = NetworkDevice(kind: "tiny", config: RunningConfig(hostname: "TINY"), offline: true)
        server = ConsoleServer(path: path, device: device, personality: TinyPersonality.personality)
        try server.start()
    }

    override func tearDown() {
        server.stop()
        device.shutdown()
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "the socket file is removed on stop")
    }

    func testOpenLineDescribeCompleteAndControlZ() throws {
        let client = try ConsoleClient(socketPath: path)
        let opened = try client.open()
        XCTAssertEqual(opened.output, ["Welcome"])
        XCTAssertEqual(opened.prompt, "<TINY>")
        let entered = try client.send("sys")
        XCTAssertEqual(entered.output, ["Entered."])
        XCTAssertEqual(entered.prompt, "[TINY]")
        XCTAssertEqual(try client.send("sysname Edge").prompt, "[Edge]")
        XCTAssertEqual(device.config.hostname, "Edge")
        let help = try client.describe("sysname ")
        XCTAssertTrue(help.output.contains { $0.contains("STRING<1-30>") }, "\(help.output)")
        let completed = try client.complete("displ")
        XCTAssertEqual(completed.candidates, ["display"])
        XCTAssertEqual(completed.line, "display ")
        XCTAssertEqual(try client.controlZ().prompt, "<Edge>")
        let error = try client.send("bogus")
        XCTAssertEqual(error.output.last, "Error: Unrecognized command found at '^' position.")
        let ended = try client.send("quit")
        XCTAssertTrue(ended.ended)
    }

    func testSessionsKeepTheirOwnViews() throws {
        let a = try ConsoleClient(socketPath: path)
        let b = try ConsoleClient(socketPath: path)
        _ = try a.open()
        _ = try b.open()
        XCTAssertEqual(try a.send("system-view").prompt, "[TINY]")
        XCTAssertEqual(try b.send("display version").prompt, "<TINY>")
        XCTAssertEqual(try a.send("display version").output, ["Tiny 1.0"])
        a.close()
        b.close()
    }

    func testMalformedRequestGetsAnErrorNotADisconnect() throws {
        let client = try ConsoleClient(socketPath: path)
        _ = try client.open()
        // Raw garbage on a second connection: the server answers with an error object.
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { Glibc.close(fd) }
        var addr = unixAddress(path)!
        let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        XCTAssertEqual(ok, 0)
        XCTAssertTrue(writeAll(fd, Data("not json".utf8)))
        var reader = LineReader(fd: fd)
        let reply = try JSONDecoder().decode(ConsoleReply.self, from: XCTUnwrap(reader.next()))
        XCTAssertNotNil(reply.error)
        XCTAssertEqual(try client.send("display version").output, ["Tiny 1.0"], "other sessions carry on")
    }

    func testConnectingToAMissingSocketSaysSo() {
        XCTAssertThrowsError(try ConsoleClient(socketPath: path + ".missing")) { error in
            XCTAssertTrue("\(error)".contains("is the device running?"))
        }
    }
}
