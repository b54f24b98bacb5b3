import XCTest
@testable import Lab

/// Every lab shipped in labs/ loads, validates, and plans the devices and cables its document describes.
final class LabFilesTests: XCTestCase {
    func labFiles() throws -> [String] {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Repo.labs).sorted()
        return folders.map { "\(Repo.labs)/\($0)/topology.yaml" }.filter { FileManager.default.fileExists(atPath: $0) }
    }

    func load(_ seed: String) throws -> (Topology, LabPlan) {
        let topology = try TopologyLoader().load(path: "\(Repo.labs)/\(seed)/topology.yaml").get()
        return (topology, LabPlan(topology: topology, paths: LabPaths(root: "/tmp/plt", lab: topology.name)))
    }

    func kinds(_ topology: Topology) -> [String: [String]] {
        Dictionary(grouping: topology.nodes, by: \.kind.name).mapValues { $0.map(\.name) }
    }

    func testEveryLabFileValidates() throws {
        let files = try labFiles()
        XCTAssertEqual(files.count, 5, "\(files)")
        for file in files {
            switch TopologyLoader().load(path: file) {
            case .success(let topology):
                XCTAssertEqual(topology.name, (file as NSString).deletingLastPathComponent.split(separator: "/").last.map(String.init))
            case .failure(let errors):
                XCTFail("\(file) does not validate:\n\(errors)")
            }
        }
    }

    func testSeed000FourNodesOneSegment() throws {
        let (topology, plan) = try load("seed-000")
        XCTAssertEqual(kinds(topology), ["bridge": ["lan"], "calico-node": ["k8s401", "k8s402", "k8s403", "k8s404"]])
        XCTAssertEqual(plan.veths.map(\.b.node), ["k8s401", "k8s402", "k8s403", "k8s404"])
        XCTAssertTrue(plan.veths.allSatisfy { $0.a.namespace == "seed-000-lan" })
        XCTAssertEqual(topology.nodes.flatMap(\.interfaces).flatMap(\.addresses).map(\.description),
                       ["192.168.1.1/24", "192.168.1.2/24", "192.168.1.3/24", "192.168.1.4/24"])
        XCTAssertEqual(topology.calico?.version, "v3.19.4")
        XCTAssertEqual(topology.calico?.pods.first?.name, "calico-kube-controllers-77487546bd-jqrlc")
    }

    func testSeed001LeafSpineWithRouteReflectors() throws {
        let (topology, plan) = try load("seed-001")
        XCTAssertEqual(kinds(topology)["h3c-comware"], ["spine", "leaf01", "leaf02"])
        XCTAssertEqual(kinds(topology)["calico-node"], (1...6).map { "node\($0)" })
        XCTAssertEqual(plan.veths.count, 8)
        XCTAssertFalse(topology.nodes.contains { $0.labels.contains { $0.key.hasPrefix("rr-") } }, "the trainee labels the nodes with kubectl, as the seed does")
        XCTAssertEqual(topology.nodes.filter { $0.labels.contains(.init(key: "node-role.kubernetes.io/master", value: "")) }.map(\.name), ["node1", "node2", "node3"])
        let rack2 = topology.nodes.filter { $0.name >= "node4" && $0.kind.name == "calico-node" }
        XCTAssertEqual(rack2.map(\.name), ["node4", "node5", "node6"])
        XCTAssertTrue(rack2.allSatisfy { $0.gateway == LabIPAddress("173.20.0.254") })
        let leaf01 = try XCTUnwrap(topology.node(named: "leaf01")?.switchLayout)
        XCTAssertEqual(leaf01.sysname, "leaf01")
        XCTAssertEqual(leaf01.vlanInterfaces.first?.addresses.map(\.description), ["172.20.0.254/24"])
        XCTAssertEqual(leaf01.loopbacks.first?.addresses.map(\.description), ["2.2.2.2/32"])
        XCTAssertEqual(leaf01.mode(ofPort: "GigabitEthernet1/0/1"), .routed(addresses: [try InterfaceAddress.parse("100.0.0.2/30").get()]))
        let spine = try XCTUnwrap(topology.node(named: "spine")?.switchLayout)
        XCTAssertEqual(spine.mode(ofPort: "GigabitEthernet1/0/2"), .routed(addresses: [try InterfaceAddress.parse("100.0.0.5/30").get()]))
        let config = try XCTUnwrap(topology.node(named: "leaf02")?.startupConfig?.text)
        XCTAssertTrue(config.contains("bgp 65010\n router-id 3.3.3.3\n peer 100.0.0.5 as-number 65008"))
    }

    func testSeed002RouterAndOutsideClient() throws {
        let (topology, plan) = try load("seed-002")
        XCTAssertEqual(kinds(topology), ["bridge": ["tor"], "quagga": ["router"], "calico-node": ["k8s-1", "k8s-2", "k8s-3"], "host": ["client"]])
        XCTAssertEqual(topology.node(named: "router")?.interfaces.first?.addresses.map(\.description), ["172.31.13.116/24"])
        XCTAssertTrue(topology.node(named: "router")?.startupConfig?.text.contains("router bgp 7675") ?? false)
        XCTAssertEqual(topology.node(named: "client")?.exec, ["ip route add 172.27.208.0/22 via 172.31.13.116"])
        XCTAssertEqual(plan.veths.count, 5)
        XCTAssertEqual(topology.calico?.resources.map(\.name), ["default-pool"])
    }

    func testSeed003HuaweiCore() throws {
        let (topology, plan) = try load("seed-003")
        XCTAssertEqual(kinds(topology)["huawei-vrp"], ["core"])
        let core = try XCTUnwrap(topology.node(named: "core")?.switchLayout)
        XCTAssertEqual(core.sysname, "BJ_Office_Core_S9700")
        XCTAssertEqual(core.vlans, [98])
        XCTAssertEqual(core.vlanInterfaces.map(\.name), ["Vlanif98"])
        XCTAssertEqual(core.mode(ofPort: "GigabitEthernet1/0/3"), .access(vlan: 98))
        XCTAssertEqual(topology.nodes.dropFirst().flatMap(\.interfaces).flatMap(\.addresses).map { "\($0.address)" },
                       ["10.2.98.141", "10.2.98.142", "10.2.98.143", "10.2.98.152"])
        XCTAssertEqual(plan.veths.map(\.a.name), ["ge1-0-0", "ge1-0-1", "ge1-0-2", "ge1-0-3"])
        XCTAssertTrue(plan.steps.contains(.createVLANInterface(namespace: "seed-003-core", name: "vlanif98", bridge: "swbr", vlan: 98, alias: "Vlanif98")))
    }

    func testSeed004Reference() throws {
        let (topology, plan) = try load("seed-004")
        XCTAssertEqual(kinds(topology), ["bridge": ["lan"], "quagga": ["border"], "calico-node": ["node1", "vagrant", "node2", "node3"]])
        XCTAssertTrue(plan.steps.contains(.addAddress(namespace: "seed-004-border", interface: "lo", address: try InterfaceAddress.parse("192.20.30.40/32").get())))
        XCTAssertEqual(topology.calico?.pods.map { "\($0.node) \($0.namespace)/\($0.name)" }, ["vagrant kube-system/kube-dns-6f4fd4bdf-8q7zp"])
    }
}
