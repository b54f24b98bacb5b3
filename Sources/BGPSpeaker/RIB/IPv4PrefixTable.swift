import BGPWire

/// A hash map from IPv4 prefix to `Value` built for full routing tables: open addressing with linear probing over
/// two flat blocks (8-byte packed keys, values), a multiplicative hash and a maximum load of 13/16.
///
/// Why not `Dictionary`: hashing each key through SipHash was ~15% of route ingest, and a `Dictionary` grows at
/// 3/4 load, so a 200 000-route table sits in 524 288 buckets (42 bytes per route) where this one fits 262 144
/// slots (21 bytes per route for an 8-byte value). Deletion shifts later entries of the run back (no
/// tombstones), so a table that churns stays as fast as a fresh one. Values are moved, never copied, when the
/// table grows, and only occupied slots hold a value. Value semantics: the storage is copied on write.
struct IPv4PrefixTable<Value> {
    private var storage: Storage?
    private(set) var count = 0
    /// `64 - log2(capacity)`: the hash's top bits index the slots.
    private var shift: UInt64 = 64

    fileprivate static var empty: UInt64 { .max }
    /// 2^64 / golden ratio: spreads consecutive prefixes (a table's usual shape) over the slots.
    private static var multiplier: UInt64 { 0x9E37_79B9_7F4A_7C15 }

    /// The slots: `keys[i]` is a packed prefix (`address << 8 | length`) or `empty` (no prefix packs to it);
    /// `values[i]` is initialized exactly where `keys[i] != empty`.
    private final class Storage {
        let capacity: Int
        let keys: UnsafeMutablePointer<UInt64>
        let values: UnsafeMutablePointer<Value>

        init(capacity: Int) {
            self.capacity = capacity
            keys = .allocate(capacity: capacity)
            keys.initialize(repeating: IPv4PrefixTable.empty, count: capacity)
            values = .allocate(capacity: capacity)
        }

        /// An independent copy (copy on write).
        func copy() -> Storage {
            let new = Storage(capacity: capacity)
            for i in 0..<capacity where keys[i] != IPv4PrefixTable.empty {
                new.keys[i] = keys[i]
                (new.values + i).initialize(to: values[i])
            }
            return new
        }

        deinit {
            for i in 0..<capacity where keys[i] != IPv4PrefixTable.empty { (values + i).deinitialize(count: 1) }
            keys.deallocate()
            values.deallocate()
        }
    }

    init() {}

    var isEmpty: Bool { count == 0 }
    /// Slots allocated (a power of two, or 0).
    var capacity: Int { storage?.capacity ?? 0 }

    private static func pack(_ prefix: IPv4Prefix) -> UInt64 { UInt64(prefix.address.value) << 8 | UInt64(prefix.length) }
    private static func unpack(_ key: UInt64) -> IPv4Prefix {
        IPv4Prefix(IPv4Address(UInt32(truncatingIfNeeded: key >> 8)), length: UInt8(truncatingIfNeeded: key))
    }

    private static func home(_ key: UInt64, _ shift: UInt64) -> Int { Int(truncatingIfNeeded: (key &* multiplier) >> shift) }

    /// The slot holding `key`, or the free slot where it would go.
    private static func slot(of key: UInt64, in storage: Storage, shift: UInt64) -> (index: Int, found: Bool) {
        let mask = storage.capacity - 1
        let keys = storage.keys
        var i = home(key, shift)
        while true {
            let k = keys[i]
            if k == key { return (i, true) }
            if k == empty { return (i, false) }
            i = (i + 1) & mask
        }
    }

    /// The storage, made unique first so it can be written.
    private mutating func writable() -> Storage? {
        guard storage != nil else { return nil }
        if !isKnownUniquelyReferenced(&storage) { storage = storage!.copy() }
        return storage
    }

    subscript(prefix: IPv4Prefix) -> Value? {
        get {
            guard count > 0, let storage else { return nil }
            let (i, found) = Self.slot(of: Self.pack(prefix), in: storage, shift: shift)
            return found ? storage.values[i] : nil
        }
        set {
            if let newValue { assign(newValue, to: prefix) } else { removeValue(forKey: prefix) }
        }
    }

    /// Stores `value` under `prefix`, replacing any value there. Not `update` with an assigning body: that
    /// initializes the slot and then assigns it again, a second copy (a retain and a release) per insert.
    private mutating func assign(_ value: __owned Value, to prefix: IPv4Prefix) {
        let (storage, i, found) = claim(Self.pack(prefix))
        if found { storage.values[i] = value } else { (storage.values + i).initialize(to: value) }
    }

    /// Stores `value` under `prefix` and returns the value it replaced, if any (one probe sequence for both).
    @discardableResult
    mutating func updateValue(_ value: __owned Value, forKey prefix: IPv4Prefix) -> Value? {
        let (storage, i, found) = claim(Self.pack(prefix))
        let old = found ? (storage.values + i).move() : nil
        (storage.values + i).initialize(to: value)
        return old
    }

