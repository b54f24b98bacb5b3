import Foundation
import XCTest
@testable import Lab

/// Runs a seed document's Calico design end to end on its lab: the real `peerlab` binary brings up a copy of
/// `labs/seed-NNN` under a test-unique name (private state root), the test types the seed's own commands
/// (`calicoctl`, `kubectl` inside the nodes, the vendor CLI on the switches) and checks what the seed shows.
/// tearDown removes every namespace, process and file, also when a test fails.
class SeedLabTestCase: PeerlabBinaryTestCase {
    /// The lab brought up (`seed-NNN`), whose document's `cat FILE` outputs `seedFile` writes.
    var seed = ""

    /// Copies `labs/<seed>` (topology and configs) under the name `plt-sN-<pid>`, lets `edit` change the
    /// topology text, and brings it up (with `--wait` unless some sessions wait for the trainee).
    @discardableResult
    func bringUp(_ seed: String, wait: Bool = true, edit: (String) -> String = { $0 }) throws -> String {
        self.seed = seed
        let name = "plt-s\(seed.suffix(1))-\(getpid())"
        labs.append(name)
        let source = Repo.labs + "/" + seed
        let text = try String(contentsOfFile: source + "/topology.yaml", encoding: .utf8)
        XCTAssertTrue(text.contains("\nname: \(seed)\n"))
        let file = dir.write("\(name)/topology.yaml", edit(text.replacingOccurrences(of: "\nname: \(seed)\n", with: "\nname: \(name)\n")))
        for config in (try? FileManager.default.contentsOfDirectory(atPath: source + "/configs")) ?? [] {
            _ = dir.write("\(name)/configs/\(config)", try String(contentsOfFile: source + "/configs/" + config, encoding: .utf8))
        }
        let started = Date()
        let up = run(["up", file] + (wait ? ["--wait", "--timeout", "60"] : []))
        guard up.status == 0 else { throw Failure("peerlab up \(seed) failed:\n\(up.output)") }
        print(String(format: "\(seed) lab up%@ in %.1f s", wait ? " with every session Established" : "", Date().timeIntervalSince(started)))
        return up.output
    }

    struct Failure: Error, CustomStringConvertible { let description: String; init(_ d: String) { description = d } }

    /// One shell line inside a node's namespace (`peerlab exec NODE -- 'LINE'`), run from the test's folder
    /// so the seed's files (`bgpconf.yaml`, …) are where its commands expect them.
    @discardableResult
    func shell(_ node: String, _ line: String) -> (status: Int32, output: String) {
        run(["exec", node, "--", "cd \(dir.path) && \(line)"])
    }

    /// A shell line that must succeed; returns its output.
    @discardableResult
    func ok(_ node: String, _ line: String, file: StaticString = #filePath, lineNumber: UInt = #line) -> String {
        let result = shell(node, line)
        XCTAssertEqual(result.status, 0, "\(node)# \(line)\n\(result.output)", file: file, line: lineNumber)
        return result.output
    }

    /// The document of the seed brought up.
    func seedDocument() throws -> String { try SeedDocuments.text(String(seed.dropFirst("seed-".count))) }

    /// Writes one of the seed's files into the test folder, as the seed's `cat FILE` shows it.
    func seedFile(_ name: String) throws {
        let document = try seedDocument()
        guard let text = SeedDocuments.catOutput(name, in: document) else { throw Failure("\(seed)'s document shows no 'cat \(name)'") }
        _ = dir.write(name, text)
    }

    /// The seed's heredoc command creating the resource named `resource` (see `SeedDocuments.heredoc`).
    func seedHeredoc(_ resource: String) throws -> String {
        let document = try seedDocument()
        guard let command = SeedDocuments.heredoc(resource, in: document) else { throw Failure("\(seed)'s document has no heredoc for \(resource)") }
        return command
    }

    /// One vendor CLI line from user view (`peerlab exec SWITCH -- LINE`).
    func display(_ node: String, _ line: String) -> String {
        let result = run(["exec", node, "--"] + line.split(separator: " ").map(String.init))
        XCTAssertEqual(result.status, 0, "\(node): \(line)\n\(result.output)")
        return result.output
    }

    /// Types `lines` into an interactive console session on a switch (after `system-view`), then leaves.
    func configure(_ node: String, _ lines: [String]) {
        let console = run(["console", node], input: (["system-view"] + lines + ["return", "quit"]).joined(separator: "\n") + "\n")
        XCTAssertFalse(console.output.contains("Error:") || console.output.contains("% Unrecognized"), console.output)
    }

