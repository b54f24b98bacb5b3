import XCTest
import BGPWire
import BGPSpeaker
@testable import BGPDaemon

final class BgpdStatusTests: XCTestCase {
    func sample() -> BgpdStatus {
        let attrs = PathAttributes(origin: .igp, asPath: ASPath(sequence: [65002, 65003]), localPref: 100,
                                   communities: [Community(asn: 65002, value: 7)], originatorID: IPv4Address("10.0.0.9"),
                                   clusterList: [IPv4Address("10.0.0.1")!])
        let learnt = RIBEntry(prefix: Prefix("10.2.0.0/24")!, attributes: attrs, nextHop: IPAddress("10.99.0.2")!,
                              source: .peer(IPAddress("10.99.0.2")!, routerID: IPv4Address("10.0.0.2")!, external: true), isBest: true)
        var stale = learnt
        stale.isBest = false
        stale.isStale = true
        let peer = BgpdStatus.Peer(address: IPAddress("10.99.0.2")!, remoteAS: 65002, description: "leaf01", state: .active,
                                   uptimeSeconds: 0, received: 2, accepted: 1, advertised: 3, messagesIn: 10, messagesOut: 11,
                                   lastError: "Hold timer expired")
        return BgpdStatus(routerID: IPv4Address("10.0.0.1")!, asn: 65001, clusterID: nil, peers: [peer],
                          routes: [BgpdStatus.Route(learnt), BgpdStatus.Route(stale)])
    }

    func testJSONHasTheContractFields() throws {
        let json = try JSON.parse(sample().json.text)
        XCTAssertEqual(json["router-id"], .string("10.0.0.1"))
        XCTAssertEqual(json["asn"], .number(65001))
        XCTAssertEqual(json["cluster-id"], .null)
        let peer = try XCTUnwrap(json["peers"]?.array?.first)
        for key in ["address", "remote-as", "description", "state", "uptime-seconds", "received", "accepted", "advertised",
                    "messages-in", "messages-out", "last-error"] {
            XCTAssertNotNil(peer[key], key)
        }
        XCTAssertEqual(peer["state"], .string("Active"))
        XCTAssertEqual(peer["last-error"], .string("Hold timer expired"))
        let route = try XCTUnwrap(json["routes"]?.array?.first)
        XCTAssertEqual(route["as-path"], .string("65002 65003"))
        XCTAssertEqual(route["origin"], .string("igp"))
        XCTAssertEqual(route["local-pref"], .number(100))
        XCTAssertEqual(route["med"], .null)
        XCTAssertEqual(route["communities"], .array([.string("65002:7")]))
        XCTAssertEqual(route["originator-id"], .string("10.0.0.9"))
        XCTAssertEqual(route["cluster-list"], .array([.string("10.0.0.1")]))
        XCTAssertEqual(route["best"], .bool(true))
        XCTAssertEqual(route["peer"], .string("10.99.0.2"))
        XCTAssertEqual(json["routes"]?.array?.last?["stale"], .bool(true))
    }

    func testTableListsPeersErrorsAndFlaggedRoutes() {
        let lines = sample().table.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines[0], "BGP router identifier 10.0.0.1, local AS 65001")
        XCTAssertTrue(lines[2].hasPrefix("Peer"))
        XCTAssertEqual(lines[3].split(separator: " ").map(String.init), ["10.99.0.2", "65002", "never", "Active", "2", "1", "3", "10", "11"])
        XCTAssertEqual(lines[4], "10.99.0.2 last error: Hold timer expired")
        XCTAssertTrue(lines[7].hasPrefix(" *>10.2.0.0/24"), lines[7])
        XCTAssertTrue(lines[8].hasPrefix("S* 10.2.0.0/24"), lines[8])
        // Columns line up: the next hop starts at the same offset in the header and in each row.
        let offset = lines[6].range(of: "Next Hop")!.lowerBound.utf16Offset(in: lines[6])
        XCTAssertEqual(lines[7].range(of: "10.99.0.2")!.lowerBound.utf16Offset(in: lines[7]), offset)
    }

    func testJSONEscapesText() {
        XCTAssertEqual(JSON.string("a\"b\\c\nd").text, #""a\"b\\c\nd""#)
        XCTAssertEqual(JSON.object([("k", .array([.number(1), .null, .bool(false)]))]).text, #"{"k":[1,null,false]}"#)
    }
}
