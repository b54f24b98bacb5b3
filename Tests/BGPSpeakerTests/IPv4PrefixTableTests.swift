import XCTest
import BGPWire
@testable import BGPSpeaker

/// IPv4PrefixTable must behave exactly like a Dictionary keyed by prefix, through growth, collisions and the
/// backward-shift deletion that keeps probe runs intact.
final class IPv4PrefixTableTests: XCTestCase {
    private func prefix(_ a: UInt32, _ length: UInt8) -> IPv4Prefix { IPv4Prefix(IPv4Address(a), length: length) }

    private func contents<V>(_ table: IPv4PrefixTable<V>) -> [IPv4Prefix: V] {
        var out: [IPv4Prefix: V] = [:]
        table.forEach { key, value in
            XCTAssertNil(out[key], "\(key) iterated twice")
            out[key] = value
        }
        return out
    }

    func testInsertLookupReplaceRemove() {
        var table = IPv4PrefixTable<String>()
        XCTAssertTrue(table.isEmpty)
        XCTAssertNil(table[prefix(0, 0)])
        XCTAssertNil(table.removeValue(forKey: prefix(0, 0)))
        table[prefix(0, 0)] = "default"          // 0.0.0.0/0 packs to 0, which must not look like a free slot
        table[prefix(0x0A00_0000, 8)] = "ten"
        table[prefix(0x0A00_0000, 16)] = "ten/16" // same address, other length: another key
        XCTAssertEqual(table.count, 3)
        XCTAssertEqual(table[prefix(0, 0)], "default")
        XCTAssertEqual(table[prefix(0x0A00_0000, 8)], "ten")
        XCTAssertEqual(table[prefix(0x0A00_0000, 16)], "ten/16")
        table[prefix(0x0A00_0000, 8)] = "TEN"
        XCTAssertEqual(table.count, 3)
        XCTAssertEqual(table[prefix(0x0A00_0000, 8)], "TEN")
        XCTAssertEqual(table.removeValue(forKey: prefix(0, 0)), "default")
        XCTAssertNil(table[prefix(0, 0)])
        table[prefix(0x0A00_0000, 16)] = nil
        XCTAssertEqual(contents(table), [prefix(0x0A00_0000, 8): "TEN"])
        table.removeAll()
        XCTAssertTrue(table.isEmpty)
        XCTAssertEqual(table.capacity, 0)
    }

    func testInsertingIfMissingCallsMakeOnlyForNewKeys() {
        var table = IPv4PrefixTable<Int>()
        var made = 0
        for round in 0..<2 {
            for i in 0..<100 {
                let v = table.value(for: prefix(UInt32(i) << 8, 24)) { made += 1; return i * 10 }
                XCTAssertEqual(v, i * 10, "round \(round)")
            }
        }
        XCTAssertEqual(made, 100)
        XCTAssertEqual(table.count, 100)
    }

    func testGrowsInPowersOfTwoAndKeepsLoadBelowThirteenSixteenths() {
        var table = IPv4PrefixTable<Int>()
        for i in 0..<200_000 {
            table[prefix(0x0B00_0000 &+ UInt32(i) << 8, 24)] = i
            XCTAssertLessThanOrEqual(table.count * 16, table.capacity * 13)
        }
        // The benchmark's 200 000 routes fit 2^18 slots (a Dictionary would take 2^19 buckets).
        XCTAssertEqual(table.capacity, 1 << 18)
        for i in stride(from: 0, to: 200_000, by: 997) { XCTAssertEqual(table[prefix(0x0B00_0000 &+ UInt32(i) << 8, 24)], i) }
        XCTAssertEqual(contents(table).count, 200_000)
    }

