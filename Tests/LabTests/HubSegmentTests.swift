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