    /// Polls `condition` up to `seconds`.
    func eventually(_ seconds: Double, _ what: String, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.5)
        }
        XCTFail("timed out after \(Int(seconds)) s waiting for \(what)")
        return false
    }

    /// `calicoctl node status` on a node, IPv4 rows as "ADDRESS TYPE STATE INFO" (SINCE is the clock).
    func nodeStatus(_ node: String) -> [String] {
        let output = shell(node, "calicoctl node status").output
        guard let v4 = output.components(separatedBy: "IPv4 BGP status").last?.components(separatedBy: "IPv6 BGP status").first else { return [] }
        return v4.split(separator: "\n").compactMap { line -> String? in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 5, cells[0] != "PEER ADDRESS" else { return nil }
            return "\(cells[0]) \(cells[1]) \(cells[2]) \(cells[4])"
        }
    }

    /// Waits up to `seconds` for each node, in the order given, until its `nodeStatus` rows satisfy `settled`;
    /// a node that never gets there fails the test with its last rows.
    func awaitNodeStatus(_ nodes: [String], within seconds: Double, file: StaticString = #filePath, line: UInt = #line,
                         until settled: (_ node: String, _ rows: [String]) -> Bool) {
        for node in nodes {
            var rows: [String] = []
            XCTAssertTrue(eventually(seconds, "\(node) node status") {
                rows = nodeStatus(node)
                return settled(node, rows)
            }, "\(node): \(rows)", file: file, line: line)
        }
    }

    /// `awaitNodeStatus` until each node (by name) has exactly its `peers` as node-specific sessions, Established.
    func awaitNodeSpecificPeers(_ peers: [String: [String]], within seconds: Double, file: StaticString = #filePath, line: UInt = #line) {
        awaitNodeStatus(peers.keys.sorted(), within: seconds, file: file, line: line) { node, rows in
            rows == peers[node, default: []].map { "\($0) node specific up Established" }
        }
    }

    /// Pod name → IP, from `kubectl get pods -A -o wide` on `node` (columns found by their headings).
    func podAddresses(on node: String) -> [String: String] {
        let table = ok(node, "kubectl get pods -A -o wide").split(separator: "\n").map(String.init)
        guard let header = table.first else { return [:] }
        let headings = header.split(separator: " ").map(String.init)
        guard let name = headings.firstIndex(of: "NAME"), let ip = headings.firstIndex(of: "IP") else { return [:] }
        var pods: [String: String] = [:]
        for row in table.dropFirst() {
            let cells = row.split(separator: " ").map(String.init)
            if cells.count > max(name, ip) { pods[cells[name]] = cells[ip] }
        }
        return pods
    }

    /// `ping -c 1` from the pod whose address is `source`: the lab namespace holding that address.
    func ping(from source: String, to address: String) -> Bool {
        guard let lab = labs.last else { return false }
        guard let ns = ownNamespaces(lab).first(where: {
            Shell.run(["/usr/sbin/ip", "-n", $0, "-4", "-o", "addr", "show"]).output.contains(" inet \(source)/")
        }) else { XCTFail("no namespace of \(lab) has \(source)"); return false }
        return Shell.run(["/usr/sbin/ip", "netns", "exec", ns, "ping", "-c", "1", "-W", "1", address]).status == 0
    }

    /// The /N block containing an IPv4 address, as "a.b.c.d/N".
    func block(of address: String, length: Int) -> String {
        let octets = address.split(separator: ".").compactMap { UInt32($0) }
        let value = octets.reduce(0) { $0 << 8 | $1 }
        let masked = length == 0 ? 0 : value & ~((1 << (32 - UInt32(length))) - 1)
        return "\(masked >> 24).\(masked >> 16 & 255).\(masked >> 8 & 255).\(masked & 255)/\(length)"
    }

    /// BGP peer rows of a VRP/Comware `display bgp peer` as "ADDRESS AS STATE".
    func peerRows(_ output: String) -> [String] {
        output.split(separator: "\n").compactMap { line -> String? in
            let words = line.split(separator: " ").map(String.init)
            guard let first = words.first, first.split(separator: ".").count == 4, first.allSatisfy({ $0.isNumber || $0 == "." }),
                  words.count > 3 else { return nil }
            let state = words.first { ["Established", "Idle", "Connect", "Active", "OpenSent", "OpenConfirm"].contains($0) } ?? "?"
            let asn = words[1] == "4" ? words[2] : words[1]  // VRP has a V column before AS
            return "\(first) \(asn) \(state)"
        }
    }

    /// Destinations of a `display ip routing-table protocol bgp`.
    func routeDestinations(_ output: String) -> Set<String> {
        Set(output.split(separator: "\n").compactMap { line in
            let first = line.split(separator: " ").first.map(String.init) ?? ""
            return first.contains("/") && first.first?.isNumber == true ? first : nil
        })
    }
}

