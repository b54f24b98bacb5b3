import XCTest
@testable import Calico

/// The seeds' calicoctl command lines, run through the argument parser.
final class CalicoctlArgumentsTests: XCTestCase {
    func run(_ ctl: Calicoctl, _ line: [String], files: [String: String] = [:], stdin: String? = nil) -> CommandOutput {
        ctl.execute(line, environment: .init(readFile: { name in
            guard let t = files[name] else { throw CalicoError("no file") }
            return t
        }, stdin: stdin))
    }

    func testSeedCommandLines() throws {
        let store = try Datastore()
        let ctl = Calicoctl(store: store)
        for i in 1...3 { try store.create(SeedStores.node("node\(i)", "172.20.0.1\(i)/24")) }
        XCTAssertEqual(run(ctl, ["apply", "-f", "bgpconf.yaml"], files: ["bgpconf.yaml": Seed001.bgpConf]).stdout,
                       "Successfully applied 1 'BGPConfiguration' resource(s)\n")
        XCTAssertEqual(run(ctl, ["get", "bgpconfig"]).stdout,
                       "NAME      LOGSEVERITY   MESHENABLED   ASNUMBER   \ndefault   Info          false         64512      \n\n")
        XCTAssertEqual(run(ctl, ["get", "nodes", "--output=wide"]), run(ctl, ["get", "nodes", "-o", "wide"]))
        XCTAssertEqual(run(ctl, ["get", "nodes", "-owide"]), run(ctl, ["get", "nodes", "-o", "wide"]))
        XCTAssertTrue(run(ctl, ["get", "node", "node1", "-o", "yaml"]).stdout.hasPrefix("apiVersion: projectcalico.org/v3\nkind: Node\n"))
        XCTAssertEqual(run(ctl, ["create", "-f", "-"], stdin: Seed000.rrPeer).stdout, "Successfully created 1 'BGPPeer' resource(s)\n")
        XCTAssertEqual(run(ctl, ["patch", "node", "node1", "-p", Seed000.clusterIDPatch]).stdout, "Successfully patched 1 'Node' resource\n")
        XCTAssertEqual(run(ctl, ["patch", "BGPConfig", "default", "--patch", Seed001.serviceIPPatch]).stdout,
                       "Successfully patched 1 'BGPConfiguration' resource\n")
        // Seed 003 typed a typographic hyphen.
        XCTAssertEqual(run(ctl, ["create", "\u{2010}f", "bgp_peer.yaml"], files: ["bgp_peer.yaml": Seed003.bgpPeer]).stdout,
                       "Successfully created 1 'BGPPeer' resource(s)\n")
        XCTAssertEqual(run(ctl, ["delete", "-f", "bgp_peer.yaml"], files: ["bgp_peer.yaml": Seed003.bgpPeer]).stdout,
                       "Successfully deleted 1 'BGPPeer' resource(s)\n")
        XCTAssertEqual(run(ctl, ["delete", "bgppeer", "peer-with-route-reflectors"]).stdout, "Successfully deleted 1 'BGPPeer' resource(s)\n")
        XCTAssertEqual(run(ctl, ["get", "bgpconfig", "default", "--export", "-o", "yaml"]).stdout.contains("resourceVersion"), false)
        XCTAssertEqual(run(ctl, ["get", "wep", "--all-namespaces"]).stdout, "NAMESPACE   WORKLOAD   NODE   NETWORKS   INTERFACE   \n\n")
        XCTAssertEqual(run(ctl, ["ipam", "show", "--show-blocks"]).exitCode, 0)
        XCTAssertEqual(run(ctl, ["node", "status"]).stderr, "Calico process is not running.\n")
        XCTAssertEqual(run(ctl, ["-h"]).stdout, Calicoctl.usage)
        XCTAssertEqual(run(ctl, ["get", "--bogus"]).stderr,
                       "Invalid option: 'calicoctl get --bogus'. Use flag '--help' to read about a specific subcommand.\n")
        XCTAssertEqual(run(ctl, ["apply", "-f", "missing.yaml"]).stderr, "Failed to execute command: open missing.yaml: no such file or directory\n")
    }
}
