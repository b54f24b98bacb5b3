import Foundation
import XCTest
@testable import Kernel

final class BridgeVLANTests: KernelTestCase {
    /// A VLAN-filtering bridge with port VLANs, checked against `bridge -j vlan show`. Kernels built
    /// without CONFIG_BRIDGE_VLAN_FILTERING refuse the bridge; the test then skips.
    func testPortVLANsShowInBridgeVlanShow() throws {
        let namespace = try makeNamespace()
        let nl = try namespace.netlink()
        do {
            try nl.createBridge("br0", vlanFiltering: true)
        } catch let error as KernelError where error.code == EOPNOTSUPP {
            XCTAssertTrue(error.description.contains("CONFIG_BRIDGE_VLAN_FILTERING"), error.description)
            throw XCTSkip("kernel without bridge VLAN filtering: \(error)")
        }
        try nl.createVeth("p0", peer: "p0-peer")
        try nl.createVeth("p1", peer: "p1-peer")
        try nl.setMaster("p0", "br0")
        try nl.setMaster("p1", "br0")
        try nl.addBridgeVLAN(BridgeVLAN(10, pvid: true, untagged: true), port: "p0")
        try nl.addBridgeVLAN(BridgeVLAN(20), port: "p0")
        try nl.addBridgeVLAN(BridgeVLAN(20), port: "p1")
        try nl.addBridgeVLAN(BridgeVLAN(20), port: "br0", onBridgeItself: true)
        try nl.removeBridgeVLAN(1, port: "p1")

        let details = try ipJSON(namespace, "-d", "link", "show", "br0").first
        let data = (details?["linkinfo"] as? [String: Any])?["info_data"] as? [String: Any]
        XCTAssertEqual(data?["vlan_filtering"] as? Int, 1)

        var shown: [String: [String]] = [:]
        for entry in try bridgeJSON(namespace, "vlan", "show") {
            guard let name = entry["ifname"] as? String else { continue }
            shown[name] = (entry["vlans"] as? [[String: Any]] ?? []).map { vlan in
                let flags = (vlan["flags"] as? [String] ?? []).sorted()
                return (["\(vlan["vlan"] as? Int ?? -1)"] + flags).joined(separator: " ")
            }.sorted()
        }
        XCTAssertTrue(shown["p0"]?.contains("10 Egress Untagged PVID") ?? false, "\(shown)")
        XCTAssertTrue(shown["p0"]?.contains("20") ?? false, "\(shown)")
        XCTAssertEqual(shown["p1"], ["20"])
        XCTAssertTrue(shown["br0"]?.contains("20") ?? false, "\(shown)")

        let mine = Dictionary(uniqueKeysWithValues: try nl.bridgeVLANs().map { ($0.name, $0.vlans) })
        XCTAssertEqual(mine["p1"], [BridgeVLAN(20)])
        XCTAssertTrue(mine["p0"]?.contains(BridgeVLAN(10, pvid: true, untagged: true)) ?? false)

        try nl.setBridgeVLANFiltering("br0", false)
        let after = (try ipJSON(namespace, "-d", "link", "show", "br0").first?["linkinfo"] as? [String: Any])?["info_data"] as? [String: Any]
        XCTAssertEqual(after?["vlan_filtering"] as? Int, 0)
    }

    func testBridgeWithoutFilteringListsNoVLANs() throws {
        let namespace = try makeNamespace()
        let nl = try namespace.netlink()
        try nl.createBridge("br1")
        try nl.createVeth("q0", peer: "q1")
        try nl.setMaster("q0", "br1")
        let details = try ipJSON(namespace, "-d", "link", "show", "br1").first
        let data = (details?["linkinfo"] as? [String: Any])?["info_data"] as? [String: Any]
        XCTAssertEqual(data?["vlan_filtering"] as? Int, 0)
        XCTAssertEqual(try nl.link("br1").vlanFiltering, false)
        XCTAssertEqual(try nl.bridgeVLANs().count, try bridgeJSON(namespace, "vlan", "show").filter { !(($0["vlans"] as? [Any]) ?? []).isEmpty }.count)
    }

    /// The request layout, byte for byte, as <linux/if_bridge.h> defines it (runs without root).
    func testVLANRequestLayout() {
        let request = NetlinkSocket.bridgeVLANRequest(NL.RTM_SETLINK, BridgeVLAN(10, pvid: true, untagged: true),
                                                      portIndex: 7, onBridgeItself: true)
        let expected: [UInt8] = [
            7, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // ifinfomsg: AF_BRIDGE, index 7
            20, 0, 26, 0,                                 // IFLA_AF_SPEC, 20 bytes
            6, 0, 0, 0, 2, 0, 0, 0,                       // IFLA_BRIDGE_FLAGS = BRIDGE_FLAGS_SELF, padded
            8, 0, 2, 0, 6, 0, 10, 0,                      // IFLA_BRIDGE_VLAN_INFO { PVID|UNTAGGED, vid 10 }
        ]
        XCTAssertEqual(request.payload, expected)
        XCTAssertEqual(request.type, 19)
    }

    /// Decoding a dump part built by hand, including a compressed range.
    func testVLANDumpDecoding() {
        var payload: [UInt8] = [7, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]  // ifinfomsg, index 5
        payload += [7, 0, 3, 0] + Array("p0".utf8) + [0, 0]                        // IFLA_IFNAME "p0"
        payload += [28, 0, 26, 0]                                                  // IFLA_AF_SPEC
        payload += [8, 0, 2, 0, 6, 0, 10, 0]                                       // 10 PVID untagged
        payload += [8, 0, 2, 0, 8, 0, 20, 0]                                       // range begin 20
        payload += [8, 0, 2, 0, 16, 0, 22, 0]                                      // range end 22
        let message = NetlinkMessage(type: 16, flags: 0, sequence: 1, portID: 0, payload: payload[...])
        let port = NetlinkSocket.decodeBridgeVLANs(message)
        XCTAssertEqual(port?.linkIndex, 5)
        XCTAssertEqual(port?.name, "p0")
        XCTAssertEqual(port?.vlans, [BridgeVLAN(10, pvid: true, untagged: true), BridgeVLAN(20), BridgeVLAN(21), BridgeVLAN(22)])
        // Truncated input yields what is whole, never a crash.
        for cut in 0..<payload.count {
            _ = NetlinkSocket.decodeBridgeVLANs(NetlinkMessage(type: 16, flags: 0, sequence: 1, portID: 0, payload: payload[..<cut]))
        }
    }
}
