import Foundation
import XCTest
@testable import Kernel

final class RouteTests: KernelTestCase {
    private var lab: NetworkNamespace!
    private var netlink: NetlinkSocket!

    /// Namespace `lab` with veth a0 (10.99.0.1/24, fd00:99::1/64) whose peer sits, up, in a second namespace.
    private func makeLab() throws {
        lab = try makeNamespace()
        let peer = try makeNamespace()
        netlink = try lab.netlink()
        try netlink.createVeth("a0", peer: "b0", peerNamespace: peer)
        try netlink.addAddress(InetAddress("10.99.0.1")!, prefixLength: 24, to: "a0")
        try netlink.addAddress(InetAddress("fd00:99::1")!, prefixLength: 64, to: "a0")
        try netlink.setLinkUp("a0")
        try peer.netlink().setLinkUp("b0")
    }

    private func prefix(_ text: String) -> InetPrefix { InetPrefix(text)! }
    private func address(_ text: String) -> InetAddress { InetAddress(text)! }

    private func ipRoute(_ family: String, _ arguments: String...) throws -> [[String: Any]] {
        try json(["ip", family, "-n", lab.name, "-j", "route", "show"] + arguments)
    }

    private func json(_ command: [String]) throws -> [[String: Any]] {
        let output = try run(command).output.trimmingCharacters(in: .whitespacesAndNewlines)
        if output.isEmpty { return [] }
        return try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]] ?? []
    }

    func testGatewayBlackholeOnlinkAndTableRoutesIPv4() throws {
        try makeLab()
        try netlink.addRoute(.via(prefix("10.100.0.0/24"), address("10.99.0.2"), protocol: .bgp, metric: 20))
        try netlink.addRoute(.blackhole(prefix("10.101.0.0/24"), protocol: .bgp))
        try netlink.addRoute(.via(prefix("10.103.0.0/24"), address("192.0.2.1"), interface: "a0", onlink: true))
        var inTable = Route.via(prefix("10.104.0.0/24"), address("10.99.0.2"))
        inTable.table = 100
        try netlink.addRoute(inTable)
        try netlink.addRoute(Route(prefix("10.105.0.0/24"), nextHops: [NextHop(interface: "a0")], protocol: .boot))

        let gateway = try ipRoute("-4", "10.100.0.0/24").first
        XCTAssertEqual(gateway?["gateway"] as? String, "10.99.0.2")
        XCTAssertEqual(gateway?["dev"] as? String, "a0")
        XCTAssertEqual(gateway?["protocol"] as? String, "bgp")
        XCTAssertEqual(gateway?["metric"] as? Int, 20)

        let blackhole = try ipRoute("-4", "10.101.0.0/24").first
        XCTAssertEqual(blackhole?["type"] as? String, "blackhole")
        XCTAssertEqual(blackhole?["protocol"] as? String, "bgp")

        let onlink = try ipRoute("-4", "10.103.0.0/24").first
        XCTAssertEqual(onlink?["gateway"] as? String, "192.0.2.1")
        XCTAssertTrue((onlink?["flags"] as? [String] ?? []).contains("onlink"))

        XCTAssertEqual(try ipRoute("-4", "table", "100").first?["dst"] as? String, "10.104.0.0/24")
        XCTAssertTrue(try ipRoute("-4", "10.104.0.0/24").isEmpty)

        let connected = try ipRoute("-4", "10.105.0.0/24").first
        XCTAssertEqual(connected?["scope"] as? String, "link")
        XCTAssertNil(connected?["gateway"])

        // The dump reads back what was installed.
        let routes = try netlink.routes(family: UInt8(AF_INET))
        let read = try XCTUnwrap(routes.first { $0.destination == prefix("10.100.0.0/24") })
        XCTAssertEqual(read.protocol, .bgp)
        XCTAssertEqual(read.metric, 20)
        XCTAssertEqual(read.nextHops.map(\.gateway), [address("10.99.0.2")])
        XCTAssertEqual(read.nextHops.first?.interfaceIndex, try netlink.linkIndex("a0"))
        XCTAssertEqual(routes.first { $0.destination == prefix("10.101.0.0/24") }?.type, .blackhole)
        XCTAssertEqual(routes.first { $0.destination == prefix("10.103.0.0/24") }?.nextHops.first?.onlink, true)
        XCTAssertTrue(routes.contains { $0.destination == prefix("10.99.0.0/24") && $0.protocol == .kernel })
        XCTAssertFalse(routes.contains { $0.table != Route.mainTable })
        XCTAssertEqual(try netlink.routes(family: UInt8(AF_INET), table: 100).map(\.destination), [prefix("10.104.0.0/24")])

        // Replace swaps the next hop in place.
        try netlink.replaceRoute(.via(prefix("10.100.0.0/24"), address("10.99.0.3"), protocol: .bgp, metric: 20))
        let replaced = try ipRoute("-4", "10.100.0.0/24")
        XCTAssertEqual(replaced.count, 1)
        XCTAssertEqual(replaced.first?["gateway"] as? String, "10.99.0.3")

        // Adding it again fails with EEXIST and says what was being done.
        XCTAssertThrowsError(try netlink.addRoute(.via(prefix("10.100.0.0/24"), address("10.99.0.3"), protocol: .bgp, metric: 20))) { error in
            let kernelError = error as? KernelError
            XCTAssertTrue(kernelError?.isAlreadyExists ?? false)
            XCTAssertTrue(kernelError?.description.hasPrefix("adding route 10.100.0.0/24 via 10.99.0.3") ?? false, "\(error)")
        }
        // An unreachable gateway is refused with the kernel's reason.
        XCTAssertThrowsError(try netlink.addRoute(.via(prefix("10.106.0.0/24"), address("198.51.100.1")))) { error in
            XCTAssertEqual((error as? KernelError)?.code, ENETUNREACH, "\(error)")
        }

        try netlink.deleteRoute(prefix("10.100.0.0/24"))
        try netlink.deleteRoute(.blackhole(prefix("10.101.0.0/24"), protocol: .bgp))
        XCTAssertTrue(try ipRoute("-4", "10.100.0.0/24").isEmpty)
        XCTAssertTrue(try ipRoute("-4", "10.101.0.0/24").isEmpty)
        XCTAssertThrowsError(try netlink.deleteRoute(prefix("10.100.0.0/24"))) { error in
            XCTAssertTrue((error as? KernelError)?.isNotFound ?? false, "\(error)")
        }
        // A delete that names another protocol leaves the route alone.
        XCTAssertThrowsError(try netlink.deleteRoute(prefix("10.103.0.0/24"), protocol: .bgp))
        XCTAssertEqual(try ipRoute("-4", "10.103.0.0/24").count, 1)
    }

    func testMultipathRoutes() throws {
        try makeLab()
        let v4 = Route(prefix("10.102.0.0/24"), nextHops: [
            NextHop(gateway: address("10.99.0.2"), interface: "a0"),
            NextHop(gateway: address("10.99.0.3"), interface: "a0", weight: 3),
        ], protocol: .bgp)
        let v6 = Route(prefix("fd00:102::/64"), nextHops: [
            NextHop(gateway: address("fd00:99::2"), interface: "a0"),
            NextHop(gateway: address("fd00:99::3"), interface: "a0"),
        ], protocol: .bgp)
        try netlink.addRoute(v4)
        try netlink.addRoute(v6)

        for (family, dst, gateways) in [("-4", "10.102.0.0/24", ["10.99.0.2", "10.99.0.3"]),
                                        ("-6", "fd00:102::/64", ["fd00:99::2", "fd00:99::3"])] {
            let shown = try ipRoute(family, dst)
            let hops = shown.first?["nexthops"] as? [[String: Any]] ?? []
            XCTAssertEqual(hops.compactMap { $0["gateway"] as? String }.sorted(), gateways, "\(shown)")
            XCTAssertEqual(Set(hops.compactMap { $0["dev"] as? String }), ["a0"])
            XCTAssertEqual(shown.first?["protocol"] as? String, "bgp")
        }
        let weights = (try ipRoute("-4", "10.102.0.0/24").first?["nexthops"] as? [[String: Any]] ?? []).compactMap { $0["weight"] as? Int }
        XCTAssertEqual(weights.sorted(), [1, 3])

        let read = try netlink.routes()
        XCTAssertEqual(read.first { $0.destination == v4.destination }?.nextHops.map(\.weight).sorted(), [1, 3])
        XCTAssertEqual(read.first { $0.destination == v6.destination }?.nextHops.compactMap(\.gateway).sorted(),
                       [address("fd00:99::2"), address("fd00:99::3")])

        try netlink.deleteRoute(v4.destination)
        try netlink.deleteRoute(v6.destination)
        XCTAssertTrue(try ipRoute("-4", "10.102.0.0/24").isEmpty)
        XCTAssertTrue(try ipRoute("-6", "fd00:102::/64").isEmpty)
    }

    func testIPv6GatewayAndBlackholeRoutes() throws {
        try makeLab()
        try netlink.addRoute(.via(prefix("fd00:100::/64"), address("fd00:99::2"), protocol: .bgp, metric: 50))
        try netlink.addRoute(.blackhole(prefix("fd00:101::/64"), protocol: .bgp))
        let gateway = try ipRoute("-6", "fd00:100::/64").first
        XCTAssertEqual(gateway?["gateway"] as? String, "fd00:99::2")
        XCTAssertEqual(gateway?["metric"] as? Int, 50)
        XCTAssertEqual(gateway?["protocol"] as? String, "bgp")
        XCTAssertEqual(try ipRoute("-6", "fd00:101::/64").first?["type"] as? String, "blackhole")
        let read = try netlink.routes(family: UInt8(AF_INET6))
        XCTAssertEqual(read.first { $0.destination == prefix("fd00:100::/64") }?.metric, 50)
        XCTAssertEqual(read.first { $0.destination == prefix("fd00:101::/64") }?.type, .blackhole)
        try netlink.deleteRoute(prefix("fd00:100::/64"))
        XCTAssertTrue(try ipRoute("-6", "fd00:100::/64").isEmpty)

        // An IPv4 route via an IPv6 next hop (RFC 5549) goes out as RTA_VIA.
        try netlink.addRoute(.via(prefix("10.107.0.0/24"), address("fd00:99::2"), interface: "a0", protocol: .bgp))
        let via = try ipRoute("-4", "10.107.0.0/24").first?["via"] as? [String: Any]
        XCTAssertEqual(via?["family"] as? String, "inet6")
        XCTAssertEqual(via?["host"] as? String, "fd00:99::2")
        XCTAssertEqual(try netlink.routes(family: UInt8(AF_INET)).first { $0.destination == prefix("10.107.0.0/24") }?.nextHops.first?.gateway,
                       address("fd00:99::2"))
    }

    /// 2 000 routes in one batch, one of them bad; prints the time taken.
    func testBatchInstallsThousandsOfRoutes() throws {
        try makeLab()
        let gateway = address("10.99.0.2")
        var changes = (0..<2000).map { i in
            RouteChange.replace(.via(InetPrefix(InetAddress(ipv4: 0x0AC8_0000 | UInt32(i)), length: 32), gateway, protocol: .bgp))
        }
        changes[1234] = .add(.via(prefix("10.201.0.0/24"), address("198.51.100.1"), protocol: .bgp)) // unreachable gateway

        let start = DispatchTime.now().uptimeNanoseconds
        let failures = try netlink.apply(changes)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        print("KernelTests: installed \(changes.count - failures.count) routes in one batch in \(String(format: "%.1f", elapsed)) ms")

        XCTAssertEqual(failures.map(\.index), [1234])
        XCTAssertEqual(failures.first?.error.code, ENETUNREACH)
        XCTAssertTrue(failures.first?.description.hasPrefix("adding route 10.201.0.0/24 via 198.51.100.1") ?? false)
        let shown = try ipRoute("-4", "proto", "bgp")
        XCTAssertEqual(shown.count, 1999)
        XCTAssertTrue(shown.contains { $0["dst"] as? String == "10.200.7.207" && $0["gateway"] as? String == "10.99.0.2" })
        XCTAssertEqual(try netlink.routes(family: UInt8(AF_INET)).filter { $0.protocol == .bgp }.count, 1999)

        let removals = changes.enumerated().filter { $0.offset != 1234 }.map { RouteChange.delete($0.element.route) }
        let removeStart = DispatchTime.now().uptimeNanoseconds
        XCTAssertEqual(try netlink.apply(removals).count, 0)
        let removeElapsed = Double(DispatchTime.now().uptimeNanoseconds - removeStart) / 1e6
        print("KernelTests: removed \(removals.count) routes in one batch in \(String(format: "%.1f", removeElapsed)) ms")
        XCTAssertTrue(try ipRoute("-4", "proto", "bgp").isEmpty)
    }
}
