import XCTest
@testable import Lab

/// `calico.kubeasz` in a lab file: kubeasz's CALICO_RR_ENABLED / CALICO_RR_NODES, resolved to the
/// route-reflector nodes, and every fault named with its field and node.
final class KubeaszOptionTests: XCTestCase {
    /// Seed 000's shape: two masters, two workers and a switch, one segment.
    func lab(_ kubeasz: String) -> String {
        """
        name: t1
        topology:
          nodes:
            lan: {kind: bridge}
            sw: {kind: huawei-vrp, startup-config: "sysname sw\\n"}
            k8s401: {kind: calico-node, labels: {node-role.kubernetes.io/master: ""}, interfaces: {eth0: 192.168.1.1/24}}
            k8s402: {kind: calico-node, labels: {node-role.kubernetes.io/master: ""}, interfaces: {eth0: 192.168.1.2/24}}
            k8s403: {kind: calico-node, interfaces: {eth0: 192.168.1.3/24}}
            k8s404: {kind: calico-node, interfaces: {eth0: 192.168.1.4/24}}
          links:
            - endpoints: ["lan:port1", "k8s401:eth0"]
            - endpoints: ["lan:port2", "k8s402:eth0"]
            - endpoints: ["lan:port3", "k8s403:eth0"]
            - endpoints: ["lan:port4", "k8s404:eth0"]
        calico:
          kubeasz:
        \(kubeasz.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
        """
    }

    func options(_ kubeasz: String, file: StaticString = #filePath, line: UInt = #line) throws -> KubeaszOptions {
        let topology = try parse(lab(kubeasz)).get()
        return try XCTUnwrap(topology.calico?.kubeasz, file: file, line: line)
    }

    func issues(_ kubeasz: String, file: StaticString = #filePath, line: UInt = #line) -> [TopologyIssue] {
        switch parse(lab(kubeasz)) {
        case .success: XCTFail("expected the lab file to be refused", file: file, line: line); return []
        case .failure(let errors): return errors.issues
        }
    }

    func testListedNodesByNameOrAddress() throws {
        let byName = try options("CALICO_RR_ENABLED: true\nCALICO_RR_NODES: [k8s403]")
        XCTAssertTrue(byName.routeReflectorsEnabled)
        XCTAssertEqual(byName.routeReflectors, ["k8s403"])
        let byAddress = try options("CALICO_RR_ENABLED: true\nCALICO_RR_NODES: [\"192.168.1.4\", 192.168.1.1]")
        XCTAssertEqual(byAddress.listedNodes, ["192.168.1.4", "192.168.1.1"])
        XCTAssertEqual(byAddress.routeReflectors, ["k8s404", "k8s401"], "kubeasz's order: as listed")
    }

    func testEmptyListMeansTheMasters() throws {
        let masters = try options("CALICO_RR_ENABLED: true\nCALICO_RR_NODES: []")
        XCTAssertEqual(masters.routeReflectors, ["k8s401", "k8s402"])
        let unset = try options("CALICO_RR_ENABLED: yes")
        XCTAssertEqual(unset.routeReflectors, ["k8s401", "k8s402"], "CALICO_RR_NODES left out is kubeasz's default []")
        XCTAssertEqual(try options("CALICO_RR_ENABLED: false").routeReflectorsEnabled, false)
        XCTAssertEqual(try options("CALICO_RR_NODES: [k8s404]").routeReflectorsEnabled, false, "kubeasz's default is false")
    }

    func testEnabledWithoutMastersOrNodesIsRefused() {
        let yaml = lab("CALICO_RR_ENABLED: true").replacingOccurrences(of: "labels: {node-role.kubernetes.io/master: \"\"}, ", with: "")
        guard case .failure(let errors) = parse(yaml) else { return XCTFail("accepted a lab with no route reflector") }
        XCTAssertEqual(errors.issues.count, 1, "\(errors)")
        XCTAssertEqual(errors.issues.first?.field, "calico.kubeasz.CALICO_RR_NODES")
        XCTAssertTrue(errors.issues.first?.message.contains("no calico-node carries the label node-role.kubernetes.io/master") == true, "\(errors)")
        // Switched off, the same lab is fine: nothing would become a reflector.
        XCTAssertNoThrow(try parse(lab("CALICO_RR_ENABLED: false").replacingOccurrences(of: "labels: {node-role.kubernetes.io/master: \"\"}, ", with: "")).get())
    }

    func testNonBooleanSwitch() {
        for (value, shown) in [("\"true\"", "the string \"true\""), ("1", "'1'"), ("enabled", "'enabled'"), ("[true]", "a list")] {
            let found = issues("CALICO_RR_ENABLED: \(value)")
            XCTAssertEqual(found.count, 1, "\(value): \(found)")
            XCTAssertEqual(found.first?.field, "calico.kubeasz.CALICO_RR_ENABLED")
            XCTAssertNil(found.first?.node)
            XCTAssertEqual(found.first?.line, 17, "the line of the value")
            XCTAssertTrue(found.first?.message.contains("expected true or false (unquoted)") == true && found.first?.message.contains(shown) == true,
                          "\(value): \(found)")
        }
    }