/// The seed documents (`PEERLAB_SEEDS`, default /work/shared/seeds): the files a seed prints are written from
/// the document itself, so a test applies exactly what the seed shows.
enum SeedDocuments {
    /// The text of seed `number` ("001"); skips the test when the documents are not on this machine.
    static func text(_ number: String) throws -> String {
        let dir = ProcessInfo.processInfo.environment["PEERLAB_SEEDS"] ?? "/work/shared/seeds"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        guard let name = names.first(where: { $0.hasPrefix(number + "_") && $0.hasSuffix(".txt") }) else {
            throw XCTSkip("seed \(number) not found in \(dir) (set PEERLAB_SEEDS)")
        }
        return try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
    }

    /// What the document shows after `cat NAME`: the lines up to the first one that is neither blank, indented
    /// nor a top-level YAML key (the next command, prose, a code fence), without trailing blank lines, ending
    /// in one newline as the file does.
    static func catOutput(_ name: String, in document: String) -> String? {
        let lines = document.components(separatedBy: "\n")
        guard let command = lines.firstIndex(where: { $0.hasSuffix("cat " + name) }) else { return nil }
        var body = lines[(command + 1)...].prefix { line in
            line.trimmingCharacters(in: .whitespaces).isEmpty || line.first == " "
                || line.range(of: "^[A-Za-z]+:", options: .regularExpression) != nil
        }
        while body.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { body.removeLast() }
        return body.joined(separator: "\n") + "\n"
    }

    /// The heredoc command (`… <<EOF`) whose resource is `metadata.name: resource`, as a user pastes it: the
    /// document's indentation and trailing blanks removed, closed by `EOF` (seed 004 leaves that line out of
    /// its first one, which ends at a blank line).
    static func heredoc(_ resource: String, in document: String) -> String? {
        let lines = document.components(separatedBy: "\n")
        func indent(_ line: String) -> Int { line.prefix { $0 == " " }.count }
        func trimmed(_ line: String, _ margin: Int) -> String {
            String(line.dropFirst(margin)).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        for (index, command) in lines.enumerated() where command.replacingOccurrences(of: " ", with: "").contains("<<EOF") {
            let margin = indent(command)
            let body = lines[(index + 1)...].prefix { line in
                !line.trimmingCharacters(in: .whitespaces).isEmpty && indent(line) >= margin
                    && line.trimmingCharacters(in: .whitespaces) != "EOF"
            }.map { trimmed($0, margin) }
            if body.contains(where: { $0.trimmingCharacters(in: .whitespaces) == "name: \(resource)" }) {
                return ([trimmed(command, margin)] + body + ["EOF"]).joined(separator: "\n")
            }
        }
        return nil
    }
}

/// Seed 001: AS-per-rack leaf/spine with Calico route reflectors peering the H3C leaves.
final class Seed001LabTests: SeedLabTestCase {
    /// Rack of each node, its address and the rack's AS (`calicoctl get nodes -o wide` after the edit).
    let nodes: [(name: String, address: String, asn: Int, rr: String?, group: String)] = [
        ("node1", "172.20.0.11", 64512, "rr1", "rr1"), ("node2", "172.20.0.12", 64512, "rr1", "rr1"),
        ("node3", "172.20.0.13", 64512, nil, "rr1"), ("node4", "173.20.0.11", 64513, "rr2", "rr2"),
        ("node5", "173.20.0.12", 64513, "rr2", "rr2"), ("node6", "173.20.0.13", 64513, nil, "rr2"),
    ]

