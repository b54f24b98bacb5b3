import Foundation
import XCTest
import BGPWire
import Calico
import Kernel
@testable import CalicoNode

/// A small calico cluster for tests: node namespaces `plt-cnode-<pid>-nN` on one veth segment (a pair for
/// two nodes), a shared datastore in a temporary directory, one agent per node. Everything is removed in
/// `tearDown`, including pod namespaces (`plt-cnode-<pid>-<node>-<pod>`) and a lab directory if one was made.
class CalicoNodeTestCase: XCTestCase {
    var prefix: String { "plt-cnode-\(getpid())-" }
    var nodeNamespaces: [NetworkNamespace] = []
    var agents: [String: CalicoNodeAgent] = [:]
    var storeDirectory: URL!
    var store: Datastore!
    /// What the agents started with `capturingLog` said.
    let agentLog = AgentLog()
    /// `<tmp>/<prefix><lab>` from `useLabDirectory`, and the lab's name.
    private(set) var labDirectory: URL?
    private(set) var labName: String?

    override func setUpWithError() throws {
        try XCTSkipUnless(getuid() == 0, "calico-node tests need root for namespaces")
        for name in NetworkNamespace.list() where name.hasPrefix("plt-cnode-") {
            let parts = name.split(separator: "-")
            if parts.count > 2, let pid = pid_t(parts[2]), pid != getpid(), kill(pid, 0) != 0 { try? NetworkNamespace.delete(name) }
        }
        storeDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("plt-cnode-\(getpid())-\(UUID().uuidString.prefix(8))")
        store = try Datastore(directory: storeDirectory)
    }

    override func tearDown() {
        for agent in agents.values { agent.stop() }
        agents = [:]
        for name in NetworkNamespace.list() where name.hasPrefix(prefix) { try? NetworkNamespace.delete(name) }
        nodeNamespaces = []
        if let storeDirectory { try? FileManager.default.removeItem(at: storeDirectory) }
        if let labDirectory { try? FileManager.default.removeItem(at: labDirectory) }
        super.tearDown()
    }

    /// Moves the datastore into a lab-shaped directory: `<tmp>/<prefix><name>/calico` holds it, and `kubectl
    /// edit` writes its file beside it in `<tmp>/<prefix><name>` (the lab's directory, returned).
    @discardableResult
    func useLabDirectory(_ name: String) throws -> URL {
        let lab = prefix + name
        let labDir = FileManager.default.temporaryDirectory.appendingPathComponent(lab)
        labDirectory = labDir
        labName = lab
        try? FileManager.default.removeItem(at: storeDirectory)
        storeDirectory = labDir.appendingPathComponent("calico")
        store = try Datastore(directory: storeDirectory)
        return labDir
    }

    /// Two node namespaces joined by a veth pair (`eth0` on both), addresses 172.20.0.1N/24.
    func makeTwoNodes() throws -> [(name: String, address: String)] {
        let a = try NetworkNamespace.create(prefix + "n1"), b = try NetworkNamespace.create(prefix + "n2")
        nodeNamespaces = [a, b]
        try a.netlink().createVeth("eth0", peer: "eth0", peerNamespace: b)
        let nodes = [("node1", "172.20.0.11"), ("node2", "172.20.0.12")]
        for (ns, (_, address)) in zip(nodeNamespaces, nodes) {
            try configureNode(ns, address: address)
        }
        return nodes.map { (name: $0.0, address: $0.1) }
    }

    /// A node's `lo` and `eth0` up, `address`/24 on `eth0`, forwarding on and reverse-path filtering off.
    private func configureNode(_ ns: NetworkNamespace, address: String) throws {
        let nl = try ns.netlink()
        try nl.setLinkUp("lo")
        try nl.addAddress(InetAddress(address)!, prefixLength: 24, to: "eth0")
        try nl.setLinkUp("eth0")
        for (k, v) in [("net.ipv4.ip_forward", "1"), ("net.ipv4.conf.all.rp_filter", "0"), ("net.ipv4.conf.default.rp_filter", "0")] {
            try ns.writeSysctl(k, v)
        }
    }

