import XCTest
import BGPWire
import BGPSpeaker
import Device
@testable import HuaweiVRP

final class VRPRenderTests: XCTestCase {
    let id = IPv4Address("10.2.0.2")!

    /// Column offsets from spec §A.4 (last character of each right-aligned field): V at 18, AS ends 30,
    /// MsgRcvd 39, MsgSent 48, OutQ 54, Up/Down 56–63, State ends 75, PrefRcv ends 84.
    func testBGPPeerColumnsForEstablishedIdleAndLongUptime() {
        let peers = [
            BGPPeerSummary(address: IPv4Address("10.2.98.141")!, remoteAS: 63400, state: .established, upDownSeconds: 17 * 60 + 49 + 3600 * 0,
                           messagesIn: 47, messagesOut: 49, prefixesReceived: 3),
            BGPPeerSummary(address: IPv4Address("10.2.98.142")!, remoteAS: 63400, state: .established, upDownSeconds: 48 * 3600 + 35 * 60 + 7,
                           messagesIn: 3512, messagesOut: 3498, prefixesReceived: 2),
            BGPPeerSummary(address: IPv4Address("10.2.98.152")!, remoteAS: 65010, state: .active, upDownSeconds: 7, prefixesReceived: 5),
        ]
        let out = VRPDisplay.bgpPeers(routerID: id, asn: 65001, peers: peers)
        XCTAssertEqual(out[1], " BGP local router ID : 10.2.0.2")
        XCTAssertEqual(out[3].distance(of: "Peers in established state : 2"), 43)
        let header = out.firstIndex { $0.hasPrefix("  Peer") }!
        let rows = Array(out[(header + 2)...])
        XCTAssertEqual(rows.count, 3)
        for row in rows {
            XCTAssertEqual(row[18], "4")
            XCTAssertEqual(row.count, 85)
        }
        XCTAssertEqual(rows[0].field(56, 64), "00:17:49")
        XCTAssertEqual(rows[1].field(56, 64), "0048h35m", "48 hours switch to the hours form")
        XCTAssertEqual(rows[2].field(64, 76).trimmed, "Active")
        XCTAssertEqual(rows[2].field(76, 85).trimmed, "0", "a peer that is not Established shows no prefixes")
        XCTAssertEqual(rows[1].field(31, 40).trimmed, "3512")
        XCTAssertEqual(rows[0].field(19, 31).trimmed + "|" + rows[0].field(76, 85).trimmed, "63400|3")
    }

    func testBGPRoutingTableRowsAndNaturalMasks() {
        var learned = PathAttributes()
        learned.origin = .igp
        learned.asPath = ASPath(sequence: [63400])
        var local = PathAttributes()
        local.origin = .igp
        let routes = [
            RIBEntry(prefix: Prefix("10.1.1.0/24")!, attributes: local, nextHop: .v4(.zero), source: .local(.network), isBest: true),
            RIBEntry(prefix: Prefix("172.30.9.64/26")!, attributes: learned, nextHop: .v4(IPv4Address("10.2.98.141")!),
                     source: .peer(.v4(IPv4Address("10.2.98.141")!), routerID: IPv4Address("10.2.98.141")!, external: true), isBest: true),
            RIBEntry(prefix: Prefix("172.30.9.64/26")!, attributes: learned, nextHop: .v4(IPv4Address("10.2.98.142")!),
                     source: .peer(.v4(IPv4Address("10.2.98.142")!), routerID: IPv4Address("10.2.98.142")!, external: true)),
            RIBEntry(prefix: Prefix("192.168.1.0/24")!, attributes: local, nextHop: .v4(.zero), source: .local(.network), isBest: true),
        ]
        let out = VRPDisplay.bgpRoutingTable(routerID: id, routes: routes)
        XCTAssertTrue(out.contains(" Total Number of Routes: 4"))
        let rows = out.filter { $0.hasPrefix(" *") }
        XCTAssertEqual(rows.count, 4)
        XCTAssertEqual(rows[0].field(6, 25).trimmed, "10.1.1.0/24")
        XCTAssertEqual(rows[0].field(25, 41).trimmed, "0.0.0.0")
        XCTAssertEqual(rows[1].field(1, 4), "*> ")
        XCTAssertEqual(rows[1].field(70, rows[1].count), "63400i")
        XCTAssertEqual(rows[2].field(1, 4), "*  ")
        XCTAssertEqual(rows[2].field(6, 25).trimmed, "", "the second path leaves the network blank")
        XCTAssertEqual(rows[3].field(6, 25).trimmed, "192.168.1.0", "a class C /24 is shown without its length")
        XCTAssertEqual(VRPDisplay.bgpRoute(IPv4Prefix("1.2.3.0/24")!, routerID: id, asn: 1, routes: [], advertisedTo: [], duration: { _ in 0 }),
                       ["Info: The network does not exist."])
    }

