import Foundation
import XCTest
@testable import Lab

/// Vendor devices configured only by typing through `peerlab exec` (the built binary, as a user runs it):
/// a VRP core and a Comware leaf that start with only a name and a Quagga router without BGP get ports,
/// VLANs, addresses and BGP from CLI scripts (standard input and `-c`), exchange their loopbacks, route
/// packets between them, and come back the same after `save` / `write memory` and `peerlab redeploy`. Labs are `plt-vx-<pid>…` in a private state root;
/// tearDown removes every namespace, process and file, also when an assertion fails.
final class VendorExecLabTests: PeerlabBinaryTestCase {
    override var labPrefix: String { "plt-vx" }

    /// `peerlab exec NODE` with `script` on standard input; the script must run without a CLI error.
    @discardableResult
    func type(_ node: String, lab: String, _ script: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        let result = run(["exec", node, "--lab", lab], input: script)
        XCTAssertEqual(result.status, 0, "\(node) refused a line:\n\(result.output)", file: file, line: line)
        return result.output
    }

    /// One display line through `peerlab exec NODE -- WORDS`.
    func show(_ node: String, lab: String, _ words: String) -> String {
        run(["exec", node, "--lab", lab, "--"] + words.split(separator: " ").map(String.init)).output
    }

    /// A command inside a node's namespace (for `ip route` and `ping` on switches, whose exec is their CLI).
    func inside(_ node: String, lab: String, _ argv: [String]) -> (status: Int32, output: String) {
        Shell.run(["/usr/sbin/ip", "netns", "exec", LabNames(lab: lab).namespace(for: node)] + argv)
    }

