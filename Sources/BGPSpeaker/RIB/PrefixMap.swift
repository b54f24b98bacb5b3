import BGPWire

/// A map keyed by prefix that keeps one table per family, so an IPv4 key costs 8 bytes instead of the 24 of the
/// two-family `Prefix` enum, in an `IPv4PrefixTable` (cheaper hashing, denser than `Dictionary`). Every
/// per-route map in the RIB is one of these.
struct PrefixMap<Value> {
    private(set) var v4 = IPv4PrefixTable<Value>()
    private(set) var v6: [IPv6Prefix: Value] = [:]

    var count: Int { v4.count + v6.count }
    var isEmpty: Bool { v4.isEmpty && v6.isEmpty }

    func count(_ family: AddressFamily) -> Int { family.afi == .ipv4 ? v4.count : v6.count }

    subscript(prefix: Prefix) -> Value? {
        // An empty map answers without hashing: Adj-RIBs-Out of iBGP peers and stale sets are mostly empty.
        get {
            switch prefix {
            case .v4(let p): v4.isEmpty ? nil : v4[p]
            case .v6(let p): v6.isEmpty ? nil : v6[p]
            }
        }
        set {
            switch prefix {
            case .v4(let p): v4[p] = newValue
            case .v6(let p): v6[p] = newValue
            }
        }
    }

    @discardableResult
    mutating func removeValue(forKey prefix: Prefix) -> Value? {
        switch prefix {
        case .v4(let p): v4.isEmpty ? nil : v4.removeValue(forKey: p)
        case .v6(let p): v6.isEmpty ? nil : v6.removeValue(forKey: p)
        }
    }

    /// Stores `value` under `prefix`; the value it replaced, if any.
    @discardableResult
    mutating func updateValue(_ value: Value, forKey prefix: Prefix) -> Value? {
        switch prefix {
        case .v4(let p): v4.updateValue(value, forKey: p)
        case .v6(let p): v6.updateValue(value, forKey: p)
        }
    }

    /// The value for `prefix`, inserting `make()` first when there is none: one hash instead of a lookup and an insert.
    mutating func value(for prefix: Prefix, insertingIfMissing make: () -> Value) -> Value {
        switch prefix {
        case .v4(let p): return v4.value(for: p, insertingIfMissing: make)
        case .v6(let p): return Self.read(&v6[p, default: make()])
        }
    }

    private static func read(_ value: inout Value) -> Value { value }

    /// Runs `body` on the value for `prefix` in place, inserting `make()` first when there is none.
    mutating func update<R>(_ prefix: Prefix, insertingIfMissing make: @autoclosure () -> Value,
                            _ body: (inout Value) -> R) -> R {
        switch prefix {
        case .v4(let p): return v4.update(p, insertingIfMissing: make(), body)
        case .v6(let p): return body(&v6[p, default: make()])
        }
    }

    /// Runs `body` on the value for `prefix` in place; nil when there is none.
    mutating func updateIfPresent<R>(_ prefix: Prefix, _ body: (inout Value) -> R) -> R? {
        switch prefix {
        case .v4(let p): return v4.updateIfPresent(p, body)
        case .v6(let p): return v6[p] == nil ? nil : body(&v6[p]!)
        }
    }

    /// Runs `body` on every value in place, in no particular order.
    mutating func updateEach(_ body: (Prefix, inout Value) -> Void) {
        v4.updateEach { body(.v4($0), &$1) }
        var i = v6.startIndex
        while i != v6.endIndex {
            body(.v6(v6.keys[i]), &v6.values[i])
            v6.formIndex(after: &i)
        }
    }

    /// Every entry of one family, in no particular order.
    func entries(_ family: AddressFamily) -> [(prefix: Prefix, value: Value)] {
        family.afi == .ipv4 ? v4.map { (Prefix.v4($0), $1) } : v6.map { (Prefix.v6($0.key), $0.value) }
    }

    /// Every entry, in no particular order.
    var allEntries: [(prefix: Prefix, value: Value)] { entries(.ipv4Unicast) + entries(.ipv6Unicast) }

    func forEach(_ body: (Prefix, Value) -> Void) {
        v4.forEach { body(.v4($0), $1) }
        for (p, v) in v6 { body(.v6(p), v) }
    }

    /// Removes and returns one family's entries.
    mutating func removeAll(_ family: AddressFamily) -> [(prefix: Prefix, value: Value)] {
        let taken = entries(family)
        if family.afi == .ipv4 { v4.removeAll() } else { v6 = [:] }
        return taken
    }

    mutating func removeAll() { v4.removeAll(); v6 = [:] }
}

extension AddressFamily {
    /// The families PeerLab carries, in display order.
    static let supported: [AddressFamily] = [.ipv4Unicast, .ipv6Unicast]
}
