import Foundation
import XCTest
@testable import Lab

/// Brings real labs up in network namespaces (root only) and checks that frames and packets go where the
/// switch configuration says. Lab names start `plt-topo-<pid>`; every namespace and process is removed in
/// tearDown, also when a test fails.
final class KernelLabTests: XCTestCase {
    var dir: TemporaryDirectory!
    var executor: LabExecutor!
    var labs: [String] = []

    override func setUpWithError() throws {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") else {
            throw XCTSkip("needs root and iproute2")
        }
        dir = TemporaryDirectory()
        // A stand-in device daemon (`device run --kind K --name N --socket S …`): it opens its "control
        // socket" and waits, so readiness and stopping (by process group) are observable.
        let fake = dir.write("fake-device", "#!/bin/sh\ntouch \"$8\"\nsleep 300\n")
        chmod(fake, 0o755)
        executor = LabExecutor(backend: KernelBackend(), launcher: ProcessLauncher(executable: fake),
                               store: StateDirectory(root: dir.path + "/state"))
    }

    override func tearDown() {
        for lab in labs {
            try? executor?.down(lab: lab)
            // Belt and braces: nothing with this lab's tag may outlive the test.
            let tag = LabNames(lab: lab)
            for namespace in (try? KernelBackend().namespaces()) ?? [] where tag.owns(namespace: namespace) {
                _ = shell(["/usr/sbin/ip", "netns", "del", namespace])
            }
        }
        dir?.remove()
    }

    func labName(_ suffix: String) -> String {
        let name = "plt-topo-\(getpid())\(suffix)"
        labs.append(name)
        return name
    }

    @discardableResult
    func shell(_ arguments: [String]) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (-1, "\(error)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// One ping from inside `namespace`; true when answered.
    func ping(_ namespace: String, _ address: String) -> Bool {
        shell(["/usr/sbin/ip", "netns", "exec", namespace, "ping", "-c", "1", "-W", "1", address]).status == 0
    }

    func ownNamespaces(_ lab: String) -> [String] {
        NetworkNamespaces.all().filter { LabNames(lab: lab).owns(namespace: $0) }
    }

    func testSwitchFabricForwardsAsConfigured() throws {
        let lab = labName("")
        let file = dir.write("fabric/lab.yaml", """
        name: \(lab)
        topology:
          nodes:
            sw:
              kind: h3c-comware
              startup-config: |
                vlan 10
                #
                vlan 20
                #
                interface LoopBack0
                 ip address 10.97.0.1 255.255.255.255
                #
                interface Vlan-interface10
                 ip address 10.99.0.1 255.255.255.0
                #
                interface GigabitEthernet1/0/1
                 port access vlan 10
                #
                interface GigabitEthernet1/0/2
                 port access vlan 10
                #
                interface GigabitEthernet1/0/3
                 port link-mode route
                 ip address 10.98.0.1 255.255.255.252
                #
                interface GigabitEthernet1/0/4
                 port access vlan 20
            h1: {kind: host, interfaces: {eth0: 10.99.0.11/24}, gateway: 10.99.0.1}
            h2: {kind: host, interfaces: {eth0: 10.99.0.12/24}, gateway: 10.99.0.1}
            h3:
              kind: host
              interfaces: {eth0: 10.98.0.2/30}
              gateway: 10.98.0.1
              exec: ["ip addr add 10.95.0.1/32 dev lo"]
            h4: {kind: host, interfaces: {eth0: 10.99.0.14/24}}
            seg: {kind: bridge}
            b1: {kind: host, interfaces: {eth0: 10.90.0.1/24}}
            b2: {kind: host, interfaces: {eth0: 10.90.0.2/24}}
          links:
            - endpoints: ["sw:GigabitEthernet1/0/1", "h1:eth0"]
            - endpoints: ["sw:GigabitEthernet1/0/2", "h2:eth0"]
            - endpoints: ["sw:GigabitEthernet1/0/3", "h3:eth0"]
            - endpoints: ["sw:GigabitEthernet1/0/4", "h4:eth0"]
            - endpoints: ["seg:p1", "b1:eth0"]
            - endpoints: ["seg:p2", "b2:eth0"]
        """)
        let state = try executor.up(file: file)
        let names = LabNames(lab: lab)
        func ns(_ node: String) -> String { names.namespace(for: node) }
        XCTAssertEqual(ownNamespaces(lab).count, 8)

        XCTAssertTrue(ping(ns("h1"), "10.99.0.1"), "access port in VLAN 10 reaches Vlan-interface10")
        XCTAssertTrue(ping(ns("h1"), "10.99.0.12"), "two access ports in VLAN 10 share the segment")
        XCTAssertTrue(ping(ns("h3"), "10.98.0.1"), "routed port answers on its own address")
        XCTAssertTrue(ping(ns("h1"), "10.98.0.2"), "the switch routes between VLAN 10 and the routed port")
        XCTAssertTrue(ping(ns("h1"), "10.97.0.1"), "LoopBack0 is reachable through the gateway")
        XCTAssertTrue(ping(ns("b1"), "10.90.0.2"), "a bridge node is a plain L2 segment")
        XCTAssertFalse(ping(ns("h4"), "10.99.0.11"), "VLAN 20 is isolated from VLAN 10")

        let link = shell(["/usr/sbin/ip", "-n", ns("sw"), "link", "show", "ge1-0-3"]).output
        XCTAssertTrue(link.contains("alias GigabitEthernet1/0/3"), link)
        XCTAssertTrue(shell(["/usr/sbin/ip", "-n", ns("h3"), "addr", "show", "dev", "lo"]).output.contains("10.95.0.1/32"), "exec ran in h3")
        XCTAssertEqual(shell(["/usr/sbin/ip", "netns", "exec", ns("sw"), "cat", "/proc/sys/net/ipv4/ip_forward"]).output, "1\n")
        XCTAssertEqual(shell(["/usr/sbin/ip", "netns", "exec", ns("h1"), "cat", "/proc/sys/net/ipv4/ip_forward"]).output, "0\n")

        let pid = try XCTUnwrap(state.devices.first { $0.node == "sw" }?.pid)
        XCTAssertEqual(kill(pid, 0), 0, "the switch daemon runs")
        try executor.down(lab: lab)
        XCTAssertEqual(ownNamespaces(lab), [])
        XCTAssertNotEqual(kill(pid, 0), 0, "the switch daemon is gone")
        XCTAssertEqual(executor.store.list().map(\.lab), [])
    }

    /// The default lab itself (under a test name): racks behind H3C leaves, routed uplinks to the spine.
    func testSeed001FabricComesUp() throws {
        let lab = labName("s")
        let text = try String(contentsOfFile: Repo.labs + "/seed-001/topology.yaml", encoding: .utf8)
            .replacingOccurrences(of: "name: seed-001", with: "name: \(lab)")
        let topology = try TopologyLoader().parse(yaml: text, file: "seed-001 (as \(lab))", baseDirectory: Repo.labs + "/seed-001").get()
        let started = Date()
        try executor.up(topology, sourceText: text)
        let upTime = Date().timeIntervalSince(started)
        let names = LabNames(lab: lab)
        XCTAssertEqual(ownNamespaces(lab).count, 9)
        XCTAssertTrue(ping(names.namespace(for: "node1"), "172.20.0.254"), "node1 reaches its leaf's Vlan-interface10")
        XCTAssertTrue(ping(names.namespace(for: "node1"), "172.20.0.13"), "rack 1 shares VLAN 10")
        XCTAssertTrue(ping(names.namespace(for: "node1"), "100.0.0.2"), "leaf01 routes to its own uplink address")
        XCTAssertTrue(ping(names.namespace(for: "leaf02"), "100.0.0.5"), "leaf02's routed uplink reaches the spine")
        XCTAssertTrue(ping(names.namespace(for: "node5"), "3.3.3.3"), "leaf02's LoopBack0")
        XCTAssertFalse(ping(names.namespace(for: "node1"), "173.20.0.11"), "no route between racks until BGP runs")
        let started2 = Date()
        try executor.down(lab: lab)
        print("seed-001 bring-up: \(String(format: "%.2f", upTime)) s for \(LabPlan(topology: topology, paths: executor.store.paths(for: lab)).steps.count) steps; teardown \(String(format: "%.2f", Date().timeIntervalSince(started2))) s")
        XCTAssertEqual(ownNamespaces(lab), [])
    }

    /// Every shipped seed comes up on this box and its first hop answers.
    func testEverySeedComesUp() throws {
        let firstHops = ["seed-000": ("k8s401", "192.168.1.4"), "seed-001": ("node6", "173.20.0.254"),
                         "seed-002": ("client", "172.31.13.116"), "seed-003": ("k8s152", "10.2.98.1"),
                         "seed-004": ("node1", "192.20.30.40")]
        for (index, seed) in LabCatalog.names(repository: Repo.root).enumerated() {
            let lab = labName("e\(index)")
            let text = try String(contentsOfFile: LabCatalog.file(for: seed, repository: Repo.root), encoding: .utf8)
                .replacingOccurrences(of: "name: \(seed)", with: "name: \(lab)")
            let topology = try TopologyLoader().parse(yaml: text, file: seed, baseDirectory: Repo.labs + "/" + seed).get()
            try executor.up(topology, sourceText: text)
            XCTAssertEqual(ownNamespaces(lab).count, topology.nodes.count, seed)
            let (node, address) = try XCTUnwrap(firstHops[seed], "no first hop listed for \(seed)")
            XCTAssertTrue(ping(LabNames(lab: lab).namespace(for: node), address), "\(seed): \(node) reaches \(address)")
            try executor.down(lab: lab)
            XCTAssertEqual(ownNamespaces(lab), [], seed)
        }
    }

    func testIPv6AcrossABridgeNode() throws {
        let lab = labName("6")
        let file = dir.write("v6/lab.yaml", """
        name: \(lab)
        topology:
          nodes:
            seg: {kind: bridge}
            a: {kind: host, interfaces: {eth0: ["fd00:99::1/64", 10.93.0.1/24]}}
            b: {kind: host, interfaces: {eth0: "fd00:99::2/64"}, gateway: "fd00:99::1"}
          links:
            - endpoints: ["seg:p1", "a:eth0"]
            - endpoints: ["seg:p2", "b:eth0"]
        """)
        try executor.up(file: file)
        let b = LabNames(lab: lab).namespace(for: "b")
        // No sleep: lab namespaces skip duplicate address detection, so the addresses work as soon as up returns.
        XCTAssertTrue(ping(b, "fd00:99::1"), "IPv6 neighbour discovery crosses the segment")
        XCTAssertTrue(shell(["/usr/sbin/ip", "-n", b, "-6", "route", "show", "default"]).output.contains("via fd00:99::1"))
        try executor.down(lab: lab)
        XCTAssertEqual(ownNamespaces(lab), [])
    }

    func testFailedBringUpLeavesNothing() throws {
        let lab = labName("f")
        let file = dir.write("fail/lab.yaml", """
        name: \(lab)
        topology:
          nodes:
            r1: {kind: quagga, interfaces: {eth0: 10.91.0.1/24}}
            h1: {kind: host, interfaces: {eth0: 10.91.0.2/24}, exec: ["exit 3"]}
          links:
            - endpoints: ["r1:eth0", "h1:eth0"]
        """)
        XCTAssertThrowsError(try executor.up(file: file)) { error in
            XCTAssertTrue("\(error)".contains("exit status 3"), "\(error)")
        }
        XCTAssertEqual(ownNamespaces(lab), [])
        XCTAssertEqual(try executor.store.read(lab: lab).get().phase, .failed)
    }

    func testDaemonThatExitsEarlyFailsBringUp() throws {
        let lab = labName("d")
        let broken = dir.write("broken-device", "#!/bin/sh\necho 'unknown subcommand device'\nexit 64\n")
        chmod(broken, 0o755)
        let executor = LabExecutor(backend: KernelBackend(), launcher: ProcessLauncher(executable: broken),
                                   store: self.executor.store)
        let file = dir.write("early/lab.yaml", """
        name: \(lab)
        topology:
          nodes:
            r1: {kind: quagga}
        """)
        XCTAssertThrowsError(try executor.up(file: file)) { error in
            XCTAssertTrue("\(error)".contains("it exited (status 64)"), "\(error)")
            XCTAssertTrue("\(error)".contains("unknown subcommand device"), "\(error)")
        }
        XCTAssertEqual(ownNamespaces(lab), [])
    }

    func testDownAfterACrashFindsTheLabByName() throws {
        let lab = labName("c")
        let file = dir.write("crash/lab.yaml", """
        name: \(lab)
        topology:
          nodes:
            a: {kind: host, interfaces: {eth0: 10.92.0.1/24}}
            b: {kind: quagga, interfaces: {eth0: 10.92.0.2/24}}
          links:
            - endpoints: ["a:eth0", "b:eth0"]
        """)
        let state = try executor.up(file: file)
        let pid = try XCTUnwrap(state.devices.first { $0.node == "b" }?.pid)
        XCTAssertEqual(ownNamespaces(lab).count, 2)
        XCTAssertTrue(KernelBackend().processes(in: LabNames(lab: lab).namespace(for: "b")).contains(pid))
        try FileManager.default.removeItem(atPath: executor.store.paths(for: lab).stateFile)
        try executor.down(lab: lab)
        XCTAssertEqual(ownNamespaces(lab), [])
        XCTAssertNotEqual(kill(pid, 0), 0, "the daemon the lost state listed is found in its namespace and ended")
    }
}

/// Reads /run/netns without the Kernel module (the test target imports only Lab).
enum NetworkNamespaces {
    static func all() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: "/run/netns")) ?? [] }
}