    func testRouteReflectorsPeerTheLeavesAndPodsCrossTheSpine() throws {
        try bringUp("seed-001")

        // 关闭 Full-mesh 模式
        try seedFile("bgpconf.yaml")
        XCTAssertEqual(ok("node1", "calicoctl apply -f bgpconf.yaml"), "Successfully applied 1 'BGPConfiguration' resource(s)\n")
        XCTAssertEqual(trimmed(ok("node1", "calicoctl get bgpconfig")), """
        NAME      LOGSEVERITY   MESHENABLED   ASNUMBER
        default   Info          false         64512
        """)
        XCTAssertEqual(words(ok("node1", "calicoctl get nodes --output=wide")), [["NAME", "ASN", "IPV4", "IPV6"]]
                       + nodes.map { [$0.name, "(64512)", $0.address + "/24"] })

        // 修改工作节点的 calico 配置: node1.yaml as the seed prints it; the others by the same recipe (get node
        // -o yaml, set asNumber and, on the RRs, routeReflectorClusterID, apply).
        try seedFile("node1.yaml")
        XCTAssertEqual(ok("node1", "calicoctl apply -f node1.yaml"), "Successfully applied 1 'Node' resource(s)\n")
        for node in nodes.dropFirst() {
            ok("node1", "calicoctl get node \(node.name) -o yaml > \(node.name).yaml")
            let path = dir.path + "/\(node.name).yaml"
            let fetched = try String(contentsOfFile: path, encoding: .utf8)
            try edited(fetched, asNumber: node.asn, clusterID: node.rr == nil ? nil : node.address)
                .write(toFile: path, atomically: false, encoding: .utf8)
            XCTAssertEqual(ok("node1", "calicoctl apply -f \(node.name).yaml"), "Successfully applied 1 'Node' resource(s)\n")
        }
        XCTAssertEqual(words(ok("node1", "calicoctl get nodes -o wide")), [["NAME", "ASN", "IPV4", "IPV6"]]
                       + nodes.map { [$0.name, "\($0.asn)", $0.address + "/24"] })

        // 为 node 节点进行分组(添加 label)
        for node in nodes {
            ok("node1", "kubectl label nodes \(node.name) rr-group=\(node.group)")
            if let rr = node.rr { ok("node1", "kubectl label nodes \(node.name) rr-id=\(rr)") }
        }
        // 查看最终设置情况: ROLES and LABELS as the seed lists them (AGE and VERSION are this lab's).
        let labels = words(ok("node1", "kubectl get nodes --show-labels"))
        XCTAssertEqual(labels.first, ["NAME", "STATUS", "ROLES", "AGE", "VERSION", "LABELS"])
        let standard = "beta.kubernetes.io/arch=amd64,beta.kubernetes.io/os=linux,kubernetes.io/arch=amd64,kubernetes.io/hostname="
        for node in nodes {
            let master = node.asn == 64512 ? "node-role.kubernetes.io/master=," : ""
            let rr = node.rr.map { ",rr-id=\($0)" } ?? ""
            let row = labels.first { $0.first == node.name } ?? []
            XCTAssertEqual(row.count, 6, "\(labels)")
            XCTAssertEqual(row.dropFirst(2).first, node.asn == 64512 ? "master,worker" : "worker")
            XCTAssertEqual(row.last, "\(standard)\(node.name),kubernetes.io/os=linux,\(master)node-role.kubernetes.io/worker=,rr-group=\(node.group)\(rr)")
        }

        // No mesh and no peers yet.
        XCTAssertTrue(eventually(20, "node3 without peers") { shell("node3", "calicoctl node status").output.contains("No IPv4 peers found.") })

        // 配置 BGPPeer: the four files of the seed, applied as it does.
        let peerFiles = ["rr1-to-leaf1-peer", "rr1-to-node-peer", "rr2-to-leaf2-peer", "rr2-to-node-peer"]
        for file in peerFiles { try seedFile("\(file).yaml") }
        for file in peerFiles {
            XCTAssertEqual(ok("node1", "calicoctl apply -f \(file).yaml"), "Successfully applied 1 'BGPPeer' resource(s)\n")
        }
        // The leaves take the rack's route reflectors as peers.
        configure("leaf01", ["bgp 65009", "peer 172.20.0.11 as-number 64512", "peer 172.20.0.12 as-number 64512",
                             "address-family ipv4 unicast", "peer 172.20.0.11 enable", "peer 172.20.0.12 enable"])
        configure("leaf02", ["bgp 65010", "peer 173.20.0.11 as-number 64513", "peer 173.20.0.12 as-number 64513",
                             "address-family ipv4 unicast", "peer 173.20.0.11 enable", "peer 173.20.0.12 enable"])

        XCTAssertEqual(trimmed(ok("node1", "calicoctl get bgppeer")), """
        NAME                PEERIP         NODE                ASN
        rr1-to-leaf1-peer   172.20.0.254   rr-id == 'rr1'      65009
        rr1-to-node-peer                   rr-group == 'rr1'   0
        rr2-to-leaf2-peer   173.20.0.254   rr-id == 'rr2'      65010
        rr2-to-node-peer                   rr-group == 'rr2'   0
        """)

        // [leaf01]show bgp peer ipv4: the spine and RR1, Established.
        let started = Date()
        var leaf01 = ""
        XCTAssertTrue(eventually(40, "leaf01 peers Established") {
            leaf01 = display("leaf01", "display bgp peer ipv4")
            return peerRows(leaf01) == ["100.0.0.1 65008 Established", "172.20.0.11 64512 Established", "172.20.0.12 64512 Established"]
        }, leaf01)
        XCTAssertTrue(leaf01.contains("Total number of peers: 3") && leaf01.contains("Peers in established state: 3"), leaf01)
        let typed = run(["console", "leaf01"], input: "system-view\nshow bgp peer ipv4\nquit\nquit\n").output
        XCTAssertTrue(typed.contains("[leaf01]") && peerRows(typed) == peerRows(leaf01), "the seed's '[leaf01]show bgp peer ipv4':\n\(typed)")
        var leaf02 = ""
        XCTAssertTrue(eventually(20, "leaf02 peers Established") {
            leaf02 = display("leaf02", "display bgp peer ipv4")
            return peerRows(leaf02) == ["100.0.0.5 65008 Established", "173.20.0.11 64513 Established", "173.20.0.12 64513 Established"]
        }, leaf02)

        // 工作节点配置验证: every node's `calicoctl node status` as the seed shows it.
        let expected: [String: [String]] = [
            "node1": ["172.20.0.12", "172.20.0.13", "172.20.0.254"], "node2": ["172.20.0.11", "172.20.0.13", "172.20.0.254"],
            "node3": ["172.20.0.11", "172.20.0.12"], "node4": ["173.20.0.12", "173.20.0.13", "173.20.0.254"],
            "node5": ["173.20.0.11", "173.20.0.13", "173.20.0.254"], "node6": ["173.20.0.11", "173.20.0.12"],
        ]
        awaitNodeSpecificPeers(expected, within: 20)
        print(String(format: "seed 001: RR sessions and leaf peers Established %.1f s after the leaves were configured", Date().timeIntervalSince(started)))

        // Pods in different racks reach each other across the spine; the fabric carries every pod block.
        let pods = podAddresses(on: "node1")
        let blocks = Set((1...6).compactMap { pods["web-\($0)"] }.map { block(of: $0, length: 24) })
        XCTAssertEqual(blocks.count, 6, "one /24 block per node: \(pods)")
        for leaf in ["leaf01", "leaf02", "spine"] {
            var table = ""
            XCTAssertTrue(eventually(20, "\(leaf) has the pod blocks") {
                table = display(leaf, "display ip routing-table protocol bgp")
                return routeDestinations(table).isSuperset(of: blocks)
            }, table)
        }
        let web1 = try XCTUnwrap(pods["web-1"]), web6 = try XCTUnwrap(pods["web-6"]), web4 = try XCTUnwrap(pods["web-4"]), web3 = try XCTUnwrap(pods["web-3"])
        XCTAssertTrue(eventually(20, "web-3 (rack 1, client) → web-6 (rack 2, client)") { ping(from: web3, to: web6) })
        XCTAssertTrue(ping(from: web6, to: web3))
        XCTAssertTrue(ping(from: web1, to: web4))

        // 将 Service 地址路由同步到物理网络
        XCTAssertEqual(words(ok("node1", "calicoctl get bgpconfig default")), [["NAME", "LOGSEVERITY", "MESHENABLED", "ASNUMBER"],
                                                                            ["default", "Info", "false", "64512"]])
        XCTAssertEqual(ok("node1", "calicoctl patch BGPConfig default --patch \\\n'{\"spec\": {\"serviceClusterIPs\": [{\"cidr\": \"10.233.0.0/18\"}]}}'"),
                       "Successfully patched 1 'BGPConfiguration' resource\n")
        var spine = ""
        XCTAssertTrue(eventually(20, "the spine learns the service range") {
            spine = display("spine", "display ip routing-table protocol bgp")
            return routeDestinations(spine).contains("10.233.0.0/18")
        }, spine)

        // 如果想删除某个 BGPPeer 条目: node6 loses its reflectors, node4 keeps leaf02.
        ok("node1", "calicoctl delete bgppeer rr2-to-node-peer")
        XCTAssertTrue(eventually(20, "rack 2's client sessions gone") {
            shell("node6", "calicoctl node status").output.contains("No IPv4 peers found.")
                && nodeStatus("node4") == ["173.20.0.254 node specific up Established"]
        })
        XCTAssertFalse(trimmed(ok("node1", "calicoctl get bgppeer")).contains("rr2-to-node-peer"))
    }

