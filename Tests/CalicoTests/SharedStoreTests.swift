import XCTest
import Foundation
import BGPWire
@testable import Calico

/// Several node agents (here: threads, each with its own Datastore on one directory, as separate
/// processes would have) allocating at once never hand out the same address.
final class SharedStoreTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("plt-calico-shared-\(getpid())-\(UUID().uuidString)")
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testConcurrentAllocationsAcrossStoresAreUnique() throws {
        let setup = try Datastore(directory: dir)
        try setup.create(AnyResource(IPPool(name: "p", spec: .init(cidr: "10.60.0.0/24"))))
        for n in ["a", "b", "c"] { try setup.create(AnyResource(Node(name: n, bgp: .init(ipv4Address: "10.1.0.1/24")))) }
        let stores = try ["a", "b", "c"].map { _ in try Datastore(directory: dir) }
        var results: [[IPAddress]] = Array(repeating: [], count: 3)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 3) { i in
            let ipam = IPAM(store: stores[i])
            var mine: [IPAddress] = []
            for k in 0..<70 {
                if let a = try? ipam.allocate(node: ["a", "b", "c"][i], handle: "h\(i)-\(k)") { mine.append(a) }
            }
            lock.lock(); results[i] = mine; lock.unlock()
        }
        let all = results.flatMap { $0 }
        XCTAssertEqual(all.count, 210, "a /24 of /26 blocks has room for 256")
        XCTAssertEqual(Set(all).count, all.count, "no address handed out twice")
        let check = IPAM(store: try Datastore(directory: dir))
        XCTAssertEqual(check.usage().first?.pool.inUse, 210)
    }
}
