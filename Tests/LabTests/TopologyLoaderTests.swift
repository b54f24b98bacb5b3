import XCTest
@testable import Lab

/// Every malformed topology gives a message naming the file, the node and the field.
final class TopologyLoaderTests: XCTestCase {
    let good = """
    name: t1
    topology:
      nodes:
        leaf01:
          kind: h3c-comware
          startup-config: |
            vlan 10
            interface Vlan-interface10
             ip address 172.20.0.254 255.255.255.0
            interface GigabitEthernet1/0/2
             port access vlan 10
        node1:
          kind: calico-node
          labels: {rr-group: rr1, rr-id: rr1}
          interfaces: {eth0: 172.20.0.11/24}
          gateway: 172.20.0.254
      links:
        - endpoints: ["leaf01:GigabitEthernet1/0/2", "node1:eth0"]
    """

    /// The issues of a file that must fail to load.
    func issues(_ yaml: String, file: StaticString = #filePath, line: UInt = #line) -> [TopologyIssue] {
        switch parse(yaml) {
        case .success: XCTFail("expected the topology to be rejected", file: file, line: line); return []
        case .failure(let errors): return errors.issues
        }
    }

    func assertIssue(_ issues: [TopologyIssue], node: String?, field: String, contains text: String,
                     file: StaticString = #filePath, line: UInt = #line) {
        let match = issues.first { $0.node == node && $0.field == field && $0.message.contains(text) }
        XCTAssertNotNil(match, "no issue for node \(node ?? "-") field \(field) containing '\(text)'; got:\n\(issues.map(\.description).joined(separator: "\n"))", file: file, line: line)
        XCTAssertEqual(match?.file, "lab.yaml", file: file, line: line)
    }

    func testGoodTopologyLoads() throws {
        let topology = try parse(good).get()
        XCTAssertEqual(topology.name, "t1")
        XCTAssertEqual(topology.nodes.map(\.name), ["leaf01", "node1"])
        XCTAssertEqual(topology.nodes[0].kind, .h3cComware)
        XCTAssertEqual(topology.nodes[1].labels.map(\.key), ["rr-group", "rr-id"])
        XCTAssertEqual(topology.nodes[1].gateway, LabIPAddress("172.20.0.254"))
        XCTAssertEqual(topology.links, [Link(a: Endpoint(node: "leaf01", port: "GigabitEthernet1/0/2"), b: Endpoint(node: "node1", port: "eth0"))])
        XCTAssertEqual(topology.nodes[0].startupConfig?.source, .inline)
        XCTAssertEqual(topology.nodes[0].switchLayout?.mode(ofPort: "GigabitEthernet1/0/2"), .access(vlan: 10))
    }

    func testUnknownKindListsValidKinds() {
        let found = issues(good.replacingOccurrences(of: "kind: calico-node", with: "kind: calico"))
        XCTAssertEqual(found.count, 1, "the link to the broken node is not reported again: \(found)")
        assertIssue(found, node: "node1", field: "topology.nodes.node1.kind",
                    contains: "kind 'calico' is not supported; supported kinds are huawei-vrp, h3c-comware, quagga, calico-node, host, bridge")
        XCTAssertEqual(found.first?.line, 13)
    }

    func testUnknownKeysAreNamedWithTheValidOnes() {
        let found = issues(good.replacingOccurrences(of: "gateway: 172.20.0.254", with: "gatway: 172.20.0.254")
                               .replacingOccurrences(of: "name: t1", with: "name: t1\nprefix: x"))
        assertIssue(found, node: "node1", field: "topology.nodes.node1.gatway", contains: "unknown key 'gatway'")
        assertIssue(found, node: nil, field: "prefix", contains: "valid keys here: name, topology, calico")
    }

    func testKeyOfAnotherKindIsRefused() {
        let found = issues(good.replacingOccurrences(of: "      startup-config: |", with: "      labels: {a: b}\n      startup-config: |"))
        assertIssue(found, node: "leaf01", field: "topology.nodes.leaf01.labels", contains: "kind h3c-comware does not take 'labels'")
    }

    func testDuplicateNodeName() {
        let yaml = """
        name: t1
        topology:
          nodes:
            h1: {kind: host}
            h1: {kind: bridge}
        """
        let found = issues(yaml)
        assertIssue(found, node: "h1", field: "topology.nodes.h1", contains: "duplicate node name 'h1'")
    }

