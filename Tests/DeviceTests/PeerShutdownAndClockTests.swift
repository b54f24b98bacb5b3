import XCTest
import BGPWire
import BGPSpeaker
@testable import Device

/// Per-peer admin shutdown reaches the speaker's configuration; routes are stamped from the daemon's clock.
final class PeerShutdownAndClockTests: XCTestCase {
    func testShutdownIsCarriedToTheSpeaker() {
        var c = RunningConfig(hostname: "R")
        var bgp = BGPInstance(asn: 65001)
        var shut = BGPPeerSettings(address: IPv4Address("192.0.2.1")!, remoteAS: 65002, ipv4Enabled: true)
        shut.shutdown = true
        bgp.peers = [shut, BGPPeerSettings(address: IPv4Address("192.0.2.2")!, remoteAS: 65003, ipv4Enabled: true)]
        c.bgp = bgp
        let d = c.bgpdConfig(installRoutes: false)!
        XCTAssertEqual(d.peers.map(\.shutdown), [true, false])
        XCTAssertEqual(bgp.adminDownPeers, [IPv4Address("192.0.2.1")!])
    }

    func testAShutPeerStaysIdleInTheRunningSpeaker() throws {
        let device = NetworkDevice(kind: "test", config: RunningConfig(hostname: "A"), offline: true)
        defer { device.shutdown() }
        let peer = IPv4Address("192.0.2.1")!
        try device.update { c in
            var b = BGPInstance(asn: 65001)
            b.peers = [BGPPeerSettings(address: peer, remoteAS: 65002, ipv4Enabled: true)]
            c.bgp = b
        }
        XCTAssertEqual(device.bgpStatus()?.peers.first?.state, .active, "offline peers wait passively")
        try device.update { c in _ = c.bgp!.editPeer(peer) { $0.shutdown = true } }
        XCTAssertEqual(device.bgpStatus()?.peers.first?.state, .idle)
        try device.update { c in _ = c.bgp!.editPeer(peer) { $0.shutdown = false } }
        XCTAssertNotEqual(device.bgpStatus()?.peers.first?.state, .idle, "`no … shutdown` lets the session start again")
    }

    func testRoutesAreStampedWithTheDaemonsMonotonicClock() throws {
        let device = NetworkDevice(kind: "test", config: RunningConfig(hostname: "A"), offline: true)
        defer { device.shutdown() }
        let before = UInt32(NetworkDevice.now())
        try device.update { c in
            var b = BGPInstance(asn: 65001)
            b.routerID = IPv4Address("1.1.1.1")
            b.networks = [IPv4Prefix("10.1.0.0/16")!]
            c.bgp = b
        }
        let route = try XCTUnwrap(device.bgpRoutes().first)
        let clock = try XCTUnwrap(device.withSpeaker { $0.clock() })
        let after = UInt32(NetworkDevice.now())
        XCTAssertTrue((before...after).contains(route.since), "since \(route.since) not from the monotonic clock [\(before), \(after)]")
        XCTAssertTrue((before...after).contains(clock), "clock \(clock)")
    }
}
