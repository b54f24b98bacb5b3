import XCTest
import BGPWire
import CLIEngine
import Device
@testable import HuaweiVRP
@testable import H3CComware
@testable import Quagga

/// Every switch and router command line of seeds 001 (Comware leaves), 002 (the Quagga router) and 003 (the VRP
/// S9700 core), exactly as the seed documents write them — including their U+2010 hyphens and the blank after
/// a prompt — must be accepted by the personality, in the view the seed's prompt shows.
///
/// The lines are listed verbatim in `SeedLines`; `testFixtureIsWhatTheSeedsContain` re-extracts them from the
/// seed files (`PEERLAB_SEEDS`, default /work/shared/seeds) so the list cannot drift from the documents.
final class SeedCommandLineTests: XCTestCase {
    enum SeedLines {
        /// Seed 001: `[prompt]command` lines of the H3C leaves.
        static let seed001: [(prompt: String, command: String)] = [
            ("[leaf01]", "show bgp peer ipv4"),
            ("<leaf02>", "sys"),
            ("[leaf02]", "show bgp peer ipv4"),
        ]
        /// Seed 002: the neighbor lines typed into the Quagga router's `router bgp` (the switch's AS is 7675).
        static let seed002 = [
            "neighbor 172.31.13.27 remote-as 64512",
            "neighbor 172.31.13.28 remote-as 64512",
        ]
        /// Seed 003: `[prompt]command` lines of the S9700 core.
        static let seed003: [(prompt: String, command: String)] = [
            ("[BJ_Office_Core_S9700\u{2010}bgp]", "di this"),
            ("[BJ_Office_Core_S9700\u{2010}bgp]", " dis ip routing\u{2010}table protocol bgp"),
        ]
        /// Seed 003: the BGP configuration `di this` shows on the core, which is how it was configured.
        static let seed003Config = [
            "#",
            "bgp 65001",
            " router\u{2010}id 10.2.0.2",
            " peer 10.2.98.141 as\u{2010}number 63400",
            " peer 10.2.98.141 connect\u{2010}interface Vlanif98 10.2.98.1",
            " peer 10.2.98.142 as\u{2010}number 63400",
            " peer 10.2.98.142 connect\u{2010}interface Vlanif98 10.2.98.1",
            " peer 10.2.98.143 as\u{2010}number 63400",
            " peer 10.2.98.143 connect\u{2010}interface Vlanif98 10.2.98.1",
            " peer 10.2.98.152 as\u{2010}number 63400",
            " peer 10.2.98.152 connect\u{2010}interface Vlanif98 10.2.98.1",
            " #",
            " ipv4\u{2010}family unicast",
            "  undo synchronization",
            "  compare\u{2010}different\u{2010}as\u{2010}med",
        ]
    }

    static func folded(_ s: String) -> String { s.replacingOccurrences(of: "\u{2010}", with: "-") }

    /// `[name]rest` / `<name>rest` at the start of a line (no blank inside the brackets, so shell prompts such as
    /// `[root@node1 calico]#` and Markdown links do not count).
    static func promptLine(_ line: String) -> (prompt: String, command: String)? {
        guard let open = line.first, open == "[" || open == "<" else { return nil }
        let close: Character = open == "[" ? "]" : ">"
        guard let end = line.firstIndex(of: close) else { return nil }
        let name = line[line.index(after: line.startIndex)..<end]
        let rest = String(line[line.index(after: end)...])
        guard !name.isEmpty, !name.contains(where: { $0.isWhitespace || $0 == "[" || $0 == "<" }),
              !rest.hasPrefix("("), !rest.isEmpty else { return nil }
        return (String(line[...end]), rest)
    }

    func seedText(_ number: String) throws -> String {
        let dir = ProcessInfo.processInfo.environment["PEERLAB_SEEDS"] ?? "/work/shared/seeds"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        guard let name = names.first(where: { $0.hasPrefix(number + "_") && $0.hasSuffix(".txt") }) else {
            throw XCTSkip("seed \(number) not found in \(dir) (set PEERLAB_SEEDS)")
        }
        return try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
    }

    func testFixtureIsWhatTheSeedsContain() throws {
        let s001 = try seedText("001").components(separatedBy: "\n")
        XCTAssertEqual(s001.compactMap(Self.promptLine).map { "\($0.prompt)|\($0.command)" },
                       SeedLines.seed001.map { "\($0.prompt)|\($0.command)" })

        let s002 = try seedText("002").components(separatedBy: "\n")
        XCTAssertEqual(s002.filter { $0.hasPrefix("neighbor ") }, SeedLines.seed002)

        let s003 = try seedText("003").components(separatedBy: "\n")
        XCTAssertEqual(s003.compactMap(Self.promptLine).map { "\($0.prompt)|\($0.command)" },
                       SeedLines.seed003.map { "\($0.prompt)|\($0.command)" })
        // The configuration block: what follows the `di this` line up to the end of its code block.
        let start = try XCTUnwrap(s003.firstIndex { Self.promptLine($0)?.command == "di this" })
        let block = s003[(start + 1)...].prefix { !$0.hasPrefix("```") }
        XCTAssertEqual(Array(block), SeedLines.seed003Config)
    }

