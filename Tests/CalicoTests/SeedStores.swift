import XCTest
import BGPWire
@testable import Calico

/// Datastores set up the way the seeds' commands leave them.
enum SeedStores {
    static func node(_ name: String, _ ip: String, asn: UInt32? = nil, cluster: String? = nil, labels: [String: String] = [:]) -> AnyResource {
        AnyResource(Node(name: name, labels: labels, bgp: .init(asNumber: asn.map(ASNumber.init), ipv4Address: ip, routeReflectorClusterID: cluster)))
    }

    static func ok(_ out: CommandOutput, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(out.exitCode, 0, out.description, file: file, line: line)
    }

    /// Seed 001's AS-per-rack fabric after all BGPPeers are applied.
    static func seed001() throws -> Datastore {
        let store = try Datastore()
        let ctl = Calicoctl(store: store)
        ok(ctl.apply(file: Seed001.bgpConf))
        let racks: [(String, String, UInt32, String)] = [("node1", "172.20.0.11", 64512, "rr1"), ("node2", "172.20.0.12", 64512, "rr1"),
                                                         ("node3", "172.20.0.13", 64512, "rr1"), ("node4", "173.20.0.11", 64513, "rr2"),
                                                         ("node5", "173.20.0.12", 64513, "rr2"), ("node6", "173.20.0.13", 64513, "rr2")]
        for (name, ip, asn, _) in racks {
            let isRR = !name.hasSuffix("3") && !name.hasSuffix("6")
            try store.create(node(name, ip + "/24", asn: asn, cluster: isRR ? ip : nil, labels: ["kubernetes.io/hostname": name]))
        }
        ok(ctl.apply(file: Seed001.node1))
        // `kubectl label nodes node1 rr-group=rr1` and so on.
        for (name, _, _, group) in racks {
            ok(ctl.label(kind: "nodes", name: name, label: "rr-group=\(group)"))
            if !name.hasSuffix("3") && !name.hasSuffix("6") { ok(ctl.label(kind: "nodes", name: name, label: "rr-id=\(group)")) }
        }
        for f in [Seed001.rr1ToLeaf1, Seed001.rr1ToNode, Seed001.rr2ToLeaf2, Seed001.rr2ToNode] {
            XCTAssertEqual(ctl.apply(file: f).stdout, "Successfully applied 1 'BGPPeer' resource(s)\n")
        }
        return store
    }

}
