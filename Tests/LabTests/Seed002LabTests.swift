import Foundation
import XCTest
@testable import Lab

/// Seed 002, 允许集群外部直连calico的pod ip: the route reflectors k8s-1 and k8s-2 peer the Quagga router
/// 172.31.13.116 (AS 7675) by eBGP, k8s-3 peers the reflectors, and an outside client reaches every pod
/// through the router. The pool's natOutgoing false is the document's point: a pod's packets to the client
/// keep the pod's address, where the lab's starting pool (natOutgoing true) hid it behind the node's.
/// Every command is the document's own line (heredocs, patches, labels, kubectl edits, the router's
/// neighbours), run in the document's order.
final class Seed002LabTests: SeedLabTestCase {
    let nodes = ["k8s-1": "172.31.13.27", "k8s-2": "172.31.13.28", "k8s-3": "172.31.13.29"]
    let pods = ["k8s-1": "nginx-1", "k8s-2": "nginx-2", "k8s-3": "nginx-3"]
    let client = "172.31.13.200"

    func testOutsideClientReachesPodsThroughTheRouterAndSeesTheirOwnAddresses() throws {
        for tool in ["nft", "tcpdump"] where Shell.run(["/bin/sh", "-c", "command -v \(tool)"]).status != 0 {
            throw XCTSkip("\(tool) not installed (scripts/install-deps.sh installs it): natOutgoing or the client's capture cannot be checked")
        }
        try bringUp("seed-002")
        let addresses = podAddresses(on: "k8s-1")
        let pod = try pods.mapValues { try XCTUnwrap(addresses[$0], "\($0) has no address: \(addresses)") }

        // The starting pool masquerades (natOutgoing true): the client sees each pod as its node's address.
        for (node, ip) in nodes.sorted(by: { $0.key < $1.key }) {
            var seen: String?
            XCTAssertTrue(eventually(10, "\(pods[node]!) → client masqueraded to \(ip)") {
                seen = sourceSeenByClient(from: pod[node]!)
                return seen == ip
            }, "the client saw \(seen ?? "nothing")")
        }

        // 交换机配置 / 添加bgp邻居: the document's neighbour lines, typed into the router's BGP view.
        let neighbours = try documentLines(starting: "neighbor ", count: 2)
        let typed = run(["exec", "router"], input: (["configure terminal", "router bgp 7675"] + neighbours + ["end"]).joined(separator: "\n") + "\n")
        XCTAssertEqual(typed.status, 0, typed.output)

        // 修改calico的设置: the document's two edits with EDITOR a sed script, as a test must type them.
        let edits = try documentLines(starting: "kubectl edit ", count: 2)
        // The lab's calico-config already says bird (the v3.23 manifest's default): the edit changes nothing.
        XCTAssertEqual(ok("k8s-1", #"EDITOR="sed -i 's/^  calico_backend: .*/  calico_backend: bird/'" "# + edits[0] + " 2>&1"),
                       "Edit cancelled, no changes made.\n")
        XCTAssertTrue(ok("k8s-1", "kubectl get cm -n kube-system calico-config -o yaml").contains("\n  calico_backend: bird\n"))
        let poolEditor = #"EDITOR="sed -i -e 's/^  ipipMode: .*/  ipipMode: Never/' -e 's/^  vxlanMode: .*/  vxlanMode: Never/' -e 's/^  natOutgoing: .*/  natOutgoing: false/'" "#
        XCTAssertEqual(ok("k8s-1", poolEditor + edits[1]), "ippool.crd.projectcalico.org/default-pool edited\n")
        let pool = words(ok("k8s-1", "calicoctl get ippool default-pool -o wide"))
        XCTAssertEqual(pool.count, 2, "\(pool)")
        let columns = Dictionary(zip(pool.first ?? [], pool.last ?? []), uniquingKeysWith: { first, _ in first })
        XCTAssertEqual(["NAME", "CIDR", "NAT", "IPIPMODE", "VXLANMODE"].map { columns[$0] ?? "-" },
                       ["default-pool", "172.27.208.0/22", "false", "Never", "Never"], "\(pool)")
        let restart = try documentLines(starting: "kubectl delete pods ", count: 1)[0]
        let deleted = ok("k8s-1", restart).split(separator: "\n")
        XCTAssertEqual(deleted.count, 3, "\(deleted)")
        XCTAssertTrue(deleted.allSatisfy { $0.hasPrefix("pod \"calico-node-") && $0.hasSuffix("\" deleted") }, "\(deleted)")
        // The DaemonSet puts a new calico-node pod on each node.
        var replaced: [String] = []
        XCTAssertTrue(eventually(20, "three new calico-node pods") {
            replaced = ok("k8s-1", "kubectl get pods -n kube-system -l k8s-app=calico-node -o name").split(separator: "\n")
                .map { "pod \"\($0.dropFirst("pod/".count))\" deleted" }
            return replaced.count == 3 && Set(replaced).isDisjoint(with: deleted.map(String.init))
        }, "\(replaced)")

        // 修改bgp设置: mesh off, AS 64512.
        XCTAssertEqual(ok("k8s-1", try seedHeredoc("default")), "Successfully applied 1 'BGPConfiguration' resource(s)\n")
        XCTAssertEqual(words(ok("k8s-1", "calicoctl get bgpconfig")), [["NAME", "LOGSEVERITY", "MESHENABLED", "ASNUMBER"], ["default", "Info", "false", "64512"]])

        // 设置calico node的rr属性: the document leaves the cluster ID as "这个可以是节点N的ip" ("can be node N's
        // IP"); the node's own address goes in its place.
        for line in try documentLines(starting: "calicoctl patch node ", count: 2) {
            let command = nodes.reduce(line) { text, node in
                text.replacingOccurrences(of: "这个可以是节点\(node.key.dropFirst("k8s-".count))的ip", with: node.value)
            }
            XCTAssertFalse(command.contains("节点"), "an unreplaced placeholder in \(command)")
            XCTAssertEqual(ok("k8s-1", command), "Successfully patched 1 'Node' resource\n")
        }
        for rr in ["k8s-1", "k8s-2"] {
            let node = ok("k8s-1", "calicoctl get node \(rr) -o yaml")
            XCTAssertTrue(node.contains("    routeReflectorClusterID: \(nodes[rr]!)\n"), node)
        }
        for line in try documentLines(starting: "kubectl label node ", count: 2) {
            XCTAssertEqual(ok("k8s-1", line), "node/\(line.split(separator: " ")[3]) labeled\n")
        }

        // 创建rr与交换机关联的BGPPeer, 创建普通节点与rr关联的BGPPeer.
        for peer in ["rr-peer", "peer-with-route-reflectors"] {
            XCTAssertEqual(ok("k8s-1", try seedHeredoc(peer)), "Successfully applied 1 'BGPPeer' resource(s)\n")
        }
        XCTAssertEqual(trimmed(ok("k8s-1", "calicoctl get bgppeer")), """
        NAME                         PEERIP          NODE                        ASN
        peer-with-route-reflectors                   all()                       0
        rr-peer                      172.31.13.116   route-reflector == 'true'   7675
        """)

        // 验证: the router has both reflectors Established with routes.
        let started = Date()
        var summary = ""
        XCTAssertTrue(eventually(30, "the router's two reflector sessions Established with prefixes") {
            summary = display("router", "show ip bgp summary")
            return ["172.31.13.27", "172.31.13.28"].allSatisfy { rr in
                summary.split(separator: "\n").contains { $0.hasPrefix(rr + " ") && ($0.split(separator: " ").last.flatMap { Int($0) } ?? 0) > 0 }
            }
        }, summary)
        XCTAssertFalse(summary.contains("172.31.13.29"), summary)
        // The reflectors list the router and the other nodes, k8s-3 the two reflectors: all node specific.
        awaitNodeSpecificPeers(["k8s-1": ["172.31.13.116", "172.31.13.28", "172.31.13.29"],
                                "k8s-2": ["172.31.13.116", "172.31.13.27", "172.31.13.29"],
                                "k8s-3": ["172.31.13.27", "172.31.13.28"]], within: 20)
        print(String(format: "seed 002: router and reflector sessions Established %.1f s after the BGPPeers", Date().timeIntervalSince(started)))
        // k8s-1's `calicoctl node status` as the document prints it, but for the SINCE clock.
        XCTAssertEqual(sinceless(shell("k8s-1", "calicoctl node status").output), sinceless(try documentNodeStatus()))

        // 此时直接访问pod ip: the router holds every node's /26 block, so the client (routed to the pod
        // range via the router by the lab) reaches a pod on each node.
        let blocks = pod.values.map { block(of: $0, length: 26) }.sorted()
        var table = ""
        XCTAssertTrue(eventually(20, "the router's BGP table has the pod blocks") {
            table = display("router", "show ip bgp")
            let networks = Set(table.split(separator: "\n").flatMap { $0.split(separator: " ").map(String.init) })
            return networks.isSuperset(of: blocks)
        }, "\(blocks)\n\(table)")
        for (node, ip) in pod.sorted(by: { $0.key < $1.key }) {
            XCTAssertTrue(eventually(10, "client → \(pods[node]!) \(ip)") { ping(from: client, to: ip) })
        }

        // natOutgoing false: a pod's ping arrives at the client from the pod's own address.
        for (node, ip) in pod.sorted(by: { $0.key < $1.key }) {
            XCTAssertEqual(sourceSeenByClient(from: ip), ip, "\(pods[node]!)'s echo request at the client")
        }
    }

    /// The document's lines starting with `prefix` (its code blocks' commands), which must be `count`.
    func documentLines(starting prefix: String, count: Int) throws -> [String] {
        let lines = try seedDocument().split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix(prefix) }
        guard lines.count == count else { throw Failure("seed 002 has \(lines.count) lines starting '\(prefix)', expected \(count): \(lines)") }
        return lines
    }