    /// Seed 001: `show bgp peer ipv4` in system view (the `display` alias) and `sys` in user view.
    func testSeed001LinesOnTheComwareLeaves() async {
        for (host, peers) in [("leaf01", ["100.0.0.1": 65008, "172.20.0.11": 64512, "172.20.0.12": 64512]),
                              ("leaf02", ["100.0.0.5": 65008, "173.20.0.11": 64513, "173.20.0.12": 64513])] {
            let c = ComwareConsole(hostname: host)
            // The leaf's BGP, typed on a second console so the seed's session keeps its own view.
            let setup = H3CComware.personality.session(on: c.device)
            for line in ["system-view", "bgp \(host == "leaf01" ? 65009 : 65010)"] + peers.sorted(by: { $0.key < $1.key }).map({ "peer \($0.key) as-number \($0.value)" }) {
                let r = await setup.execute(line: line)
                XCTAssertFalse(r.refused, "\(line): \(r.lines)")
            }
            for (prompt, command) in SeedLines.seed001 where prompt.contains(host) {
                if c.session.prompt != prompt, prompt.hasPrefix("[") { await c.type(["system-view"]) }
                XCTAssertEqual(c.session.prompt, prompt)
                let reply = await c.session.execute(line: command)
                XCTAssertFalse(reply.refused, "\(prompt)\(command): \(reply.lines)")
                if command.hasPrefix("show") {
                    XCTAssertTrue(reply.lines.contains(" Local AS number: \(host == "leaf01" ? 65009 : 65010)"), reply.text)
                    XCTAssertEqual(reply.lines.filter { $0.hasPrefix("  1") }.count, 3, reply.text)
                } else {
                    XCTAssertEqual(reply.lines, ["System View: return to User View with Ctrl+Z."])
                }
            }
        }
    }

    /// Seed 002: the neighbor lines in the Quagga router's `router bgp 7675`.
    func testSeed002LinesOnTheQuaggaRouter() async {
        let device = NetworkDevice(kind: "quagga", config: RunningConfig(hostname: Quagga.defaultHostname), offline: true)
        defer { device.shutdown() }
        let s = Quagga.personality.session(on: device)
        for line in ["configure terminal", "router bgp 7675"] + SeedLines.seed002 {
            let r = await s.execute(line: line)
            XCTAssertEqual(r.lines, [], line)
            XCTAssertFalse(r.refused, line)
        }
        XCTAssertEqual(s.prompt, "router(config-router)# ")
        XCTAssertEqual(device.config.bgp?.peers.map { "\($0.address) \($0.remoteAS ?? 0)" },
                       ["172.31.13.27 64512", "172.31.13.28 64512"])
    }

    /// Seed 003: the core configured by its own `di this` lines, then `di this` and ` dis ip routing‐table
    /// protocol bgp` typed as the seed types them, in the bgp view.
    func testSeed003LinesOnTheVRPCore() async {
        let c = VRPConsole(hostname: "BJ_Office_Core_S9700")
        await c.type(["system-view", "vlan batch 98", "interface Vlanif98", "ip address 10.2.98.1 255.255.255.0", "quit"])
        let rejected = await c.session.load(config: SeedLines.seed003Config.joined(separator: "\n"), scopesByIndentation: true)
        XCTAssertEqual(rejected, [])
        await c.type(["quit"])
        for (prompt, command) in SeedLines.seed003 {
            XCTAssertEqual(c.session.prompt, Self.folded(prompt))
            let reply = await c.session.execute(line: command)
            XCTAssertFalse(reply.refused, "\(prompt)\(command): \(reply.lines)")
            if command == "di this" {
                XCTAssertEqual(Array(reply.lines.prefix(SeedLines.seed003Config.count)), SeedLines.seed003Config.map(Self.folded))
                XCTAssertEqual(reply.lines.suffix(2), ["#", "return"])
            } else {
                XCTAssertEqual(Array(reply.lines.prefix(3)), ["Route Flags: R - relay, D - download to fib",
                                                              String(repeating: "-", count: 78), "Public routing table : BGP"])
                XCTAssertTrue(reply.lines.contains("BGP routing table status : <Active>"))
                XCTAssertTrue(reply.lines.contains("BGP routing table status : <Inactive>"))
            }
        }
    }
}
