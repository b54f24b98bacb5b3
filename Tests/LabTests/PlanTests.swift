import XCTest
@testable import Lab

final class PlanTests: XCTestCase {
    let paths = LabPaths(root: "/run/peerlab", lab: "seed-001")

    func seed001() throws -> (Topology, LabPlan) {
        let topology = try TopologyLoader().load(path: Repo.labs + "/seed-001/topology.yaml").get()
        return (topology, LabPlan(topology: topology, paths: paths))
    }

    func index(_ plan: LabPlan, _ step: LabStep, file: StaticString = #filePath, line: UInt = #line) -> Int {
        guard let i = plan.steps.firstIndex(of: step) else {
            XCTFail("plan lacks \(step)", file: file, line: line)
            return -1
        }
        return i
    }

    func testNamespacesComeFirstAndDaemonsLast() throws {
        let (_, plan) = try seed001()
        let kinds = plan.steps.map { step -> Int in
            switch step {
            case .createNamespace: return 0
            case .startDaemon: return 2
            default: return 1
            }
        }
        XCTAssertEqual(kinds, kinds.sorted(), "namespaces first, daemons last")
        XCTAssertEqual(plan.namespaces.map(\.name), ["seed-001-spine", "seed-001-leaf01", "seed-001-leaf02"] + (1...6).map { "seed-001-node\($0)" })
        XCTAssertEqual(plan.daemons.map(\.node), ["spine", "leaf01", "leaf02"] + (1...6).map { "node\($0)" })
        XCTAssertEqual(plan.daemons[1].arguments, ["device", "run", "--kind", "h3c-comware", "--name", "leaf01",
                                                   "--socket", "/run/peerlab/seed-001/sockets/leaf01.sock",
                                                   "--startup-config", "/run/peerlab/seed-001/configs/leaf01.cfg",
                                                   "--save-to", "/run/peerlab/seed-001/saved/leaf01.cfg"])
        XCTAssertEqual(plan.daemons[3].arguments, ["calico-node", "run", "--lab-dir", "/run/peerlab/seed-001", "--node", "node1",
                                                   "--socket", "/run/peerlab/seed-001/sockets/node1.sock"])
        XCTAssertEqual(plan.daemons[1].socket, "/run/peerlab/seed-001/sockets/leaf01.sock")
    }

    func testVethNamesOnBothEnds() throws {
        let (_, plan) = try seed001()
        XCTAssertEqual(plan.veths.count, 8)
        let first = plan.veths[0]
        XCTAssertEqual(first.a, VethEnd(node: "leaf01", namespace: "seed-001-leaf01", name: "ge1-0-1", port: "GigabitEthernet1/0/1"))
        XCTAssertEqual(first.b, VethEnd(node: "spine", namespace: "seed-001-spine", name: "ge1-0-1", port: "GigabitEthernet1/0/1"))
        let toNode1 = plan.veths[2]
        XCTAssertEqual(toNode1.b, VethEnd(node: "node1", namespace: "seed-001-node1", name: "eth0", port: "eth0"))
        for veth in plan.veths { XCTAssertTrue([veth.a, veth.b].allSatisfy { $0.name.utf8.count <= 15 && $0.namespace.utf8.count <= 15 }) }
    }

