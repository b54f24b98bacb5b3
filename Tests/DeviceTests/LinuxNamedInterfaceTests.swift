import XCTest
import BGPWire
import Kernel
@testable import Device

/// A Quagga router names its interfaces as Linux does (`eth0`, `lo`): typed settings reach those links as they
/// are. A vendor device's `eth0` is no name the lab gives, so it stays in the configuration only.
final class LinuxNamedInterfaceTests: XCTestCase {
    var namespace: NetworkNamespace?

    override func setUpWithError() throws {
        try XCTSkipUnless(getuid() == 0, "needs root for network namespaces")
        let name = "plt-fixer-\(getpid())-ln"
        if NetworkNamespace.exists(name) { try NetworkNamespace.delete(name) }
        let ns = try NetworkNamespace.create(name)
        namespace = ns
        let s = try ns.netlink()
        try s.createVeth("eth0", peer: "eth1")
        for link in ["eth0", "eth1", "lo"] { try s.setLinkUp(.name(link)) }
    }

    override func tearDown() {
        try? namespace?.delete()
        namespace = nil
    }

    func testLinuxNamesAreTakenAsTheyAreOnlyWhereTheDeviceUsesThem() {
        let linux = KernelPlumbing(namespace: nil, usesLinuxNames: true)
        XCTAssertEqual(linux.linuxName(for: "eth0"), "eth0")
        XCTAssertEqual(linux.linuxName(for: "lo"), "lo")
        XCTAssertNil(linux.linuxName(for: "GigabitEthernet0/0/1"), "a slash is no Linux name")
        XCTAssertNil(linux.linuxName(for: "averyveryverylongname0"), "longer than IFNAMSIZ")
        let vendor = KernelPlumbing(namespace: nil)
        XCTAssertNil(vendor.linuxName(for: "eth0"))
        XCTAssertEqual(vendor.linuxName(for: "LoopBack0"), "lo")
        XCTAssertTrue(KernelPlumbing.usesLinuxNames(kind: "quagga"))
        XCTAssertFalse(KernelPlumbing.usesLinuxNames(kind: "huawei-vrp"))
    }

    func testQuaggaInterfaceSettingsReachTheKernel() throws {
        let ns = try XCTUnwrap(namespace)
        let device = NetworkDevice(kind: "quagga", config: RunningConfig(hostname: "Router"), namespace: ns, installRoutes: false)
        defer { device.shutdown() }
        let problems = try device.update { c in
            c[interface: "eth0"].addresses = [InterfaceAddressConfig(IPv4Address("10.77.0.1")!, length: 24)]
            c[interface: "lo"].addresses = [InterfaceAddressConfig(IPv4Address("10.255.0.7")!, length: 32)]
            c[interface: "eth1"].shutdown = true
            c.staticRoutes = [StaticRoute(prefix: IPv4Prefix("192.168.77.0/24")!, nextHop: nil, interface: "eth0")]
        }
        XCTAssertEqual(problems, [])
        let s = try ns.netlink()
        XCTAssertEqual(try s.addresses(on: .name("eth0"), family: UInt8(AF_INET)).map(\.description), ["10.77.0.1/24"])
        XCTAssertTrue(try s.addresses(on: .name("lo")).map(\.description).contains("10.255.0.7/32"))
        XCTAssertFalse(try s.link("eth1").isUp)
        let eth0 = try s.link("eth0").index
        let route = try s.routes().first { $0.destination.description == "192.168.77.0/24" }
        XCTAssertEqual(route?.nextHops.first?.interfaceIndex, eth0, "the static route leaves through eth0")

        try device.update { c in
            c[interface: "eth0"].addresses = []
            c[interface: "eth1"].shutdown = false
        }
        XCTAssertEqual(try s.addresses(on: .name("eth0"), family: UInt8(AF_INET)), [])
        XCTAssertTrue(try s.link("eth1").isUp)
    }

    func testAVendorDeviceLeavesLinuxNamedLinksAlone() throws {
        let ns = try XCTUnwrap(namespace)
        let device = NetworkDevice(kind: "huawei-vrp", config: RunningConfig(hostname: "S"), namespace: ns, installRoutes: false)
        defer { device.shutdown() }
        try device.update { $0[interface: "eth0"].addresses = [InterfaceAddressConfig(IPv4Address("10.77.0.1")!, length: 24)] }
        XCTAssertEqual(try ns.netlink().addresses(on: .name("eth0"), family: UInt8(AF_INET)), [])
        XCTAssertEqual(device.config[interface: "eth0"].addresses.count, 1, "kept in the configuration")
    }
}
