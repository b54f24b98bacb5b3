import XCTest
import Foundation
@testable import Calico

final class DatastoreTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("plt-calico-\(getpid())-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    func peer(_ name: String, ip: String = "10.0.0.1", asn: UInt32 = 65000) -> AnyResource {
        var p = BGPPeer(name: name, spec: .init())
        p.spec.peerIP = ip
        p.spec.asNumber = ASNumber(asn)
        return AnyResource(p)
    }

    func testCRUDSemanticsAndResourceVersions() throws {
        let s = try Datastore(backend: .etcd)
        let a = try s.create(peer("a"))
        XCTAssertEqual(a.metadata.resourceVersion, "1")
        XCTAssertNotNil(a.metadata.uid)
        XCTAssertThrowsError(try s.create(peer("a"))) { XCTAssertEqual("\($0)", "resource already exists: BGPPeer(a)") }
        XCTAssertThrowsError(try s.update(peer("b"))) { XCTAssertEqual("\($0)", "resource does not exist: BGPPeer(b) with error: <nil>") }
        var stale = peer("a", asn: 65001).metadata
        stale.resourceVersion = "99"
        XCTAssertThrowsError(try s.update(peer("a", asn: 65001).with(metadata: stale))) { XCTAssertEqual("\($0)", "update conflict: BGPPeer(a)") }
        let applied = try s.apply(peer("a", asn: 65002))
        XCTAssertEqual(applied.metadata.resourceVersion, "2")
        XCTAssertEqual(applied.metadata.uid, a.metadata.uid, "update keeps the uid")
        XCTAssertEqual(applied.bgpPeer?.spec.asNumber, ASNumber(65002))
        try s.delete(.bgpPeer, "a")
        XCTAssertThrowsError(try s.get(.bgpPeer, "a"))
        XCTAssertEqual(s.list(.bgpPeer), [])
    }

    func testPoolChecksNeedingOtherPools() throws {
        let s = try Datastore()
        try s.create(AnyResource(IPPool(name: "a", spec: .init(cidr: "10.0.0.0/16"))))
        XCTAssertThrowsError(try s.create(AnyResource(IPPool(name: "b", spec: .init(cidr: "10.0.128.0/17"))))) {
            XCTAssertEqual("\($0)", "error with field IPPool.Spec.CIDR = '10.0.128.0/17' (IPPool(b) CIDR overlaps with IPPool(a) CIDR 10.0.0.0/16)")
        }
        XCTAssertThrowsError(try s.apply(AnyResource(IPPool(name: "a", spec: .init(cidr: "10.0.0.0/16", blockSize: 24))))) {
            XCTAssertEqual("\($0)", "error with field IPPool.Spec.BlockSize = '24' (IPPool BlockSize cannot be modified)")
        }
        // Defaults are written on create.
        let stored = try XCTUnwrap(try s.get(.ipPool, "a").ipPool)
        XCTAssertEqual(stored.spec.blockSize, 26)
        XCTAssertEqual(stored.spec.ipipMode, "Never")
        XCTAssertEqual(stored.spec.nodeSelector, "all()")
    }

    func testWatchersSeeEveryChange() throws {
        let s = try Datastore()
        var seen: [String] = []
        let token = s.watch { seen.append("\($0.action.rawValue) \($0.key)") }
        try s.create(peer("a"))
        try s.apply(peer("a", asn: 1))
        try s.patch(.bgpPeer, "a", json: #"{"metadata": {"labels": {"x": "y"}}}"#)
        try s.delete(.bgpPeer, "a")
        s.unwatch(token)
        try s.create(peer("b"))
        XCTAssertEqual(seen, ["added BGPPeer(a)", "modified BGPPeer(a)", "modified BGPPeer(a)", "deleted BGPPeer(a)"])
    }

    func testPersistenceAcrossProcessesAndRefresh() throws {
        let first = try Datastore(directory: dir)
        try first.create(peer("a"))
        try first.create(AnyResource(Node(name: "n1", labels: ["rr": "true"], bgp: .init(ipv4Address: "10.0.0.1/24"))))
        let second = try Datastore(directory: dir)
        XCTAssertEqual(second.list(.bgpPeer).map(\.name), ["a"])
        XCTAssertEqual(try second.get(.node, "n1"), try first.get(.node, "n1"))
        var changes: [String] = []
        first.watch { changes.append("\($0.action.rawValue) \($0.key)") }
        try second.create(peer("b"))
        try second.delete(.bgpPeer, "a")
        try first.refresh()
        XCTAssertEqual(changes.sorted(), ["added BGPPeer(b)", "deleted BGPPeer(a)"])
        XCTAssertEqual(first.list(.bgpPeer).map(\.name), ["b"])
        // Revisions continue across processes.
        let c = try first.create(peer("c"))
        XCTAssertEqual(c.metadata.resourceVersion, "5")
    }

    func testMergePatch() throws {
        let base = try JSONValue.parse(json: #"{"a": {"b": 1, "c": 2}, "d": [1]}"#)
        let merged = base.merged(with: try JSONValue.parse(json: #"{"a": {"b": null, "e": 3}, "d": [2]}"#))
        XCTAssertEqual(merged.compactText, #"{"a":{"c":2,"e":3},"d":[2]}"#)
    }
}
