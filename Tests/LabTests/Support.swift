import Foundation
@testable import Lab

/// Repository paths, found from this file's location.
enum Repo {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static let labs = root + "/labs"
}

/// A temporary folder removed by `remove()`; tests call it in `defer`/`tearDown`.
struct TemporaryDirectory {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "plt-topo-\(getpid())-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func write(_ name: String, _ text: String) -> String {
        let file = path + "/" + name
        try? FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? text.write(toFile: file, atomically: false, encoding: .utf8)
        return file
    }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Parses lab text as if it were the file `lab.yaml` in `base`.
func parse(_ yaml: String, base: String = "/nonexistent") -> Result<Topology, TopologyErrors> {
    TopologyLoader().parse(yaml: yaml, file: "lab.yaml", baseDirectory: base)
}

/// A backend that records calls instead of touching the kernel, and can fail on demand.
final class RecordingBackend: NetworkBackend {
    var calls: [String] = []
    var present: Set<String> = []
    /// Fail the call whose description starts with this.
    var failOn: String?

    func record(_ call: String) throws {
        if let failOn, call.hasPrefix(failOn) { throw BackendError(call, "injected failure") }
        calls.append(call)
    }
    func createNamespace(_ name: String) throws { try record("netns add \(name)"); present.insert(name) }
    func deleteNamespace(_ name: String) throws { try record("netns del \(name)"); present.remove(name) }
    func namespaces() throws -> [String] { present.sorted() }
    func setSysctl(_ key: String, _ value: String, namespace: String) throws { try record("sysctl \(namespace) \(key)=\(value)") }
    func createBridge(_ name: String, vlanFiltering: Bool, namespace: String) throws { try record("bridge \(namespace) \(name) \(vlanFiltering)") }
    func createVeth(_ pair: VethPair) throws { try record("veth \(pair.a) \(pair.b)") }
    func createVLANInterface(_ name: String, bridge: String, vlan: Int, alias: String, namespace: String) throws { try record("vlan \(namespace) \(name)") }
    func attach(_ port: String, toBridge bridge: String, namespace: String) throws { try record("master \(namespace) \(port) \(bridge)") }
    func setBridgeVLANs(device: String, isBridgeItself: Bool, vlans: [BridgeVLAN], namespace: String) throws { try record("bvlan \(namespace) \(device)") }
    func addAddress(_ address: InterfaceAddress, interface: String, namespace: String) throws { try record("addr \(namespace) \(interface) \(address)") }
    func setUp(_ interface: String, namespace: String) throws { try record("up \(namespace) \(interface)") }
    func addDefaultRoute(via gateway: LabIPAddress, namespace: String) throws { try record("route \(namespace) \(gateway)") }
    func run(command: String, namespace: String) throws { try record("exec \(namespace) \(command)") }
}

final class RecordingLauncher: DaemonLauncher {
    var started: [String] = []
    var stopped: [Int32] = []
    var nextPID: Int32 = 1000
    func start(_ daemon: DaemonPlan) throws -> Int32 {
        started.append(daemon.node)
        nextPID += 1
        return nextPID
    }
    func stop(pid: Int32, daemon: DaemonPlan) throws { stopped.append(pid) }
}
