import Foundation
import BGPWire

/// Calico IPAM over a datastore: pools are carved into blocks with per-node affinity; pods get addresses
/// from their node's blocks, a new block is claimed when those are full, and with no free block left an
/// address is borrowed from another node's block (announced as a /32 by the borrower).
public struct IPAM: Sendable {
    public let store: Datastore
    public init(store: Datastore) { self.store = store }

    // MARK: Reading state

    public var pools: [IPPool] { store.list(.ipPool).compactMap(\.ipPool) }

    public var blocks: [IPAMBlock] {
        store.list(.ipamBlock).compactMap { if case .ipamBlock(let b) = $0 { return b } else { return nil } }
    }

    public var affinities: [BlockAffinity] {
        store.list(.blockAffinity).compactMap { if case .blockAffinity(let a) = $0 { return a } else { return nil } }
    }

    /// Blocks with a confirmed affinity to `node` (what confd blackholes and exports).
    public func affineBlocks(of node: String) -> [Prefix] {
        affinities.filter { $0.spec.node == node && $0.spec.state == "confirmed" && !$0.spec.deleted }
            .compactMap { Prefix($0.spec.cidr) }.sorted()
    }

    /// Enabled pools of a family whose nodeSelector matches the node's labels, by name.
    public func usablePools(for node: String, family: AFI) -> [IPPool] {
        let labels = (try? store.get(.node, node))?.node?.labels ?? [:]
        return pools.filter { pool in
            guard !pool.isDisabled, let p = pool.prefix, p.family.afi == family else { return false }
            guard let sel = try? Selector(parsing: pool.nodeSelectorText) else { return false }
            return sel.matches(labels)
        }
    }

    // MARK: Allocation

    /// Assigns one address to `handle` on `node`. Throws when no pool or address is available.
    @discardableResult
    public func allocate(node: String, handle: String, family: AFI = .ipv4) throws -> IPAddress {
        try store.atomically { try allocateUnlocked(node: node, handle: handle, family: family) }
    }

    private func allocateUnlocked(node: String, handle: String, family: AFI) throws -> IPAddress {
        let usable = usablePools(for: node, family: family)
        guard !usable.isEmpty else { throw CalicoError("no configured Calico pools for node \(node)") }
        let poolPrefixes = usable.compactMap(\.prefix)
        func inUsablePool(_ b: IPAMBlock) -> Bool {
            guard let p = Prefix(b.spec.cidr) else { return false }
            return poolPrefixes.contains { BlockMath.contains($0, p) }
        }
        // 1. The node's own blocks.
        for b in blocks where b.spec.affinity == "host:\(node)" && inUsablePool(b) && !b.spec.unallocated.isEmpty {
            return try take(b, handle: handle, node: node)
        }
        // 2. Claim a fresh block.
        let existing = Set(blocks.map(\.spec.cidr))
        for pool in usable {
            guard let p = pool.prefix else { continue }
            let count = BlockMath.blockCount(p, blockSize: pool.effectiveBlockSize)
            guard count > 0 else { continue }
            let start = BlockMath.seed("\(pool.effectiveBlockSize)/\(node)") % count
            for step in 0..<min(count, 1 << 20) {
                let cidr = BlockMath.block(p, index: (start + step) % count, blockSize: pool.effectiveBlockSize)
                if existing.contains(cidr.description) { continue }
                let block = IPAMBlock(spec: .init(cidr: cidr.description, affinity: "host:\(node)", size: BlockMath.size(cidr)))
                store.put(AnyResource(BlockAffinity(spec: .init(node: node, cidr: cidr.description))))
                return try take(block, handle: handle, node: node)
            }
        }
        // 3. Borrow from any block in a usable pool (strictAffinity off).
        for b in blocks where inUsablePool(b) && !b.spec.strictAffinity && !b.spec.unallocated.isEmpty {
            return try take(b, handle: handle, node: node)
        }
        throw CalicoError("no more free affine blocks and failed to borrow an IP address for node \(node)")
    }

    private func take(_ block: IPAMBlock, handle: String, node: String) throws -> IPAddress {
        var b = block
        guard let cidr = Prefix(b.spec.cidr) else { throw CalicoError("IPAM block \(b.metadata.name) has an invalid CIDR \(b.spec.cidr)") }
        if b.spec.allocations.count < BlockMath.size(cidr) {
            b.spec.allocations += Array(repeating: nil, count: BlockMath.size(cidr) - b.spec.allocations.count)
        }
        while let ordinal = b.spec.unallocated.first {
            b.spec.unallocated.removeFirst()
            guard b.spec.allocations.indices.contains(ordinal), b.spec.allocations[ordinal] == nil else { continue }
            b.spec.attributes.append(AllocationAttribute(handleID: handle, node: node))
            b.spec.allocations[ordinal] = b.spec.attributes.count - 1
            store.put(AnyResource(b))
            return BlockMath.address(cidr, ordinal: ordinal)
        }
        store.put(AnyResource(b))
        throw CalicoError("IPAM block \(b.spec.cidr) is full")
    }

