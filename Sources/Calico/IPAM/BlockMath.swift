import BGPWire

/// Address arithmetic inside pools and blocks, for both families.
enum BlockMath {
    /// Number of blocks of length `blockSize` in `pool` (capped, since IPv6 pools can hold 2^58).
    static func blockCount(_ pool: Prefix, blockSize: Int) -> UInt64 {
        let bits = blockSize - Int(pool.length)
        guard bits >= 0 else { return 0 }
        return bits >= 40 ? 1 << 40 : 1 << UInt64(bits)
    }

    /// The `index`-th block of `pool`.
    static func block(_ pool: Prefix, index: UInt64, blockSize: Int) -> Prefix {
        switch pool {
        case .v4(let p):
            let base = p.address.value &+ UInt32(truncatingIfNeeded: index << UInt64(32 - blockSize))
            return .v4(IPv4Prefix(IPv4Address(base), length: UInt8(blockSize)))
        case .v6(let p):
            let (h, l) = add(p.address.high, p.address.low, index, shift: 128 - blockSize)
            return .v6(IPv6Prefix(IPv6Address(high: h, low: l), length: UInt8(blockSize)))
        }
    }

    static func add(_ h: UInt64, _ l: UInt64, _ value: UInt64, shift: Int) -> (UInt64, UInt64) {
        var addHigh: UInt64 = 0, addLow: UInt64 = 0
        if shift >= 64 { addHigh = value << UInt64(shift - 64) } else if shift > 0 {
            addLow = value << UInt64(shift)
            addHigh = value >> UInt64(64 - shift)
        } else { addLow = value }
        let (low, carry) = l.addingReportingOverflow(addLow)
        return (h &+ addHigh &+ (carry ? 1 : 0), low)
    }

    static func size(_ block: Prefix) -> Int {
        let bits = (block.family == .ipv4Unicast ? 32 : 128) - Int(block.length)
        return bits >= 20 ? 1 << 20 : 1 << bits
    }

    static func address(_ block: Prefix, ordinal: Int) -> IPAddress {
        switch block {
        case .v4(let p): return .v4(IPv4Address(p.address.value &+ UInt32(ordinal)))
        case .v6(let p):
            let (h, l) = add(p.address.high, p.address.low, UInt64(ordinal), shift: 0)
            return .v6(IPv6Address(high: h, low: l))
        }
    }

    static func ordinal(of a: IPAddress, in block: Prefix) -> Int? {
        switch (a, block) {
        case (.v4(let x), .v4(let p)) where p.contains(x): return Int(x.value - p.address.value)
        case (.v6(let x), .v6(let p)) where p.contains(x) && p.length >= 64:
            let offset = x.low &- p.address.low
            return offset <= UInt64(Int.max) ? Int(offset) : nil
        default: return nil
        }
    }

    static func contains(_ outer: Prefix, _ inner: Prefix) -> Bool {
        switch (outer, inner) {
        case (.v4(let o), .v4(let i)): return o.contains(i)
        case (.v6(let o), .v6(let i)): return o.contains(i)
        default: return false
        }
    }

    static func contains(_ outer: Prefix, _ a: IPAddress) -> Bool {
        switch (outer, a) {
        case (.v4(let o), .v4(let x)): return o.contains(x)
        case (.v6(let o), .v6(let x)): return o.contains(x)
        default: return false
        }
    }

    static func hostPrefix(_ a: IPAddress) -> Prefix {
        switch a {
        case .v4(let x): return .v4(IPv4Prefix(x, length: 32))
        case .v6(let x): return .v6(IPv6Prefix(x, length: 128))
        }
    }

    /// FNV-1a: the per-host seed that makes block choice look random but repeat per hostname.
    static func seed(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return h
    }
}