    /// Polls `check` every half second until it holds or `seconds` pass; returns whether it held.
    func eventually(_ seconds: Double, _ check: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if check() { return true }
            usleep(500_000)
        }
        return check()
    }

    /// Rows of a peer summary whose first word is `peer` and that show the session up: VRP and Comware
    /// name the state, Quagga shows a prefix count in the last column.
    static func established(_ summary: String, peer: String, quagga: Bool = false) -> Bool {
        summary.split(separator: "\n").contains { row in
            let words = row.split(separator: " ").map(String.init)
            guard words.first == peer else { return false }
            return quagga ? Int(words.last ?? "") != nil : words.contains("Established")
        }
    }

    /// The switches start with a name and nothing else: ports, VLANs, addresses and BGP are typed.
    static let core = """
        sysname core
        #
        return
        """

    static let leaf = """
        #
         sysname leaf
        #
        return
        """

    /// core (VRP, AS 65009) — VLAN 10 — leaf (Comware, AS 65010); core — routed port — router (Quagga,
    /// AS 65011). No BGP anywhere until it is typed; the router's addresses come from the lab file.
    func fabric(_ lab: String) -> String {
        func indent(_ text: String) -> String { text.split(separator: "\n", omittingEmptySubsequences: false).map { "        " + $0 }.joined(separator: "\n") }
        return dir.write("\(lab)/lab.yaml", """
        name: \(lab)
        topology:
          nodes:
            core:
              kind: huawei-vrp
              startup-config: |
        \(indent(Self.core))
            leaf:
              kind: h3c-comware
              startup-config: |
        \(indent(Self.leaf))
            router:
              kind: quagga
              startup-config: |
                hostname router
                !
              interfaces: {eth0: 10.91.20.2/24, lo: 10.91.0.3/32}
          links:
            - endpoints: ["core:GigabitEthernet0/0/1", "leaf:GigabitEthernet1/0/1"]
            - endpoints: ["core:GigabitEthernet0/0/2", "router:eth0"]
        """)
    }

    func testBGPTypedThroughExecSurvivesSaveAndRedeploy() throws {
        let lab = labName("b")
        let up = run(["up", fabric(lab)])
        XCTAssertEqual(up.status, 0, up.output)
        guard up.status == 0 else { return }
        XCTAssertFalse(show("core", lab: lab, "display current-configuration").contains("bgp"), "no BGP before it is typed")

        XCTAssertNotEqual(inside("leaf", lab: lab, ["ping", "-c", "1", "-W", "1", "10.91.20.2"]).status, 0, "no path before anything is typed")

        // A here-document, indented as the configuration text shows it.
        let transcript = type("core", lab: lab, """
            system-view
            vlan batch 10
            interface Vlanif10
             ip address 10.91.10.1 255.255.255.0
             quit
            interface GigabitEthernet0/0/1
             port link-type access
             port default vlan 10
             quit
            interface GigabitEthernet0/0/2
             undo portswitch
             ip address 10.91.20.1 255.255.255.0
             quit
            interface LoopBack0
             ip address 10.91.0.1 255.255.255.255
             quit
            bgp 65009
             router-id 10.91.0.1
             peer 10.91.10.2 as-number 65010
             peer 10.91.20.2 as-number 65011
             ipv4-family unicast
              network 10.91.0.1 255.255.255.255
            return
            """)
        XCTAssertTrue(transcript.contains("<core>system-view"), "each line is echoed after its prompt:\n\(transcript)")
        XCTAssertTrue(transcript.contains("[core-bgp] peer 10.91.10.2 as-number 65010"), transcript)
        XCTAssertTrue(transcript.contains("[core-bgp-af-ipv4]"), transcript)
        type("leaf", lab: lab, """
            system-view
            interface GigabitEthernet1/0/1
             port link-mode route
             ip address 10.91.10.2 255.255.255.0
             quit
            interface LoopBack0
             ip address 10.91.0.2 255.255.255.255
             quit
            bgp 65010
             router-id 10.91.0.2
             peer 10.91.10.1 as-number 65009
             address-family ipv4 unicast
              peer 10.91.10.1 enable
              network 10.91.0.2 255.255.255.255
            return
            """)
        // `-c` lines, as `vtysh -c … -c …`.
        let router = run(["exec", "router", "--lab", lab, "-c", "configure terminal", "-c", "router bgp 65011",
                          "-c", "bgp router-id 10.91.0.3", "-c", "neighbor 10.91.20.1 remote-as 65009",
                          "-c", "network 10.91.0.3/32", "-c", "end"])
        XCTAssertEqual(router.status, 0, router.output)

        let sessionsUp = eventually(60) {
            let core = show("core", lab: lab, "display bgp peer")
            return Self.established(core, peer: "10.91.10.2") && Self.established(core, peer: "10.91.20.2")
                && Self.established(show("leaf", lab: lab, "display bgp peer ipv4"), peer: "10.91.10.1")
                && Self.established(show("router", lab: lab, "show ip bgp summary"), peer: "10.91.20.1", quagga: true)
        }
        XCTAssertTrue(sessionsUp, """
            sessions did not come up:
            \(show("core", lab: lab, "display bgp peer"))
            \(show("leaf", lab: lab, "display bgp peer ipv4"))
            \(show("router", lab: lab, "show ip bgp summary"))
            """)

        // Each speaker has the other two loopbacks: in its BGP table and in its kernel.
        let loopbacks = ["core": "10.91.0.1", "leaf": "10.91.0.2", "router": "10.91.0.3"]
        let tables = ["core": "display bgp routing-table", "leaf": "display bgp routing-table ipv4", "router": "show ip bgp"]
        for (node, command) in tables.sorted(by: { $0.key < $1.key }) {
            let others = loopbacks.filter { $0.key != node }.values.sorted()
            XCTAssertTrue(eventually(20) { let t = show(node, lab: lab, command); return others.allSatisfy { t.contains($0) } },
                          "\(node) \(command) lacks \(others):\n\(show(node, lab: lab, command))")
            let kernel = inside(node, lab: lab, ["ip", "-4", "route", "show", "proto", "bgp"]).output
            for other in others {
                XCTAssertTrue(kernel.contains("\(other) via") || kernel.contains("\(other) proto"), "\(node)'s kernel has no BGP route to \(other):\n\(kernel)")
            }
        }
        // Leaf to router crosses the core.
        let ping = inside("leaf", lab: lab, ["ping", "-c", "1", "-W", "2", "-I", "10.91.0.2", "10.91.0.3"])
        XCTAssertEqual(ping.status, 0, "leaf's loopback reaches the router's across the core:\n\(ping.output)")

        // A failing line is named, and the lines after it still run.
        let mixed = run(["exec", "core", "--lab", lab], input: "display version\ndisplay bogus\ndisplay bgp peer\n")
        XCTAssertEqual(mixed.status, 1, mixed.output)
        XCTAssertTrue(mixed.output.contains("core: line 2: display bogus: Error:"), mixed.output)
        XCTAssertTrue(mixed.output.contains("<core>display bgp peer\n"), "the line after the error ran:\n\(mixed.output)")
        XCTAssertTrue(mixed.output.contains("Peers in established state : 2"), mixed.output)

        let before = ["core": show("core", lab: lab, "display current-configuration"),
                      "leaf": show("leaf", lab: lab, "display current-configuration"),
                      "router": show("router", lab: lab, "show running-config")]
        XCTAssertTrue(before["core"]!.contains("peer 10.91.10.2 as-number 65010"), before["core"]!)
        XCTAssertTrue(type("core", lab: lab, "save\ny\n").contains("Save the configuration successfully."))
        XCTAssertTrue(type("leaf", lab: lab, "save\ny\n\ny\n").contains("successfully"))
        XCTAssertEqual(run(["exec", "router", "--lab", lab, "--", "write", "memory"]).status, 0)

        let redeploy = run(["redeploy", lab])
        XCTAssertEqual(redeploy.status, 0, redeploy.output)
        XCTAssertTrue(redeploy.output.contains("from saved configurations: core, leaf, router"), redeploy.output)
        XCTAssertEqual(show("core", lab: lab, "display current-configuration"), before["core"])
        XCTAssertEqual(show("leaf", lab: lab, "display current-configuration"), before["leaf"])
        XCTAssertEqual(show("router", lab: lab, "show running-config"), before["router"])
        XCTAssertTrue(eventually(60) {
            Self.established(show("core", lab: lab, "display bgp peer"), peer: "10.91.20.2")
                && Self.established(show("leaf", lab: lab, "display bgp peer ipv4"), peer: "10.91.10.1")
                && Self.established(show("router", lab: lab, "show ip bgp summary"), peer: "10.91.20.1", quagga: true)
        }, "sessions are back after redeploy")
        XCTAssertEqual(inside("leaf", lab: lab, ["ping", "-c", "1", "-W", "2", "-I", "10.91.0.2", "10.91.0.3"]).status, 0)

        XCTAssertEqual(run(["down", lab]).status, 0)
        XCTAssertEqual(NetworkNamespaces.all().filter(LabNames(lab: lab).owns(namespace:)), [])
    }

    /// Port changes typed on a running switch re-plumb its segments at once: a port moved from VLAN 98 to
    /// VLAN 99 leaves the hosts of VLAN 98 (and comes back when moved back), `undo portswitch` + `ip address`
    /// makes it a routed port, and a VLAN interface created at run time gets its segment; `save` and
    /// `redeploy` keep that cabling.
    func testPortChangesReplumbTheSwitchLive() throws {
        let lab = labName("v")
        let file = dir.write("\(lab)/lab.yaml", """
        name: \(lab)
        topology:
          nodes:
            core:
              kind: huawei-vrp
              startup-config: |
                sysname core
                #
                vlan batch 98 99
                #
                interface Vlanif98
                 ip address 10.96.98.1 255.255.255.0
                #
                interface Vlanif99
                 ip address 10.96.99.1 255.255.255.0
                #
                interface GigabitEthernet0/0/1
                 port link-type access
                 port default vlan 98
                #
                interface GigabitEthernet0/0/2
                 port link-type access
                 port default vlan 98
                #
                return
            h1: {kind: host, interfaces: {eth0: [10.96.98.11/24, 10.96.100.11/24]}}
            h2: {kind: host, interfaces: {eth0: [10.96.98.12/24, 10.96.99.12/24, 10.96.97.12/24]}}
          links:
            - endpoints: ["core:GigabitEthernet0/0/1", "h1:eth0"]
            - endpoints: ["core:GigabitEthernet0/0/2", "h2:eth0"]
        """)
        let up = run(["up", file])
        XCTAssertEqual(up.status, 0, up.output)
        guard up.status == 0 else { return }
        func ping(_ from: String, _ address: String) -> Bool {
            run(["exec", from, "--lab", lab, "--", "ping", "-c", "1", "-W", "1", address]).status == 0
        }
        func port2(_ lines: String...) {
            let typed = run(["exec", "core", "--lab", lab, "-c", "system-view", "-c", "interface GigabitEthernet0/0/2"]
                            + lines.flatMap { ["-c", $0] } + ["-c", "return"])
            XCTAssertEqual(typed.status, 0, typed.output)
        }

        XCTAssertTrue(ping("h2", "10.96.98.11"), "h1 and h2 share VLAN 98")
        XCTAssertTrue(ping("h2", "10.96.98.1"), "h2 reaches Vlanif98")

        port2("port default vlan 99")
        XCTAssertFalse(ping("h2", "10.96.98.11"), "GigabitEthernet0/0/2 left VLAN 98")
        XCTAssertTrue(ping("h2", "10.96.99.1"), "and joined VLAN 99")
        XCTAssertTrue(show("core", lab: lab, "display current-configuration").contains(" port default vlan 99"))

        port2("port default vlan 98")
        XCTAssertTrue(ping("h2", "10.96.98.11"), "back in VLAN 98")

        port2("undo portswitch", "ip address 10.96.97.1 255.255.255.0")
        XCTAssertTrue(ping("h2", "10.96.97.1"), "the routed port answers on its own address")
        XCTAssertFalse(ping("h2", "10.96.98.11"), "a routed port is in no VLAN")
        let routed = inside("core", lab: lab, ["ip", "-4", "-o", "address", "show", "dev", "ge0-0-2"]).output
        XCTAssertTrue(routed.contains("10.96.97.1/24"), routed)

        // A VLAN and its interface created at run time, and a port moved into it.
        let typed = run(["exec", "core", "--lab", lab], input: """
            system-view
            vlan batch 100
            interface Vlanif100
             ip address 10.96.100.1 255.255.255.0
             quit
            interface GigabitEthernet0/0/1
             port default vlan 100
            return
            """)
        XCTAssertEqual(typed.status, 0, typed.output)
        XCTAssertTrue(ping("h1", "10.96.100.1"), "h1 reaches the new Vlanif100")

        // Saved and redeployed, the switch is cabled as its saved configuration says.
        XCTAssertEqual(run(["exec", "core", "--lab", lab], input: "save\ny\n").status, 0)
        let redeploy = run(["redeploy", lab])
        XCTAssertEqual(redeploy.status, 0, redeploy.output)
        XCTAssertTrue(ping("h2", "10.96.97.1"), "still a routed port after redeploy")
        XCTAssertTrue(ping("h1", "10.96.100.1"), "still in VLAN 100 after redeploy")
        XCTAssertFalse(ping("h2", "10.96.98.11"), "h1 and h2 share no VLAN after redeploy")

        XCTAssertEqual(run(["down", lab]).status, 0)
        XCTAssertEqual(NetworkNamespaces.all().filter(LabNames(lab: lab).owns(namespace:)), [])
    }
}
