import XCTest
import BGPWire
import BGPSpeaker
import BGPDaemon
import Kernel
import CLIEngine
import Device
@testable import Quagga

/// Seed 002 for real: a Quagga router configured only by typed lines peers with a Calico-like speaker (k8s-1,
/// AS 64512, pod block 172.27.208.0/26), shows the route, installs it, and forwards an outside host's packets to a
/// pod IP. Three namespaces of our own; nothing touches the root namespace.
final class QuaggaLiveTests: QuaggaNamespaceTestCase {
    /// Runs a program inside `ns` and returns its exit status.
    func run(in ns: NetworkNamespace, _ executable: String, _ arguments: [String]) throws -> Int32 {
        let pid = try ns.spawn(executable, arguments: arguments)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return (status >> 8) & 0xff
    }

    func testTypedRouterPeersWithCalicoNodeShowsRoutesAndForwardsToPods() async throws {
        let router = try namespace("r"), node = try namespace("k"), host = try namespace("h")
        // The lab's wiring (what `peerlab up` does): links, addresses, the router's forwarding sysctl.
        let nlr = try router.netlink(), nlk = try node.netlink(), nlh = try host.netlink()
        try nlr.createVeth("eth0", peer: "ens0", peerNamespace: node)
        try nlr.createVeth("eth1", peer: "ens1", peerNamespace: host)
        try nlr.addAddress(InetAddress("172.31.13.116")!, prefixLength: 24, to: "eth0")
        try nlr.addAddress(InetAddress("10.0.9.1")!, prefixLength: 24, to: "eth1")
        try nlk.addAddress(InetAddress("172.31.13.27")!, prefixLength: 24, to: "ens0")
        try nlk.addAddress(InetAddress("172.27.208.5")!, prefixLength: 32, to: "lo")
        try nlh.addAddress(InetAddress("10.0.9.2")!, prefixLength: 24, to: "ens1")
        for (nl, names) in [(nlr, ["eth0", "eth1"]), (nlk, ["ens0"]), (nlh, ["ens1"])] {
            for n in names { try nl.setLinkUp(.name(n)) }
        }
        try router.writeSysctl("net.ipv4.ip_forward", "1")
        try nlk.addRoute(.via(InetPrefix("10.0.9.0/24")!, InetAddress("172.31.13.116")!))
        // A route someone added by hand on the router: zebra shows it as a kernel route.
        try nlr.addRoute(.via(InetPrefix("10.99.0.0/16")!, InetAddress("10.0.9.2")!))
        // Seed 002: the outside machine routes the pod block through the "BGP router".
        try nlh.addRoute(.via(InetPrefix("172.27.208.0/22")!, InetAddress("10.0.9.1")!))

        // k8s-1's BGP speaker (as Calico's BIRD would run it): eBGP to the router, announcing its pod block.
        var calico = BgpdConfig(speaker: SpeakerConfig(asn: 64512, routerID: IPv4Address("172.31.13.27")!))
        var toRouter = PeerConfig(address: IPAddress("172.31.13.116")!, remoteAS: 7675)
        toRouter.connectRetryTime = 1
        calico.peers = [toRouter]
        calico.networks = [.init(prefix: Prefix("172.27.208.0/26")!)]
        let speaker = try SpeakerDaemon(config: calico, log: try Logger(path: logPath("k")), namespace: node)
        daemons.append(speaker)
        try speaker.start()

        // The router: nothing but lines typed into vtysh.
        let device = NetworkDevice(kind: "quagga", config: RunningConfig(hostname: Quagga.defaultHostname), namespace: router,
                                   log: try Logger(path: logPath("r")), installRoutes: true, appliesKernel: true)
        devices.append(device)
        let vtysh = Quagga.personality.session(on: device)
        for line in ["configure terminal", "hostname bgp-router",
                     "interface eth0", "ip address 172.31.13.116/24", "exit",
                     "router bgp 7675", "bgp router-id 172.31.13.116",
                     "neighbor 172.31.13.27 remote-as 64512", "neighbor 172.31.13.27 description k8s-1",
                     "network 10.0.9.0 mask 255.255.255.0", "end"] {
            let reply = await vtysh.execute(line: line)
            XCTAssertEqual(reply.lines, [], line)
        }
        XCTAssertEqual(vtysh.prompt, "bgp-router# ")

        // Wait for the session and the pod route (a deadline, not a timing assertion).
        let deadline = Date().addingTimeInterval(30)
        var summary: [String] = []
        while Date() < deadline {
            summary = await vtysh.execute(line: "show ip bgp summary").lines
            if summary.contains(where: { $0.hasPrefix("172.31.13.27") && $0.hasSuffix("        1") }) { break }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        let row = try XCTUnwrap(summary.first { $0.hasPrefix("172.31.13.27") }, "\(summary)")
        XCTAssertTrue(row.hasPrefix("172.31.13.27    4 64512 "), row)
        XCTAssertTrue(row.hasSuffix("        1"), "not Established with one prefix: \(summary)")
        XCTAssertEqual(summary[0], "BGP router identifier 172.31.13.116, local AS number 7675")
        XCTAssertEqual(summary.last, "Total num. of routes received     1")

        let table = await vtysh.execute(line: "sh ip bgp").lines
        let pod = try XCTUnwrap(table.first { $0.hasPrefix("*> 172.27.208.0/26  172.31.13.27    ") }, "\(table)")
        XCTAssertTrue(pod.hasSuffix("      0 64512 i"), pod)
        XCTAssertEqual(table.last, "Displayed  2 out of 2 total prefixes")
        let learned = await vtysh.execute(line: "show ip bgp neighbors 172.31.13.27 routes").lines
        XCTAssertEqual(learned.filter { $0.hasPrefix("*") }, [pod])
        XCTAssertEqual(learned.last, "Displayed  1 out of 2 total prefixes")
        var sent: [String] = []
        for _ in 0..<50 {
            sent = await vtysh.execute(line: "show ip bgp neighbors 172.31.13.27 advertised-routes").lines
            if !sent.isEmpty { break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        XCTAssertTrue(sent.contains { $0.hasPrefix("*> 10.0.9.0/24      172.31.13.116") && $0.hasSuffix(" 7675 i") }, "\(sent)")
        XCTAssertEqual(sent.last, "Total number of prefixes 1")

        let detail = await vtysh.execute(line: "show ip bgp 172.27.208.0/26").lines
        XCTAssertEqual(Array(detail.prefix(2)), ["BGP routing table entry for 172.27.208.0/26",
                                                 "Paths: (1 available, best #1, table Default-IP-Routing-Table)"])
        XCTAssertTrue(detail.contains("    172.31.13.27 from 172.31.13.27 (172.31.13.27)"), "\(detail)")
        let byAddress = await vtysh.execute(line: "show ip bgp 172.27.208.5").lines
        XCTAssertEqual(byAddress, detail)

        let routes = await vtysh.execute(line: "show ip route").lines
        XCTAssertTrue(routes.contains { $0.hasPrefix("B>* 172.27.208.0/26 [20/0] via 172.31.13.27, eth0, 00:00:") }, "\(routes)")
        XCTAssertTrue(routes.contains("C>* 172.31.13.0/24 is directly connected, eth0"), "\(routes)")
        // eth1's address was never typed: zebra learns it from the kernel, as it learns the hand-made route.
        XCTAssertTrue(routes.contains("C>* 10.0.9.0/24 is directly connected, eth1"), "\(routes)")
        XCTAssertTrue(routes.contains("K>* 10.99.0.0/16 via 10.0.9.2, eth1"), "\(routes)")
        XCTAssertEqual(routes.filter { $0.contains("172.31.13.0/24") }.count, 1, "\(routes)")

        let neighbor = await vtysh.execute(line: "show ip bgp neighbors 172.31.13.27").lines
        XCTAssertTrue(neighbor.contains { $0.hasPrefix("  BGP state = Established, up for 00:00:") }, "\(neighbor)")
        XCTAssertTrue(neighbor.contains("  BGP version 4, remote router ID 172.31.13.27"), "\(neighbor)")
        // The router proposes Quagga's 180 s, the peer its 90 s: the session runs on 90 and a third of it.
        XCTAssertTrue(neighbor.contains("  Last read 00:00:00, hold time is 90, keepalive interval is 30 seconds"), "\(neighbor)")

        let forwarding = await vtysh.execute(line: "show ip forwarding").lines
        XCTAssertEqual(forwarding, ["IP forwarding is on"])

        // The route is in the router's kernel and packets from outside reach the pod address through it.
        let installed = try router.netlink().routes().first { $0.destination == InetPrefix("172.27.208.0/26") }
        XCTAssertNotNil(installed, "BGP route not installed in the router's namespace")
        XCTAssertEqual(try run(in: host, "/usr/bin/ping", ["-c", "1", "-W", "2", "172.27.208.5"]), 0, "outside host cannot reach the pod IP")

        // `no neighbor` withdraws it again.
        _ = await vtysh.execute(line: "configure terminal")
        _ = await vtysh.execute(line: "router bgp 7675")
        _ = await vtysh.execute(line: "no neighbor 172.31.13.27")
        _ = await vtysh.execute(line: "end")
        let after = await vtysh.execute(line: "show ip bgp summary").lines
        XCTAssertEqual(after, ["No IPv4 neighbor is configured"])
        let empty = await vtysh.execute(line: "show ip bgp").lines
        XCTAssertFalse(empty.contains { $0.contains("172.27.208.0/26") }, "\(empty)")
        XCTAssertEqual(empty.last, "Displayed  1 out of 1 total prefixes")
    }

    func logPath(_ suffix: String) -> String {
        let path = NSTemporaryDirectory() + "plt-quagga-\(getpid())-\(suffix).log"
        files.append(path)
        return path
    }
}