    /// The seed's edit of `calicoctl get node -o yaml`: spec.bgp gets the rack's asNumber and, on a route
    /// reflector, routeReflectorClusterID (its own address).
    func edited(_ yaml: String, asNumber: Int, clusterID: String?) throws -> String {
        var lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeAll { $0.hasPrefix("    asNumber:") || $0.hasPrefix("    routeReflectorClusterID:") }
        guard let bgp = lines.firstIndex(of: "  bgp:") else { throw Failure("no spec.bgp in\n\(yaml)") }
        lines.insert(contentsOf: ["    asNumber: \(asNumber)"] + (clusterID.map { ["    routeReflectorClusterID: \($0)"] } ?? []), at: bgp + 1)
        return lines.joined(separator: "\n")
    }
}

/// Lines without trailing blanks (tabwriter pads the last column).
func trimmed(_ text: String) -> String {
    text.split(separator: "\n").map { line in
        var s = Substring(line)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }.joined(separator: "\n")
}

/// Each line as its words.
func words(_ text: String) -> [[String]] {
    text.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
}

/// Seed 003: the nodes peer a Huawei S9700 core by eBGP, set up with the seed's pasted commands (typographic
/// hyphens and all).
final class Seed003LabTests: SeedLabTestCase {
    let nodes = ["k8s141": "10.2.98.141", "k8s142": "10.2.98.142", "k8s143": "10.2.98.143", "k8s152": "10.2.98.152"]

