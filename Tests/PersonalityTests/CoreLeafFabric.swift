import XCTest
import Kernel
import CLIEngine
import Device
import HuaweiVRP
import H3CComware

/// A VRP core and a Comware leaf in two namespaces of the test's own (`<namespacePrefix>-<pid>-core` and
/// `…-leaf`), joined by a veth pair `vlanif98` standing in for VLAN 98 (the lab's plumbing). Each subclass
/// names its own prefix so test classes never share a namespace; devices and namespaces go in `tearDown`.
/// (The live vendor tests live here rather than in DeviceTests because that target cannot import the personalities.)
class CoreLeafFabricTestCase: XCTestCase {
    /// The first part of the namespace names (`plt-vendor…`), one per test class.
    class var namespacePrefix: String { "plt-vendor" }
    var namespaces: [NetworkNamespace] = []
    var devices: [NetworkDevice] = []

    override func setUpWithError() throws {
        try XCTSkipUnless(getuid() == 0, "needs root for network namespaces")
        let pid = getpid()
        let core = try NetworkNamespace.create("\(Self.namespacePrefix)-\(pid)-core")
        namespaces.append(core)
        let leaf = try NetworkNamespace.create("\(Self.namespacePrefix)-\(pid)-leaf")
        namespaces.append(leaf)
        let a = try core.netlink()
        try a.createVeth("vlanif98", peer: "vlanif98", peerNamespace: leaf)
        try a.setLinkUp("vlanif98")
        try a.setLinkUp("lo")
        let b = try leaf.netlink()
        try b.setLinkUp("vlanif98")
        try b.setLinkUp("lo")
    }

    override func tearDown() {
        for d in devices { d.shutdown() }
        devices.removeAll()
        for n in namespaces { try? n.delete() }
        namespaces.removeAll()
    }

    /// The core (VRP) in the first namespace and the leaf (Comware) in the second, shut down in `tearDown`.
    /// Without `installRoutes` the speakers keep their routes out of the kernel.
    func makeCoreAndLeaf(core coreName: String = "Core", leaf leafName: String = "leaf01",
                         installRoutes: Bool = false) -> (core: NetworkDevice, leaf: NetworkDevice) {
        let core = NetworkDevice(kind: HuaweiVRP.kind, config: RunningConfig(hostname: coreName), namespace: namespaces[0],
                                 installRoutes: installRoutes)
        let leaf = NetworkDevice(kind: H3CComware.kind, config: RunningConfig(hostname: leafName), namespace: namespaces[1],
                                 installRoutes: installRoutes)
        devices = [core, leaf]
        return (core, leaf)
    }

    /// Polls `condition` until it holds or `limit` seconds pass (a liveness wait, not a speed check).
    func eventually(_ limit: Double = 60, _ condition: () async throws -> Bool) async rethrows -> Bool {
        let end = Date().addingTimeInterval(limit)
        while Date() < end {
            if try await condition() { return true }
            try? await Task.sleep(nanoseconds: 200_000_000)
        }
        return try await condition()
    }

    /// Types lines into a console, failing on any refused line; returns the last line's output.
    @discardableResult
    func run(_ s: Session<NetworkDevice>, _ lines: [String], file: StaticString = #filePath, line: UInt = #line) async -> [String] {
        var out: [String] = []
        for l in lines {
            let r = await s.execute(line: l)
            XCTAssertFalse(r.refused, "\(l): \(r.lines)", file: file, line: line)
            out = r.lines
        }
        return out
    }
}