    func testBadAddressesAndPrefixes() {
        let found = issues(good.replacingOccurrences(of: "eth0: 172.20.0.11/24", with: "eth0: [172.20.0.300/24, 172.20.0.12/33, 172.20.0.0/24, 172.20.0.13]"))
        assertIssue(found, node: "node1", field: "topology.nodes.node1.interfaces.eth0", contains: "'172.20.0.300/24' is not an IPv4 or IPv6 address")
        assertIssue(found, node: "node1", field: "topology.nodes.node1.interfaces.eth0", contains: "bad prefix length; it must be 0...32")
        assertIssue(found, node: "node1", field: "topology.nodes.node1.interfaces.eth0", contains: "network address")
        assertIssue(found, node: "node1", field: "topology.nodes.node1.interfaces.eth0", contains: "has no prefix length")
    }

    func testGatewayOutsideEverySubnet() {
        let found = issues(good.replacingOccurrences(of: "gateway: 172.20.0.254", with: "gateway: 172.21.0.254"))
        assertIssue(found, node: "node1", field: "topology.nodes.node1.gateway",
                    contains: "gateway 172.21.0.254 is not in the subnet of any of this node's interfaces (eth0 172.20.0.11/24)")
    }

    func testLinkToMissingNodeAndBadPorts() {
        let yaml = good + """

            - endpoints: ["spine:GigabitEthernet1/0/1", "leaf01:GigabitEthernet1/0/1"]
            - endpoints: ["leaf01:GigabitEthernet0/0/1", "node1:GigabitEthernet1/0/1"]
            - endpoints: ["leaf01:Vlan-interface10", "leaf01:XGigabitEthernet1/0/1"]
            - endpoints: ["leaf01"]
        """
        let found = issues(yaml)
        assertIssue(found, node: "spine", field: "topology.links[1].endpoints[0]", contains: "names node 'spine', which is not in topology.nodes")
        assertIssue(found, node: "leaf01", field: "topology.links[2].endpoints[0]", contains: "H3C member numbers start at 1")
        assertIssue(found, node: "node1", field: "topology.links[2].endpoints[1]", contains: "is a switch port name; kind calico-node uses Linux names such as eth0")
        assertIssue(found, node: "leaf01", field: "topology.links[3].endpoints[0]", contains: "is a logical interface")
        assertIssue(found, node: "leaf01", field: "topology.links[3].endpoints[1]", contains: "h3c-comware calls this port type Ten-GigabitEthernet")
        assertIssue(found, node: nil, field: "topology.links[4].endpoints", contains: "exactly 2 endpoints, found 1")
    }

    func testHuaweiPortNames() {
        let huawei = Kind.huaweiVRP
        XCTAssertEqual(try PortNaming.linuxName(forPort: "GigabitEthernet0/0/1", kind: huawei).get(), "ge0-0-1")
        XCTAssertEqual(try PortNaming.linuxName(forPort: "XGigabitEthernet0/0/2", kind: huawei).get(), "xge0-0-2")
        XCTAssertThrowsError(try PortNaming.linuxName(forPort: "Ten-GigabitEthernet1/0/1", kind: huawei).get()) { error in
            XCTAssertTrue("\(error)".contains("huawei-vrp calls this port type XGigabitEthernet"), "\(error)")
        }
        XCTAssertThrowsError(try PortNaming.linuxName(forPort: "eth0", kind: huawei).get())
        XCTAssertEqual(try PortNaming.linuxName(forPort: "GigabitEthernet1/0/1", kind: .h3cComware).get(), "ge1-0-1")
        XCTAssertThrowsError(try PortNaming.linuxName(forPort: "eth0.100/2", kind: .host).get())
        XCTAssertThrowsError(try PortNaming.linuxName(forPort: "averyveryverylongname", kind: .host).get())
    }

    func testEndpointUsedTwice() {
        let found = issues(good + "\n    - endpoints: [\"node1:eth0\", \"leaf01:GigabitEthernet1/0/3\"]")
        assertIssue(found, node: "node1", field: "topology.links[1].endpoints[0]", contains: "is already used by topology.links[0]")
    }