    /// A small table collides on almost every key; random inserts and removals must match a Dictionary.
    func testRandomOperationsMatchDictionary() {
        var rng = SplitMix(seed: 42)
        for universe in [20, 300, 5000] {
            var table = IPv4PrefixTable<UInt64>()
            var model: [IPv4Prefix: UInt64] = [:]
            for step in 0..<40_000 {
                let p = prefix(UInt32(rng.next() % UInt64(universe)) << 8, UInt8(rng.next() % 3) + 22)
                switch rng.next() % 4 {
                case 0, 1:
                    let v = rng.next()
                    table[p] = v; model[p] = v
                case 2:
                    XCTAssertEqual(table.removeValue(forKey: p), model.removeValue(forKey: p), "step \(step)")
                default:
                    XCTAssertEqual(table[p], model[p], "step \(step)")
                }
                XCTAssertEqual(table.count, model.count)
            }
            XCTAssertEqual(contents(table), model, "universe \(universe)")
            for key in model.keys { XCTAssertEqual(table[key], model[key]) }
        }
    }

    /// Removing every key of a table that wrapped around its end leaves it empty and reusable.
    func testRemoveEverythingThenReuse() {
        var table = IPv4PrefixTable<Int>()
        let keys = (0..<12).map { prefix(UInt32($0) << 12, 20) }
        for (i, k) in keys.enumerated() { table[k] = i }
        let capacity = table.capacity
        for (i, k) in keys.enumerated().reversed() { XCTAssertEqual(table.removeValue(forKey: k), i) }
        XCTAssertTrue(table.isEmpty)
        XCTAssertTrue(contents(table).isEmpty)
        for (i, k) in keys.enumerated() { table[k] = i + 1 }
        XCTAssertEqual(table.capacity, capacity, "refilling to the same size must not grow")
        XCTAssertEqual(contents(table), Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0 + 1) }))
    }

    func testCopiesAreIndependent() {
        var a = IPv4PrefixTable<Int>()
        a[prefix(1 << 8, 24)] = 1
        var b = a
        b[prefix(2 << 8, 24)] = 2
        b[prefix(1 << 8, 24)] = nil
        XCTAssertEqual(contents(a), [prefix(1 << 8, 24): 1])
        XCTAssertEqual(contents(b), [prefix(2 << 8, 24): 2])
        // A table that grows while a copy shares its storage must leave the copy intact.
        let c = a
        for i in 2..<1000 { a[prefix(UInt32(i) << 8, 24)] = i }
        XCTAssertEqual(contents(c), [prefix(1 << 8, 24): 1])
        XCTAssertEqual(a.count, 999)
        var d = a
        d.updateEach { _, v in v += 1 }
        XCTAssertEqual(a[prefix(5 << 8, 24)], 5)
        XCTAssertEqual(d[prefix(5 << 8, 24)], 6)
    }

    /// Values are released exactly once: on removal, on replacement, when the table goes, never on growth.
    func testValuesAreReleasedOnce() {
        do {
            var table = IPv4PrefixTable<Tracked>()
            for i in 0..<5000 { table[prefix(UInt32(i) << 8, 24)] = Tracked() }
            XCTAssertEqual(Tracked.alive, 5000)
            for i in stride(from: 0, to: 5000, by: 2) { table.removeValue(forKey: prefix(UInt32(i) << 8, 24)) }
            XCTAssertEqual(Tracked.alive, 2500)
            table[prefix(1 << 8, 24)] = Tracked()
            XCTAssertEqual(Tracked.alive, 2500)
            let copy = table
            table.updateEach { _, value in value = Tracked() }
            XCTAssertEqual(Tracked.alive, 5000, "the copy keeps the old values")
            _ = copy
        }
        XCTAssertEqual(Tracked.alive, 0)
        var table = IPv4PrefixTable<Tracked>()
        for i in 0..<100 { table[prefix(UInt32(i) << 8, 24)] = Tracked() }
        table.removeAll()
        XCTAssertEqual(Tracked.alive, 0)
    }
}

/// Counts live instances.
private final class Tracked {
    static var alive = 0
    init() { Tracked.alive += 1 }
    deinit { Tracked.alive -= 1 }
}

/// A small deterministic generator, so a failure reproduces.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
