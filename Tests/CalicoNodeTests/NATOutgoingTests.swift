import Foundation
import XCTest
import BGPWire
import Calico
import Kernel
@testable import CalicoNode

/// Felix's natOutgoing as nftables: the script for a few pool sets, the programmer's bookkeeping, and the
/// scripts loaded by the real `nft` in a throwaway namespace.
final class NATOutgoingTests: XCTestCase {
    private func pool(_ name: String, _ cidr: String, nat: Bool? = nil, disabled: Bool? = nil) -> IPPool {
        IPPool(name: name, spec: .init(cidr: cidr, natOutgoing: nat, disabled: disabled))
    }

    private static let removeBoth = "table ip calico\ndelete table ip calico\ntable ip6 calico\ndelete table ip6 calico\n"

    func testNoNATPoolRemovesBothTables() {
        XCTAssertEqual(NATOutgoingRuleset(pools: []).script, Self.removeBoth)
        let ruleset = NATOutgoingRuleset(pools: [pool("a", "10.244.0.0/16", nat: false), pool("b", "fd00:10:244::/48")])
        XCTAssertEqual(ruleset.script, Self.removeBoth)
        XCTAssertFalse(ruleset.masquerades)
        XCTAssertEqual(ruleset.ipv4.allPools, [Prefix("10.244.0.0/16")!], "pools without NAT still belong to all-ipam-pools")
    }

    /// IPv4 masquerades, IPv6 has a pool but no NAT: the ip table is rebuilt, the ip6 table removed. A disabled
    /// pool still counts among all pools (Felix feeds both IP sets from every pool, disabled or not).
    func testIPv4NATWithDisabledPoolAmongAllPools() {
        let ruleset = NATOutgoingRuleset(pools: [
            pool("default-ipv4-ippool", "10.244.0.0/16", nat: true),
            pool("old", "172.27.208.0/22", nat: false, disabled: true),
            pool("v6", "fd00:10:244::/48", nat: false),
        ])
        XCTAssertEqual(ruleset.script, """
        table ip calico
        delete table ip calico
        table ip calico {
        \tset cali40all-ipam-pools {
        \t\ttype ipv4_addr
        \t\tflags interval
        \t\tauto-merge
        \t\telements = { 10.244.0.0/16, 172.27.208.0/22 }
        \t}
        \tset cali40masq-ipam-pools {
        \t\ttype ipv4_addr
        \t\tflags interval
        \t\tauto-merge
        \t\telements = { 10.244.0.0/16 }
        \t}
        \tchain cali-nat-outgoing {
        \t\tip saddr @cali40masq-ipam-pools ip daddr != @cali40all-ipam-pools masquerade
        \t}
        \tchain cali-POSTROUTING {
        \t\ttype nat hook postrouting priority srcnat; policy accept;
        \t\tjump cali-nat-outgoing
        \t}
        }
        table ip6 calico
        delete table ip6 calico

        """)
    }

    /// A disabled pool with natOutgoing keeps masquerading (its pods still hold its addresses); IPv6 pools
    /// get their own ip6 table with cali60 sets.
    func testDisabledNATPoolAndIPv6() {
        let ruleset = NATOutgoingRuleset(pools: [
            pool("old", "10.96.0.0/16", nat: true, disabled: true),
            pool("new", "10.244.0.0/16", nat: false),
            pool("v6", "fd00:10:244::/48", nat: true),
            pool("v6-internal", "fd00:99::/48"),
        ])
        XCTAssertEqual(ruleset.ipv4.masqueradePools.map(\.description), ["10.96.0.0/16"])
        XCTAssertEqual(ruleset.ipv4.allPools.map(\.description), ["10.96.0.0/16", "10.244.0.0/16"])
        XCTAssertEqual(ruleset.ipv6.masqueradePools.map(\.description), ["fd00:10:244::/48"])
        XCTAssertEqual(ruleset.ipv6.allPools.map(\.description), ["fd00:10:244::/48", "fd00:99::/48"])
        let v6 = ruleset.script.components(separatedBy: "table ip6 calico\ndelete table ip6 calico\n")
        XCTAssertEqual(v6.count, 2, ruleset.script)
        XCTAssertTrue(v6[1].hasPrefix("table ip6 calico {\n\tset cali60all-ipam-pools {\n\t\ttype ipv6_addr\n"), v6[1])
        XCTAssertTrue(v6[1].contains("\t\telements = { fd00:10:244::/48, fd00:99::/48 }\n"), v6[1])
        XCTAssertTrue(v6[1].contains("\t\tip6 saddr @cali60masq-ipam-pools ip6 daddr != @cali60all-ipam-pools masquerade\n"), v6[1])
        XCTAssertEqual(ruleset.masqueradePools.map(\.description), ["10.96.0.0/16", "fd00:10:244::/48"])
    }

    /// The same CIDR twice (a lab file and a calicoctl apply racing) is one element; order does not matter.
    func testDuplicatePoolsAndOrder() {
        let a = NATOutgoingRuleset(pools: [pool("a", "10.244.0.0/16", nat: true), pool("b", "10.1.0.0/16", nat: true)])
        let b = NATOutgoingRuleset(pools: [pool("b", "10.1.0.0/16", nat: true), pool("a", "10.244.0.0/16", nat: true),
                                           pool("a2", "10.244.0.0/16", nat: true)])
        XCTAssertEqual(a.script, b.script)
        XCTAssertTrue(a.script.contains("elements = { 10.1.0.0/16, 10.244.0.0/16 }"), a.script)
    }

