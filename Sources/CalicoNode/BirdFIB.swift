import Foundation
import BGPWire
import BGPDaemon
import Calico
import Kernel

/// The node's kernel table as BIRD's `protocol kernel` programs it on a calico-node: routes `proto bird`,
/// own blocks as blackholes, remote blocks via the peer (`calico_kernel_programming`). Pools asking for
/// IPIP cannot be honoured on this kernel (no ipip module, no tunl0): those routes go direct, as with
/// `ipipMode: Never`, and the agent says so once per prefix.
final class BirdFIB: FIB {
    private let socket: NetlinkSocket
    private let lock = NSLock()
    private var policy: Calico.RoutePolicy?
    private let log: (String) -> Void
    private var warnedIPIP: Set<Prefix> = []
    /// BIRD's kernel protocol on calico-node sets no metric (`ip route` shows none).
    static let metric: UInt32 = 0

    init(namespace: NetworkNamespace?, log: @escaping (String) -> Void) throws {
        socket = try NetlinkSocket.open(in: namespace)
        self.log = log
    }

    /// The policy the next installs follow (called by the agent on each datastore change).
    func update(policy: Calico.RoutePolicy?) {
        lock.lock(); self.policy = policy; lock.unlock()
    }

    func install(_ prefix: Prefix, nextHops: [IPAddress]) throws {
        lock.lock(); let policy = self.policy; lock.unlock()
        let hops = nextHops.filter { $0.family == prefix.family.afi }
        guard let first = hops.first else { return }
        if let policy {
            switch policy.kernelRoute(for: prefix, nextHop: first) {
            case .notProgrammed:
                try? remove(prefix)
                return
            case .ipip:
                if warnedIPIP.insert(prefix).inserted {
                    log("IPIP is unavailable on this kernel (no ipip module, no tunl0): \(prefix) via \(first) is routed directly, as with ipipMode Never")
                }
            case .direct:
                break
            }
        }
        let route = Route(KernelText.inet(prefix), nextHops: hops.map { NextHop(gateway: KernelText.inet($0)) },
                          protocol: .bird, metric: Self.metric)
        try socket.replaceRoute(route)
    }

    /// Own blocks; service ranges are originated but kept out of the kernel ("Don't program static routes").
    func blackhole(_ prefix: Prefix) throws {
        lock.lock(); let policy = self.policy; lock.unlock()
        let anyHop: IPAddress = prefix.family.afi == .ipv4 ? .v4(.zero) : .v6(.zero)
        if let policy, case .notProgrammed = policy.kernelRoute(for: prefix, nextHop: anyHop) {
            try? remove(prefix)
            return
        }
        try socket.replaceRoute(.blackhole(KernelText.inet(prefix), protocol: .bird, metric: Self.metric))
    }

    func remove(_ prefix: Prefix) throws {
        do {
            try socket.deleteRoute(KernelText.inet(prefix), protocol: .bird, metric: Self.metric)
        } catch let error as KernelError where error.code == ESRCH || error.code == ENOENT {
            // Already gone.
        }
    }

    /// `route <peerIP>/32 via <reachableBy>` from bird_aggr.cfg's static protocol: the way to a peer that is
    /// not on a connected subnet. `routes` maps each peer address to its gateway; earlier ones not listed
    /// any more are removed.
    func syncPeerRoutes(_ routes: [IPAddress: IPAddress]) {
        for (peer, _) in peerRoutes where routes[peer] == nil { try? remove(Self.host(peer)) }
        for (peer, via) in routes where peerRoutes[peer] != via {
            let route = Route(KernelText.host(peer), nextHops: [NextHop(gateway: KernelText.inet(via))], protocol: .bird, metric: Self.metric)
            do { try socket.replaceRoute(route) } catch { log("static route \(peer) via \(via): \(error)") }
        }
        peerRoutes = routes
    }

    private var peerRoutes: [IPAddress: IPAddress] = [:]

    static func host(_ a: IPAddress) -> Prefix {
        switch a {
        case .v4(let v): .v4(IPv4Prefix(v, length: 32))
        case .v6(let v): .v6(IPv6Prefix(v, length: 128))
        }
    }

    /// Removes `proto bird` routes a previous agent left behind.
    func flush() {
        for route in (try? socket.routes()) ?? [] where route.protocol == .bird {
            try? socket.deleteRoute(route)
        }
    }
}
