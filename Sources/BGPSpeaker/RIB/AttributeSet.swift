import BGPWire

/// One distinct set of path attributes plus the next hop, shared by every route that carries it.
///
/// A full table repeats a few thousand attribute sets over hundreds of thousands of prefixes, so routes hold
/// a reference to an interned `AttributeSet` rather than a copy; two routes have equal attributes exactly
/// when they hold the same instance (`===`), which is how Adj-RIB-Out diffs and UPDATE packing compare them.
/// The fields the decision process reads on every comparison are unpacked once here.
public final class AttributeSet {
    /// The attributes without MP_REACH/MP_UNREACH.
    public let attributes: PathAttributes
    /// The next hop the route was received (or is advertised) with: NEXT_HOP for IPv4, MP_REACH for IPv6.
    public let nextHop: IPAddress

    let hashValue_: Int
    let asPathLength: Int
    let neighborAS: UInt32?
    /// Well-known communities that limit where the route may go (RFC 1997).
    let noExport: Bool
    let noAdvertise: Bool
    fileprivate weak var interner: AttributeInterner?
    /// The next set in the interner's bucket for the same hash (collisions only; almost always nil).
    fileprivate var nextInBucket: Unmanaged<AttributeSet>?

    fileprivate init(_ attributes: PathAttributes, nextHop: IPAddress, hash: Int) {
        self.attributes = attributes
        self.nextHop = nextHop
        self.hashValue_ = hash
        asPathLength = attributes.asPath.length
        neighborAS = attributes.asPath.firstAS
        noExport = attributes.communities.contains(.noExport) || attributes.communities.contains(.noExportSubconfed)
        noAdvertise = attributes.communities.contains(.noAdvertise)
    }

    deinit { interner?.forget(self) }
}

/// Hands out one shared `AttributeSet` per distinct (attributes, next hop). Sets are reference counted by
/// Swift: the table holds them unretained and a set removes itself when its last route lets go, so no
/// sweep is needed and `count` is always the number of live sets. A bucket is the first set with its hash,
/// chained through `nextInBucket` to any others: no array to allocate per set.
final class AttributeInterner {
    private var buckets: [Int: Unmanaged<AttributeSet>] = [:]
    private(set) var count = 0

    func intern(_ attributes: PathAttributes, nextHop: IPAddress) -> AttributeSet {
        var hasher = Hasher()
        hasher.combine(attributes)
        hasher.combine(nextHop)
        return intern(attributes, nextHop: nextHop, hash: hasher.finalize())
    }

    /// `intern` with the hash given (tests force collisions through it).
    func intern(_ attributes: PathAttributes, nextHop: IPAddress, hash: Int) -> AttributeSet {
        var entry = buckets[hash]
        while let current = entry {
            let set = current.takeUnretainedValue()
            if set.nextHop == nextHop && set.attributes == attributes { return set }
            entry = set.nextInBucket
        }
        let set = AttributeSet(attributes, nextHop: nextHop, hash: hash)
        set.interner = self
        set.nextInBucket = buckets[hash]
        buckets[hash] = Unmanaged.passUnretained(set)
        count += 1
        return set
    }

    /// Called from `AttributeSet.deinit`: unlinks the set from its bucket's chain.
    fileprivate func forget(_ set: AttributeSet) {
        let hash = set.hashValue_
        let target = Unmanaged.passUnretained(set).toOpaque()
        guard let head = buckets[hash] else { return }
        if head.toOpaque() == target {
            buckets[hash] = set.nextInBucket
        } else {
            var previous = head.takeUnretainedValue()
            while let next = previous.nextInBucket, next.toOpaque() != target { previous = next.takeUnretainedValue() }
            guard previous.nextInBucket != nil else { return }
            previous.nextInBucket = set.nextInBucket
        }
        count -= 1
    }
}