    func testSwitchPortsBehaveAsOnTheSwitch() throws {
        let (_, plan) = try seed001()
        let leaf = "seed-001-leaf01"
        let bridge = index(plan, .createBridge(namespace: leaf, name: "swbr", vlanFiltering: true))
        let bridgeSelf = index(plan, .setBridgeVLANs(namespace: leaf, device: "swbr", isBridgeItself: true, vlans: [BridgeVLAN(vlan: 10, pvid: false, untagged: false)]))
        let vlanif = index(plan, .createVLANInterface(namespace: leaf, name: "vlanif10", bridge: "swbr", vlan: 10, alias: "Vlan-interface10"))
        XCTAssertLessThan(bridge, bridgeSelf)
        XCTAssertLessThan(bridgeSelf, vlanif)
        // Access port to node1: bridge member, VLAN 10 untagged PVID only.
        let member = index(plan, .attachToBridge(namespace: leaf, port: "ge1-0-2", bridge: "swbr"))
        let access = index(plan, .setBridgeVLANs(namespace: leaf, device: "ge1-0-2", isBridgeItself: false, vlans: [BridgeVLAN(vlan: 10, pvid: true, untagged: true)]))
        XCTAssertLessThan(member, access)
        // Routed uplink: its own address, never a bridge member.
        _ = index(plan, .addAddress(namespace: leaf, interface: "ge1-0-1", address: try InterfaceAddress.parse("100.0.0.2/30").get()))
        XCTAssertFalse(plan.steps.contains(.attachToBridge(namespace: leaf, port: "ge1-0-1", bridge: "swbr")))
        // L3 on the VLAN interface and the loopback.
        _ = index(plan, .addAddress(namespace: leaf, interface: "vlanif10", address: try InterfaceAddress.parse("172.20.0.254/24").get()))
        _ = index(plan, .addAddress(namespace: leaf, interface: "lo", address: try InterfaceAddress.parse("2.2.2.2/32").get()))
        _ = index(plan, .setSysctl(namespace: leaf, key: "net.ipv4.ip_forward", value: "1"))
    }

    func testNodesGetAddressesThenRoutes() throws {
        let (_, plan) = try seed001()
        let node = "seed-001-node4"
        let veth = index(plan, .createVeth(plan.veths[5]))
        let address = index(plan, .addAddress(namespace: node, interface: "eth0", address: try InterfaceAddress.parse("173.20.0.11/24").get()))
        let up = index(plan, .setUp(namespace: node, interface: "eth0"))
        let route = index(plan, .addDefaultRoute(namespace: node, gateway: LabIPAddress("173.20.0.254")!))
        XCTAssertLessThan(veth, address)
        XCTAssertLessThan(address, up)
        XCTAssertLessThan(up, route)
    }

    func testTeardownIsTheReverse() throws {
        let (_, plan) = try seed001()
        let teardown = plan.teardownSteps
        XCTAssertEqual(teardown.count, 18)
        XCTAssertEqual(teardown.first, .stopDaemon(plan.daemons.last!))
        XCTAssertEqual(teardown.last, .deleteNamespace("seed-001-spine"))
        let stops = teardown.prefix(9).allSatisfy { if case .stopDaemon = $0 { return true } else { return false } }
        XCTAssertTrue(stops, "daemons stop before their namespaces go")
    }

    func testPlanIsDeterministic() throws {
        let (topology, plan) = try seed001()
        XCTAssertEqual(LabPlan(topology: topology, paths: paths), plan)
    }

    func testBridgeAndHostKinds() throws {
        let topology = try TopologyLoader().load(path: Repo.labs + "/seed-002/topology.yaml").get()
        let plan = LabPlan(topology: topology, paths: LabPaths(root: "/tmp/x", lab: "seed-002"))
        let tor = "seed-002-tor"
        _ = index(plan, .createBridge(namespace: tor, name: "br0", vlanFiltering: false))
        _ = index(plan, .attachToBridge(namespace: tor, port: "port5", bridge: "br0"))
        _ = index(plan, .setSysctl(namespace: tor, key: "net.ipv6.conf.all.disable_ipv6", value: "1"))
        _ = index(plan, .setSysctl(namespace: "seed-002-client", key: "net.ipv4.ip_forward", value: "0"))
        _ = index(plan, .runCommand(namespace: "seed-002-client", node: "client", command: "ip route add 172.27.208.0/22 via 172.31.13.116"))
        XCTAssertFalse(plan.daemons.contains { $0.node == "client" || $0.node == "tor" }, "host and bridge kinds run no daemon")
        XCTAssertEqual(plan.daemons.map(\.node), ["router", "k8s-1", "k8s-2", "k8s-3"])
    }

