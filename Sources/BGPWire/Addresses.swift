/// IPv4 address stored as a host-order integer: cheap to hash, compare and mask.
public struct IPv4Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var value: UInt32
    public init(_ value: UInt32) { self.value = value }
    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }
    /// Parses dotted-quad text ("172.20.0.11"); nil for anything else.
    public init?(_ text: Substring) {
        var parts: [UInt32] = []
        var current: UInt32 = 0
        var digits = 0
        for ch in text.utf8 {
            if ch == UInt8(ascii: ".") {
                guard digits > 0 else { return nil }
                parts.append(current); current = 0; digits = 0
            } else if ch >= 48 && ch <= 57 {
                current = current * 10 + UInt32(ch - 48)
                digits += 1
                guard digits <= 3, current <= 255 else { return nil }
            } else { return nil }
        }
        guard digits > 0 else { return nil }
        parts.append(current)
        guard parts.count == 4 else { return nil }
        value = parts[0] << 24 | parts[1] << 16 | parts[2] << 8 | parts[3]
    }
    public init?(_ text: String) { self.init(Substring(text)) }
    public static let zero = IPv4Address(0)
    public var octets: [UInt8] { [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)] }
    public var description: String { "\(value >> 24).\(value >> 16 & 0xff).\(value >> 8 & 0xff).\(value & 0xff)" }
    public static func < (a: IPv4Address, b: IPv4Address) -> Bool { a.value < b.value }
}

/// IPv6 address as two host-order 64-bit halves.
public struct IPv6Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64
    public init(high: UInt64, low: UInt64) { self.high = high; self.low = low }
    public init(bytes: some Collection<UInt8>) {
        precondition(bytes.count == 16)
        var h: UInt64 = 0, l: UInt64 = 0
        for (i, b) in bytes.enumerated() {
            if i < 8 { h = h << 8 | UInt64(b) } else { l = l << 8 | UInt64(b) }
        }
        high = h; low = l
    }
    public static let zero = IPv6Address(high: 0, low: 0)
    public var bytes: [UInt8] {
        (0..<8).map { UInt8(high >> (56 - 8 * UInt64($0)) & 0xff) } + (0..<8).map { UInt8(low >> (56 - 8 * UInt64($0)) & 0xff) }
    }
    /// The eight 16-bit groups, most significant first.
    public var groups: [UInt16] {
        (0..<4).map { UInt16(high >> (48 - 16 * UInt64($0)) & 0xffff) } + (0..<4).map { UInt16(low >> (48 - 16 * UInt64($0)) & 0xffff) }
    }
    public var isLinkLocal: Bool { high >> 54 == 0x3fa }
    /// Parses RFC 4291 text, including "::" compression and a trailing dotted quad.
    public init?(_ text: Substring) {
        var text = text
        var tail: [UInt16] = []
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard let v4 = IPv4Address(text[text.index(after: lastColon)...]) else { return nil }
            tail = [UInt16(v4.value >> 16), UInt16(v4.value & 0xffff)]
            text = text[...lastColon]
            if text.hasSuffix("::") { } else { text = text.dropLast() }
        }
        func groups(_ s: Substring) -> [UInt16]? {
            if s.isEmpty { return [] }
            var out: [UInt16] = []
            for part in s.split(separator: ":", omittingEmptySubsequences: false) {
                guard !part.isEmpty, part.count <= 4, let v = UInt16(part, radix: 16) else { return nil }
                out.append(v)
            }
            return out
        }
        var all: [UInt16]
        if let gap = IPv6Address.doubleColon(in: text) {
            guard let head = groups(text[..<gap]), let rest = groups(text[text.index(gap, offsetBy: 2)...]) else { return nil }
            let missing = 8 - head.count - rest.count - tail.count
            guard missing >= 1 else { return nil }
            all = head + Array(repeating: 0, count: missing) + rest + tail
        } else {
            guard let g = groups(text) else { return nil }
            all = g + tail
        }
        guard all.count == 8 else { return nil }
        var h: UInt64 = 0, l: UInt64 = 0
        for i in 0..<4 { h = h << 16 | UInt64(all[i]) }
        for i in 4..<8 { l = l << 16 | UInt64(all[i]) }
        high = h; low = l
    }
    public init?(_ text: String) { self.init(Substring(text)) }
    private static func doubleColon(in text: Substring) -> Substring.Index? {
        var i = text.startIndex
        while i < text.endIndex {
            let next = text.index(after: i)
            if next < text.endIndex && text[i] == ":" && text[next] == ":" { return i }
            i = next
        }
        return nil
    }
    /// RFC 5952 canonical text: lower case, longest run of two or more zero groups compressed.
    public var description: String {
        let g = groups
        var bestStart = -1, bestLen = 0, i = 0
        while i < 8 {
            if g[i] == 0 {
                var j = i
                while j < 8 && g[j] == 0 { j += 1 }
                if j - i > bestLen && j - i >= 2 { bestStart = i; bestLen = j - i }
                i = j
            } else { i += 1 }
        }
        func hex(_ r: Range<Int>) -> String { r.map { String(g[$0], radix: 16) }.joined(separator: ":") }
        if bestStart < 0 { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLen)..<8)
    }
    public static func < (a: IPv6Address, b: IPv6Address) -> Bool { (a.high, a.low) < (b.high, b.low) }
}

/// An address of either family.
public enum IPAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    case v4(IPv4Address)
    case v6(IPv6Address)
    public init?(_ text: String) {
        if let a = IPv4Address(text) { self = .v4(a) } else if let a = IPv6Address(text) { self = .v6(a) } else { return nil }
    }
    public var description: String {
        switch self { case .v4(let a): a.description; case .v6(let a): a.description }
    }
    public var family: AFI { if case .v4 = self { return .ipv4 } else { return .ipv6 } }
    public var ipv4: IPv4Address? { if case .v4(let a) = self { return a } else { return nil } }
    public var ipv6: IPv6Address? { if case .v6(let a) = self { return a } else { return nil } }
    public static func < (a: IPAddress, b: IPAddress) -> Bool {
        switch (a, b) {
        case (.v4(let x), .v4(let y)): x < y
        case (.v6(let x), .v6(let y)): x < y
        case (.v4, .v6): true
        case (.v6, .v4): false
        }
    }
}
