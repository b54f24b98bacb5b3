import XCTest
@testable import Kernel

/// Encoding and decoding without a kernel: layouts as the uapi headers define them, and malformed
/// input that must not crash.
final class NetlinkCodecTests: XCTestCase {
    func testAddressesParseAndPrint() {
        XCTAssertEqual(InetAddress("10.0.0.1")?.bytes, [10, 0, 0, 1])
        XCTAssertEqual(InetAddress("2001:DB8::1")?.description, "2001:db8::1")
        XCTAssertEqual(InetAddress(ipv4: 0x0a00_0001), InetAddress("10.0.0.1"))
        XCTAssertEqual(InetAddress(ipv6High: 0xfd00_0000_0000_0000, low: 5).description, "fd00::5")
        XCTAssertEqual(InetAddress(bytes: [192, 0, 2, 1])?.ipv4Value, 0xc000_0201)
        XCTAssertNil(InetAddress(bytes: [1, 2, 3]))
        XCTAssertNil(InetAddress("10.0.0.256"))
        XCTAssertNil(InetAddress("fe80::1%eth0"))
        XCTAssertTrue(InetAddress("fe80::1")!.isIPv6LinkLocal)
        XCTAssertTrue(InetAddress("10.0.0.1")! < InetAddress("::1")!)
        XCTAssertEqual(InetPrefix("10.1.2.3/24")?.description, "10.1.2.0/24")
        XCTAssertEqual(InetPrefix("fd00:1:2:3::5/64")?.description, "fd00:1:2:3::/64")
        XCTAssertEqual(InetPrefix("10.0.0.7")?.description, "10.0.0.7/32")
        XCTAssertEqual(InetPrefix("10.0.0.0/0"), InetPrefix.ipv4Default)
        XCTAssertNil(InetPrefix("10.0.0.0/33"))
        XCTAssertNil(InetPrefix("10.0.0.0/"))
        XCTAssertNil(InetPrefix("10.0.0.0/24/1"))
        XCTAssertTrue(InetPrefix("10.1.0.0/16")!.contains(InetAddress("10.1.200.3")!))
        XCTAssertFalse(InetPrefix("10.1.0.0/16")!.contains(InetAddress("10.2.0.1")!))
        XCTAssertEqual(InetAddress("10.255.255.255")!.masked(to: 12).description, "10.240.0.0")
    }

    func testNestedAttributesRoundTrip() {
        var request = NetlinkRequest(type: 16)
        request.append(UInt32(0xdead_beef))
        request.addAttribute(3, string: "veth0")
        request.nest(18) { info in
            info.addAttribute(1, string: "veth")
            info.nest(2) { data in data.addAttribute(7, UInt8(1)) }
        }
        // "veth0\0" = 6 bytes → rta_len 10, padded to 12; nest: 4 + ("veth\0" 9→12) + (4 + (5→8)) = 28.
        XCTAssertEqual(Array(request.payload[4..<8]), [10, 0, 3, 0])
        XCTAssertEqual(Array(request.payload[16..<20]), [28, 0, 18, 0])
        XCTAssertEqual(request.payload.count, 4 + 12 + 28)

        let attributes = NetlinkAttributes(request.payload.dropFirst(4))
        XCTAssertEqual(attributes.string(3), "veth0")
        let info = attributes.nested(18)
        XCTAssertEqual(info?.string(1), "veth")
        XCTAssertEqual(info?.nested(2)?.integer(7, as: UInt8.self), 1)
        XCTAssertNil(attributes[99])
    }