    /// Frees one address; the ordinal goes to the back of the block's free list.
    public func release(_ address: IPAddress) throws {
        try store.atomically { try releaseUnlocked(address) }
    }

    private func releaseUnlocked(_ address: IPAddress) throws {
        guard var b = blocks.first(where: { Prefix($0.spec.cidr).map { BlockMath.contains($0, address) } ?? false }),
              let cidr = Prefix(b.spec.cidr), let ordinal = BlockMath.ordinal(of: address, in: cidr),
              b.spec.allocations.indices.contains(ordinal), b.spec.allocations[ordinal] != nil else {
            throw CalicoError("IP \(address) is not assigned")
        }
        b.spec.allocations[ordinal] = nil
        b.spec.unallocated.append(ordinal)
        store.put(AnyResource(b))
    }

    /// Frees every address held by `handle`; returns them.
    @discardableResult
    public func release(handle: String) -> [IPAddress] {
        var freed: [IPAddress] = []
        for b in blocks {
            guard let p = Prefix(b.spec.cidr) else { continue }
            for (ord, idx) in b.spec.allocations.enumerated() {
                if let idx, b.spec.attributes.indices.contains(idx), b.spec.attributes[idx].handleID == handle {
                    freed.append(BlockMath.address(p, ordinal: ord))
                }
            }
        }
        for a in freed { try? release(a) }
        return freed
    }

    /// After a pool is deleted: drop its empty blocks and their affinities (blocks still in use stay).
    public func releaseEmptyBlocks(in cidr: Prefix) {
        for b in blocks {
            guard let p = Prefix(b.spec.cidr), BlockMath.contains(cidr, p), b.spec.allocations.allSatisfy({ $0 == nil }) else { continue }
            _ = try? store.delete(.ipamBlock, b.metadata.name)
            if let node = b.spec.affinity?.replacingOccurrences(of: "host:", with: "") {
                _ = try? store.delete(.blockAffinity, "\(node)-\(IPAMBlock.name(forCIDR: b.spec.cidr))")
            }
        }
    }

    // MARK: What a node announces

    /// The routes a node originates: its confirmed blocks (installed as blackholes, exported as
    /// aggregates) and the /32s (/128s) of local workloads that sit in other nodes' blocks.
    public struct NodeRoutes: Hashable, Sendable {
        public var blackholeBlocks: [Prefix]
        public var borrowedAddresses: [Prefix]
        /// Every address allocated to this node, with its handle.
        public var localAddresses: [IPAddress: String]
    }

    public func routes(for node: String) -> NodeRoutes {
        // /32 blocks are not blackholed (calico#2624).
        let own = affineBlocks(of: node).filter { Int($0.length) < ($0.family == .ipv4Unicast ? 32 : 128) }
        var local: [IPAddress: String] = [:]
        var borrowed: [Prefix] = []
        for b in blocks {
            guard let p = Prefix(b.spec.cidr) else { continue }
            for (ord, idx) in b.spec.allocations.enumerated() {
                guard let idx, b.spec.attributes.indices.contains(idx), b.spec.attributes[idx].node == node else { continue }
                let a = BlockMath.address(p, ordinal: ord)
                local[a] = b.spec.attributes[idx].handleID
                if b.spec.affinity != "host:\(node)" { borrowed.append(BlockMath.hostPrefix(a)) }
            }
        }
        return NodeRoutes(blackholeBlocks: own, borrowedAddresses: borrowed.sorted(), localAddresses: local)
    }

    /// The pool an address or prefix belongs to (for IPIP/VXLAN route programming).
    public func pool(containing a: IPAddress) -> IPPool? {
        pools.first { $0.prefix.map { BlockMath.contains($0, a) } ?? false }
    }

    // MARK: calicoctl ipam show

    public struct Usage: Hashable, Sendable {
        public var cidr: String
        public var total: Double
        public var inUse: Int
    }

    /// Per pool: size and addresses in use; per block (`--show-blocks`) the same under each pool.
    public func usage() -> [(pool: Usage, blocks: [Usage])] {
        pools.sorted { $0.spec.cidr < $1.spec.cidr }.compactMap { pool in
            guard let p = pool.prefix else { return nil }
            let hostBits = (p.family == .ipv4Unicast ? 32 : 128) - Int(p.length)
            let inside = blocks.filter { Prefix($0.spec.cidr).map { BlockMath.contains(p, $0) } ?? false }
                .sorted { (Prefix($0.spec.cidr)!) < (Prefix($1.spec.cidr)!) }
            let blockUsage = inside.map { b in
                Usage(cidr: b.spec.cidr, total: Double(b.spec.allocations.count), inUse: b.spec.allocations.compactMap { $0 }.count)
            }
            let used = blockUsage.reduce(0) { $0 + $1.inUse }
            return (Usage(cidr: pool.spec.cidr, total: pow2(hostBits), inUse: used), blockUsage)
        }
    }

    private func pow2(_ n: Int) -> Double {
        var v = 1.0
        for _ in 0..<n { v *= 2 }
        return v
    }
}
