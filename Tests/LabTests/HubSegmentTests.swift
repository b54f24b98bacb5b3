import XCTest
@testable import Lab

final class HubSegmentTests: XCTestCase {
    func testFloodsOnlyWithinTheVLAN() {
        var hub = HubSegment(vlanFiltering: true)
        hub.set("vlanif10p", vlan: 10)
        hub.set("ge1-0-1", vlan: 1)
        XCTAssertEqual(hub.set("ge1-0-1", vlan: 10), [1, 10], "moving a port reprograms its old and new VLAN")
        hub.set("ge1-0-2", vlan: 10)
        hub.set("ge1-0-4", vlan: 20)
        XCTAssertEqual(hub.floodTargets(of: "ge1-0-1"), ["vlanif10p", "ge1-0-2"])
        XCTAssertEqual(hub.floodTargets(of: "ge1-0-4"), [])
        XCTAssertNil(hub.filterArguments(for: "ge1-0-4"), "a lone member floods nowhere")
        XCTAssertEqual(hub.filterArguments(for: "ge1-0-2"),
                       ["filter", "add", "dev", "ge1-0-2", "parent", "ffff:", "protocol", "all", "u32", "match", "u32", "0", "0",
                        "action", "mirred", "egress", "mirror", "dev", "vlanif10p",
                        "action", "mirred", "egress", "redirect", "dev", "ge1-0-1"])
    }

    func testPlainSegmentIgnoresVLANs() {
        var hub = HubSegment(vlanFiltering: false)
        hub.set("p1", vlan: 1)
        hub.set("p2", vlan: 7)
        XCTAssertEqual(hub.floodTargets(of: "p1"), ["p2"])
    }
}

final class KindAndSwitchLayoutTests: XCTestCase {
    func testRegistryRefusesDuplicates() {
        XCTAssertThrowsError(try KindRegistry([.host, .bridge, .host])) { error in
            XCTAssertEqual("\(error)", "node kind 'host' is already registered")
        }
        XCTAssertEqual(KindRegistry.standard.names, ["huawei-vrp", "h3c-comware", "quagga", "calico-node", "host", "bridge"])
    }

    func testHuaweiLayout() {
        let config = """
        sysname CORE
        vlan batch 98 100 to 102
        #
        interface Vlanif98
         ip address 10.2.98.1 24
        #
        interface GigabitEthernet0/0/1
         port link-type hybrid
        #
        interface GigabitEthernet0/0/2
         port link-type trunk
         port trunk pvid vlan 98
         port trunk allow-pass vlan 98 100
        #
        interface GigabitEthernet0/0/3
         undo portswitch
         ip address 10.0.0.1/31
        """
        let (layout, issues) = SwitchLayout.parse(config, kind: .huaweiVRP)
        XCTAssertEqual(issues, [])
        XCTAssertEqual(layout.sysname, "CORE")
        XCTAssertEqual(layout.vlans, [98, 100, 101, 102])
        XCTAssertEqual(layout.vlanInterfaces.first?.addresses.map(\.description), ["10.2.98.1/24"])
        XCTAssertEqual(layout.mode(ofPort: "GigabitEthernet0/0/1"), .access(vlan: 1))
        XCTAssertEqual(layout.mode(ofPort: "GigabitEthernet0/0/2"), .trunk(pvid: 98, allowed: [1, 98, 100]))
        XCTAssertEqual(layout.mode(ofPort: "GigabitEthernet0/0/3"), .routed(addresses: [try! InterfaceAddress.parse("10.0.0.1/31").get()]))
    }

    func testLayoutFaults() {
        let config = """
        interface Vlan-interface10
         ip address 10.1.1.1 255.0.255.0
        interface GigabitEthernet1/0/1
         port link-mode route
         port link-type trunk
        interface GigabitEthernet1/0/2
         port trunk permit vlan 5000
        interface GigabitEthernet 1/0/3
        """
        let (_, issues) = SwitchLayout.parse(config, kind: .h3cComware)
        XCTAssertEqual(issues.map(\.line), [2, 5, 7, 8])
        XCTAssertEqual(issues[0].message, "'255.0.255.0' is not a contiguous subnet mask")
        XCTAssertEqual(issues[1].message, "GigabitEthernet1/0/1 is a routed port; port link-type needs a layer-2 port")
        XCTAssertEqual(issues[2].message, "'5000' is not a VLAN ID (1-4094)")
    }
}
