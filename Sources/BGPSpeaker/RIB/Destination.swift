import BGPWire

/// What the FIB currently holds for a destination, so `process()` only reports changes.
/// One next hop (the usual case) is held inline: an array per destination would cost a heap block per route.
enum InstalledRoute: Equatable {
    case none
    case nextHop(IPAddress)
    /// Two or more (multipath).
    case nextHops([IPAddress])
    case blackhole
}

/// One prefix and every candidate path for it (at most one per source), best first once decided.
///
/// `paths[0..<selected]` are the best path and its multipath siblings as of the last `process()`; a change
/// that touches them clears `selected` until the destination is decided again.
///
/// Stored properties are declared in this order so that the small ones fill the padding after `prefix` and the
/// odd-sized `installed` comes last: 97 bytes instead of 112, one malloc size class less per prefix.
final class Destination {
    let prefix: Prefix
    /// Best + multipath count; 0 = no usable path.
    var selected: UInt16 = 0
    var isDirty = false
    private(set) var paths = PathList()
    /// The best path the peers' Adj-RIBs-Out were last computed from: when a decision leaves it unchanged,
    /// there is nothing to export.
    var exportedBest: Path?
    var installed: InstalledRoute = .none

    init(prefix: Prefix) { self.prefix = prefix }

    var best: Path? { selected > 0 ? paths[0] : nil }

    func index(of source: PathSource) -> Int? { paths.firstIndex { $0.source == source } }

    func path(from source: PathSource) -> Path? { index(of: source).map { paths[$0] } }

    enum UpsertResult { case added, replaced, unchanged }

    /// Adds or replaces the path from `path.source`.
    @discardableResult
    func upsert(_ path: Path) -> UpsertResult {
        if let i = index(of: path.source) {
            let sameAttributes = paths[i].attributes === path.attributes
            if sameAttributes && paths[i].isStale == path.isStale { return .unchanged }
            if i < Int(selected) && !sameAttributes { selected = 0 }
            paths[i] = path
            return .replaced
        }
        paths.append(path)
        return .added
    }

    /// Removes the path from `source`. Returns true when there was one.
    @discardableResult
    func remove(_ source: PathSource) -> Bool {
        guard let i = index(of: source) else { return false }
        if i < Int(selected) { selected = 0 }
        paths.remove(at: i)
        return true
    }

    func markStale(_ source: PathSource) {
        if let i = index(of: source) { paths[i].isStale = true }
    }

    /// Puts the decision's result in place: `order` lists path indices, selected ones first.
    func setSelection(order: [Int], selected count: Int) {
        if order != Array(paths.indices) { paths = PathList(order.map { paths[$0] }) }
        selected = UInt16(count)
    }
}

/// The candidate paths of one destination. Most destinations have exactly one, so the first is held inline:
/// a full table of single-path prefixes then costs no heap block per prefix for its path list.
struct PathList: RandomAccessCollection, MutableCollection {
    private var head: Path?
    private var tail: [Path] = []

    init() {}
    init<S: Sequence>(_ paths: S) where S.Element == Path { for p in paths { append(p) } }

    var startIndex: Int { 0 }
    var endIndex: Int { head == nil ? 0 : 1 + tail.count }

    subscript(i: Int) -> Path {
        get { i == 0 ? head! : tail[i - 1] }
        set { if i == 0 { head = newValue } else { tail[i - 1] = newValue } }
    }

    mutating func append(_ path: Path) {
        if head == nil { head = path } else { tail.append(path) }
    }

    mutating func remove(at i: Int) {
        if i == 0 {
            head = tail.isEmpty ? nil : tail.removeFirst()
        } else {
            tail.remove(at: i - 1)
        }
    }
}

/// The Loc-RIB of one address family: every destination with at least one path (or a pending withdrawal).
final class Table {
    let family: AddressFamily
    private(set) var destinations = PrefixMap<Destination>()

    init(family: AddressFamily) { self.family = family }

    var count: Int { destinations.count }

    subscript(prefix: Prefix) -> Destination? { destinations[prefix] }

    func destination(for prefix: Prefix) -> Destination {
        destinations.value(for: prefix) { Destination(prefix: prefix) }
    }

    func remove(_ prefix: Prefix) { destinations.removeValue(forKey: prefix) }

    func forEach(_ body: (Destination) -> Void) { destinations.forEach { _, d in body(d) } }

    /// All destinations in prefix order (for display and deterministic walks).
    var sorted: [Destination] { destinations.allEntries.map(\.value).sorted { $0.prefix < $1.prefix } }
}
