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
    /// Guards everything below: the speaker's loop thread installs, the agent thread updates the policy.
    private let lock = NSRecursiveLock()
    private var policy: Calico.RoutePolicy?
    private let log: (String) -> Void
    private var warnedIPIP: Set<Prefix> = []
    /// What the speaker asked for, so a policy change (a new service range, a pool's encapsulation) can
    /// re-decide what the kernel holds.
    private var wanted: [Prefix: Wanted] = [:]
    private var programmed: Set<Prefix> = []
    /// BIRD's kernel protocol on calico-node sets no metric (`ip route` shows none).
    static let metric: UInt32 = 0

    enum Wanted: Hashable { case via([IPAddress]), blackhole }

    init(namespace: NetworkNamespace?, log: @escaping (String) -> Void) throws {
        socket = try NetlinkSocket.open(in: namespace)
        self.log = log
    }

    /// Sets the policy and re-applies it to every route the speaker asked for.
    func update(policy: Calico.RoutePolicy?) {
        lock.lock(); defer { lock.unlock() }
        self.policy = policy
        for (prefix, w) in wanted {
            do { try program(prefix, w) } catch { log("kernel route \(prefix): \(error)") }
        }
    }

    func install(_ prefix: Prefix, nextHops: [IPAddress]) throws {
        lock.lock(); defer { lock.unlock() }
        wanted[prefix] = .via(nextHops.filter { $0.family == prefix.family.afi })
        try program(prefix, wanted[prefix]!)
    }

    /// Own blocks; service ranges are originated but kept out of the kernel ("Don't program static routes").
    func blackhole(_ prefix: Prefix) throws {
        lock.lock(); defer { lock.unlock() }
        wanted[prefix] = .blackhole
        try program(prefix, .blackhole)
    }

    func remove(_ prefix: Prefix) throws {
        lock.lock(); defer { lock.unlock() }
        wanted[prefix] = nil
        try unprogram(prefix)
    }

    /// `calico_kernel_programming`: service ranges and VXLAN pools stay out; IPIP pools go direct here.
    private func program(_ prefix: Prefix, _ w: Wanted) throws {
        let route: Route
        switch w {
        case .blackhole:
            let anyHop: IPAddress = prefix.family.afi == .ipv4 ? .v4(.zero) : .v6(.zero)
            if let policy, case .notProgrammed = policy.kernelRoute(for: prefix, nextHop: anyHop) { return try unprogram(prefix) }
            route = .blackhole(KernelAddress.inet(prefix), protocol: .bird, metric: Self.metric)
        case .via(let hops):
            guard let first = hops.first else { return try unprogram(prefix) }
            switch policy?.kernelRoute(for: prefix, nextHop: first) {
            case .notProgrammed?:
                return try unprogram(prefix)
            case .ipip?:
                if warnedIPIP.insert(prefix).inserted {
                    log("IPIP is unavailable on this kernel (no ipip module, no tunl0): \(prefix) via \(first) is routed directly, as with ipipMode Never")
                }
            case .direct?, nil:
                // BIRD's `protocol direct` holds the node's connected subnets at preference 240, above
                // BGP's 100: a learned route for one (a ToR announcing the rack's network) never reaches
                // the kernel, whose own `proto kernel` route must stay or every next hop on it breaks.
                if isConnectedSubnet(prefix) { return try unprogram(prefix) }
            }
            route = Route(KernelAddress.inet(prefix), nextHops: hops.map { NextHop(gateway: KernelAddress.inet($0)) },
                          protocol: .bird, metric: Self.metric)
        }
        try socket.replaceRoute(route)
        programmed.insert(prefix)
    }

    /// A kernel-made route for exactly `prefix` exists. Pod routes (inside a pool) skip the table dump.
    private func isConnectedSubnet(_ prefix: Prefix) -> Bool {
        let target = KernelAddress.inet(prefix)
        let pools = (policy?.pools ?? []).compactMap(\.prefix).map(KernelAddress.inet)
        if pools.contains(where: { $0.length <= target.length && $0.contains(target.address) }) { return false }
        return ((try? socket.routes()) ?? []).contains { $0.destination == target && $0.protocol == .kernel }
    }

    private func unprogram(_ prefix: Prefix) throws {
        guard programmed.remove(prefix) != nil else { return }
        try deleteKernelRoute(prefix)
    }

    private func deleteKernelRoute(_ prefix: Prefix) throws {
        do {
            try socket.deleteRoute(KernelAddress.inet(prefix), protocol: .bird, metric: Self.metric)
        } catch let error as KernelError where error.code == ESRCH || error.code == ENOENT {
            // Already gone.
        }
    }

    /// `route <peerIP>/32 via <reachableBy>` from bird_aggr.cfg's static protocol: the way to a peer that is
    /// not on a connected subnet. `routes` maps each peer address to its gateway; earlier ones not listed
    /// any more are removed.
    func syncPeerRoutes(_ routes: [IPAddress: IPAddress]) {
        lock.lock(); defer { lock.unlock() }
        for (peer, _) in peerRoutes where routes[peer] == nil { try? deleteKernelRoute(Self.host(peer)) }
        for (peer, via) in routes where peerRoutes[peer] != via {
            let route = Route(KernelAddress.host(peer), nextHops: [NextHop(gateway: KernelAddress.inet(via))], protocol: .bird, metric: Self.metric)
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

extension BirdFIB {
    /// The interface the node's kernel sends to each address through (its longest matching route with a
    /// device), by name: what BIRD reports as `ifname` for routes with that next hop.
    static func interfaces(toward addresses: [IPAddress], in namespace: NetworkNamespace?) -> [IPAddress: String] {
        guard !addresses.isEmpty, let socket = try? NetlinkSocket.open(in: namespace),
              let links = try? socket.links(), let routes = try? socket.routes() else { return [:] }
        let names = Dictionary(links.map { ($0.index, $0.name) }, uniquingKeysWith: { a, _ in a })
        var out: [IPAddress: String] = [:]
        for address in addresses {
            let target = KernelAddress.inet(address)
            let best = routes.filter { $0.destination.contains(target) && $0.nextHops.first?.interfaceIndex != nil }
                .max { $0.destination.length < $1.destination.length }
            if let index = best?.nextHops.first?.interfaceIndex, let name = names[index] { out[address] = name }
        }
        return out
    }
}
