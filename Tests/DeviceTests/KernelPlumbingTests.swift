import XCTest
import BGPWire
import Kernel
@testable import Device

/// Interface and static-route changes reach the device's own namespace (created and removed here).
final class KernelPlumbingTests: XCTestCase {
    var namespace: NetworkNamespace?

    override func setUpWithError() throws {
        try XCTSkipUnless(getuid() == 0, "needs root for network namespaces")
        let ns = try NetworkNamespace.create("plt-vendor-\(getpid())-kp")
        namespace = ns
        let s = try ns.netlink()
        try s.createVeth("vlanif98", peer: "ge0-0-1")
        try s.setLinkUp("vlanif98")
        try s.setLinkUp("ge0-0-1")
        try s.setLinkUp("lo")
    }

    override func tearDown() {
        try? namespace?.delete()
        namespace = nil
    }

    func testAddressesShutdownAndStaticRoutesFollowTheConfig() throws {
        let ns = try XCTUnwrap(namespace)
        let device = NetworkDevice(kind: "test", config: RunningConfig(hostname: "A"), namespace: ns, installRoutes: false)
        defer { device.shutdown() }
        let problems = try device.update { c in
            c[interface: "Vlanif98"].addresses = [InterfaceAddressConfig(IPv4Address("10.98.0.1")!, length: 24)]
            c[interface: "LoopBack0"].addresses = [InterfaceAddressConfig(IPv4Address("1.1.1.1")!, length: 32)]
            c[interface: "Vlanif99"].addresses = [InterfaceAddressConfig(IPv4Address("10.99.0.1")!, length: 24)]
            c.staticRoutes = [StaticRoute(prefix: IPv4Prefix("192.168.0.0/16")!, nextHop: IPv4Address("10.98.0.254"))]
        }
        XCTAssertEqual(problems, [], "Vlanif99 has no link in this lab and is kept in the config only")
        let s = try ns.netlink()
        var addresses = try s.addresses().map(\.description)
        XCTAssertTrue(addresses.contains("10.98.0.1/24"))
        XCTAssertTrue(addresses.contains("1.1.1.1/32"))
        XCTAssertTrue(try s.routes().contains { $0.destination.description == "192.168.0.0/16" && $0.protocol == .static })

        try device.update { c in
            c[interface: "Vlanif98"].addresses = []
            c[interface: "GigabitEthernet0/0/1"].shutdown = true
            c.staticRoutes = []
        }
        addresses = try s.addresses().map(\.description)
        XCTAssertFalse(addresses.contains("10.98.0.1/24"))
        XCTAssertFalse(try s.link("ge0-0-1").isUp)
        XCTAssertFalse(try s.routes().contains { $0.destination.description == "192.168.0.0/16" })
    }
}
