import XCTest
import BGPWire
import BGPSpeaker
@testable import Device

final class DeviceModelTests: XCTestCase {
    func testLinuxNamesFollowTheLabPlumbing() {
        XCTAssertEqual(KernelPlumbing.linuxName(for: "Vlanif98"), "vlanif98")
        XCTAssertEqual(KernelPlumbing.linuxName(for: "Vlan-interface98"), "vlanif98")
        XCTAssertEqual(KernelPlumbing.linuxName(for: "GigabitEthernet0/0/1"), "ge0-0-1")
        XCTAssertEqual(KernelPlumbing.linuxName(for: "Ten-GigabitEthernet1/0/49"), "xge1-0-49")
        XCTAssertEqual(KernelPlumbing.linuxName(for: "XGigabitEthernet0/0/2"), "xge0-0-2")
        XCTAssertEqual(KernelPlumbing.linuxName(for: "LoopBack0"), "lo")
        XCTAssertNil(KernelPlumbing.linuxName(for: "NULL0"))
        XCTAssertNil(KernelPlumbing.linuxName(for: "GigabitEthernet0/1"))
    }

    func testBgpdConfigCarriesPeerOptions() {
        var c = RunningConfig(hostname: "S")
        c[interface: "Vlanif98"].addresses = [InterfaceAddressConfig(IPv4Address("10.98.0.1")!, length: 24)]
        c[interface: "LoopBack0"].addresses = [InterfaceAddressConfig(IPv4Address("9.9.9.9")!, length: 32)]
        var bgp = BGPInstance(asn: 65001)
        bgp.clusterID = IPv4Address(100)
        bgp.maxLoadBalancing = 4
        bgp.importRoutes = [.direct]
        bgp.networks = [IPv4Prefix("10.98.0.0/24")!]
        var p = BGPPeerSettings(address: IPv4Address("10.98.0.11")!, remoteAS: 64512, ipv4Enabled: true)
        p.connectInterface = "Vlanif98"
        p.ebgpMaxHop = 255
        p.password = .cipher("k")
        p.reflectClient = true
        p.nextHopLocal = true
        var grouped = BGPPeerSettings(address: IPv4Address("10.98.0.12")!, remoteAS: nil, ipv4Enabled: false)
        grouped.group = "calico"
        bgp.peers = [p, grouped, BGPPeerSettings(address: IPv4Address("10.98.0.13")!, remoteAS: nil, ipv4Enabled: true)]
        bgp.groups = [BGPGroup(name: "calico", kind: .external, remoteAS: 64513)]
        c.bgp = bgp
        let d = c.bgpdConfig(installRoutes: true)!
        XCTAssertEqual(d.speaker.routerID, IPv4Address("9.9.9.9"), "without router-id the highest loopback address is used")
        XCTAssertEqual(d.speaker.clusterID, IPv4Address(100))
        XCTAssertEqual(d.speaker.maxPaths, 4)
        XCTAssertEqual(d.redistribute, [.connected])
        XCTAssertEqual(d.networks.map(\.prefix.description), ["10.98.0.0/24"])
        XCTAssertEqual(d.peers.count, 2, "a peer with no AS (own or group) is not started")
        XCTAssertEqual(d.peers[0].sourceAddress, .v4(IPv4Address("10.98.0.1")!), "connect-interface picks the interface's address")
        XCTAssertEqual(d.peers[0].ebgpMultihop, 255)
        XCTAssertEqual(d.peers[0].password, "k")
        XCTAssertTrue(d.peers[0].routeReflectorClient && d.peers[0].nextHopSelf)
        XCTAssertEqual(d.peers[1].remoteAS, 64513, "the group's AS applies")
        XCTAssertEqual(d.peers[1].families, [])
    }

    func testUpDownFormats() {
        XCTAssertEqual(Columns.upDown(17 * 60 + 49, hoursLimit: 24), "00:17:49")
        XCTAssertEqual(Columns.upDown(48 * 3600 + 35 * 60, hoursLimit: 24), "0048h35m")
        XCTAssertEqual(Columns.upDown(24 * 3600 + 63, hoursLimit: 100), "24:01:03")
        XCTAssertEqual(Columns.upDown(2998 * 3600 + 36 * 60, hoursLimit: 100), "2998h36m")
        XCTAssertEqual(Columns.duration(3665), "01h01m05s")
        XCTAssertEqual(Columns.naturalLength(of: IPv4Address("192.168.21.0")!.value), 24)
        XCTAssertEqual(Columns.naturalLength(of: IPv4Address("10.1.1.0")!.value), 8)
    }

    func testAThrowingEditChangesNothing() throws {
        let device = NetworkDevice(kind: "test", config: RunningConfig(hostname: "A"), offline: true)
        defer { device.shutdown() }
        XCTAssertThrowsError(try device.update { c in
            c.hostname = "B"
            throw DeviceError("refused")
        })
        XCTAssertEqual(device.config.hostname, "A")
    }

    func testOfflineSpeakerStartsAndListsConfiguredPeers() throws {
        let device = NetworkDevice(kind: "test", config: RunningConfig(hostname: "A"), offline: true)
        defer { device.shutdown() }
        try device.update { c in
            var b = BGPInstance(asn: 65001)
            b.routerID = IPv4Address("1.1.1.1")
            b.peers = [BGPPeerSettings(address: IPv4Address("192.0.2.1")!, remoteAS: 65002, ipv4Enabled: true)]
            c.bgp = b
        }
        XCTAssertNotNil(device.bgpStatus())
        let rows = device.peerSummaries()
        XCTAssertEqual(rows.map(\.address.description), ["192.0.2.1"])
        XCTAssertNotEqual(rows[0].state, .established)
        try device.update { $0.bgp = nil }
        XCTAssertNil(device.bgpStatus(), "undo bgp stops the speaker")
    }
}
