import XCTest
@testable import Calico

final class BGPFilterTests: XCTestCase {
    func testFilterKindTableAndPeerReferences() throws {
        let store = try Datastore()
        let ctl = Calicoctl(store: store)
        let peer = """
        apiVersion: projectcalico.org/v3
        kind: BGPPeer
        metadata:
          name: tor
        spec:
          peerIP: 10.0.0.254
          asNumber: 65001
          filters:
          - test-filter
        """
        XCTAssertEqual(ctl.create(file: peer).stderr,
                       "Failed to create 'BGPPeer' resource: [error with field BGPPeer.Spec.Filters = '[test-filter]' (BGPFilter(s) not found)]\n")
        let filter = """
        apiVersion: projectcalico.org/v3
        kind: BGPFilter
        metadata:
          name: test-filter
        spec:
          importV4:
          - action: Accept
            matchOperator: In
            cidr: 44.0.0.0/16
          - action: Reject
            source: RemotePeers
            cidr: 44.1.0.0/16
            matchOperator: In
          exportV6:
          - action: Reject
            interface: eth*
        """
        XCTAssertEqual(ctl.create(file: filter).stdout, "Successfully created 1 'BGPFilter' resource(s)\n")
        XCTAssertEqual(ctl.create(file: peer).exitCode, 0)
        XCTAssertEqual(ctl.get(kind: "bgpfilters").stdout,
                       "NAME          NUMEXPORTV4   NUMIMPORTV4   NUMEXPORTV6   NUMIMPORTV6   \ntest-filter   0             2             1             0             \n\n")
        XCTAssertEqual(PeerComputation.peers(for: "n", in: BGPTopology(nodes: [Node(name: "n", bgp: .init(ipv4Address: "10.0.0.1/24"))],
                                                                     peers: store.list(.bgpPeer).compactMap(\.bgpPeer))).first?.filters, ["test-filter"])
        let bad = filter.replacingOccurrences(of: "action: Accept", with: "action: Maybe").replacingOccurrences(of: "test-filter", with: "bad")
        XCTAssertTrue(ctl.create(file: bad).stderr.contains("error with field Action = 'Maybe'"))
        let unknown = filter.replacingOccurrences(of: "matchOperator: In\n    cidr: 44.0.0.0/16", with: "matchOperator: In\n    bogus: 1")
        XCTAssertEqual(ResourceFile.decodeError(unknown), "error parsing document: json: unknown field \"bogus\"")
    }
}

extension ResourceFile {
    static func decodeError(_ text: String) -> String? {
        do { _ = try decode(text); return nil } catch { return "\(error)" }
    }
}