    /// Without nft: one clear message per wanted state, no spawn, and nothing said while no pool needs NAT.
    func testMissingToolIsReportedOncePerState() {
        var lines: [String] = []
        let programmer = NATOutgoingProgrammer(nodeName: "node1", namespace: NetworkNamespace("plt-nat-never-used"),
                                               log: { lines.append($0) }, locateTool: { nil })
        programmer.update(pools: [pool("a", "10.244.0.0/16")])
        XCTAssertEqual(lines, [])
        programmer.update(pools: [pool("a", "10.244.0.0/16", nat: true)])
        programmer.update(pools: [pool("a", "10.244.0.0/16", nat: true)])
        XCTAssertEqual(lines.count, 1, "\(lines)")
        XCTAssertTrue(lines[0].hasPrefix("calico-node node1: natOutgoing on 10.244.0.0/16 is not applied: nft is not installed (Debian package nftables"), lines[0])
        programmer.update(pools: [pool("a", "10.244.0.0/16", nat: true), pool("b", "10.1.0.0/16", nat: true)])
        XCTAssertEqual(lines.count, 2, "\(lines)")
        XCTAssertNil(programmer.current)
    }

    /// An agent without a namespace of its own runs nft only inside a named (lab) namespace: here, from the
    /// test process's own namespace, it refuses; entered into a scratch namespace, the same call loads.
    func testRunsOnlyInsideANamedNamespace() throws {
        try XCTSkipUnless(getuid() == 0, "needs root for a namespace")
        let nft = try XCTUnwrap(NFTCommand.locate(), "nft not installed (scripts/install-deps.sh)")
        try XCTSkipIf(NetworkNamespace.currentIsNamed(), "the test process itself runs in a named namespace")
        guard case .failure(let failure) = NFTCommand(executable: nft).load(NATOutgoingRuleset.removal, in: nil) else {
            return XCTFail("nft ran outside any lab namespace")
        }
        XCTAssertTrue(failure.message.contains("does not run in a named lab namespace"), failure.message)

        let name = "plt-natroot-\(getpid())"
        try? NetworkNamespace.delete(name)
        let ns = try NetworkNamespace.create(name)
        defer { try? ns.delete() }
        // As the lab's calico-node process does: already inside its namespace, no namespace in the options.
        let inside = try ns.run { NFTCommand(executable: nft).load(NATOutgoingRuleset.removal, in: nil) }
        XCTAssertNoThrow(try inside.get())
    }

    /// The real nft accepts each generated script in a scratch namespace; the listed tables match the
    /// pools, a second load replaces (not appends to) the sets, and the removal script clears both.
    func testScriptsLoadIntoNFT() throws {
        try XCTSkipUnless(getuid() == 0, "needs root for a namespace")
        let nft = try XCTUnwrap(NFTCommand.locate(), "nft not installed (scripts/install-deps.sh)")
        let name = "plt-natrules-\(getpid())"
        try? NetworkNamespace.delete(name)
        let ns = try NetworkNamespace.create(name)
        defer { try? ns.delete() }
        let command = NFTCommand(executable: nft)
        func list() throws -> String {
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).out").path
            defer { unlink(out) }
            let pid = try ns.spawn(nft, arguments: ["list", "ruleset"], outputPath: out)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            XCTAssertEqual(status, 0)
            return try String(contentsOfFile: out, encoding: .utf8)
        }

        let first = NATOutgoingRuleset(pools: [pool("a", "10.244.0.0/16", nat: true), pool("off", "10.99.0.0/16", disabled: true),
                                               pool("v6", "fd00:10:244::/48", nat: true)])
        XCTAssertNoThrow(try command.load(first.script, in: ns).get())
        var text = try list()
        XCTAssertTrue(text.contains("table ip calico {") && text.contains("table ip6 calico {"), text)
        XCTAssertTrue(text.contains("elements = { 10.99.0.0/16, 10.244.0.0/16 }") || text.contains("elements = { 10.244.0.0/16, 10.99.0.0/16 }"), text)
        XCTAssertTrue(text.contains("ip saddr @cali40masq-ipam-pools ip daddr != @cali40all-ipam-pools masquerade"), text)
        XCTAssertTrue(text.contains("ip6 saddr @cali60masq-ipam-pools ip6 daddr != @cali60all-ipam-pools masquerade"), text)

        let second = NATOutgoingRuleset(pools: [pool("b", "10.1.0.0/16", nat: true), pool("v6", "fd00:10:244::/48", nat: false)])
        XCTAssertNoThrow(try command.load(second.script, in: ns).get())
        text = try list()
        XCTAssertFalse(text.contains("10.244.0.0/16"), "the old pool's element stayed: \(text)")
        XCTAssertTrue(text.contains("elements = { 10.1.0.0/16 }"), text)
        XCTAssertFalse(text.contains("table ip6 calico"), "the ip6 table stays without an IPv6 NAT pool: \(text)")

        XCTAssertNoThrow(try command.load(NATOutgoingRuleset.removal, in: ns).get())
        XCTAssertEqual(try list().trimmingCharacters(in: .whitespacesAndNewlines), "")

        // A refused script is an error value with nft's own words, not a crash.
        guard case .failure(let failure) = command.load("table ip calico {\n\tchain x { bogus }\n}\n", in: ns) else {
            return XCTFail("a bad script loaded")
        }
        XCTAssertTrue(failure.message.contains("exit status 1"), failure.message)
        XCTAssertTrue(failure.message.lowercased().contains("error"), failure.message)
    }
}