    func testNodesPeerTheVRPCoreUntilThePeerIsDeleted() throws {
        try bringUp("seed-003")

        // 1.1 配置本地BGP: the file as the seed prints it (its indentation slipped), `‐f` with U+2010.
        try seedFile("bgp_local.yaml")
        XCTAssertEqual(ok("k8s141", "calicoctl  create ‐f bgp_local.yaml"), "Successfully created 1 'BGPConfiguration' resource(s)\n")
        XCTAssertEqual(trimmed(ok("k8s141", "calicoctl  get bgpconfig")), """
        NAME      LOGSEVERITY   MESHENABLED   ASNUMBER
        default   Info          false         63400
        """)

        // 2.2 配置bgp peer
        try seedFile("bgp_peer.yaml")
        XCTAssertEqual(ok("k8s141", "calicoctl create ‐f bgp_peer.yaml"), "Successfully created 1 'BGPPeer' resource(s)\n")
        XCTAssertEqual(words(ok("k8s152", "calicoctl get bgppeer")), [["NAME", "PEERIP", "NODE", "ASN"],
                                                                    ["64511-peer-to-65001", "10.2.98.1", "(global)", "65001"]])

        // 2.3 在华为S9700上配置BGP邻居: the seed's `di this`, typed line by line.
        let bgpView = """
        bgp 65001
         router‐id 10.2.0.2
         peer 10.2.98.141 as‐number 63400
         peer 10.2.98.141 connect‐interface Vlanif98 10.2.98.1
         peer 10.2.98.142 as‐number 63400
         peer 10.2.98.142 connect‐interface Vlanif98 10.2.98.1
         peer 10.2.98.143 as‐number 63400
         peer 10.2.98.143 connect‐interface Vlanif98 10.2.98.1
         peer 10.2.98.152 as‐number 63400
         peer 10.2.98.152 connect‐interface Vlanif98 10.2.98.1
         #
         ipv4‐family unicast
          undo synchronization
          compare‐different‐as‐med
        """
        configure("core", bgpView.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0 != "#" })
        let shown = run(["console", "core"], input: "system-view\nbgp 65001\ndi this\nquit\nquit\nquit\n").output
        XCTAssertTrue(shown.contains(bgpView.replacingOccurrences(of: "‐", with: "-")), "[BJ_Office_Core_S9700-bgp]di this:\n\(shown)")

        let started = Date()
        var peers = ""
        let established = nodes.values.sorted().map { "\($0) 63400 Established" }
        XCTAssertTrue(eventually(40, "the core's four peers Established") {
            peers = display("core", "display bgp peer")
            return peerRows(peers) == established
        }, peers)
        awaitNodeStatus(nodes.keys.sorted(), within: 20) { _, rows in rows == ["10.2.98.1 global up Established"] }
        print(String(format: "seed 003: core and node sessions Established %.1f s after the core was configured", Date().timeIntervalSince(started)))

        // 2.4 验证BGP路由学习: the core routes every node's /26 block to that node over Vlanif98.
        let pods = podAddresses(on: "k8s141")
        let owners = ["app-1": "10.2.98.141", "app-2": "10.2.98.142", "app-3": "10.2.98.143", "app-4": "10.2.98.152"]
        var table = ""
        XCTAssertTrue(eventually(20, "the core's BGP routes to the pod blocks") {
            // As the seed types it, in the BGP view and with its typographic hyphen.
            table = run(["console", "core"], input: "system-view\nbgp 65001\n dis ip routing‐table protocol bgp\nquit\nquit\nquit\n").output
            return owners.allSatisfy { pod, node in
                guard let ip = pods[pod] else { return false }
                let destination = block(of: ip, length: 26)
                return table.split(separator: "\n").contains { line in
                    let cells = line.split(separator: " ").map(String.init)
                    return cells.first == destination && cells.contains("EBGP") && cells.contains(node) && cells.last == "Vlanif98"
                }
            }
        }, "\(pods)\n\(table)")