    /// The document's `[root@k8s-1]# calicoctl node status` output, up to its code fence.
    func documentNodeStatus() throws -> String {
        let document = try seedDocument()
        guard let command = document.range(of: "# calicoctl node status\n"),
              let end = document.range(of: "\n```", range: command.upperBound..<document.endIndex) else {
            throw Failure("seed 002 shows no calicoctl node status")
        }
        return String(document[command.upperBound..<end.lowerBound]) + "\n"
    }

    /// A node status with its SINCE times (the clock of the run) blanked, without the blank line calicoctl
    /// ends with (the document's code block closes before it).
    func sinceless(_ status: String) -> String {
        status.replacingOccurrences(of: "[0-9]{2}:[0-9]{2}:[0-9]{2}", with: "hh:mm:ss", options: .regularExpression)
            .replacingOccurrences(of: "\\s+$", with: "\n", options: .regularExpression)
    }

    /// The source address of the echo request the outside client receives when the pod at `pod` pings it:
    /// `tcpdump -n -c1` in the client's namespace (`peerlab exec client`), the pod pinging only once tcpdump
    /// says it is listening. nil when nothing was captured.
    func sourceSeenByClient(from pod: String) -> String? {
        captures += 1
        let output = dir.path + "/capture-\(captures).txt", log = dir.path + "/capture-\(captures).log"
        let tcpdump = Process()
        tcpdump.executableURL = URL(fileURLWithPath: peerlab)
        tcpdump.arguments = ["exec", "client", "--",
                             "exec timeout 10 tcpdump -n -l -c1 -i eth0 'icmp[icmptype] == icmp-echo' > \(output) 2> \(log)"]
        tcpdump.environment = ProcessInfo.processInfo.environment.merging(["PEERLAB_STATE_DIR": dir.path + "/state"]) { _, new in new }
        do { try tcpdump.run() } catch { XCTFail("cannot start peerlab exec client: \(error)"); return nil }
        defer {
            if tcpdump.isRunning { kill(tcpdump.processIdentifier, SIGTERM) }
            tcpdump.waitUntilExit()
        }
        func text(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        guard eventually(5, "tcpdump listening on the client", { text(log).contains("listening on eth0") }) else { return nil }
        let deadline = Date().addingTimeInterval(5)
        while tcpdump.isRunning && Date() < deadline {
            _ = ping(from: pod, to: client)  // its answer depends on the routes back; only the request matters
            Thread.sleep(forTimeInterval: 0.1)
        }
        guard !tcpdump.isRunning else { XCTFail("the client captured no echo request from \(pod) in 5 s"); return nil }
        // "02:29:00.171503 IP 172.27.210.0 > 172.31.13.200: ICMP echo request, …"
        let packet = text(output).split(separator: " ").map(String.init)
        guard let ip = packet.firstIndex(of: "IP"), packet.count > ip + 3, packet[ip + 2] == ">" else { return nil }
        return packet[ip + 1]
    }

    private var captures = 0
}
