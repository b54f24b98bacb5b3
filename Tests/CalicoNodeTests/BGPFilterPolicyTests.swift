import XCTest
import BGPWire
import BGPSpeaker
import Calico
@testable import CalicoNode

/// BGPFilter rules and prefixAdvertisement communities as the speaker's per-peer policies (spec §2.8).
final class BGPFilterPolicyTests: XCTestCase {
    let block = Prefix("10.244.1.0/26")!

    func calico(advertisements: [BGPConfiguration.PrefixAdvertisement] = []) -> Calico.RoutePolicy {
        let node = Node(name: "n1", bgp: Node.BGP(ipv4Address: "172.20.0.11/24"))
        var policy = Calico.RoutePolicy(node: node, pools: [IPPool(name: "p", spec: IPPool.Spec(cidr: "10.244.0.0/16")),
                                                            IPPool(name: "p6", spec: IPPool.Spec(cidr: "fd00:244::/48"))],
                                        ownBlocks: [block], configuration: nil)
        policy.prefixAdvertisements = advertisements
        return policy
    }

    func route(_ prefix: String) -> BGPSpeaker.RoutePolicy.Route {
        .init(prefix: Prefix(prefix)!, attributes: PathAttributes(), nextHop: .v4(IPv4Address(172, 20, 0, 11)))
    }

    func peer(filters: [String], address: String = "172.20.0.12") -> PeerDescription {
        var d = PeerComputation.peers(for: "n1", in: BGPTopology(nodes: [Node(name: "n1", bgp: .init(ipv4Address: "172.20.0.11/24")),
                                                                         Node(name: "n2", bgp: .init(ipv4Address: "172.20.0.12/24"))]))[0]
        d.filters = filters
        d.address = IPAddress(address)!
        return d
    }

    func filter(_ yaml: String) throws -> BGPFilter {
        let store = try Datastore()
        let out = Calicoctl(store: store).create(file: yaml)
        XCTAssertEqual(out.exitCode, 0, out.description)
        guard case .bgpFilter(let f)? = store.list(.bgpFilter).first else { throw XCTSkip("no filter stored") }
        return f
    }

    static let filterYAML = CalicoYAML.resource("BGPFilter", "f", spec: """
        importV4:
        - action: Accept
          matchOperator: Equal
          cidr: 10.9.0.0/16
        - action: Reject
          matchOperator: In
          cidr: 10.9.0.0/16
        - action: Reject
          matchOperator: NotIn
          cidr: 10.0.0.0/8
          prefixLength:
            max: 24
        exportV4:
        - action: Reject
          matchOperator: Equal
          cidr: 10.244.1.0/26
        - action: Accept
          matchOperator: In
          cidr: 192.168.50.0/24
        - action: Reject
          source: RemotePeers
          matchOperator: In
          cidr: 10.244.128.0/17
        exportV6:
        - action: Reject
          matchOperator: NotEqual
          cidr: fd00:244::/48
        """)

    func testTypedRulesKeepOperatorsAndLengths() throws {
        let f = try filter(Self.filterYAML)
        let rules = f.rules(.importV4)
        XCTAssertEqual(rules.map(\.matchOperator), [.equal, .in, .notIn])
        XCTAssertEqual(rules.map(\.accept), [true, false, false])
        XCTAssertEqual(rules[2].prefixLengthMax, 24)
        XCTAssertNil(rules[2].prefixLengthMin)
        XCTAssertTrue(rules[0].cidrMatches(Prefix("10.9.0.0/16")!))
        XCTAssertFalse(rules[0].cidrMatches(Prefix("10.9.1.0/24")!), "Equal is the exact prefix")
        XCTAssertTrue(rules[1].cidrMatches(Prefix("10.9.1.0/24")!), "In is net ~ cidr: more specifics too")
        XCTAssertTrue(rules[2].cidrMatches(Prefix("10.1.0.0/25")!), "NotIn [10/8{8,24}]: a /25 is not in the set")
        XCTAssertFalse(rules[2].cidrMatches(Prefix("10.1.0.0/24")!))
        XCTAssertEqual(f.rules(.exportV4)[2].remotePeersOnly, true)
        XCTAssertEqual(f.rules(.exportV6).count, 1)
        XCTAssertTrue(f.rules(.importV6).isEmpty)
    }

