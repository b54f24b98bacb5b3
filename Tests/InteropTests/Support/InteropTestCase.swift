import XCTest

/// Gives each interop test a fresh `TestNetwork` and always tears it down, pass or fail.
class InteropTestCase: XCTestCase {
    private(set) var net: TestNetwork!

    override func setUpWithError() throws {
        try super.setUpWithError()
        net = try TestNetwork()
    }

    override func tearDown() {
        net?.teardown()
        net = nil
        super.tearDown()
    }

    /// Two namespaces joined by one veth link.
    func pair(_ roleA: String, _ roleB: String) throws -> (Namespace, Namespace, Link) {
        let a = try net.namespace(roleA), b = try net.namespace(roleB)
        return (a, b, try net.connect(a, b))
    }

    /// Waits for `prefix` in `ns`'s kernel FIB with gateway `via` (any gateway when nil).
    func waitForKernelRoute(_ prefix: String, in ns: Namespace, via gateway: String? = nil, timeout: TimeInterval = 60) throws {
        try waitUntil("\(prefix)\(gateway.map { " via \($0)" } ?? "") in the kernel of \(ns)", timeout: timeout,
                      observe: { KernelRoutes.summary(ns, ipv6: prefix.contains(":")) }) {
            guard let route = try KernelRoutes.route(prefix, in: ns) else { return false }
            return gateway.map { route.gateways.contains($0) } ?? true
        }
    }
}