    func testMalformedInputNeverTraps() {
        let junk: [[UInt8]] = [[], [1], [3, 0, 1, 0], [255, 255, 1, 0, 1], [8, 0, 1, 0, 1, 2], [0, 0, 0, 0, 0, 0, 0, 0]]
        for bytes in junk {
            _ = NetlinkAttributes(bytes[...])
            _ = NetlinkMessage.split(bytes[...])
        }
        // A message whose length runs past the datagram is dropped, the whole ones before it kept.
        var datagram: [UInt8] = [20, 0, 0, 0, 3, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
        datagram += [200, 0, 0, 0, 16, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0]
        let messages = NetlinkMessage.split(datagram[...])
        XCTAssertEqual(messages.map(\.type), [3])
        XCTAssertEqual(messages.first?.flags, 2)
        // Route, link and address decoders take truncated payloads without trapping.
        let route = Route(InetPrefix("10.0.0.0/8")!, nextHops: [NextHop(gateway: InetAddress("10.0.0.1"), interface: 3),
                                                                NextHop(gateway: InetAddress("10.0.0.2"), interface: 4)])
        let full = try! route.request(NL.RTM_NEWROUTE, flags: 0, index: { _ in 1 }).payload
        for cut in 0...full.count {
            let message = NetlinkMessage(type: NL.RTM_NEWROUTE, flags: 0, sequence: 0, portID: 0, payload: full[..<cut])
            _ = Route.decode(message)
            _ = Link.decode(message)
            _ = InterfaceAddress.decode(message)
            _ = RouteMonitor.event(message)
        }
    }

    /// RTA_MULTIPATH as <linux/rtnetlink.h> lays it out: rtnexthop { len, flags, hops, ifindex } + RTA_GATEWAY.
    func testMultipathLayout() throws {
        let route = Route(InetPrefix("10.2.0.0/16")!, nextHops: [
            NextHop(gateway: InetAddress("10.0.0.1"), interface: 3, weight: 2),
            NextHop(gateway: InetAddress("10.0.0.5"), interface: 4, onlink: true),
        ], protocol: .bgp, metric: 20)
        let payload = try route.request(NL.RTM_NEWROUTE, flags: 0, index: { id in
            if case .index(let i) = id { return i }
            return 0
        }).payload
        // rtmsg: AF_INET, /16, src 0, tos 0, table main, proto bgp, scope universe, unicast, flags 0.
        XCTAssertEqual(Array(payload[0..<12]), [2, 16, 0, 0, 254, 186, 0, 1, 0, 0, 0, 0])
        let attributes = NetlinkAttributes(payload.dropFirst(12))
        XCTAssertEqual(attributes.integer(NL.RTA_TABLE, as: UInt32.self), 254)
        XCTAssertEqual(attributes.address(NL.RTA_DST), InetAddress("10.2.0.0"))
        XCTAssertEqual(attributes.integer(NL.RTA_PRIORITY, as: UInt32.self), 20)
        let multipath = try XCTUnwrap(attributes[NL.RTA_MULTIPATH])
        XCTAssertEqual(Array(multipath), [
            16, 0, 0, 1, 3, 0, 0, 0, 8, 0, 5, 0, 10, 0, 0, 1,   // weight 2 → hops 1, dev 3, via 10.0.0.1
            16, 0, 4, 0, 4, 0, 0, 0, 8, 0, 5, 0, 10, 0, 0, 5,   // onlink, dev 4, via 10.0.0.5
        ])
        // And it decodes back to the same route.
        let decoded = Route.decode(NetlinkMessage(type: NL.RTM_NEWROUTE, flags: 0, sequence: 0, portID: 0, payload: payload[...]))
        XCTAssertEqual(decoded?.nextHops, route.nextHops)
        XCTAssertEqual(decoded?.metric, 20)
        XCTAssertEqual(decoded?.protocol, .bgp)
        XCTAssertEqual(decoded?.destination, route.destination)
    }

    func testScopeDefaultsFollowIproute2() {
        XCTAssertEqual(Route(InetPrefix("10.0.0.0/24")!, nextHops: [NextHop(interface: "eth0")]).effectiveScope, .link)
        XCTAssertEqual(Route.via(InetPrefix("10.0.0.0/24")!, InetAddress("10.1.0.1")!).effectiveScope, .universe)
        XCTAssertEqual(Route.blackhole(InetPrefix("10.0.0.0/24")!).effectiveScope, .universe)
        XCTAssertEqual(Route(InetPrefix("fd00::/64")!, nextHops: [NextHop(interface: "eth0")]).effectiveScope, .universe)
    }

    func testErrorTextSaysWhatFailedAndWhy() {
        let error = KernelError("adding route 10.0.0.0/24", code: EEXIST, kernelMessage: "Route exists")
        XCTAssertEqual(error.description, "adding route 10.0.0.0/24: File exists (EEXIST); kernel: Route exists")
        XCTAssertTrue(error.isAlreadyExists)
        XCTAssertEqual(KernelError.invalid("creating VLAN x", "VLAN id must be 1-4094").description,
                       "creating VLAN x: invalid request; VLAN id must be 1-4094")
    }
}