        // 如需删除bgp peer: the sessions go away on both sides.
        XCTAssertEqual(ok("k8s141", "calicoctl delete ‐f bgp_peer.yaml"), "Successfully deleted 1 'BGPPeer' resource(s)\n")
        XCTAssertTrue(eventually(20, "no peers on the nodes") {
            nodes.keys.allSatisfy { shell($0, "calicoctl node status").output.contains("No IPv4 peers found.") }
        })
        XCTAssertTrue(eventually(20, "the core's sessions down") {
            peers = display("core", "display bgp peer")
            let rows = peerRows(peers)
            return rows.count == 4 && rows.allSatisfy { !$0.hasSuffix("Established") }
        }, peers)
        XCTAssertTrue(eventually(20, "the pod routes withdrawn") {
            routeDestinations(display("core", "display ip routing-table protocol bgp")).isEmpty
        })
    }
}

/// Seed 004, 配置集群内路由反射器: two reflectors sharing cluster ID 224.0.0.1, the other nodes peering them
/// through `!has(i-am-a-route-reflector)`, the reflectors meshed by `rr-mesh`.
final class Seed004LabTests: SeedLabTestCase {
    func testTwoReflectorsSharingAClusterID() throws {
        // A pod on node1 too, so pod-to-pod traffic between the two non-reflector nodes can be checked.
        // No --wait: the border's sessions wait for the seed's global peer, which this test does not create.
        try bringUp("seed-004", wait: false) { $0.replacingOccurrences(of: "    vagrant: [kube-system/kube-dns-6f4fd4bdf-8q7zp]\n",
                                                           with: "    vagrant: [kube-system/kube-dns-6f4fd4bdf-8q7zp]\n    node1: [default/web-1]\n") }

        ok("node1", try seedHeredoc("default"))

        // The reflectors: get the Node, add the label and the cluster ID, apply it back.
        for rr in ["node2", "node3"] {
            ok("node1", "calicoctl get node \(rr) --export -o yaml > node.yml")
            let path = dir.path + "/node.yml"
            try reflector(try String(contentsOfFile: path, encoding: .utf8)).write(toFile: path, atomically: false, encoding: .utf8)
            XCTAssertEqual(ok("node1", "calicoctl apply -f node.yml"), "Successfully applied 1 'Node' resource(s)\n")
            let applied = ok("node1", "calicoctl get node \(rr) -o yaml")
            XCTAssertTrue(applied.contains("    i-am-a-route-reflector: \"true\"\n") && applied.contains("    routeReflectorClusterID: 224.0.0.1\n"), applied)
        }
        for peers in ["peer-to-rrs", "rr-mesh"] {
            let command = try seedHeredoc(peers)
            XCTAssertEqual(ok("node1", command), "Successfully applied 1 'BGPPeer' resource(s)\n")
        }

        let started = Date()
        let expected: [String: [String]] = [
            "node1": ["172.17.8.103", "172.17.8.104"], "vagrant": ["172.17.8.103", "172.17.8.104"],
            "node2": ["172.17.8.101", "172.17.8.102", "172.17.8.104"], "node3": ["172.17.8.101", "172.17.8.102", "172.17.8.103"],
        ]
        awaitNodeSpecificPeers(expected, within: 30)
        print(String(format: "seed 004: reflector sessions Established %.1f s after the BGPPeers", Date().timeIntervalSince(started)))

        // node1's pod reaches vagrant's kube-dns on routes the reflectors passed on (next hop the owner).
        let pods = podAddresses(on: "node1")
        let web = try XCTUnwrap(pods["web-1"]), dns = try XCTUnwrap(pods["kube-dns-6f4fd4bdf-8q7zp"])
        XCTAssertTrue(eventually(20, "web-1 → kube-dns") { ping(from: web, to: dns) })
        XCTAssertTrue(ping(from: dns, to: web))
        let route = ok("node1", "ip route show \(block(of: dns, length: 26))")
        XCTAssertTrue(route.contains("via 172.17.8.102") && route.contains("proto bird"), route)
    }

    /// 配置全局BGP对等体: bgppeer-global-3040 makes every node (all four of the lab) peer the border's
    /// loopback 192.20.30.40; deleting it ends the sessions. Until then the border's sessions are configured
    /// on its end only, so `up --wait` finishes without them and names them.
    func testGlobalPeerOnEveryNode() throws {
        let up = try bringUp("seed-004")
        XCTAssertTrue(up.contains("not waited for, configured on one end only: border→172.17.8.101 ("), up)
        let globalPeer = try seedHeredoc("bgppeer-global-3040")
        XCTAssertEqual(ok("node1", globalPeer), "Successfully created 1 'BGPPeer' resource(s)\n")
        XCTAssertEqual(words(ok("node1", "calicoctl get bgpPeer")), [["NAME", "PEERIP", "NODE", "ASN"], ["bgppeer-global-3040", "192.20.30.40", "(global)", "64567"]])
        var summary = ""
        let nodes = ["172.17.8.101", "172.17.8.102", "172.17.8.103", "172.17.8.104"]
        XCTAssertTrue(eventually(30, "the border's four sessions Established") {
            summary = display("border", "show ip bgp summary")
            // Quagga's summary ends a row with the prefix count once Established, with the state before.
            return nodes.allSatisfy { n in summary.split(separator: "\n").contains { $0.hasPrefix(n + " ") && $0.split(separator: " ").last.map { Int($0) != nil } == true } }
        }, summary)
        awaitNodeStatus(["node1", "vagrant", "node2", "node3"], within: 20) { _, rows in rows.contains("192.20.30.40 global up Established") }
        ok("node1", "calicoctl delete bgppeer bgppeer-global-3040")
        XCTAssertTrue(eventually(20, "the global sessions gone") {
            !nodeStatus("node1").contains { $0.hasPrefix("192.20.30.40 ") } && !nodeStatus("node3").contains { $0.hasPrefix("192.20.30.40 ") }
        })
    }