    /// Gives each node's `eth0` the IPv6 address `address(index)`/64, after writing `sysctls` in the node.
    func addIPv6(sysctls: [(String, String)], _ address: (Int) -> String) throws {
        for (i, ns) in nodeNamespaces.enumerated() {
            for (k, v) in sysctls { try ns.writeSysctl(k, v) }
            try ns.netlink().addAddress(InetAddress(address(i))!, prefixLength: 64, to: "eth0")
        }
    }

    /// `count` node namespaces whose `eth0`s meet in a hub namespace (tc mirred flooding between its
    /// ports, as Lab's HubSegment does on kernels without bridges); addresses 192.168.1.N/24.
    func makeHubNodes(_ names: [String]) throws -> [(name: String, address: String)] {
        let hub = try NetworkNamespace.create(prefix + "hub")
        for (i, _) in names.enumerated() {
            let ns = try NetworkNamespace.create(prefix + "n\(i + 1)")
            nodeNamespaces.append(ns)
            try hub.netlink().createVeth("p\(i + 1)", peer: "eth0", peerNamespace: ns)
            try configureNode(ns, address: "192.168.1.\(i + 1)")
            try hub.netlink().setLinkUp(.name("p\(i + 1)"))
        }
        let ports = names.indices.map { "p\($0 + 1)" }
        for port in ports {
            try tc(hub, ["qdisc", "add", "dev", port, "ingress"])
            let others = ports.filter { $0 != port }
            var args = ["filter", "add", "dev", port, "parent", "ffff:", "protocol", "all", "u32", "match", "u32", "0", "0"]
            for o in others.dropLast() { args += ["action", "mirred", "egress", "mirror", "dev", o] }
            args += ["action", "mirred", "egress", "redirect", "dev", others.last!]
            try tc(hub, args)
        }
        return names.enumerated().map { (name: $0.element, address: "192.168.1.\($0.offset + 1)") }
    }

    private func tc(_ ns: NetworkNamespace, _ args: [String]) throws {
        let status = try runToEnd(ns, "/usr/sbin/tc", args)
        if status != 0 { throw XCTSkip("tc \(args.joined(separator: " ")) failed (status \(status)); no hub on this kernel") }
    }

    func apply(_ yaml: String) {
        let out = Calicoctl(store: store).apply(file: yaml)
        XCTAssertEqual(out.exitCode, 0, out.description)
    }

    /// Starts `node`'s agent in `namespace`; its log goes to `agentLog` with `capturingLog`, else to stderr.
    func startAgent(_ node: String, namespace: NetworkNamespace, capturingLog: Bool = false) throws {
        let options = CalicoNodeAgent.Options(nodeName: node, datastoreDirectory: storeDirectory, namespace: namespace,
                                              podNaming: PodNaming(prefix: prefix, limit: nil))
        let agent = try capturingLog ? CalicoNodeAgent(options: options) { [agentLog] in agentLog.append($0) } : CalicoNodeAgent(options: options)
        try agent.start()
        agents[node] = agent
    }

    /// One agent per name, the i-th in the i-th node namespace.
    func startAgents(_ names: [String], capturingLog: Bool = false) throws {
        for (i, name) in names.enumerated() { try startAgent(name, namespace: nodeNamespaces[i], capturingLog: capturingLog) }
    }

    /// Stores a pod for `node`'s agent to wire (now, or when it starts).
    func addPod(_ name: String, on node: String, namespace: String = "default") {
        store.put(AnyResource(Pod(namespace: namespace, name: name, nodeName: node)))
    }

