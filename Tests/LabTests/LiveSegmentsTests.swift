import XCTest
@testable import Lab

/// The hub a running switch's layout makes of its links (what `LiveSegments.apply` programs), and the
/// layout `up` plumbed from a startup config (what the first `apply` compares with).
final class LiveSegmentsTests: XCTestCase {
    func testStartupConfigLayoutUsesTheLabsLinuxNames() {
        let layout = LiveSegments.Layout(startupConfig: """
            vlan batch 98
            #
            interface Vlanif98
             ip address 10.2.98.1 255.255.255.0
            #
            interface GigabitEthernet1/0/0
             port link-type access
             port default vlan 98
            #
            interface GigabitEthernet1/0/1
             undo portswitch
             ip address 10.0.0.1 255.255.255.252
            """, kind: .huaweiVRP)
        XCTAssertEqual(layout.ports, ["ge1-0-0": .access(vlan: 98), "ge1-0-1": .routed])
        XCTAssertEqual(layout.vlanInterfaces, [98: "Vlanif98"])
        XCTAssertEqual(LiveSegments.Layout(startupConfig: nil, kind: .h3cComware), LiveSegments.Layout(ports: [:], vlanInterfaces: [:]))
    }

    func testHubHoldsLayerTwoPortsAndVLANInterfaceEnds() {
        let links: Set<String> = ["lo", "ge0-0-1", "ge0-0-2", "ge0-0-3", "ge0-0-4", "ge0-0-5", "vlanif98", "vlanif98p", "vlanif99", "vlanif99p"]
        let layout = LiveSegments.Layout(ports: ["ge0-0-1": .access(vlan: 98), "ge0-0-2": .access(vlan: 99), "ge0-0-3": .routed,
                                                 "ge0-0-4": .trunk(allowed: [98, 99])],
                                         vlanInterfaces: [98: "Vlanif98", 99: "Vlanif99"])
        let (hub, candidates, trunks) = LiveSegments.hub(for: layout, links: links)
        XCTAssertEqual(candidates, ["ge0-0-1", "ge0-0-2", "ge0-0-3", "ge0-0-4", "ge0-0-5", "vlanif98p", "vlanif99p"],
                       "lo and the address ends of VLAN interfaces are never members")
        XCTAssertEqual(hub.floodTargets(of: "ge0-0-1"), ["vlanif98p"])
        XCTAssertEqual(hub.floodTargets(of: "ge0-0-2"), ["vlanif99p"])
        XCTAssertFalse(hub.contains("ge0-0-3"), "a routed port is in no segment")
        XCTAssertFalse(hub.contains("ge0-0-4"), "a trunk cannot be a hub member on this kernel")
        XCTAssertEqual(trunks.map(\.0), ["ge0-0-4"])
        XCTAssertEqual(hub.vlan(of: "ge0-0-5"), 1, "an untouched port is an access port in VLAN 1")
    }

    func testPortNamesAreCableEndsOnly() {
        XCTAssertTrue(LiveSegments.isPort("ge1-0-49"))
        XCTAssertTrue(LiveSegments.isPort("xge1-0-49"))
        for name in ["lo", "swbr", "vlanif98", "vlanif98p", "ge"] { XCTAssertFalse(LiveSegments.isPort(name), name) }
        XCTAssertEqual(LiveSegments.memberVLAN(ofInterface: "vlanif98p"), 98)
        XCTAssertNil(LiveSegments.memberVLAN(ofInterface: "vlanif98"))
        XCTAssertEqual(LiveSegments.vlanNumber(ofInterface: "vlanif98"), 98)
        XCTAssertNil(LiveSegments.vlanNumber(ofInterface: "vlanif98p"))
    }
}
