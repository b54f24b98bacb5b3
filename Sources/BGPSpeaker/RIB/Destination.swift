import BGPWire

/// What the FIB currently holds for a destination, so `process()` only reports changes. 8 bytes: one IPv4
/// next hop (the usual case) is held inline, anything else in an array (a heap block only for those routes).
enum InstalledRoute: Equatable {
    case none
    case blackhole
    case v4(IPv4Address)
    /// One IPv6 next hop, or two or more (multipath).
    case nextHops([IPAddress])

    /// One next hop: inline when it is IPv4.
    init(_ nextHop: IPAddress) {
        if case .v4(let a) = nextHop { self = .v4(a) } else { self = .nextHops([nextHop]) }
    }

    init(nextHops: [IPAddress]) {
        self = nextHops.count == 1 ? InstalledRoute(nextHops[0]) : .nextHops(nextHops)
    }

    /// The next hops to program; empty for none and blackhole.
    var nextHops: [IPAddress] {
        switch self {
        case .none, .blackhole: []
        case .v4(let a): [.v4(a)]
        case .nextHops(let hops): hops
        }
    }
}

/// Every candidate path for one prefix (at most one per source), best first once decided. A value held inside
/// the Loc-RIB's table under its prefix (48 bytes, no heap block of its own for a single-path prefix), changed
/// in place through `Table.update`.
///
/// `paths[0..<selected]` are the best path and its multipath siblings as of the last `process()`; a change
/// that touches them clears `selected` until the destination is decided again.
struct Destination {
    private(set) var paths = PathList()
    /// The attributes and source of the best path the peers' Adj-RIBs-Out were last computed from (nil: none):
    /// when a decision leaves it unchanged, there is nothing to export.
    private var exportedAttributes: AttributeSet?
    private var exportedSource: PathSource = .local(.network)
    var installed: InstalledRoute = .none
    /// Best + multipath count; 0 = no usable path.
    var selected: UInt16 = 0
    /// Queued in `Speaker.dirty` for the next `process()`.
    var isDirty = false

    init() {}

    var best: Path? { selected > 0 ? paths[0] : nil }

    /// The best path as last exported (attributes and source; the stale flag and arrival time are not kept).
    var exportedBest: Path? {
        get { exportedAttributes.map { Path(attributes: $0, source: exportedSource) } }
        set {
            exportedAttributes = newValue?.attributes
            exportedSource = newValue?.source ?? .local(.network)
        }
    }

    /// The best path is, as far as export is concerned, the one last exported: `best?.exportsLike(exportedBest)`
    /// (both nil counts as the same) read in place, without building either path.
    var bestIsExported: Bool {
        guard selected > 0 else { return exportedAttributes == nil }
        guard let exportedAttributes else { return false }
        return paths.firstMatches(exportedAttributes, exportedSource)
    }

    /// `exportedBest = best` without building a copy of the best path first.
    mutating func markBestExported() {
        if selected > 0, let first = paths.withFirst({ ($0.attributes, $0.source) }) {
            exportedAttributes = first.0
            exportedSource = first.1
        } else {
            exportedAttributes = nil
            exportedSource = .local(.network)
        }
    }

    func index(of source: PathSource) -> Int? { paths.firstIndex { $0.source == source } }

    func path(from source: PathSource) -> Path? { index(of: source).map { paths[$0] } }

    enum UpsertResult { case added, replaced, unchanged }

    /// Adds or replaces the path from `path.source`.
    @discardableResult
    mutating func upsert(_ path: consuming Path) -> UpsertResult {
        // A new prefix (most of a table load) has nothing to search.
        if paths.isEmpty {
            paths.append(path)
            return .added
        }
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
    mutating func remove(_ source: PathSource) -> Bool {
        guard let i = index(of: source) else { return false }
        if i < Int(selected) { selected = 0 }
        paths.remove(at: i)
        return true
    }

    mutating func markStale(_ source: PathSource) {
        if let i = index(of: source) { paths[i].isStale = true }
    }

    /// Puts the decision's result in place: `order` lists path indices, selected ones first.
    mutating func setSelection(order: [Int], selected count: Int) {
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

    mutating func append(_ path: consuming Path) {
        if head == nil { head = path } else { tail.append(path) }
    }

    /// `body` applied to the first path read in place (no copy of its attributes reference); nil when empty.
    func withFirst<R>(_ body: (borrowing Path) -> R) -> R? {
        guard head != nil else { return nil }
        return body(head!)
    }

    /// The first path has these attributes (by identity) and this source.
    func firstMatches(_ attributes: AttributeSet, _ source: PathSource) -> Bool {
        guard let head else { return false }
        return head.attributes === attributes && head.source == source
    }

    mutating func remove(at i: Int) {
        if i == 0 {
            head = tail.isEmpty ? nil : tail.removeFirst()
        } else {
            tail.remove(at: i - 1)
        }
    }
}

/// The Loc-RIB of one address family: every destination with at least one path (or a pending withdrawal or FIB
/// removal), stored by value under its prefix.
///
/// Destinations are changed in place through `update`/`updateIfPresent`; the closure must not reach this table
/// again (the table is being modified while it runs).
final class Table {
    let family: AddressFamily
    private var destinations = PrefixMap<Destination>()

    init(family: AddressFamily) { self.family = family }

    var count: Int { destinations.count }

    /// A copy of the destination for `prefix`.
    subscript(prefix: Prefix) -> Destination? { destinations[prefix] }

    /// Runs `body` on the destination for `prefix`, creating an empty one first when there is none.
    @discardableResult
    func update<R>(_ prefix: Prefix, _ body: (inout Destination) -> R) -> R {
        destinations.update(prefix, insertingIfMissing: Destination(), body)
    }

    /// Runs `body` on the destination for `prefix` if there is one.
    @discardableResult
    func updateIfPresent<R>(_ prefix: Prefix, _ body: (inout Destination) -> R) -> R? {
        destinations.updateIfPresent(prefix, body)
    }

    /// Runs `body` on every destination, in no particular order.
    func updateEach(_ body: (Prefix, inout Destination) -> Void) { destinations.updateEach(body) }

    func remove(_ prefix: Prefix) { destinations.removeValue(forKey: prefix) }

    func forEach(_ body: (Prefix, Destination) -> Void) { destinations.forEach(body) }

    /// All destinations in prefix order (for display and deterministic walks).
    var sorted: [(prefix: Prefix, destination: Destination)] {
        destinations.allEntries.sorted { $0.prefix < $1.prefix }.map { ($0.prefix, $0.value) }
    }
}
