import BGPWire

/// A hash map from IPv4 prefix to `Value` built for full routing tables: open addressing with linear probing over
/// two flat arrays (8-byte packed keys, values), a multiplicative hash and a maximum load of 13/16.
///
/// Why not `Dictionary`: hashing each key through SipHash was ~15% of route ingest, and a `Dictionary` grows at
/// 3/4 load, so a 200 000-route table sits in 524 288 buckets (42 bytes per route) where this one fits 262 144
/// slots (21 bytes per route). Deletion shifts later entries of the run back (no tombstones), so a table that
/// churns stays as fast as a fresh one. Value semantics: the arrays are copied on write like any array.
struct IPv4PrefixTable<Value> {
    /// Packed prefixes (`address << 8 | length`); `empty` marks a free slot (no prefix packs to it).
    private var keys: [UInt64] = []
    /// `values[i]` is meaningful only where `keys[i] != empty`.
    private var values: [Value?] = []
    private(set) var count = 0
    /// `64 - log2(capacity)`: the hash's top bits index the slots.
    private var shift: UInt64 = 64

    private static var empty: UInt64 { .max }
    /// 2^64 / golden ratio: spreads consecutive prefixes (a table's usual shape) over the slots.
    private static var multiplier: UInt64 { 0x9E37_79B9_7F4A_7C15 }

    init() {}

    var isEmpty: Bool { count == 0 }
    /// Slots allocated (a power of two, or 0).
    var capacity: Int { keys.count }

    private static func pack(_ prefix: IPv4Prefix) -> UInt64 { UInt64(prefix.address.value) << 8 | UInt64(prefix.length) }
    private static func unpack(_ key: UInt64) -> IPv4Prefix { IPv4Prefix(IPv4Address(UInt32(truncatingIfNeeded: key >> 8)), length: UInt8(truncatingIfNeeded: key)) }

    private func home(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* Self.multiplier) >> shift) }

    /// The slot holding `key`, or the free slot where it would go.
    private func slot(of key: UInt64) -> (index: Int, found: Bool) {
        let mask = keys.count - 1
        var i = home(key)
        while true {
            let k = keys[i]
            if k == key { return (i, true) }
            if k == Self.empty { return (i, false) }
            i = (i + 1) & mask
        }
    }

    subscript(prefix: IPv4Prefix) -> Value? {
        get {
            guard count > 0 else { return nil }
            let (i, found) = slot(of: Self.pack(prefix))
            return found ? values[i] : nil
        }
        set {
            if let newValue { insert(newValue, for: prefix) } else { removeValue(forKey: prefix) }
        }
    }

    private mutating func insert(_ value: Value, for prefix: IPv4Prefix) {
        let key = Self.pack(prefix)
        if !keys.isEmpty {
            let (i, found) = slot(of: key)
            if found { values[i] = value; return }
            if !needsGrowth { keys[i] = key; values[i] = value; count += 1; return }
        }
        grow()
        let (i, _) = slot(of: key)
        keys[i] = key; values[i] = value; count += 1
    }

    /// The value for `prefix`, inserting `make()` first when there is none (one probe sequence for both).
    mutating func value(for prefix: IPv4Prefix, insertingIfMissing make: () -> Value) -> Value {
        let key = Self.pack(prefix)
        if !keys.isEmpty {
            let (i, found) = slot(of: key)
            if found { return values[i]! }
            if !needsGrowth {
                let value = make()
                keys[i] = key; values[i] = value; count += 1
                return value
            }
        }
        grow()
        let (i, _) = slot(of: key)
        let value = make()
        keys[i] = key; values[i] = value; count += 1
        return value
    }

    /// Runs `body` on the value for `prefix` in place, inserting `make()` first when there is none.
    mutating func update<R>(_ prefix: IPv4Prefix, insertingIfMissing make: @autoclosure () -> Value,
                            _ body: (inout Value) -> R) -> R {
        let key = Self.pack(prefix)
        var i = -1
        if !keys.isEmpty {
            let (slot, found) = slot(of: key)
            if found { return body(&values[slot]!) }
            if !needsGrowth { i = slot }
        }
        if i < 0 {
            grow()
            i = slot(of: key).index
        }
        keys[i] = key; values[i] = make(); count += 1
        return body(&values[i]!)
    }

    /// Runs `body` on the value for `prefix` in place; nil when there is none.
    mutating func updateIfPresent<R>(_ prefix: IPv4Prefix, _ body: (inout Value) -> R) -> R? {
        guard count > 0 else { return nil }
        let (i, found) = slot(of: Self.pack(prefix))
        return found ? body(&values[i]!) : nil
    }

    /// Runs `body` on every value in place, in no particular order.
    mutating func updateEach(_ body: (IPv4Prefix, inout Value) -> Void) {
        for i in keys.indices where keys[i] != Self.empty { body(Self.unpack(keys[i]), &values[i]!) }
    }

    @discardableResult
    mutating func removeValue(forKey prefix: IPv4Prefix) -> Value? {
        guard count > 0 else { return nil }
        let (hole, found) = slot(of: Self.pack(prefix))
        guard found else { return nil }
        let removed = values[hole]
        values[hole] = nil
        keys[hole] = Self.empty
        count -= 1
        closeGap(at: hole)
        return removed
    }

    /// Backward-shift deletion: moves later members of the probe run into `hole` when their home slot allows,
    /// so every key stays reachable from its home without tombstones.
    private mutating func closeGap(at start: Int) {
        let mask = keys.count - 1
        var hole = start
        var i = (hole + 1) & mask
        while keys[i] != Self.empty {
            let home = home(keys[i])
            // The entry at i may move to the hole when its home is not cyclically inside (hole, i].
            let distanceToEntry = (i - home) & mask
            let distanceToHole = (i - hole) & mask
            if distanceToEntry >= distanceToHole {
                keys[hole] = keys[i]; values[hole] = values[i]
                keys[i] = Self.empty; values[i] = nil
                hole = i
            }
            i = (i + 1) & mask
        }
    }

    private var needsGrowth: Bool { (count + 1) * 16 > keys.count * 13 }

    private mutating func grow() {
        let newCapacity = Swift.max(16, keys.count * 2)
        let oldKeys = keys, oldValues = values
        keys = Array(repeating: Self.empty, count: newCapacity)
        values = Array(repeating: nil, count: newCapacity)
        shift = UInt64(64 - newCapacity.trailingZeroBitCount)
        for i in oldKeys.indices where oldKeys[i] != Self.empty {
            let (slot, _) = slot(of: oldKeys[i])
            keys[slot] = oldKeys[i]; values[slot] = oldValues[i]
        }
    }

    /// Empties the table and gives its storage back.
    mutating func removeAll() {
        keys = []; values = []; count = 0; shift = 64
    }

    func forEach(_ body: (IPv4Prefix, Value) -> Void) {
        for i in keys.indices where keys[i] != Self.empty { body(Self.unpack(keys[i]), values[i]!) }
    }

    func map<T>(_ transform: (_ key: IPv4Prefix, _ value: Value) -> T) -> [T] {
        var result: [T] = []
        result.reserveCapacity(count)
        forEach { result.append(transform($0, $1)) }
        return result
    }
}
