import Foundation
import XCTest
import BGPWire
import Calico
import Kernel
@testable import CalicoNode

/// Seed 002's natOutgoing in namespaces: two nodes and an outside `client` on one segment; the client has
/// no route to the pod pool, so a pod reaches it only when its node masquerades. The pool's natOutgoing is
/// switched live through calicoctl patch, kubectl edit of the CRD and calicoctl apply.
final class NATOutgoingLabTests: CalicoNodeTestCase {
    /// The two nodes on the hub (the client, third, has no Node) and the pool, natOutgoing on; the pool last.
    static let resources = CalicoYAML.documents(
        CalicoYAML.node("node1", ipv4: "192.168.1.1/24"), CalicoYAML.node("node2", ipv4: "192.168.1.2/24"),
        CalicoYAML.pool("default-pool", cidr: "10.244.0.0/16", """
            blockSize: 26
            ipipMode: Never
            natOutgoing: true
            """))

    /// `nft list table ip calico` in a namespace; "" when the table is absent.
    private func natTable(_ ns: NetworkNamespace, nft: String) throws -> String {
        let listed = try output(ns, nft, ["list", "table", "ip", "calico"])
        return listed.status == 0 ? listed.text : ""
    }

    func testPodReachesOutsideHostOnlyWhileNATOutgoingIsOn() throws {
        let nft = try XCTUnwrap(NFTCommand.locate(), "nft not installed (scripts/install-deps.sh installs nftables)")
        let hosts = try makeHubNodes(["node1", "node2", "client"])
        let client = hosts[2].address
        // kubectl edit writes its file beside the datastore, in a lab-shaped directory.
        try useLabDirectory("nat")

        apply(Self.resources)
        addPod("web-1", on: "node1")
        addPod("web-2", on: "node2")
        try startAgents(["node1", "node2"], capturingLog: true)
        func mesh() -> [String] { ["node1", "node2"].map { n in statusRows(n).map { "\($0.peerType) \($0.info)" }.joined(separator: ",") } }
        XCTAssertTrue(eventually(30, "mesh sessions") { mesh() == ["node-to-node mesh Established", "node-to-node mesh Established"] })
        let since = ["node1", "node2"].map { statusRows($0).first?.since }

        let pod1 = prefix + "node1-web-1"
        let ip2 = try XCTUnwrap(podIP("web-2"))
        XCTAssertTrue(try eventually(30, "web-1 → web-2 across the mesh") { try ping(from: pod1, to: ip2) })
        XCTAssertTrue(try natTable(nodeNamespaces[0], nft: nft).contains("elements = { 10.244.0.0/16 }"))
        XCTAssertEqual(try natTable(nodeNamespaces[2], nft: nft), "", "the client runs no agent and has no calico table")
        XCTAssertTrue(try eventually(10, "web-1 → client through node1's masquerade") { try ping(from: pod1, to: client) })
        XCTAssertEqual(agentLog.count("natOutgoing: masquerading traffic from 10.244.0.0/16 to addresses outside all pools"), 2)

        /// Waits for node1's table to be present or gone, and prints how long the agent took.
        func waitForTable(present: Bool, after start: Date, _ how: String) throws {
            XCTAssertTrue(try eventually(5, "node1's calico table \(present ? "loaded" : "removed") after \(how)") {
                try natTable(nodeNamespaces[0], nft: nft).contains("masquerade") == present
            })
            print(String(format: "natOutgoing %@ via %@: node1's nft table changed %.0f ms after the command", present ? "on" : "off", how,
                         Date().timeIntervalSince(start) * 1000))
        }

        // calicoctl patch: natOutgoing false. The client cannot answer a pod address: the ping fails.
        var start = Date()
        let patched = calicoctl(["patch", "ippool", "default-pool", "-p", #"{"spec":{"natOutgoing":false}}"#], on: "node1")
        XCTAssertEqual(patched.exitCode, 0, patched.description)
        try waitForTable(present: false, after: start, "calicoctl patch")
        XCTAssertFalse(try ping(from: pod1, to: client), "the client replied to an unmasqueraded pod address it has no route to")
        XCTAssertTrue(try ping(from: pod1, to: ip2), "pod to pod does not depend on natOutgoing")

        // kubectl edit of the CRD (EDITOR a sed script): back on, the ping works again.
        start = Date()
        let sed = #"sed -i -e '/^  natOutgoing:/d' -e 's/^  cidr: .*/&\n  natOutgoing: true/'"#
        let edited = kubectl(["edit", "ippools.crd.projectcalico.org", "default-pool"], node: "node1", editor: sed)
        XCTAssertEqual(edited, CommandOutput(stdout: "ippool.crd.projectcalico.org/default-pool edited\n"))
        try waitForTable(present: true, after: start, "kubectl edit")
        XCTAssertTrue(try eventually(5, "web-1 → client after kubectl edit") { try ping(from: pod1, to: client) })

        // calicoctl apply of the whole pool with natOutgoing false: off again.
        start = Date()
        let applied = calicoctl(["apply", "-f", "-"], stdin: Self.resources.components(separatedBy: "---\n").last!
            .replacingOccurrences(of: "natOutgoing: true", with: "natOutgoing: false"), on: "node1")
        XCTAssertEqual(applied.stdout, "Successfully applied 1 'IPPool' resource(s)\n", applied.description)
        try waitForTable(present: false, after: start, "calicoctl apply")
        XCTAssertFalse(try ping(from: pod1, to: client))
        XCTAssertEqual(agentLog.count("natOutgoing: no pool has natOutgoing; calico NAT tables removed"), 4)

        // None of it touched BGP: the mesh sessions were never reset.
        XCTAssertEqual(mesh(), ["node-to-node mesh Established", "node-to-node mesh Established"])
        XCTAssertEqual(["node1", "node2"].map { statusRows($0).first?.since }, since, "a natOutgoing change reset a BGP session")
    }

    /// IPv6 the same way: a dual-stack pod reaches an outside host's IPv6 address only while the IPv6 pool
    /// has natOutgoing (masqueraded to the node's fd00:20::1 by the ip6 calico table); the IPv4 pool without
    /// natOutgoing leaves the ip table out.
    func testIPv6PoolMasqueradesToTheNodeAddress() throws {
        let nft = try XCTUnwrap(NFTCommand.locate(), "nft not installed (scripts/install-deps.sh installs nftables)")
        _ = try makeHubNodes(["node1", "client"])
        try addIPv6(sysctls: [("net.ipv6.conf.all.forwarding", "1")]) { "fd00:20::\($0 + 1)" }
        apply(CalicoYAML.documents(CalicoYAML.node("node1", ipv4: "192.168.1.1/24", ipv6: "fd00:20::1/64"),
                                   CalicoYAML.pool("v4", cidr: "10.244.0.0/16"),
                                   CalicoYAML.pool("v6", cidr: "fd00:10:244::/48", "natOutgoing: true")))
        addPod("web-1", on: "node1")
        try startAgent("node1", namespace: nodeNamespaces[0])
        let wired = try XCTUnwrap(agents["node1"]?.wiredPods["default/web-1"])
        let v6 = try XCTUnwrap(wired.otherAddresses.first { $0.family == .ipv6 }, "the pod got no IPv6 address: \(wired.addresses)")
        XCTAssertTrue(v6.description.hasPrefix("fd00:10:244:"), v6.description)
        let pod = prefix + "node1-web-1"
        XCTAssertTrue(try eventually(10, "web-1 → client's fd00:20::2 through the ip6 masquerade") { try ping(from: pod, to: "fd00:20::2") })
        XCTAssertFalse(try ping(from: pod, to: "192.168.1.2"), "the IPv4 pool has no natOutgoing: the client cannot answer a pod address")

        let ruleset = try output(nodeNamespaces[0], nft, ["list", "ruleset"]).text
        XCTAssertTrue(ruleset.contains("table ip6 calico {") && !ruleset.contains("table ip calico"), ruleset)

        XCTAssertEqual(Calicoctl(store: store).patch(kind: "ippool", name: "v6", patch: #"{"spec":{"natOutgoing":false}}"#).exitCode, 0)
        XCTAssertTrue(try eventually(5, "the IPv6 ping fails without natOutgoing") { try !ping(from: pod, to: "fd00:20::2") })
    }

    /// vxlanMode is not emulated: the agent says so plainly, once per setting, and again after a change.
    func testVXLANPoolIsReportedNotSupported() throws {
        _ = try makeTwoNodes()
        apply(ClusterTests.nodesYAML.replacingOccurrences(of: "ipipMode: Never", with: "ipipMode: Never\n  vxlanMode: Always"))
        try startAgent("node1", namespace: nodeNamespaces[0], capturingLog: true)
        func said(_ text: String) -> [String] { agentLog.lines(containing: text) }
        let always = said("has vxlanMode Always: VXLAN is not supported by this lab")
        XCTAssertEqual(always.count, 1, "\(agentLog.all)")
        XCTAssertTrue(always.first?.hasPrefix("calico-node node1: IP pool default-ipv4-ippool has vxlanMode Always") == true, "\(always)")
        XCTAssertEqual(Calicoctl(store: store).patch(kind: "ippool", name: "default-ipv4-ippool", patch: #"{"spec":{"vxlanMode":"CrossSubnet"}}"#).exitCode, 0)
        XCTAssertTrue(eventually(5, "CrossSubnet reported") { said("has vxlanMode CrossSubnet: VXLAN is not supported by this lab").count == 1 })
        XCTAssertEqual(Calicoctl(store: store).patch(kind: "ippool", name: "default-ipv4-ippool", patch: #"{"spec":{"vxlanMode":"Never"}}"#).exitCode, 0)
        XCTAssertTrue(eventually(5, "change to Never seen") {
            said("changed from ipipMode Never, natOutgoing true, vxlanMode CrossSubnet to ipipMode Never, natOutgoing true").count == 1
        })
        XCTAssertEqual(said("VXLAN is not supported").count, 2, "\(agentLog.all)")
    }
}