    /// The seed's edit of node.yml: `metadata.labels.i-am-a-route-reflector: true`,
    /// `spec.bgp.routeReflectorClusterID: 224.0.0.1`.
    func reflector(_ yaml: String) throws -> String {
        var lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let labels = lines.firstIndex(of: "  labels:") {
            lines.insert("    i-am-a-route-reflector: true", at: labels + 1)
        } else if let metadata = lines.firstIndex(of: "metadata:") {
            lines.insert(contentsOf: ["  labels:", "    i-am-a-route-reflector: true"], at: metadata + 1)
        } else { throw Failure("no metadata in\n\(yaml)") }
        if let bgp = lines.firstIndex(of: "  bgp:") {
            lines.insert("    routeReflectorClusterID: 224.0.0.1", at: bgp + 1)
        } else if let spec = lines.firstIndex(of: "spec:") {
            lines.insert(contentsOf: ["  bgp:", "    routeReflectorClusterID: 224.0.0.1"], at: spec + 1)
        } else { throw Failure("no spec in\n\(yaml)") }
        return lines.joined(separator: "\n")
    }
}

/// The seed-document readers on their own (no root needed): every file and heredoc the lab tests take from
/// the seeds is found and cut where the seed's text around it starts.
final class SeedDocumentsTests: XCTestCase {
    func testCatOutputsAreWholeFiles() throws {
        for (seed, names) in [("001", ["bgpconf.yaml", "node1.yaml", "rr1-to-leaf1-peer.yaml", "rr1-to-node-peer.yaml",
                                       "rr2-to-leaf2-peer.yaml", "rr2-to-node-peer.yaml"]),
                              ("003", ["bgp_local.yaml", "bgp_peer.yaml"])] {
            let document = try SeedDocuments.text(seed)
            for name in names {
                let file = try XCTUnwrap(SeedDocuments.catOutput(name, in: document), "\(seed) \(name)")
                XCTAssertTrue(file.hasPrefix("apiVersion: projectcalico.org/v3\n") && file.contains("spec:"), file)
                XCTAssertTrue(file.hasSuffix("\n") && !file.hasSuffix("\n\n"), file)
                XCTAssertFalse(file.split(separator: "\n").contains { $0.hasPrefix("$") || $0.hasPrefix("[root@") || $0.hasPrefix("```") }, file)
            }
        }
        // The blank lines inside a file are the seed's.
        XCTAssertTrue(try XCTUnwrap(SeedDocuments.catOutput("rr1-to-leaf1-peer.yaml", in: SeedDocuments.text("001"))).contains("\n\nspec:\n"))
        XCTAssertNil(SeedDocuments.catOutput("no-such.yaml", in: try SeedDocuments.text("001")))
    }

    func testHeredocsAreClosedAndUnindented() throws {
        let document = try SeedDocuments.text("004")
        for (resource, command) in [("default", "cat << EOF | calicoctl create -f -"), ("bgppeer-global-3040", "cat << EOF | calicoctl create -f -"),
                                    ("peer-to-rrs", "calicoctl apply -f - <<EOF"), ("rr-mesh", "calicoctl apply -f - <<EOF")] {
            let heredoc = try XCTUnwrap(SeedDocuments.heredoc(resource, in: document), resource)
            let lines = heredoc.split(separator: "\n", omittingEmptySubsequences: false)
            XCTAssertEqual(lines.first.map(String.init), command, heredoc)
            XCTAssertEqual(lines.last, "EOF", heredoc)
            XCTAssertEqual(lines.filter { $0 == "EOF" }.count, 1, heredoc)
            XCTAssertTrue(lines.contains("  name: \(resource)"), heredoc)
            XCTAssertFalse(lines.contains { $0.hasPrefix(" ") && !$0.hasPrefix("  ") || $0.last == " " }, heredoc)
        }
        XCTAssertNil(SeedDocuments.heredoc("no-such-peer", in: document))
    }
}