    func testImportRulesFirstMatchThenAccept() throws {
        let f = try filter(Self.filterYAML)
        let d = peer(filters: ["f"])
        let all = CalicoExport.policies(calico(), peers: [d], local: [block], filters: ["f": f])
        let imp = try XCTUnwrap(all[try XCTUnwrap(CalicoExport.importPolicyName(d))])
        func imported(_ p: String) -> Bool { imp.apply(to: route(p), neighborAS: 64512) != nil }
        XCTAssertTrue(imported("10.9.0.0/16"), "rule 1 accepts the exact /16 before rule 2 rejects it")
        XCTAssertFalse(imported("10.9.4.0/24"))
        XCTAssertFalse(imported("172.16.0.0/16"), "outside 10/8: NotIn rejects")
        XCTAssertFalse(imported("10.1.0.0/25"), "longer than the set's max: NotIn rejects")
        XCTAssertTrue(imported("10.1.0.0/24"), "no rule decides: the peer's default accept")
        XCTAssertNil(CalicoExport.importPolicyName(peer(filters: [])), "peers without filters import everything")
    }

    func testExportRulesRunBeforeCalicosExportFilter() throws {
        let f = try filter(Self.filterYAML)
        let d = peer(filters: ["f"])
        let all = CalicoExport.policies(calico(), peers: [d], local: [block], filters: ["f": f])
        XCTAssertEqual(CalicoExport.exportPolicyName(peer(filters: [])), CalicoExport.policyName)
        let exp = try XCTUnwrap(all[CalicoExport.exportPolicyName(d)])
        func exported(_ p: String) -> Bool { exp.apply(to: route(p), neighborAS: 64512) != nil }
        XCTAssertFalse(exported("10.244.1.0/26"), "the filter rejects the node's own block")
        XCTAssertTrue(exported("192.168.50.0/24"), "a filter accept wins over Calico's non-pool reject")
        XCTAssertFalse(exported("10.244.200.0/26"), "RemotePeers: a learned block in 10.244.128/17 is rejected")
        XCTAssertTrue(exported("10.244.2.0/26"), "other in-pool routes fall through to calico_export_to_bgp_peers")
        XCTAssertFalse(exported("10.244.1.7/32"), "calico_aggr still hides more-specifics of the own block")
        XCTAssertFalse(exported("192.168.51.0/24"))

        // RemotePeers does not cover what the node originates itself.
        let own = Prefix("10.244.200.0/26")!
        let withOwn = CalicoExport.policies(calico(), peers: [d], local: [own], filters: ["f": f])[CalicoExport.exportPolicyName(d)]!
        XCTAssertNotNil(withOwn.apply(to: route("10.244.200.0/26"), neighborAS: 64512))

        // IPv6 peers use the V6 lists.
        let d6 = peer(filters: ["f"], address: "fd00:20::12")
        let exp6 = try XCTUnwrap(CalicoExport.policies(calico(), peers: [d6], local: [], filters: ["f": f])[CalicoExport.exportPolicyName(d6)])
        XCTAssertNotEqual(CalicoExport.exportPolicyName(d6), CalicoExport.exportPolicyName(d))
        XCTAssertNil(exp6.apply(to: route("fd00:99::/64"), neighborAS: 64512), "NotEqual fd00:244::/48 rejects")
        XCTAssertNotNil(exp6.apply(to: route("fd00:244::/48"), neighborAS: 64512))
    }

    func testCommunitiesOnExportedPrefixAndMoreSpecifics() throws {
        let ads = [BGPConfiguration.PrefixAdvertisement(cidr: Prefix("10.244.0.0/16")!, communities: [Community(asn: 65001, value: 100)]),
                   BGPConfiguration.PrefixAdvertisement(cidr: block, communities: [Community(asn: 65001, value: 200)],
                                                        largeCommunities: [LargeCommunity(1, 2, 3)])]
        let export = CalicoExport.policy(calico(advertisements: ads))
        let own = try XCTUnwrap(export.apply(to: route("10.244.1.0/26"), neighborAS: 64512))
        XCTAssertEqual(own.attributes.communities, [Community(asn: 65001, value: 100), Community(asn: 65001, value: 200)])
        XCTAssertEqual(own.attributes.largeCommunities, [LargeCommunity(1, 2, 3)])
        let other = try XCTUnwrap(export.apply(to: route("10.244.2.0/26"), neighborAS: 64512))
        XCTAssertEqual(other.attributes.communities, [Community(asn: 65001, value: 100)])
        XCTAssertTrue(other.attributes.largeCommunities.isEmpty)
        XCTAssertNil(export.apply(to: route("10.244.1.9/32"), neighborAS: 64512), "adding communities does not accept")
    }