    /// The slot for `key` in storage this table alone owns: the one holding it, or a free one claimed for it (key
    /// written and counted, value left uninitialized for the caller), growing the table first when it is full.
    @inline(__always)
    private mutating func claim(_ key: UInt64) -> (storage: Storage, index: Int, found: Bool) {
        if let storage = writable() {
            let (i, found) = Self.slot(of: key, in: storage, shift: shift)
            if found { return (storage, i, true) }
            if !needsGrowth {
                storage.keys[i] = key
                count += 1
                return (storage, i, false)
            }
        }
        grow()
        let storage = storage!
        let (i, _) = Self.slot(of: key, in: storage, shift: shift)
        storage.keys[i] = key
        count += 1
        return (storage, i, false)
    }

    /// The value for `prefix`, inserting `make()` first when there is none (one probe sequence for both).
    mutating func value(for prefix: IPv4Prefix, insertingIfMissing make: () -> Value) -> Value {
        update(prefix, insertingIfMissing: make()) { $0 }
    }

    /// Runs `body` on the value for `prefix` in place, inserting `make()` first when there is none.
    mutating func update<R>(_ prefix: IPv4Prefix, insertingIfMissing make: @autoclosure () -> Value,
                            _ body: (inout Value) -> R) -> R {
        let (storage, i, found) = claim(Self.pack(prefix))
        if !found { (storage.values + i).initialize(to: make()) }
        return body(&storage.values[i])
    }

    /// Runs `body` on the value for `prefix` in place; nil when there is none.
    mutating func updateIfPresent<R>(_ prefix: IPv4Prefix, _ body: (inout Value) -> R) -> R? {
        guard count > 0, let storage = writable() else { return nil }
        let (i, found) = Self.slot(of: Self.pack(prefix), in: storage, shift: shift)
        return found ? body(&storage.values[i]) : nil
    }

    /// Runs `body` on every value in place, in no particular order.
    mutating func updateEach(_ body: (IPv4Prefix, inout Value) -> Void) {
        guard count > 0, let storage = writable() else { return }
        for i in 0..<storage.capacity where storage.keys[i] != Self.empty {
            body(Self.unpack(storage.keys[i]), &storage.values[i])
        }
    }

    @discardableResult
    mutating func removeValue(forKey prefix: IPv4Prefix) -> Value? {
        guard count > 0, let storage = writable() else { return nil }
        let (hole, found) = Self.slot(of: Self.pack(prefix), in: storage, shift: shift)
        guard found else { return nil }
        let removed = (storage.values + hole).move()
        storage.keys[hole] = Self.empty
        count -= 1
        closeGap(at: hole, in: storage)
        return removed
    }

    /// Backward-shift deletion: moves later members of the probe run into `hole` when their home slot allows,
    /// so every key stays reachable from its home without tombstones.
    private func closeGap(at start: Int, in storage: Storage) {
        let mask = storage.capacity - 1
        let keys = storage.keys, values = storage.values
        var hole = start
        var i = (hole + 1) & mask
        while keys[i] != Self.empty {
            let home = Self.home(keys[i], shift)
            // The entry at i may move to the hole when its home is not cyclically inside (hole, i].
            if (i - home) & mask >= (i - hole) & mask {
                keys[hole] = keys[i]
                (values + hole).moveInitialize(from: values + i, count: 1)
                keys[i] = Self.empty
                hole = i
            }
            i = (i + 1) & mask
        }
    }

    private var needsGrowth: Bool { (count + 1) * 16 > capacity * 13 }

    private mutating func grow() {
        let newCapacity = Swift.max(16, capacity * 2)
        let new = Storage(capacity: newCapacity)
        let newShift = UInt64(64 - newCapacity.trailingZeroBitCount)
        // Moved when this table is the storage's only owner, copied when a copy of the table shares it.
        let move = isKnownUniquelyReferenced(&storage)
        if let old = storage {
            for i in 0..<old.capacity where old.keys[i] != Self.empty {
                let (slot, _) = Self.slot(of: old.keys[i], in: new, shift: newShift)
                new.keys[slot] = old.keys[i]
                if move {
                    (new.values + slot).moveInitialize(from: old.values + i, count: 1)
                    old.keys[i] = Self.empty
                } else {
                    (new.values + slot).initialize(to: old.values[i])
                }
            }
        }
        storage = new
        shift = newShift
    }

    /// Empties the table and gives its storage back.
    mutating func removeAll() {
        storage = nil; count = 0; shift = 64
    }

    func forEach(_ body: (IPv4Prefix, Value) -> Void) {
        guard count > 0, let storage else { return }
        for i in 0..<storage.capacity where storage.keys[i] != Self.empty { body(Self.unpack(storage.keys[i]), storage.values[i]) }
    }

    func map<T>(_ transform: (_ key: IPv4Prefix, _ value: Value) -> T) -> [T] {
        var result: [T] = []
        result.reserveCapacity(count)
        forEach { result.append(transform($0, $1)) }
        return result
    }
}
