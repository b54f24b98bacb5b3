import XCTest
import BGPWire
import BGPSpeaker
import BGPDaemon
import Kernel
import CLIEngine
import Device
@testable import Quagga

/// `neighbor X shutdown` really stops the session (and `no` brings it back), and interface lines typed on Linux
/// names reach the router's namespace. Namespaces of our own (plt-fixer-<pid>-…), removed in tearDown.
final class QuaggaNeighborShutdownTests: QuaggaNamespaceTestCase {
    override var namespacePrefix: String { "fixer" }

    func logger(_ suffix: String) throws -> Logger {
        let path = NSTemporaryDirectory() + "plt-fixer-\(getpid())-\(suffix).log"
        files.append(path)
        return try Logger(path: path)
    }

    func router(in ns: NetworkNamespace) throws -> (NetworkDevice, Session<NetworkDevice>) {
        let device = NetworkDevice(kind: "quagga", config: RunningConfig(hostname: Quagga.defaultHostname), namespace: ns,
                                   log: try logger("r"), installRoutes: false, appliesKernel: true)
        devices.append(device)
        return (device, Quagga.personality.session(on: device))
    }

    func type(_ vtysh: Session<NetworkDevice>, _ lines: [String]) async {
        for line in lines {
            let reply = await vtysh.execute(line: line)
            XCTAssertEqual(reply.lines, [], line)
        }
    }

    /// Polls `body` until it holds or 30 s pass (a deadline, not a timing assertion).
    func eventually(_ body: () async -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if await body() { return true }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        return await body()
    }

    func testNeighborShutdownStopsTheSessionAndNoShutdownRestartsIt() async throws {
        let r = try namespace("r"), k = try namespace("k")
        let nlr = try r.netlink(), nlk = try k.netlink()
        try nlr.createVeth("eth0", peer: "ens0", peerNamespace: k)
        try nlk.addAddress(InetAddress("10.61.0.2")!, prefixLength: 24, to: "ens0")
        try nlr.setLinkUp("eth0")
        try nlk.setLinkUp("ens0")

        var remote = BgpdConfig(speaker: SpeakerConfig(asn: 64512, routerID: IPv4Address("10.61.0.2")!))
        var toRouter = PeerConfig(address: IPAddress("10.61.0.1")!, remoteAS: 7675)
        toRouter.connectRetryTime = 1
        remote.peers = [toRouter]
        let speaker = try SpeakerDaemon(config: remote, log: try logger("k"), namespace: k)
        daemons.append(speaker)
        try speaker.start()
        func remoteState() -> SessionState? { speaker.status().peers.first?.state }

        // The router's address is typed on eth0 (it reaches the kernel), then the neighbor.
        let (_, vtysh) = try router(in: r)
        await type(vtysh, ["configure terminal", "interface eth0", "ip address 10.61.0.1/24", "exit",
                           "router bgp 7675", "bgp router-id 10.61.0.1", "neighbor 10.61.0.2 remote-as 64512", "end"])
        let up = try await eventually { remoteState() == .established }
        XCTAssertTrue(up, "session never came up: \(String(describing: remoteState()))")

        await type(vtysh, ["configure terminal", "router bgp 7675", "neighbor 10.61.0.2 shutdown", "end"])
        let down = try await eventually { remoteState() != .established }
        XCTAssertTrue(down, "the peer still sees the session Established")
        let summary = await vtysh.execute(line: "show ip bgp summary").lines
        let row = try XCTUnwrap(summary.first { $0.hasPrefix("10.61.0.2") }, "\(summary)")
        XCTAssertTrue(row.hasSuffix(" Idle (Admin)"), row)
        let neighbor = await vtysh.execute(line: "show ip bgp neighbors 10.61.0.2").lines
        XCTAssertTrue(neighbor.contains(" Administratively shut down"), "\(neighbor)")
        XCTAssertTrue(neighbor.contains("  BGP state = Idle"), "\(neighbor)")
        let running = await vtysh.execute(line: "show running-config").lines
        XCTAssertTrue(running.contains(" neighbor 10.61.0.2 shutdown"), "\(running)")
        // The remote keeps retrying every second; the router refuses while shut, so it stays down.
        try await Task.sleep(nanoseconds: 2_500_000_000)
        XCTAssertNotEqual(remoteState(), .established, "a shut neighbor accepted a connection")

        await type(vtysh, ["configure terminal", "router bgp 7675", "no neighbor 10.61.0.2 shutdown", "end"])
        let again = try await eventually { remoteState() == .established }
        XCTAssertTrue(again, "`no neighbor … shutdown` did not bring the session back")
        let after = await vtysh.execute(line: "show running-config").lines
        XCTAssertFalse(after.contains { $0.hasSuffix(" shutdown") && $0.contains("neighbor") }, "\(after)")
    }

    func testInterfaceLinesTypedOnEth0ReachTheNamespace() async throws {
        let r = try namespace("i")
        let nl = try r.netlink()
        try nl.createVeth("eth0", peer: "eth9")
        try nl.setLinkUp("eth0")
        try nl.setLinkUp("eth9")
        let (_, vtysh) = try router(in: r)
        await type(vtysh, ["configure terminal", "interface eth0", "ip address 10.62.0.1/24", "exit",
                           "interface eth9", "shutdown", "end"])
        XCTAssertEqual(try addresses(in: r, on: "eth0"), ["10.62.0.1/24"])
        XCTAssertFalse(try nl.link("eth9").isUp)

        await type(vtysh, ["configure terminal", "interface eth0", "no ip address 10.62.0.1/24", "exit",
                           "interface eth9", "no shutdown", "end"])
        XCTAssertEqual(try addresses(in: r, on: "eth0"), [])
        XCTAssertTrue(try nl.link("eth9").isUp)
    }

    /// IPv4 addresses on a link as `ip -n NS -j addr` reports them.
    func addresses(in ns: NetworkNamespace, on link: String) throws -> [String] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        p.arguments = ["-n", ns.name, "-j", "-4", "addr", "show", "dev", link]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let json = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] ?? []
        return json.flatMap { ($0["addr_info"] as? [[String: Any]]) ?? [] }.compactMap { a in
            guard let ip = a["local"] as? String, let len = a["prefixlen"] as? Int else { return nil }
            return "\(ip)/\(len)"
        }
    }
}