    func testTrunkPort() throws {
        let yaml = """
        name: trunk
        topology:
          nodes:
            sw1:
              kind: huawei-vrp
              startup-config: |
                vlan batch 10 20 30
                interface GigabitEthernet0/0/1
                 port link-type trunk
                 port trunk allow-pass vlan 10 to 11 20
            sw2: {kind: huawei-vrp}
          links:
            - endpoints: ["sw1:GigabitEthernet0/0/1", "sw2:GigabitEthernet0/0/1"]
        """
        let topology = try parse(yaml).get()
        let plan = LabPlan(topology: topology, paths: LabPaths(root: "/tmp/x", lab: "trunk"))
        let vlans = [1, 10, 11, 20].map { BridgeVLAN(vlan: $0, pvid: $0 == 1, untagged: $0 == 1) }
        _ = index(plan, .setBridgeVLANs(namespace: "trunk-sw1", device: "ge0-0-1", isBridgeItself: false, vlans: vlans))
        // An unconfigured port is an access port in VLAN 1, as on a factory-default switch.
        _ = index(plan, .setBridgeVLANs(namespace: "trunk-sw2", device: "ge0-0-1", isBridgeItself: false, vlans: [BridgeVLAN(vlan: 1, pvid: true, untagged: true)]))
        XCTAssertEqual(topology.nodes[0].switchLayout?.vlans, [10, 11, 20, 30])
    }
}

final class NamingTests: XCTestCase {
    func testShortLabNamesAreTheirOwnTag() {
        let names = LabNames(lab: "seed-001")
        XCTAssertEqual(names.tag, "seed-001")
        XCTAssertEqual(names.namespace(for: "leaf01"), "seed-001-leaf01")
    }

    func testLongNamesAreHashedWithin15Characters() {
        let names = LabNames(lab: "plt-topo-4194304")
        XCTAssertEqual(names.tag.count, 8)
        XCTAssertTrue(names.tag.hasPrefix("plt-"))
        XCTAssertNotEqual(names.tag, LabNames(lab: "plt-topo-4194305").tag)
        XCTAssertEqual(LabNames(lab: "plt-topo-4711").tag, "plt-e255", "the example in LabNames' doc comment")
        let long = LabNames(lab: "seed-002").namespace(for: "outside")
        XCTAssertEqual(long, "seed-002-ou2f4a")
        XCTAssertEqual(long.count, 15)
        XCTAssertTrue(long.hasPrefix("seed-002-ou"))
        XCTAssertNotEqual(long, LabNames(lab: "seed-002").namespace(for: "outsider"))
    }

    func testPrefixRelatedTagsClash() {
        XCTAssertTrue(LabNames(lab: "a").clashes(with: LabNames(lab: "a-b")))
        XCTAssertTrue(LabNames(lab: "a-b").clashes(with: LabNames(lab: "a")))
        XCTAssertFalse(LabNames(lab: "seed-001").clashes(with: LabNames(lab: "seed-002")))
        XCTAssertTrue(LabNames(lab: "seed").owns(namespace: "seed-x"))
        XCTAssertFalse(LabNames(lab: "seed").owns(namespace: "seedling-x"))
    }

    func testTwoNodesShorteningToOneNamespaceIsAnIssue() {
        // Both names cut to "seed-001-" + 2 characters + hash; different hashes keep them apart, so craft
        // the clash through the loader's check directly.
        var check = TopologyCheck(file: "lab.yaml", text: "", baseDirectory: ".", registry: .standard)
        let node = Node(name: "x", kind: .host, startupConfig: nil, labels: [], interfaces: [], gateway: nil, exec: [], switchLayout: nil)
        check.namespaceClashes(lab: "seed-001", nodes: [node, node])
        XCTAssertEqual(check.issues.first?.message, "nodes x and x both shorten to namespace seed-001-x; rename one")
    }
}
