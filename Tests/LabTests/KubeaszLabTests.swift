import Foundation
import XCTest
@testable import Lab

/// Seed 000's kubeasz switch with the real `peerlab` binary on three calico nodes (k8s401 the master):
/// brought up with CALICO_RR_ENABLED, and switched on in a running mesh lab with `peerlab ezctl setup LAB 07`.
/// Either way the workers show only the reflector as `node specific`, the reflector shows both workers.
/// Labs are `plt-kz-<pid>…` in a private state root; tearDown removes every namespace, process and file.
final class KubeaszLabTests: PeerlabBinaryTestCase {
    override var labPrefix: String { "plt-kz" }

    /// Three nodes on one segment; k8s401 is the master, so an empty CALICO_RR_NODES picks it.
    func labFile(_ lab: String, enabled: Bool) -> String {
        dir.write("\(lab)/topology.yaml", """
        name: \(lab)
        topology:
          nodes:
            lan: {kind: bridge}
            k8s401: {kind: calico-node, labels: {node-role.kubernetes.io/master: ""}, interfaces: {eth0: 192.168.1.1/24}}
            k8s402: {kind: calico-node, interfaces: {eth0: 192.168.1.2/24}}
            k8s403: {kind: calico-node, interfaces: {eth0: 192.168.1.3/24}}
          links:
            - endpoints: ["lan:port1", "k8s401:eth0"]
            - endpoints: ["lan:port2", "k8s402:eth0"]
            - endpoints: ["lan:port3", "k8s403:eth0"]
        calico:
          kubeasz: {CALICO_RR_ENABLED: \(enabled), CALICO_RR_NODES: []}
        """)
    }

    /// `calicoctl node status` rows inside `node` as "address peer-type state info".
    func peers(_ lab: String, _ node: String) -> [String] {
        let out = run(["exec", node, "--lab", lab, "--", "calicoctl", "node", "status"]).output
        return out.split(separator: "\n").compactMap { line -> String? in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 5, cells[0].first?.isNumber == true else { return nil }
            return "\(cells[0]) \(cells[1]) \(cells[2]) \(cells[4])"
        }.sorted()
    }