    func testUnknownKeyNamesTheValidOnes() {
        let found = issues("CALICO_RR_ENABLED: true\nCALICO_RR_NODE: [k8s401]")
        XCTAssertEqual(found.map(\.field), ["calico.kubeasz.CALICO_RR_NODE"])
        XCTAssertTrue(found[0].message.contains("unknown key 'CALICO_RR_NODE'; valid keys here: CALICO_RR_ENABLED, CALICO_RR_NODES"), "\(found)")
        let section = parse(lab("CALICO_RR_ENABLED: true").replacingOccurrences(of: "  kubeasz:", with: "  kubeaz:"))
        guard case .failure(let errors) = section else { return XCTFail("accepted calico.kubeaz") }
        XCTAssertTrue(errors.issues.contains { $0.field == "calico.kubeaz" && $0.message.contains("valid keys here: version, kubernetes, resources, pods, kubeasz") }, "\(errors)")
    }

    func testUnknownNodesAreNamedWithTheirField() {
        let found = issues("CALICO_RR_ENABLED: true\nCALICO_RR_NODES: [k8s401, k8s409, 192.168.1.9, sw, lan, 192.168.1.1]")
        let byField = Dictionary(found.map { ($0.field, $0) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(found.count, 5, "\(found)")
        XCTAssertEqual(byField["calico.kubeasz.CALICO_RR_NODES[1]"]?.node, "k8s409")
        XCTAssertTrue(byField["calico.kubeasz.CALICO_RR_NODES[1]"]?.message
            .contains("'k8s409' is not a node of this lab; the calico nodes are k8s401, k8s402, k8s403, k8s404") == true, "\(found)")
        XCTAssertTrue(byField["calico.kubeasz.CALICO_RR_NODES[2]"]?.message.contains("no calico-node has the address 192.168.1.9") == true, "\(found)")
        XCTAssertEqual(byField["calico.kubeasz.CALICO_RR_NODES[3]"]?.node, "sw")
        XCTAssertTrue(byField["calico.kubeasz.CALICO_RR_NODES[3]"]?.message.contains("'sw' is a huawei-vrp node; route reflectors are calico-node nodes") == true, "\(found)")
        XCTAssertTrue(byField["calico.kubeasz.CALICO_RR_NODES[4]"]?.message.contains("'lan' is a bridge node") == true, "\(found)")
        XCTAssertEqual(byField["calico.kubeasz.CALICO_RR_NODES[5]"]?.node, "k8s401")
        XCTAssertTrue(byField["calico.kubeasz.CALICO_RR_NODES[5]"]?.message.contains("'192.168.1.1' names k8s401, which is already listed") == true, "\(found)")
        XCTAssertTrue(found.allSatisfy { $0.file == "lab.yaml" && $0.line == 18 }, "\(found)")
    }

    func testListMustBeAList() {
        let found = issues("CALICO_RR_ENABLED: true\nCALICO_RR_NODES: k8s401")
        XCTAssertEqual(found.map(\.field), ["calico.kubeasz.CALICO_RR_NODES"])
        XCTAssertTrue(found[0].message.contains("expected a list of calico-node names or their addresses"), "\(found)")
        XCTAssertEqual(issues("- CALICO_RR_ENABLED").map(\.field), ["calico.kubeasz"])
    }

    /// The shipped seed-000 lab marks its masters and carries the switch off, with k8s401 listed by address.
    func testSeed000CarriesTheSwitchOff() throws {
        let topology = try TopologyLoader().load(path: Repo.labs + "/seed-000/topology.yaml").get()
        let options = try XCTUnwrap(topology.calico?.kubeasz)
        XCTAssertFalse(options.routeReflectorsEnabled)
        XCTAssertEqual(options.routeReflectors, ["k8s401"])
        XCTAssertEqual(topology.nodes.filter(KubeaszOptions.isMaster).map(\.name), ["k8s401", "k8s402"])
        let text = try String(contentsOfFile: Repo.labs + "/seed-000/topology.yaml", encoding: .utf8)
        let switchedOn = text.replacingOccurrences(of: "CALICO_RR_ENABLED: false", with: "CALICO_RR_ENABLED: true")
        XCTAssertNotEqual(switchedOn, text, "the documented one-line change exists")
        let on = try TopologyLoader().parse(yaml: switchedOn, file: "seed-000", baseDirectory: Repo.labs + "/seed-000").get()
        XCTAssertEqual(on.calico?.kubeasz?.routeReflectorsEnabled, true)
    }
}