    /// Seed 003: `dis ip routing-table protocol bgp` splits active (RD) and inactive (R) routes.
    func testIPRoutingTableProtocolBGPLayout() {
        let nh = IPv4Address("10.2.98.141")!
        let entries = [
            IPRouteEntry(prefix: IPv4Prefix("172.30.9.64/26")!, proto: .ebgp, preference: 255, nextHop: nh, interface: "Vlanif98"),
            IPRouteEntry(prefix: IPv4Prefix("172.30.5.0/24")!, proto: .ebgp, preference: 255, nextHop: nh, interface: "Vlanif98", active: false),
        ]
        let out = VRPDisplay.ipRoutingTableBGP(entries)
        XCTAssertEqual(out[2], "Public routing table : BGP")
        XCTAssertEqual(out[3], "         Destinations : 2        Routes : 2")
        let rows = out.filter { $0.contains("EBGP") }
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows[0].field(0, 20), "    172.30.9.64/26  ")
        XCTAssertEqual(rows[0].field(15, 16), "/")
        XCTAssertEqual(rows[0].field(43, 46), " RD")
        XCTAssertEqual(rows[1].field(43, 46), "  R")
        XCTAssertEqual(rows[0].field(49, 65).trimmed, "10.2.98.141")
        XCTAssertEqual(rows[0].field(65, rows[0].count), "Vlanif98")
        let inactive = out.firstIndex(of: "BGP routing table status : <Inactive>")!
        XCTAssertGreaterThan(out.firstIndex { $0.contains("172.30.5.0") }!, inactive)
    }

    func testConnectedRoutesExpandAsOnTheSwitch() {
        var c = RunningConfig(hostname: "S")
        c[interface: "Vlanif98"].addresses = [InterfaceAddressConfig(IPv4Address("10.98.0.1")!, length: 24)]
        let out = VRPDisplay.ipRoutingTable(c.connectedRoutes)
        let destinations = out.compactMap { row -> String? in row.contains("Direct") ? row.field(0, 20).trimmed : nil }
        XCTAssertEqual(destinations, ["10.98.0.0/24", "10.98.0.1/32", "10.98.0.255/32", "127.0.0.0/8", "127.0.0.1/32",
                                      "127.255.255.255/32", "255.255.255.255/32"])
        XCTAssertEqual(out[1].count, 78)
    }

    func testInterfaceBriefCountsShutdownInterfaces() {
        var c = RunningConfig(hostname: "S")
        c[interface: "Vlanif98"].addresses = [InterfaceAddressConfig(IPv4Address("10.98.0.1")!, length: 24)]
        c[interface: "LoopBack0"].shutdown = true
        let out = VRPDisplay.ipInterfaceBrief(c)
        XCTAssertTrue(out.contains("The number of interface that is UP in Physical is 2"))
        XCTAssertTrue(out.contains("The number of interface that is DOWN in Physical is 1"))
        let vlanif = out.first { $0.hasPrefix("Vlanif98") }!
        XCTAssertEqual(vlanif.field(34, 55).trimmed, "10.98.0.1/24")
        XCTAssertEqual(out.first { $0.hasPrefix("LoopBack0") }!.field(55, 66).trimmed, "*down")
    }
}

extension String {
    /// Characters `from..<to` (clamped), for column checks.
    func field(_ from: Int, _ to: Int) -> String {
        let chars = Array(self)
        guard from < chars.count else { return "" }
        return String(chars[from..<min(to, chars.count)])
    }
    subscript(_ i: Int) -> Character { Array(self)[i] }
    var trimmed: String { trimmingCharacters(in: .whitespaces) }
    func distance(of needle: String) -> Int? {
        range(of: needle).map { self.distance(from: startIndex, to: $0.lowerBound) }
    }
}