    /// Polls `condition` up to `seconds` (BGP sessions and route installs take a few seconds).
    func eventually(_ seconds: Double = 30, _ what: String, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.2)
        }
        XCTFail("timed out waiting for \(what)")
        return false
    }

    func statusRows(_ node: String) -> [NodeStatus.Row] {
        if case .peers(let rows) = NodeStatusFiles(datastoreDirectory: storeDirectory, node: node).family(.ipv4) { return rows }
        return []
    }

    /// `node status`'s IPv4 rows as `<peer address> <peer type> <state> <info>`.
    func peerSummary(_ node: String) -> [String] {
        statusRows(node).map { "\($0.peerAddress) \($0.peerType) \($0.state) \($0.info)" }
    }

    /// What `calicoctl` and `kubectl` on a host of this cluster read: the datastore, and `node` as NODENAME.
    func labEnvironment(node: String? = nil) -> CalicoLabEnvironment {
        var env = [CalicoLabEnvironment.datastoreKey: storeDirectory.path]
        env[CalicoLabEnvironment.nodeKey] = node
        return CalicoLabEnvironment(environment: env)
    }

    /// `calicoctl <args>` typed as root on `node`, reading `stdin` for `-f -`.
    func calicoctl(_ args: [String], stdin: String = "", on node: String) -> CommandOutput {
        CalicoctlFrontend(environment: labEnvironment(node: node), isRoot: true, readStdin: { stdin }).run(args)
    }

    /// `kubectl <args>` against this cluster. After `useLabDirectory` it runs with PEERLAB_LAB (and `editor` as
    /// EDITOR) only, as in the lab; before, with this process's environment.
    func kubectl(_ args: [String], node: String? = nil, editor: String? = nil) -> CommandOutput {
        guard let labName else {
            precondition(editor == nil, "kubectl edit writes into the lab directory: call useLabDirectory first")
            return KubectlFrontend(environment: labEnvironment(node: node)).run(args)
        }
        var process = [CalicoLabEnvironment.labKey: labName]
        process["EDITOR"] = editor
        return KubectlFrontend(environment: labEnvironment(node: node), processEnvironment: process).run(args)
    }

    /// The address CNI gave a pod, from its Pod object.
    func podIP(_ pod: String) -> String? {
        guard case .pod(let p)? = try? store.get(.pod, pod, namespace: "default") else { return nil }
        return p.podIP
    }

    /// Runs one `ping -c 1 -W 1` inside a pod's namespace; true when it got a reply.
    func ping(from podNamespace: String, to address: String) throws -> Bool {
        try runToEnd(NetworkNamespace(podNamespace), "/usr/bin/ping", ["-c", "1", "-W", "1", address]) == 0
    }

    /// The same over IPv6 (`ping -6`).
    func ping6(from podNamespace: String, to address: String) throws -> Bool {
        try runToEnd(NetworkNamespace(podNamespace), "/usr/bin/ping", ["-6", "-c", "1", "-W", "1", address]) == 0
    }

    /// Runs `executable` in `ns` and waits for it; its wait status. Output goes to `outputPath`, appended.
    func runToEnd(_ ns: NetworkNamespace, _ executable: String, _ arguments: [String], outputPath: String = "/dev/null") throws -> Int32 {
        let pid = try ns.spawn(executable, arguments: arguments, outputPath: outputPath)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return status
    }

    /// Runs `executable` in `ns` and waits for it; its wait status and output (stdout and stderr), read from a
    /// file named after the test's prefix that is removed again.
    func output(_ ns: NetworkNamespace, _ executable: String, _ arguments: [String]) throws -> (status: Int32, text: String) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)out-\(UUID().uuidString.prefix(8))").path
        defer { unlink(file) }
        let status = try runToEnd(ns, executable, arguments, outputPath: file)
        return (status, (try? String(contentsOfFile: file, encoding: .utf8)) ?? "")
    }
}

/// The lines agents logged, kept in order; agents log from their own threads.
final class AgentLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }

    /// Every line so far.
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }

    /// The lines that contain `text`.
    func lines(containing text: String) -> [String] { all.filter { $0.contains(text) } }

    /// How many lines contain `text`.
    func count(_ text: String) -> Int { lines(containing: text).count }
}
