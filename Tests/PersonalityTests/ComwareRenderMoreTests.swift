import XCTest
import BGPWire
import Device
@testable import H3CComware

final class ComwareRenderMoreTests: XCTestCase {
    /// §B.7: per address the subnet, the subnet's own /32 and broadcast via the address, the address via InLoop0.
    func testIPRoutingTableConnectedEntries() {
        var c = RunningConfig(hostname: "leaf")
        c[interface: "Vlan-interface98"].addresses = [InterfaceAddressConfig(IPv4Address("172.20.0.254")!, length: 24)]
        let out = ComwareDisplay.ipRoutingTable(c.connectedRoutes)
        XCTAssertEqual(out[0], "")
        XCTAssertTrue(out[1].hasPrefix("Destinations : "))
        XCTAssertEqual(out[3], "Destination/Mask   Proto   Pre Cost        NextHop         Interface")
        let rows = Array(out[4...])
        XCTAssertTrue(rows.contains("172.20.0.0/24      Direct  0   0           172.20.0.254    Vlan98"))
        XCTAssertTrue(rows.contains("172.20.0.0/32      Direct  0   0           172.20.0.254    Vlan98"))
        XCTAssertTrue(rows.contains("172.20.0.254/32    Direct  0   0           127.0.0.1       InLoop0"))
        XCTAssertTrue(rows.contains("172.20.0.255/32    Direct  0   0           172.20.0.254    Vlan98"))
        XCTAssertTrue(rows.contains("224.0.0.0/4        Direct  0   0           0.0.0.0         NULL0"))
        let destinations = Set(rows.map { $0.split(separator: " ")[0] })
        XCTAssertEqual(out[1], "Destinations : " + String(destinations.count).padding(toLength: 8, withPad: " ", startingAt: 0) + " Routes : \(rows.count)")
    }

    func testIPInterfaceBriefTemplate() {
        var c = RunningConfig(hostname: "leaf")
        c[interface: "GigabitEthernet1/0/2"].mode = .routed
        c[interface: "GigabitEthernet1/0/2"].shutdown = true
        c[interface: "GigabitEthernet1/0/2"].addresses = [InterfaceAddressConfig(IPv4Address("10.0.99.1")!, length: 30)]
        c[interface: "GigabitEthernet1/0/2"].description = "VLAN1-Transit"
        c[interface: "Vlan-interface10"].addresses = [InterfaceAddressConfig(IPv4Address("10.0.10.253")!, length: 24)]
        let out = ComwareDisplay.ipInterfaceBrief(c)
        XCTAssertEqual(out[2], "Interface                Physical Protocol IP Address      Description")
        XCTAssertEqual(out[3], "GE1/0/2                  *down    down     10.0.99.1       VLAN1-Transit")
        XCTAssertEqual(out[4], "Vlan10                   up       up       10.0.10.253     --")
    }

    func testPeerVerboseIndentAndState() {
        let p = BGPPeerSummary(address: IPv4Address("10.0.0.5")!, remoteAS: 65001, state: .active, upDownSeconds: 5, description: "R1-1")
        let out = ComwareDisplay.bgpPeerVerbose(p, localAS: 65000, routerID: IPv4Address("1.1.1.1")!, enabled: false)
        XCTAssertEqual(out[1], "        Peer: 10.0.0.5  Local: 1.1.1.1")
        XCTAssertEqual(out[2], "        Type: EBGP link")
        XCTAssertEqual(out[3], "        Peer's description: \"R1-1\"")
        XCTAssertTrue(out.contains("        BGP current state: Active"))
        XCTAssertTrue(out.contains { $0.contains("not enabled") })
    }
}
