/// ORIGIN values (RFC 4271 §5.1.1).
public enum Origin: UInt8, Hashable, Comparable, Sendable {
    case igp = 0, egp = 1, incomplete = 2
    public static func < (a: Origin, b: Origin) -> Bool { a.rawValue < b.rawValue }
}

/// One AS_PATH segment (RFC 4271 §4.3; confederation segments are not supported).
public struct ASPathSegment: Hashable, Sendable {
    public enum Kind: UInt8, Sendable { case set = 1, sequence = 2 }
    public var kind: Kind
    public var asns: [UInt32]
    public init(_ kind: Kind, _ asns: [UInt32]) { self.kind = kind; self.asns = asns }
}

/// AS_PATH, always held with 4-byte ASNs; the codec converts for 2-byte peers (AS4_PATH, RFC 6793).
public struct ASPath: Hashable, Sendable, CustomStringConvertible {
    public var segments: [ASPathSegment]
    public init(_ segments: [ASPathSegment] = []) { self.segments = segments }
    public init(sequence: [UInt32]) { self.segments = sequence.isEmpty ? [] : [ASPathSegment(.sequence, sequence)] }
    /// Path length for the decision process: a set counts as one (RFC 4271 §9.1.2.2 a).
    public var length: Int { segments.reduce(0) { $0 + ($1.kind == .set ? 1 : $1.asns.count) } }
    public func contains(_ asn: UInt32) -> Bool { segments.contains { $0.asns.contains(asn) } }
    public func count(of asn: UInt32) -> Int { segments.reduce(0) { $0 + $1.asns.filter { $0 == asn }.count } }
    /// The neighbouring AS (first of the leftmost sequence), used to group MED comparison.
    public var firstAS: UInt32? { segments.first.flatMap { $0.kind == .sequence ? $0.asns.first : nil } }
    /// The path with `asn` prepended `times` times, as an eBGP export does.
    public func prepending(_ asn: UInt32, times: Int = 1) -> ASPath {
        var s = segments
        if let first = s.first, first.kind == .sequence, first.asns.count + times <= 255 {
            s[0].asns.insert(contentsOf: Array(repeating: asn, count: times), at: 0)
        } else {
            s.insert(ASPathSegment(.sequence, Array(repeating: asn, count: times)), at: 0)
        }
        return ASPath(s)
    }
    /// "65001 65002 {65003,65004}" as vendors print it; empty for a locally originated path.
    public var description: String {
        segments.map { seg in
            seg.kind == .sequence ? seg.asns.map(String.init).joined(separator: " ")
                : "{" + seg.asns.map(String.init).joined(separator: ",") + "}"
        }.joined(separator: " ")
    }
}

/// AGGREGATOR (RFC 4271 §5.1.7), with a 4-byte ASN.
public struct Aggregator: Hashable, Sendable {
    public var asn: UInt32
    public var address: IPv4Address
    public init(asn: UInt32, address: IPv4Address) { self.asn = asn; self.address = address }
}

/// A standard community (RFC 1997), e.g. 65001:100.
public struct Community: Hashable, Sendable, CustomStringConvertible {
    public var value: UInt32
    public init(_ value: UInt32) { self.value = value }
    public init(asn: UInt16, value: UInt16) { self.value = UInt32(asn) << 16 | UInt32(value) }
    public static let noExport = Community(0xFFFF_FF01)
    public static let noAdvertise = Community(0xFFFF_FF02)
    public static let noExportSubconfed = Community(0xFFFF_FF03)
    public var description: String { "\(value >> 16):\(value & 0xffff)" }
}

/// A large community (RFC 8092).
public struct LargeCommunity: Hashable, Sendable, CustomStringConvertible {
    public var global: UInt32, local1: UInt32, local2: UInt32
    public init(_ global: UInt32, _ local1: UInt32, _ local2: UInt32) { self.global = global; self.local1 = local1; self.local2 = local2 }
    public var description: String { "\(global):\(local1):\(local2)" }
}

/// MP_REACH_NLRI (RFC 4760 §3).
public struct MPReach: Hashable, Sendable {
    public var family: AddressFamily
    /// One next hop, or for IPv6 a global and a link-local one (RFC 2545).
    public var nextHops: [IPAddress]
    public var nlri: [Prefix]
    public init(family: AddressFamily, nextHops: [IPAddress], nlri: [Prefix]) { self.family = family; self.nextHops = nextHops; self.nlri = nlri }
}

/// MP_UNREACH_NLRI (RFC 4760 §4).
public struct MPUnreach: Hashable, Sendable {
    public var family: AddressFamily
    public var withdrawn: [Prefix]
    public init(family: AddressFamily, withdrawn: [Prefix]) { self.family = family; self.withdrawn = withdrawn }
}

/// An attribute the speaker does not interpret, kept verbatim so optional transitive ones can be passed on.
public struct RawAttribute: Hashable, Sendable {
    public var flags: UInt8
    public var code: UInt8
    public var value: [UInt8]
    public init(flags: UInt8, code: UInt8, value: [UInt8]) { self.flags = flags; self.code = code; self.value = value }
    public static let optional: UInt8 = 0x80, transitive: UInt8 = 0x40, partial: UInt8 = 0x20, extendedLength: UInt8 = 0x10
}

