import Foundation
import XCTest
import BGPWire
import Calico
import Kernel
@testable import CalicoNode

/// A small calico cluster for tests: node namespaces `plt-cnode-<pid>-nN` on one veth segment (a pair for
/// two nodes), a shared datastore in a temporary directory, one agent per node. Everything is removed in
/// `tearDown`, including pod namespaces (`plt-cnode-<pid>-<node>-<pod>`).
class CalicoNodeTestCase: XCTestCase {
    var prefix: String { "plt-cnode-\(getpid())-" }
    var nodeNamespaces: [NetworkNamespace] = []
    var agents: [String: CalicoNodeAgent] = [:]
    var storeDirectory: URL!
    var store: Datastore!

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
        super.tearDown()
    }

    /// Two node namespaces joined by a veth pair (`eth0` on both), addresses 172.20.0.1N/24.
    func makeTwoNodes() throws -> [(name: String, address: String)] {
        let a = try NetworkNamespace.create(prefix + "n1"), b = try NetworkNamespace.create(prefix + "n2")
        nodeNamespaces = [a, b]
        try a.netlink().createVeth("eth0", peer: "eth0", peerNamespace: b)
        let nodes = [("node1", "172.20.0.11"), ("node2", "172.20.0.12")]
        for (ns, (_, address)) in zip(nodeNamespaces, nodes) {
            let nl = try ns.netlink()
            try nl.setLinkUp("lo")
            try nl.addAddress(InetAddress(address)!, prefixLength: 24, to: "eth0")
            try nl.setLinkUp("eth0")
            for (k, v) in [("net.ipv4.ip_forward", "1"), ("net.ipv4.conf.all.rp_filter", "0"), ("net.ipv4.conf.default.rp_filter", "0")] {
                try ns.writeSysctl(k, v)
            }
        }
        return nodes.map { (name: $0.0, address: $0.1) }
    }

    /// `count` node namespaces whose `eth0`s meet in a hub namespace (tc mirred flooding between its
    /// ports, as Lab's HubSegment does on kernels without bridges); addresses 192.168.1.N/24.
    func makeHubNodes(_ names: [String]) throws -> [(name: String, address: String)] {
        let hub = try NetworkNamespace.create(prefix + "hub")
        for (i, _) in names.enumerated() {
            let ns = try NetworkNamespace.create(prefix + "n\(i + 1)")
            nodeNamespaces.append(ns)
            try hub.netlink().createVeth("p\(i + 1)", peer: "eth0", peerNamespace: ns)
            let nl = try ns.netlink()
            try nl.setLinkUp("lo")
            try nl.addAddress(InetAddress("192.168.1.\(i + 1)")!, prefixLength: 24, to: "eth0")
            try nl.setLinkUp("eth0")
            for (k, v) in [("net.ipv4.ip_forward", "1"), ("net.ipv4.conf.all.rp_filter", "0"), ("net.ipv4.conf.default.rp_filter", "0")] {
                try ns.writeSysctl(k, v)
            }
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
        let pid = try ns.spawn("/usr/sbin/tc", arguments: args, outputPath: "/dev/null")
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        if status != 0 { throw XCTSkip("tc \(args.joined(separator: " ")) failed (status \(status)); no hub on this kernel") }
    }

    func apply(_ yaml: String) {
        let out = Calicoctl(store: store).apply(file: yaml)
        XCTAssertEqual(out.exitCode, 0, out.description)
    }

    func startAgent(_ node: String, namespace: NetworkNamespace) throws {
        let agent = try CalicoNodeAgent(options: .init(nodeName: node, datastoreDirectory: storeDirectory, namespace: namespace,
                                                       podNaming: PodNaming(prefix: prefix, limit: nil)))
        try agent.start()
        agents[node] = agent
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

    /// The address CNI gave a pod, from its Pod object.
    func podIP(_ pod: String) -> String? {
        guard case .pod(let p)? = try? store.get(.pod, pod, namespace: "default") else { return nil }
        return p.podIP
    }

    /// Runs one `ping -c 1 -W 1` inside a pod's namespace; true when it got a reply.
    func ping(from podNamespace: String, to address: String) throws -> Bool {
        let pid = try NetworkNamespace(podNamespace).spawn("/usr/bin/ping", arguments: ["-c", "1", "-W", "1", address], outputPath: "/dev/null")
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return status == 0
    }
}