    func testLabNameRules() {
        for bad in ["Seed", "a-very-long-lab-name", "-x", "x-", "x_y", "1abc"] {
            let found = issues(good.replacingOccurrences(of: "name: t1", with: "name: \(bad)"))
            assertIssue(found, node: nil, field: "name", contains: "must be 1-16 characters")
        }
        XCTAssertNil(LabNameRules.problem(lab: "plt-topo-4194304"))
    }

    func testAddressedInterfaceWithoutLinkAndDuplicateAddress() {
        let found = issues(good.replacingOccurrences(of: "eth0: 172.20.0.11/24}", with: "eth0: 172.20.0.11/24, eth1: 172.20.0.254/24}"))
        assertIssue(found, node: "node1", field: "topology.nodes.node1.interfaces.eth1", contains: "no link connects it")
        assertIssue(found, node: "node1", field: "topology.nodes.node1", contains: "address 172.20.0.254 on node1:eth1 is also on leaf01:Vlan-interface10")
    }

    func testStartupConfigFileResolvedAgainstLabFolder() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = dir.write("configs/sw.cfg", "sysname sw\n#\ninterface GigabitEthernet0/0/1\n undo portswitch\n ip address 10.0.0.1 255.255.255.252\n")
        let lab = dir.write("lab.yaml", "name: t2\ntopology:\n  nodes:\n    sw: {kind: huawei-vrp, startup-config: configs/sw.cfg}\n    missing: {kind: huawei-vrp, startup-config: configs/none.cfg}\n")
        guard case .failure(let errors) = TopologyLoader().load(path: lab) else { return XCTFail("missing config must fail") }
        XCTAssertEqual(errors.issues.count, 1, "\(errors)")
        XCTAssertEqual(errors.issues.first?.node, "missing")
        XCTAssertEqual(errors.issues.first?.field, "topology.nodes.missing.startup-config")
        XCTAssertTrue(errors.issues.first?.message.contains("\(dir.path)/configs/none.cfg") ?? false, "\(errors)")
        XCTAssertEqual(errors.issues.first?.file, lab)
    }

    func testStartupConfigFaultsNameConfigFileAndLine() {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = dir.write("configs/sw.cfg", "#\ninterface GigabitEthernet0/0/1\n ip address 10.0.0.1 255.255.255.252\n#\ninterface Vlanif5000\n#\nvlan batch 10 x\n")
        let lab = dir.write("lab.yaml", "name: t3\ntopology:\n  nodes:\n    sw: {kind: huawei-vrp, startup-config: configs/sw.cfg}\n")
        guard case .failure(let errors) = TopologyLoader().load(path: lab) else { return XCTFail("bad config must fail") }
        let config = dir.path + "/configs/sw.cfg"
        XCTAssertEqual(errors.issues.map(\.file), [config, config, config])
        XCTAssertEqual(errors.issues.map(\.line), [3, 5, 7])
        XCTAssertTrue(errors.issues[0].message.contains("'undo portswitch' must come before 'ip address'"), "\(errors)")
        XCTAssertTrue(errors.issues.allSatisfy { $0.node == "sw" && $0.field == "topology.nodes.sw.startup-config" })
    }

    func testCalicoSectionShapeIsChecked() {
        let yaml = good + """

        calico:
          version: 3.19
          kubernetes: v1.17.x
          colour: blue
          resources:
            - apiVersion: projectcalico.org/v2
              kind: BGPPeer
              metadata: {name: rr-peer}
              spec: {peerIP: 172.20.0.254, asNumber: 65009}
            - apiVersion: projectcalico.org/v3
              kind: Node
              metadata: {name: node9}
            - apiVersion: projectcalico.org/v3
              kind: Pod
              metadata: {name: x}
          pods:
            leaf01: [default/web-1]
            node1: [Bad_Name]
        """
        let found = issues(yaml)
        assertIssue(found, node: nil, field: "calico.version", contains: "not a version like v3.19.4")
        assertIssue(found, node: nil, field: "calico.kubernetes", contains: "'v1.17.x' is not a version like v1.17.9")
        assertIssue(found, node: nil, field: "calico.colour", contains: "unknown key 'colour'")
        assertIssue(found, node: nil, field: "calico.resources[0].apiVersion", contains: "use projectcalico.org/v3")
        assertIssue(found, node: "node9", field: "calico.resources[1].metadata.name", contains: "does not name a calico-node node")
        assertIssue(found, node: nil, field: "calico.resources[2].kind", contains: "resource kind 'Pod' is not supported")
        assertIssue(found, node: "leaf01", field: "calico.pods.leaf01", contains: "only run on calico-node nodes")
        assertIssue(found, node: "node1", field: "calico.pods.node1", contains: "'Bad_Name' is not a pod")
    }

    func testCalicoResourcesKeepTheirDocument() throws {
        let yaml = good + """

        calico:
          kubernetes: v1.17.9
          resources:
            - apiVersion: projectcalico.org/v3
              kind: BGPPeer
              metadata: {name: rr1-to-leaf1-peer}
              spec: {nodeSelector: rr-id == 'rr1', peerIP: 172.20.0.254, asNumber: 65009}
          pods:
            node1: [kube-system/coredns-1, web-1]
        """
        let calico = try XCTUnwrap(try parse(yaml).get().calico)
        XCTAssertEqual(calico.kubernetesVersion, "v1.17.9")
        XCTAssertEqual(calico.resources.map(\.kind), ["BGPPeer"])
        XCTAssertTrue(calico.resources[0].yaml.contains("peerIP: 172.20.0.254"), calico.resources[0].yaml)
        XCTAssertEqual(calico.pods, [.init(node: "node1", namespace: "kube-system", name: "coredns-1"),
                                     .init(node: "node1", namespace: "default", name: "web-1")])
    }

    func testAllErrorsAreCollected() {
        let yaml = """
        name: BAD
        topology:
          nodes:
            h1: {kind: host, interfaces: {eth0: 10.0.0.1/24}, gateway: 10.9.9.9}
            h2: {kind: router}
          links:
            - endpoints: ["h1:eth0", "h3:eth0"]
        """
        let found = issues(yaml)
        XCTAssertEqual(Set(found.map(\.field)), ["name", "topology.nodes.h1.gateway", "topology.nodes.h2.kind",
                                                 "topology.links[0].endpoints[1]", "topology.nodes.h1.interfaces.eth0"])
    }

    func testNotYAMLIsAnIssueNotACrash() {
        let found = issues("name: [unclosed\n")
        XCTAssertEqual(found.first?.field, "file")
        XCTAssertTrue(found.first?.message.contains("not valid YAML") ?? false)
        XCTAssertEqual(issues("").first?.message, "the lab file is empty; it needs 'name' and 'topology'")
        XCTAssertEqual(issues("- a\n- b\n").first?.field, "(top level)")
    }

    func testWrongValueShapes() {
        let yaml = """
        name: t4
        topology:
          nodes:
            h1: {kind: host, interfaces: eth0, exec: "ip route", gateway: [1]}
            h2: {kind: [host]}
            h3: host
          links: {a: b}
        """
        let found = issues(yaml)
        assertIssue(found, node: "h1", field: "topology.nodes.h1.interfaces", contains: "expected a mapping")
        assertIssue(found, node: "h1", field: "topology.nodes.h1.exec", contains: "expected a list of commands")
        assertIssue(found, node: "h1", field: "topology.nodes.h1.gateway", contains: "expected an IP address")
        assertIssue(found, node: "h2", field: "topology.nodes.h2.kind", contains: "expected a kind name")
        assertIssue(found, node: "h3", field: "topology.nodes.h3", contains: "expected a mapping")
        assertIssue(found, node: nil, field: "topology.links", contains: "expected a list of links")
    }

    /// Deleting any one line of the default lab never crashes the loader; it either loads or says why.
    func testEveryOneLineDeletionOfSeed001IsHandled() throws {
        let text = try String(contentsOfFile: Repo.labs + "/seed-001/topology.yaml", encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var rejected = 0
        for i in lines.indices {
            var copy = lines
            copy.remove(at: i)
            switch TopologyLoader().parse(yaml: copy.joined(separator: "\n"), file: "mutant", baseDirectory: Repo.labs + "/seed-001") {
            case .success: break
            case .failure(let errors):
                rejected += 1
                XCTAssertFalse(errors.issues.isEmpty)
                XCTAssertTrue(errors.issues.allSatisfy { !$0.message.isEmpty && !$0.field.isEmpty })
            }
        }
        XCTAssertGreaterThan(rejected, 10, "removing a kind, an interface or a link end must be caught")
    }
}
