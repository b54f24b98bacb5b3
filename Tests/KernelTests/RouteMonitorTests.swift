import Foundation
import XCTest
@testable import Kernel

final class RouteMonitorTests: KernelTestCase {
    func testMonitorSeesRouteAddressAndLinkChanges() throws {
        let namespace = try makeNamespace()
        let peer = try makeNamespace()
        let nl = try namespace.netlink()
        try nl.createVeth("m0", peer: "m1", peerNamespace: peer)
        try nl.setLinkUp("m0")
        try peer.netlink().setLinkUp("m1")
        let monitor = try RouteMonitor(namespace: namespace)

        try nl.addAddress(InetAddress("10.98.0.1")!, prefixLength: 24, to: "m0")
        let address = try monitor.waitFor(timeout: 2000) { event -> InterfaceAddress? in
            if case .addressAdded(let a) = event, a.address == InetAddress("10.98.0.1") { return a }
            return nil
        }
        XCTAssertEqual(address?.prefixLength, 24)

        // A route added by our API…
        let target = InetPrefix("10.97.0.0/24")!
        try nl.addRoute(.via(target, InetAddress("10.98.0.2")!, protocol: .bgp))
        let added = try monitor.waitFor(timeout: 2000) { event -> Route? in
            if case .routeAdded(let r) = event, r.destination == target { return r }
            return nil
        }
        XCTAssertEqual(added?.protocol, .bgp)
        XCTAssertEqual(added?.nextHops.first?.gateway, InetAddress("10.98.0.2"))

        // …and one added by someone else (iproute2) are both seen.
        try run(["ip", "-n", namespace.name, "-6", "route", "add", "fd00:97::/64", "dev", "m0", "proto", "static"])
        let external = try monitor.waitFor(timeout: 2000) { event -> Route? in
            if case .routeAdded(let r) = event, r.destination == InetPrefix("fd00:97::/64") { return r }
            return nil
        }
        XCTAssertEqual(external?.protocol, .static)

        try nl.deleteRoute(target)
        let removed = try monitor.waitFor(timeout: 2000) { event -> Route? in
            if case .routeRemoved(let r) = event, r.destination == target { return r }
            return nil
        }
        XCTAssertNotNil(removed)

        try nl.setLinkDown("m0")
        let down = try monitor.waitFor(timeout: 2000) { event -> Link? in
            if case .linkChanged(let l) = event, l.name == "m0", !l.isUp { return l }
            return nil
        }
        XCTAssertNotNil(down)
        // Nothing pending afterwards that we did not cause: a zero timeout returns at once.
        _ = try monitor.events(timeout: 0)
    }

    func testMonitorOnlyHearsItsOwnNamespace() throws {
        let watched = try makeNamespace()
        let other = try makeNamespace()
        let monitor = try RouteMonitor(namespace: watched, groups: .routes)
        let nl = try other.netlink()
        try nl.addRoute(.blackhole(InetPrefix("10.96.0.0/24")!))
        let seen = try monitor.waitFor(timeout: 300) { event -> Route? in
            if case .routeAdded(let r) = event, r.destination == InetPrefix("10.96.0.0/24") { return r }
            return nil
        }
        XCTAssertNil(seen)
    }
}