    /// Waits until every node's rows are `expected[node]`; true when they got there.
    func settle(_ lab: String, _ expected: [String: [String]], seconds: Double = 45) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            if expected.allSatisfy({ peers(lab, $0.key) == $0.value }) { return true }
            usleep(500_000)
        } while Date() < deadline
        return false
    }

    static let reflected = [
        "k8s401": ["192.168.1.2 node specific up Established", "192.168.1.3 node specific up Established"],
        "k8s402": ["192.168.1.1 node specific up Established"],
        "k8s403": ["192.168.1.1 node specific up Established"],
    ]

    func testBroughtUpWithTheSwitchOn() throws {
        let lab = labName("u")
        let up = run(["up", labFile(lab, enabled: true)])
        XCTAssertEqual(up.status, 0, up.output)
        let started = Date()
        XCTAssertTrue(settle(lab, Self.reflected), "reflector sessions: " + Self.reflected.keys.sorted().map { "\($0): \(peers(lab, $0))" }.joined(separator: "; "))
        print(String(format: "kubeasz RR lab: reflector sessions Established %.1f s after up", Date().timeIntervalSince(started)))
        let config = run(["exec", "k8s402", "--lab", lab, "--", "calicoctl", "get", "bgpconfig", "default", "-o", "yaml"]).output
        XCTAssertTrue(config.contains("nodeToNodeMeshEnabled: false") && config.contains("asNumber: 64512"), config)
        let nodes = run(["exec", "k8s402", "--lab", lab, "--", "kubectl", "get", "node", "--show-labels"]).output
        let master = nodes.split(separator: "\n").first { $0.hasPrefix("k8s401 ") }.map(String.init) ?? ""
        XCTAssertTrue(master.contains(" master ") && master.contains("route-reflector=true"), nodes)
        let record = try String(contentsOfFile: dir.path + "/state/\(lab)/kubeasz/calico-rr.applied", encoding: .utf8)
        XCTAssertEqual(record.components(separatedBy: "calicoctl patch node").count, 2, "the step ran once: \(record)")
        XCTAssertEqual(run(["down", lab]).status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path + "/state/\(lab)"))
    }

    /// The shipped seed-000 lab as labs/README tells it: the full mesh of four, then the one-line change
    /// (CALICO_RR_ENABLED: true) and `ezctl setup` give the seed's second set of `calicoctl node status`.
    func testSeed000BothHalves() throws {
        let lab = labName("s")
        let text = try String(contentsOfFile: Repo.labs + "/seed-000/topology.yaml", encoding: .utf8)
        let file = dir.write("\(lab)/topology.yaml", text.replacingOccurrences(of: "\nname: seed-000\n", with: "\nname: \(lab)\n"))
        let up = run(["up", file])
        XCTAssertEqual(up.status, 0, up.output)
        let all = (1...4).map { "192.168.1.\($0)" }
        func others(_ i: Int, _ type: String) -> [String] { all.filter { $0 != "192.168.1.\(i)" }.map { "\($0) \(type) up Established" } }
        let mesh = Dictionary(uniqueKeysWithValues: (1...4).map { ("k8s40\($0)", others($0, "node-to-node mesh")) })
        XCTAssertTrue(settle(lab, mesh), "mesh: " + mesh.keys.sorted().map { "\($0): \(peers(lab, $0))" }.joined(separator: "; "))

        let switched = text.replacingOccurrences(of: "\nname: seed-000\n", with: "\nname: \(lab)\n")
            .replacingOccurrences(of: "CALICO_RR_ENABLED: false", with: "CALICO_RR_ENABLED: true")
        try switched.write(toFile: file, atomically: false, encoding: .utf8)
        let setup = run(["ezctl", "setup", lab, "07"])
        XCTAssertEqual(setup.status, 0, setup.output)
        var reflected = ["k8s401": others(1, "node specific")]
        for i in 2...4 { reflected["k8s40\(i)"] = ["192.168.1.1 node specific up Established"] }
        XCTAssertTrue(settle(lab, reflected), "after ezctl: " + reflected.keys.sorted().map { "\($0): \(peers(lab, $0))" }.joined(separator: "; "))
    }

    /// A faulty switch stops `up` before anything exists, naming the field.
    func testFaultySwitchCreatesNothing() throws {
        let lab = labName("f")
        let file = labFile(lab, enabled: true)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try text.replacingOccurrences(of: "CALICO_RR_ENABLED: true", with: "CALICO_RR_ENABLED: \"yes\"").write(toFile: file, atomically: false, encoding: .utf8)
        let up = run(["up", file])
        XCTAssertNotEqual(up.status, 0)
        XCTAssertTrue(up.output.contains("calico.kubeasz.CALICO_RR_ENABLED: expected true or false (unquoted)"), up.output)
        XCTAssertEqual(NetworkNamespaces.all().filter(LabNames(lab: lab).owns(namespace:)), [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path + "/state/\(lab)"))
    }

    func testEzctlSetupSwitchesARunningMeshLab() throws {
        let lab = labName("e")
        let file = labFile(lab, enabled: false)
        let up = run(["up", file])
        XCTAssertEqual(up.status, 0, up.output)
        let mesh = ["k8s401": ["192.168.1.2 node-to-node mesh up Established", "192.168.1.3 node-to-node mesh up Established"],
                    "k8s402": ["192.168.1.1 node-to-node mesh up Established", "192.168.1.3 node-to-node mesh up Established"]]
        XCTAssertTrue(settle(lab, mesh), "mesh: k8s401 \(peers(lab, "k8s401")), k8s402 \(peers(lab, "k8s402"))")

        let off = run(["ezctl", "setup", lab, "07"])
        XCTAssertEqual(off.status, 0, off.output)
        XCTAssertTrue(off.output.contains("CALICO_RR_ENABLED is false"), off.output)
        XCTAssertNotEqual(run(["ezctl", "setup", lab, "05"]).status, 0, "only step 07 is emulated")

        // As the seed: edit config.yml (here the lab file), then `ezctl setup xxx 07`.
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try text.replacingOccurrences(of: "CALICO_RR_ENABLED: false", with: "CALICO_RR_ENABLED: true").write(toFile: file, atomically: false, encoding: .utf8)
        let on = run(["ezctl", "setup", lab, "07"])
        XCTAssertEqual(on.status, 0, on.output)
        XCTAssertTrue(on.output.contains("route reflectors: k8s401 (the masters; CALICO_RR_NODES is empty)"), on.output)
        XCTAssertTrue(on.output.contains("calicoctl apply -f bgp-default.yaml: Successfully applied 1 'BGPConfiguration' resource(s)"), on.output)
        XCTAssertTrue(settle(lab, Self.reflected), "after ezctl: " + Self.reflected.keys.sorted().map { "\($0): \(peers(lab, $0))" }.joined(separator: "; "))
        XCTAssertTrue(on.output.contains("'peerlab redeploy' keeps them"), on.output)
        // Redeploy starts from the installed lab file, which now carries the switch: a fresh datastore, the
        // step at bring-up, the same sessions.
        let redeploy = run(["redeploy", lab])
        XCTAssertEqual(redeploy.status, 0, redeploy.output)
        XCTAssertTrue(settle(lab, Self.reflected), "after redeploy: " + Self.reflected.keys.sorted().map { "\($0): \(peers(lab, $0))" }.joined(separator: "; "))

        // A lab file naming a node the lab does not have changes nothing.
        try text.replacingOccurrences(of: "CALICO_RR_ENABLED: false, CALICO_RR_NODES: []", with: "CALICO_RR_ENABLED: true, CALICO_RR_NODES: [k8s409]")
            .write(toFile: file, atomically: false, encoding: .utf8)
        let bad = run(["ezctl", "setup", lab, "07"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.output.contains("calico.kubeasz.CALICO_RR_NODES[0]: 'k8s409' is not a node of this lab"), bad.output)
        XCTAssertEqual(peers(lab, "k8s402"), Self.reflected["k8s402"])
    }
}