/// Path attribute type codes (IANA).
public enum AttributeCode: UInt8, Sendable {
    case origin = 1, asPath = 2, nextHop = 3, med = 4, localPref = 5, atomicAggregate = 6, aggregator = 7
    case communities = 8, originatorID = 9, clusterList = 10, mpReach = 14, mpUnreach = 15
    case as4Path = 17, as4Aggregator = 18, largeCommunities = 32
}

/// The decoded attributes of one UPDATE. A value type; the RIB interns equal sets so that many routes share one copy.
public struct PathAttributes: Hashable, Sendable {
    public var origin: Origin?
    public var asPath: ASPath
    public var nextHop: IPv4Address?
    public var med: UInt32?
    public var localPref: UInt32?
    public var atomicAggregate: Bool
    public var aggregator: Aggregator?
    public var communities: [Community]
    public var originatorID: IPv4Address?
    public var clusterList: [IPv4Address]
    public var largeCommunities: [LargeCommunity]
    public var mpReach: MPReach?
    public var mpUnreach: MPUnreach?
    /// Unrecognised attributes in arrival order; optional transitive ones are re-advertised with the Partial bit.
    public var unknown: [RawAttribute]

    public init(origin: Origin? = nil, asPath: ASPath = ASPath(), nextHop: IPv4Address? = nil, med: UInt32? = nil,
                localPref: UInt32? = nil, atomicAggregate: Bool = false, aggregator: Aggregator? = nil,
                communities: [Community] = [], originatorID: IPv4Address? = nil, clusterList: [IPv4Address] = [],
                largeCommunities: [LargeCommunity] = [], mpReach: MPReach? = nil, mpUnreach: MPUnreach? = nil,
                unknown: [RawAttribute] = []) {
        self.origin = origin; self.asPath = asPath; self.nextHop = nextHop; self.med = med; self.localPref = localPref
        self.atomicAggregate = atomicAggregate; self.aggregator = aggregator; self.communities = communities
        self.originatorID = originatorID; self.clusterList = clusterList; self.largeCommunities = largeCommunities
        self.mpReach = mpReach; self.mpUnreach = mpUnreach; self.unknown = unknown
    }

    /// True when the only attribute present is an empty-or-not MP_UNREACH (an MP End-of-RIB or a pure MP withdraw).
    public var onlyMPUnreach: Bool {
        var copy = self
        copy.mpUnreach = nil
        return mpUnreach != nil && copy == PathAttributes()
    }

    /// The attributes that describe a path, without the NLRI-carrying MP attributes: what the RIB stores.
    public var pathOnly: PathAttributes {
        guard mpReach != nil || mpUnreach != nil else { return self }
        var copy = self
        copy.mpReach = nil
        copy.mpUnreach = nil
        return copy
    }
}

extension PathAttributes {
    /// Every field folded into one 64-bit digest in a single pass, then one `combine`. The synthesized hash fed
    /// each field, array element and optional tag through SipHash separately, and the RIB hashes the
    /// attributes of every UPDATE it receives (to intern them). Consistent with the synthesized `==`: equal
    /// attributes fold the same values in the same order. The MP attributes (never in an interned set) count
    /// by family and size only, which `==` also respects.
    public func hash(into hasher: inout Hasher) {
        var d = FieldDigest()
        d.add(origin.map { UInt64($0.rawValue) &+ 1 } ?? 0)
        d.add(UInt64(asPath.segments.count))
        for segment in asPath.segments {
            d.add(UInt64(segment.kind.rawValue) << 32 | UInt64(segment.asns.count))
            for asn in segment.asns { d.add(UInt64(asn)) }
        }
        d.add(nextHop.map { UInt64($0.value) | 1 << 32 } ?? 0)
        d.add(med.map { UInt64($0) | 1 << 32 } ?? 0)
        d.add(localPref.map { UInt64($0) | 1 << 32 } ?? 0)
        d.add(atomicAggregate ? 1 : 0)
        d.add(aggregator.map { UInt64($0.asn) << 32 | UInt64($0.address.value) } ?? 0)
        d.add(aggregator == nil ? 0 : 1)
        d.add(UInt64(communities.count))
        for community in communities { d.add(UInt64(community.value)) }
        d.add(originatorID.map { UInt64($0.value) | 1 << 32 } ?? 0)
        d.add(UInt64(clusterList.count))
        for id in clusterList { d.add(UInt64(id.value)) }
        d.add(UInt64(largeCommunities.count))
        for c in largeCommunities { d.add(UInt64(c.global) << 32 | UInt64(c.local1)); d.add(UInt64(c.local2)) }
        d.add(mpReach.map { UInt64($0.family.afi.rawValue) << 40 | UInt64($0.nlri.count) << 8 | UInt64($0.nextHops.count) &+ 1 } ?? 0)
        d.add(mpUnreach.map { UInt64($0.family.afi.rawValue) << 40 | UInt64($0.withdrawn.count) &+ 1 } ?? 0)
        d.add(UInt64(unknown.count))
        for raw in unknown { d.add(UInt64(raw.flags) << 40 | UInt64(raw.code) << 32 | UInt64(raw.value.count)) }
        hasher.combine(d.value)
    }
}

/// A multiply-and-rotate fold of 64-bit words: cheap, order-sensitive, and only ever fed to a `Hasher`.
private struct FieldDigest {
    var value: UInt64 = 0x243F_6A88_85A3_08D3
    mutating func add(_ word: UInt64) {
        value = ((value ^ word) &* 0x9E37_79B9_7F4A_7C15)
        value ^= value >> 31
    }
}
