import Foundation
import XCTest
@testable import Lab

/// Drives the built `peerlab` binary (found next to the test bundle) the way a user does: up, inspect,
/// exec, down, list — on labs named `plt-lcli-<pid>…` in a private state root. tearDown removes every
/// namespace, process and file, also when a test fails.
final class CLITests: PeerlabBinaryTestCase {
    override var labPrefix: String { "plt-lcli" }

    /// Two hosts on one cable (and, with `extra`, more nodes/links in the same file).
    func hostLab(_ lab: String, subnet: Int, exec: String = "") -> String {
        dir.write("\(lab)/lab.yaml", """
        name: \(lab)
        topology:
          nodes:
            h1: {kind: host, interfaces: {eth0: 10.\(subnet).0.1/24}\(exec)}
            h2: {kind: host, interfaces: {eth0: 10.\(subnet).0.2/24}}
          links:
            - endpoints: ["h1:eth0", "h2:eth0"]
        """)
    }

    func testHostLabUpInspectExecDown() throws {
        let lab = labName("h")
        let up = run(["up", hostLab(lab, subnet: 81)])
        XCTAssertEqual(up.status, 0, up.output)
        XCTAssertTrue(up.output.contains("lab \(lab) is up: 2 nodes"), up.output)
        XCTAssertEqual(ownNamespaces(lab).count, 2)

        let table = run(["inspect"])
        XCTAssertEqual(table.status, 0, table.output)
        let rows = table.output.split(separator: "\n").map(String.init)
        XCTAssertTrue(rows.contains { $0.hasPrefix("h1") && $0.contains("host") && $0.contains("eth0 10.81.0.1/24") }, table.output)

        let json = run(["inspect", lab, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        let devices = object?["devices"] as? [[String: Any]] ?? []
        XCTAssertEqual(devices.compactMap { $0["node"] as? String }, ["h1", "h2"])
        XCTAssertEqual(devices.last?["addresses"] as? [String], ["eth0 10.81.0.2/24"])

        XCTAssertEqual(run(["exec", "h1", "--", "ping", "-c", "1", "-W", "1", "10.81.0.2"]).status, 0, "h1 reaches h2 over the cable")
        XCTAssertEqual(run(["exec", "h1", "--", "exit 7"]).status, 7, "the command's exit status is passed through")
        let unknown = run(["exec", "h9", "--", "true"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.output.contains("has no node 'h9'; its nodes are h1, h2"), unknown.output)

        let down = run(["down"])
        XCTAssertEqual(down.status, 0, down.output)
        XCTAssertEqual(ownNamespaces(lab), [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path + "/state/\(lab)"))
        XCTAssertTrue(run(["list"]).output.contains("no labs"))
    }

    func testTwoLabsSideBySide() throws {
        let a = labName("a"), b = labName("b")
        let upA = run(["up", hostLab(a, subnet: 82)]), upB = run(["up", hostLab(b, subnet: 82)])
        XCTAssertEqual(upA.status, 0, upA.output)
        XCTAssertEqual(upB.status, 0, "the same addresses in another lab do not clash: \(upB.output)")
        let list = run(["list"]).output
        XCTAssertTrue(list.contains(a) && list.contains(b), list)

        let ambiguous = run(["inspect"])
        XCTAssertNotEqual(ambiguous.status, 0)
        XCTAssertTrue(ambiguous.output.contains("several labs are running (\(a), \(b))"), ambiguous.output)
        let node = run(["exec", "h1", "--", "true"])
        XCTAssertTrue(node.output.contains("node h1 is in several labs"), node.output)
        XCTAssertEqual(run(["exec", "h2", "--lab", b, "--", "ping", "-c", "1", "-W", "1", "10.82.0.1"]).status, 0)

        XCTAssertEqual(run(["down", a]).status, 0)
        XCTAssertEqual(ownNamespaces(a), [])
        XCTAssertEqual(ownNamespaces(b).count, 2, "removing one lab leaves the other")
        XCTAssertEqual(run(["down", b]).status, 0)
        XCTAssertEqual(ownNamespaces(b), [])
    }

    /// A lab file with faults creates nothing and names each fault.
    func testFaultyFileCreatesNothing() {
        let lab = labName("f")
        let file = dir.write("\(lab)/lab.yaml", "name: \(lab)\ntopology:\n  nodes:\n    h1: {kind: hots}\n")
        let up = run(["up", file])
        XCTAssertNotEqual(up.status, 0)
        XCTAssertTrue(up.output.contains("kind 'hots' is not supported"), up.output)
        XCTAssertEqual(ownNamespaces(lab), [])
    }

    /// The controller killed with SIGKILL halfway through bring-up: `down` still removes every namespace,
    /// the process an `exec:` line left running, and the state folder.
    func testDownAfterTheControllerWasKilled() throws {
        let lab = labName("k")
        let file = dir.write("\(lab)/lab.yaml", Self.hostPairs(lab, pairs: 40, exec: "sleep 300 &"))
        // posix_spawn, not Foundation's Process: Process hands its child a socket it watches for EOF, and
        // the `exec:` sleeps would inherit it, so waiting for the killed controller would take 300 s.
        var pid: pid_t = 0
        let words: [String] = [peerlab, "up", file]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let settings: [String] = ["PEERLAB_STATE_DIR=\(dir.path)/state", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"]
        let environment: [UnsafeMutablePointer<CChar>?] = settings.map { strdup($0) } + [nil]
        defer { environment.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        XCTAssertEqual(posix_spawn(&pid, peerlab, &actions, nil, argv, environment), 0)
        // Kill it once some of the `exec:` sleeps run (namespaces, links and addresses are in place by then).
        var sleepers: [Int32] = []
        for _ in 0..<400 where sleepers.count < 3 {
            usleep(10_000)
            sleepers = ownNamespaces(lab).flatMap { KernelBackend().processes(in: $0) }
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        XCTAssertFalse(sleepers.isEmpty, "bring-up got as far as the exec lines before the kill")
        XCTAssertFalse(ownNamespaces(lab).isEmpty)

        let down = run(["down", lab])
        XCTAssertEqual(down.status, 0, down.output)
        XCTAssertEqual(ownNamespaces(lab), [])
        for pid in sleepers { XCTAssertFalse(DaemonHealth.isRunning(pid: pid, arguments: []), "process \(pid) of the lab was ended") }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path + "/state/\(lab)"))
    }

    /// A Comware switch with a host behind it: `exec` runs one CLI line (exit 1 on a CLI error), `inspect`
    /// reports a daemon killed with SIGKILL as crashed (and does not restart it), `down` leaves nothing.
    func testSwitchExecAndDownAfterDaemonKill() throws {
        let lab = labName("s")
        let file = dir.write("\(lab)/lab.yaml", """
        name: \(lab)
        topology:
          nodes:
            leaf01:
              kind: h3c-comware
              startup-config: |
                sysname leaf01
                vlan 10
                interface Vlan-interface10
                 ip address 10.84.0.1 255.255.255.0
                interface GigabitEthernet1/0/1
                 port access vlan 10
            h1: {kind: host, interfaces: {eth0: 10.84.0.11/24}, gateway: 10.84.0.1}
          links:
            - endpoints: ["leaf01:GigabitEthernet1/0/1", "h1:eth0"]
        """)
        let up = run(["up", file])
        XCTAssertEqual(up.status, 0, up.output)
        guard up.status == 0 else { return }
        let brief = run(["exec", "leaf01", "--", "display", "ip", "interface", "brief"])
        XCTAssertEqual(brief.status, 0, brief.output)
        XCTAssertTrue(brief.output.contains("10.84.0.1"), brief.output)
        let wrong = run(["exec", "leaf01", "--", "display", "nonsense"])
        XCTAssertEqual(wrong.status, 1, wrong.output)
        XCTAssertTrue(wrong.output.contains("Unrecognized command"), wrong.output)
        XCTAssertEqual(run(["exec", "h1", "--", "ping", "-c", "1", "-W", "1", "10.84.0.1"]).status, 0, "h1 reaches Vlan-interface10")

        // A console session renames the switch and saves; redeploy boots it from the saved configuration.
        let console = run(["console", "leaf01"], input: "system-view\nsysname LEAF-X\nsave\ny\n\ny\nquit\nquit\n")
        XCTAssertTrue(console.output.contains("[LEAF-X]"), console.output)
        let redeploy = run(["redeploy", lab])
        XCTAssertEqual(redeploy.status, 0, redeploy.output)
        XCTAssertTrue(redeploy.output.contains("from saved configurations: leaf01"), redeploy.output)
        XCTAssertTrue(run(["exec", "leaf01", "--", "display", "current-configuration"]).output.contains("sysname LEAF-X"))

        let state = try StateDirectory(root: dir.path + "/state").read(lab: lab).get()
        let pid = try XCTUnwrap(state.devices.first { $0.node == "leaf01" }?.pid)
        kill(pid, SIGKILL)
        for _ in 0..<100 where DaemonHealth.isRunning(pid: pid, arguments: []) { usleep(20_000) }
        let table = run(["inspect", lab]).output
        XCTAssertTrue(table.split(separator: "\n").contains { $0.hasPrefix("leaf01") && $0.contains("crashed") }, table)
        XCTAssertEqual(run(["exec", "leaf01", "--", "display", "version"]).status, 1, "a crashed device answers nothing")

        let down = run(["down", lab])
        XCTAssertEqual(down.status, 0, down.output)
        XCTAssertEqual(ownNamespaces(lab), [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path + "/state/\(lab)"))
    }

    /// Scale figures (printed, not asserted): a generated lab of 100 hosts in 50 cabled pairs.
    func testHundredHostLabBenchmark() throws {
        let lab = labName("c")
        let file = dir.write("\(lab)/lab.yaml", Self.hostPairs(lab, pairs: 50))
        let started = Date()
        let up = run(["up", file])
        let upTime = Date().timeIntervalSince(started)
        XCTAssertEqual(up.status, 0, up.output)
        XCTAssertEqual(ownNamespaces(lab).count, 100)
        let downStarted = Date()
        XCTAssertEqual(run(["down", lab]).status, 0)
        print(String(format: "100-host lab: up %.2f s, down %.2f s", upTime, Date().timeIntervalSince(downStarted)))
        XCTAssertEqual(ownNamespaces(lab), [])
    }

    /// `pairs` cables of two hosts each; every first host runs `exec`.
    static func hostPairs(_ lab: String, pairs: Int, exec: String? = nil) -> String {
        var text = "name: \(lab)\ntopology:\n  nodes:\n"
        for pair in 0..<pairs {
            let run = exec.map { ", exec: [\"\($0)\"]" } ?? ""
            text += "    a\(pair): {kind: host, interfaces: {eth0: 10.83.\(pair).1/24}\(run)}\n"
            text += "    b\(pair): {kind: host, interfaces: {eth0: 10.83.\(pair).2/24}}\n"
        }
        text += "  links:\n"
        for pair in 0..<pairs { text += "    - endpoints: [\"a\(pair):eth0\", \"b\(pair):eth0\"]\n" }
        return text
    }
}

extension CLITests {
    /// `up --wait` counts calico-node sessions too: two nodes in the default mesh on one segment return only
    /// once both ends are Established, and `inspect` reports each node's one mesh session as up. The router's
    /// startup config is a path relative to the lab file, which the calico-node daemons (reading the lab's
    /// stored copy) must not trip over.
    func testUpWaitCountsCalicoMeshSessions() throws {
        let lab = "plt-wait-\(getpid())"
        labs.append(lab)
        _ = dir.write("\(lab)/configs/router.conf", "hostname edge\n!\nline vty\n!\n")
        let file = dir.write("\(lab)/lab.yaml", """
        name: \(lab)
        topology:
          nodes:
            lan: {kind: bridge}
            n1: {kind: calico-node, interfaces: {eth0: 10.87.0.1/24}}
            n2: {kind: calico-node, interfaces: {eth0: 10.87.0.2/24}}
            edge: {kind: quagga, startup-config: configs/router.conf, interfaces: {eth0: 10.87.0.3/24}}
          links:
            - endpoints: ["lan:port1", "n1:eth0"]
            - endpoints: ["lan:port2", "n2:eth0"]
            - endpoints: ["lan:port3", "edge:eth0"]
        calico:
          version: v3.19.4
          resources:
            - apiVersion: projectcalico.org/v3
              kind: IPPool
              metadata: {name: default-ipv4-ippool}
              spec: {cidr: 172.27.0.0/16, blockSize: 26, ipipMode: Never, nodeSelector: all()}
        """)
        let up = run(["up", file, "--wait", "--timeout", "60"])
        XCTAssertEqual(up.status, 0, up.output)
        XCTAssertTrue(up.output.contains("all 2 BGP sessions Established"), up.output)

        let json = run(["inspect", lab, "--json"])
        XCTAssertEqual(json.status, 0, json.output)
        let object = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        let nodes = (object?["devices"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "calico-node" }
        XCTAssertEqual(nodes.compactMap { $0["node"] as? String }, ["n1", "n2"], json.output)
        for node in nodes {
            XCTAssertEqual(node["sessionsUp"] as? Int, 1, json.output)
            XCTAssertEqual(node["sessionsTotal"] as? Int, 1, json.output)
        }
        XCTAssertEqual(run(["down", lab]).status, 0)
        XCTAssertEqual(ownNamespaces(lab), [])
    }

    /// A dual-stack lab: nodes with an IPv6 address in the lab file become IPv6 speakers too (`IP6=autodetect`),
    /// the default IPv6 pool appears, pods get a /128 beside their /32, and the other node reaches a pod over
    /// IPv6 through the /122 block learned by BGP.
    func testDualStackNodesGiveTheirPodsIPv6() throws {
        let lab = "plt-ds-\(getpid())"
        labs.append(lab)
        let file = dir.write("\(lab)/lab.yaml", """
        name: \(lab)
        topology:
          nodes:
            lan: {kind: bridge}
            n1: {kind: calico-node, interfaces: {eth0: [10.89.0.1/24, "fd00:89::1/64"]}}
            n2: {kind: calico-node, interfaces: {eth0: [10.89.0.2/24, "fd00:89::2/64"]}}
          links:
            - endpoints: ["lan:port1", "n1:eth0"]
            - endpoints: ["lan:port2", "n2:eth0"]
        calico:
          version: v3.26.1
          resources:
            - apiVersion: projectcalico.org/v3
              kind: IPPool
              metadata: {name: default-ipv4-ippool}
              spec: {cidr: 172.29.0.0/16, blockSize: 26, ipipMode: Never, nodeSelector: all()}
          pods:
            n1: [default/web-1]
            n2: [default/web-2]
        """)
        let up = run(["up", file, "--wait", "--timeout", "60"])
        XCTAssertEqual(up.status, 0, up.output)

        let status = run(["exec", "n1", "--lab", lab, "--", "calicoctl", "node", "status"]).output
        let v6 = status.components(separatedBy: "IPv6 BGP status").last ?? ""
        XCTAssertTrue(v6.contains("fd00:89::2") && v6.contains("Established"), status)
        let pools = run(["exec", "n1", "--lab", lab, "--", "calicoctl", "get", "ippool"]).output
        XCTAssertTrue(pools.contains("default-ipv6-ippool"), pools)

        let weps = run(["exec", "n1", "--lab", lab, "--", "calicoctl", "get", "wep", "-o", "wide"]).output
        let row = try XCTUnwrap(weps.split(separator: "\n").first { $0.contains(" web-2 ") }, weps)
        let networks = try XCTUnwrap(row.split(separator: " ").first { $0.contains("/128") }, weps)
        let podV6 = String(try XCTUnwrap(networks.split(separator: ",").first { $0.hasSuffix("/128") }).dropLast(4))
        let routes = run(["exec", "n1", "--lab", lab, "--", "ip", "-6", "route"]).output
        XCTAssertTrue(routes.split(separator: "\n").contains { $0.contains("via fd00:89::2") && $0.contains("proto bird") && $0.contains("/122") }, routes)
        let ping = run(["exec", "n1", "--lab", lab, "--", "ping", "-6", "-c", "1", "-W", "2", podV6])
        XCTAssertEqual(ping.status, 0, ping.output)

        XCTAssertEqual(run(["down", lab]).status, 0)
        XCTAssertEqual(ownNamespaces(lab), [])
    }
}