    func testNodeAdvertisementsReplaceTheDefaultOnes() throws {
        let store = try Datastore()
        let out = Calicoctl(store: store).create(file: CalicoYAML.documents(
            CalicoYAML.node("n1", ipv4: "172.20.0.11/24"),
            CalicoYAML.resource("BGPConfiguration", "default", spec: """
                communities:
                - name: web
                  value: 65001:100
                prefixAdvertisements:
                - cidr: 10.244.0.0/16
                  communities: [web, "1:2:3"]
                """),
            CalicoYAML.resource("BGPConfiguration", "node.n2", spec: """
                prefixAdvertisements:
                - cidr: 10.244.0.0/16
                  communities: ["65002:7"]
                """)))
        XCTAssertEqual(out.exitCode, 0, out.description)
        let n1 = try XCTUnwrap(Calico.RoutePolicy(nodeName: "n1", store: store))
        XCTAssertEqual(n1.communities(for: Prefix("10.244.3.0/26")!).standard, [Community(asn: 65001, value: 100)])
        XCTAssertEqual(n1.communities(for: Prefix("10.244.3.0/26")!).large, [LargeCommunity(1, 2, 3)])
        XCTAssertTrue(n1.communities(for: Prefix("10.245.0.0/26")!).standard.isEmpty)
        try store.create(AnyResource(Node(name: "n2", bgp: .init(ipv4Address: "172.20.0.12/24"))))
        let n2 = try XCTUnwrap(Calico.RoutePolicy(nodeName: "n2", store: store))
        XCTAssertEqual(n2.communities(for: Prefix("10.244.3.0/26")!).standard, [Community(asn: 65002, value: 7)])
        XCTAssertTrue(n2.communities(for: Prefix("10.244.3.0/26")!).large.isEmpty, "node.n2's list replaces default's")
    }

    func testInterfaceGlobs() {
        XCTAssertTrue(BGPFilter.interface("eth0", matches: "eth*"))
        XCTAssertFalse(BGPFilter.interface("cali1a2b3c", matches: "eth*"))
        XCTAssertTrue(BGPFilter.interface("eth0", matches: "eth?"))
        XCTAssertFalse(BGPFilter.interface("eth10", matches: "eth?"))
        XCTAssertTrue(BGPFilter.interface("axxbyyc", matches: "a*b*c"))
        XCTAssertTrue(BGPFilter.interface("ab", matches: "a*b"))
        XCTAssertFalse(BGPFilter.interface("abc", matches: "a*b"))
        XCTAssertTrue(BGPFilter.interface("vxlan.calico", matches: "*.calico"))
    }

    func testInterfaceClausesUseThePeersInterface() throws {
        let f = try filter(CalicoYAML.resource("BGPFilter", "f", spec: """
            importV4:
            - action: Reject
              interface: eth*
            exportV4:
            - action: Reject
              interface: eth*
            """))
        let d = peer(filters: ["f"])
        let viaEth = CalicoExport.policies(calico(), peers: [d], local: [block], filters: ["f": f], interfaces: [d.address: "eth0"])
        let imp = try XCTUnwrap(viaEth[try XCTUnwrap(CalicoExport.importPolicyName(d))])
        XCTAssertNil(imp.apply(to: route("10.244.2.0/26"), neighborAS: 64512), "the peer is behind eth0: everything it sends matches")
        let exp = try XCTUnwrap(viaEth[CalicoExport.exportPolicyName(d)])
        XCTAssertNotNil(exp.apply(to: route("10.244.1.0/26"), neighborAS: 64512), "the own blackhole block has no ifname")
        XCTAssertNil(exp.apply(to: route("10.244.2.0/26"), neighborAS: 64512), "a learned block's next hop is behind eth0")

        let viaOther = CalicoExport.policies(calico(), peers: [d], local: [block], filters: ["f": f], interfaces: [d.address: "ens3"])
        XCTAssertNotNil(viaOther[try XCTUnwrap(CalicoExport.importPolicyName(d))]?.apply(to: route("10.244.2.0/26"), neighborAS: 64512))
        XCTAssertNotNil(viaOther[CalicoExport.exportPolicyName(d)]?.apply(to: route("10.244.2.0/26"), neighborAS: 64512))
    }

    func testContinueRuleRewritesThenLaterRulesDecide() {
        typealias P = BGPSpeaker.RoutePolicy
        let tag = P.Rule(match: .init(prefixes: [.init(Prefix("10.0.0.0/8")!, ge: 8, le: 32)]), set: [.addCommunities([Community(7)])], continues: true)
        let notTen = P.Rule(match: .init(notPrefixes: [.init(Prefix("10.0.0.0/8")!, ge: 8, le: 32)]), action: .deny)
        let policy = P(rules: [tag, notTen], defaultAction: .permit)
        XCTAssertEqual(policy.apply(to: route("10.1.0.0/16"), neighborAS: 1)?.attributes.communities, [Community(7)])
        XCTAssertNil(policy.apply(to: route("11.0.0.0/8"), neighborAS: 1))
        XCTAssertNil(P(rules: [tag], defaultAction: .deny).apply(to: route("10.1.0.0/16"), neighborAS: 1), "a continue rule alone does not accept")
    }
}
