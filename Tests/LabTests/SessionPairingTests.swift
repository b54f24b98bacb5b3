import XCTest
@testable import Lab

/// Which sessions `up --wait` can expect to come up by themselves.
final class SessionPairingTests: XCTestCase {
    func session(_ node: String, _ peer: String, up: Bool = false) -> ReportedSession {
        ReportedSession(node: node, peer: peer, established: up, state: up ? "Established" : "Active")
    }

    /// Seed 004 before the trainee's global BGPPeer: the border lists every node, node1 lists nobody, node2
    /// already peers back (by another of the border's addresses), and one peer is outside the lab.
    func testOnlySessionsTheOtherDeviceDoesNotReturnAreOneSided() {
        let addresses = ["border": ["172.17.8.1/24", "10.0.0.1/32"], "node1": ["172.17.8.101/24"], "node2": ["172.17.8.102/24"]]
        let sessions = [session("border", "172.17.8.101"), session("border", "172.17.8.102", up: true),
                        session("node2", "10.0.0.1", up: true), session("border", "192.0.2.9")]
        let oneSided = SessionPairing.oneSided(sessions, addresses: addresses, reporting: ["border", "node1", "node2"])
        XCTAssertEqual(oneSided, [session("border", "172.17.8.101")])
    }

    /// A device that has not answered yet proves nothing about its side.
    func testSilentDeviceIsNotTakenAsOneSided() {
        let addresses = ["border": ["172.17.8.1/24"], "node1": ["172.17.8.101/24"]]
        XCTAssertEqual(SessionPairing.oneSided([session("border", "172.17.8.101")], addresses: addresses, reporting: ["border"]), [])
    }

    /// IPv6 spellings differ between the kernel and the devices' tables.
    func testAddressesCompareInOneSpelling() {
        let addresses = ["a": ["fd00:0:0::1/64"], "b": ["fd00::2/64"]]
        let sessions = [session("a", "fd00:0::2"), session("b", "FD00::1")]
        XCTAssertEqual(SessionPairing.oneSided(sessions, addresses: addresses, reporting: ["a", "b"]), [])
        XCTAssertEqual(SessionPairing.oneSided([session("a", "fd00::2")], addresses: addresses, reporting: ["a", "b"]),
                       [session("a", "fd00::2")])
    }
}
