/// An IPv4 address parameter (`peer 10.1.1.2 …`). `value` is host-order, like `BGPWire.IPv4Address.value`,
/// so a personality converts with `IPv4Address(capture.value)`.
public struct IPv4Value: CLIValue, Hashable {
    public let value: UInt32
    public init(_ value: UInt32) { self.value = value }

    public static let typeName = "ipv4"
    public static let defaultHelp = "IPv4 address"
    public var description: String { IPv4Value.dotted(value) }

    public static func parse(_ token: String, _ context: ValueContext) -> ValueParse<IPv4Value> {
        if let v = dottedQuad(Substring(token)) { return .valid(IPv4Value(v)) }
        return Lexeme.looksDotted(Substring(token)) ? .malformed : .noMatch
    }

    public static func placeholder(_ context: ValueContext) -> String { context.style == .vrp ? "X.X.X.X" : "A.B.C.D" }

    /// Strict dotted quad: four decimal octets 0–255, no empty parts.
    static func dottedQuad(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var v: UInt32 = 0
        for p in parts {
            guard p.count <= 3, let octet = Lexeme.decimal(p), octet <= 255 else { return nil }
            v = v << 8 | UInt32(octet)
        }
        return v
    }

    static func dotted(_ v: UInt32) -> String { "\(v >> 24).\(v >> 16 & 0xff).\(v >> 8 & 0xff).\(v & 0xff)" }
}

/// A dotted netmask (`255.255.255.0`); only contiguous masks are legal.
public struct IPv4MaskValue: CLIValue, Hashable {
    public let value: UInt32
    /// The prefix length the mask stands for.
    public var length: Int { value.nonzeroBitCount }

    public init?(length: Int) {
        guard (0...32).contains(length) else { return nil }
        value = length == 0 ? 0 : UInt32.max << (32 - UInt32(length))
    }
    private init(value: UInt32) { self.value = value }

    public static let typeName = "mask"
    public static let defaultHelp = "IP address mask"
    public var description: String { IPv4Value.dotted(value) }

    public static func parse(_ token: String, _ context: ValueContext) -> ValueParse<IPv4MaskValue> {
        guard let v = IPv4Value.dottedQuad(Substring(token)) else {
            return Lexeme.looksDotted(Substring(token)) ? .malformed : .noMatch
        }
        // Contiguous: the inverted mask plus one is a power of two (or zero for /0 wrapping).
        let inverted = ~v
        guard inverted & (inverted &+ 1) == 0 else { return .malformed }
        return .valid(IPv4MaskValue(value: v))
    }

    public static func placeholder(_ context: ValueContext) -> String { context.style == .vrp ? "X.X.X.X" : "A.B.C.D" }
}

/// A prefix length written as a number (`network 10.1.1.0 24`); bounds default to 0–32.
public struct MaskLengthValue: CLIValue, Hashable {
    public let length: Int
    public init(_ length: Int) { self.length = length }

    public static let typeName = "masklen"
    public static let defaultHelp = "Length of IP address mask"
    public var description: String { String(length) }

    public static func parse(_ token: String, _ context: ValueContext) -> ValueParse<MaskLengthValue> {
        guard let n = Lexeme.decimal(Substring(token)) else { return .noMatch }
        return (context.bounds ?? 0...32).contains(n) ? .valid(MaskLengthValue(Int(n))) : .malformed
    }

    public static func placeholder(_ context: ValueContext) -> String { context.rangePlaceholder(context.bounds ?? 0...32) }
}

/// An IPv4 prefix in slash form (`10.1.0.0/24`), as Quagga's `network A.B.C.D/M`.
public struct IPv4PrefixValue: CLIValue, Hashable {
    public let address: UInt32
    public let length: Int
    public init(address: UInt32, length: Int) { self.address = address; self.length = length }

    public static let typeName = "ipv4prefix"
    public static let defaultHelp = "IPv4 prefix"
    public var description: String { "\(IPv4Value.dotted(address))/\(length)" }

    public static func parse(_ token: String, _ context: ValueContext) -> ValueParse<IPv4PrefixValue> {
        let parts = token.split(separator: "/", omittingEmptySubsequences: false)
        let shaped = Lexeme.looksDotted(parts[0]) && parts.count <= 2 && (parts.count == 1 || parts[1].allSatisfy(\.isNumber))
        guard parts.count == 2, let a = IPv4Value.dottedQuad(parts[0]), let len = Lexeme.decimal(parts[1]), len <= 32 else {
            return shaped && token.contains("/") ? .malformed : .noMatch
        }
        return .valid(IPv4PrefixValue(address: a, length: Int(len)))
    }

    public static func placeholder(_ context: ValueContext) -> String { context.style == .vrp ? "X.X.X.X/M" : "A.B.C.D/M" }
}

/// An IPv6 address (RFC 4291 text, with `::` and an embedded dotted quad).
public struct IPv6Value: CLIValue, Hashable {
    public let high: UInt64
    public let low: UInt64
    public init(high: UInt64, low: UInt64) { self.high = high; self.low = low }

    public static let typeName = "ipv6"
    public static let defaultHelp = "IPv6 address"

    public static func parse(_ token: String, _ context: ValueContext) -> ValueParse<IPv6Value> {
        if let groups = groups(Substring(token)) { return .valid(IPv6Value(groups)) }
        return looksIPv6(Substring(token)) ? .malformed : .noMatch
    }

    public static func placeholder(_ context: ValueContext) -> String { "X:X::X:X" }

    /// RFC 5952 text: lower case, longest zero run (two groups or more) compressed.
    public var description: String {
        let g = (0..<4).map { UInt16(high >> (48 - 16 * UInt64($0)) & 0xffff) } + (0..<4).map { UInt16(low >> (48 - 16 * UInt64($0)) & 0xffff) }
        var best = (start: -1, count: 0)
        var i = 0
        while i < 8 {
            if g[i] == 0 {
                var j = i
                while j < 8 && g[j] == 0 { j += 1 }
                if j - i > best.count && j - i >= 2 { best = (i, j - i) }
                i = j
            } else { i += 1 }
        }
        let hex = g.map { String($0, radix: 16) }
        guard best.start >= 0 else { return hex.joined(separator: ":") }
        let head = hex[..<best.start].joined(separator: ":")
        let tail = hex[(best.start + best.count)...].joined(separator: ":")
        return head + "::" + tail
    }

    private init(_ g: [UInt16]) {
        high = g[0..<4].reduce(0) { $0 << 16 | UInt64($1) }
        low = g[4..<8].reduce(0) { $0 << 16 | UInt64($1) }
    }

    static func looksIPv6(_ s: Substring) -> Bool {
        s.contains(":") && s.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
    }

    private static func doubleColon(_ s: Substring) -> Substring.Index? {
        var i = s.startIndex
        while i < s.endIndex {
            let j = s.index(after: i)
            if s[i] == ":", j < s.endIndex, s[j] == ":" { return i }
            i = j
        }
        return nil
    }

    private static func contains(_ s: Substring, _ needle: String) -> Bool {
        var rest = s[...]
        while !rest.isEmpty {
            if rest.starts(with: needle) { return true }
            rest = rest.dropFirst()
        }
        return false
    }

    /// The eight groups, or nil if the text is not a legal address.
    static func groups(_ text: Substring) -> [UInt16]? {
        guard looksIPv6(text), !contains(text, ":::") else { return nil }
        var body = text
        var tail: [UInt16] = []
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard let v4 = IPv4Value.dottedQuad(text[text.index(after: lastColon)...]) else { return nil }
            tail = [UInt16(v4 >> 16), UInt16(v4 & 0xffff)]
            body = text[...lastColon]
            if !body.hasSuffix("::") { body = body.dropLast() }
        }
        func parseGroups(_ s: Substring) -> [UInt16]? {
            if s.isEmpty { return [] }
            var out: [UInt16] = []
            for part in s.split(separator: ":", omittingEmptySubsequences: false) {
                guard !part.isEmpty, part.count <= 4, let v = UInt16(part, radix: 16) else { return nil }
                out.append(v)
            }
            return out
        }
        if let gap = doubleColon(body) {
            let after = body.index(gap, offsetBy: 2)
            guard doubleColon(body[after...]) == nil,
                  let head = parseGroups(body[..<gap]), let rest = parseGroups(body[after...]) else { return nil }
            let missing = 8 - head.count - rest.count - tail.count
            guard missing >= 1 else { return nil }
            return head + Array(repeating: 0, count: missing) + rest + tail
        }
        guard let all = parseGroups(body), all.count + tail.count == 8 else { return nil }
        return all + tail
    }
}

/// An IPv6 prefix (`2001:db8::/32`).
public struct IPv6PrefixValue: CLIValue, Hashable {
    public let address: IPv6Value
    public let length: Int

    public static let typeName = "ipv6prefix"
    public static let defaultHelp = "IPv6 prefix"
    public var description: String { "\(address)/\(length)" }

    public static func parse(_ token: String, _ context: ValueContext) -> ValueParse<IPv6PrefixValue> {
        let parts = token.split(separator: "/", omittingEmptySubsequences: false)
        guard IPv6Value.looksIPv6(parts[0]), parts.count == 2 else { return .noMatch }
        guard case .valid(let a) = IPv6Value.parse(String(parts[0]), context),
              let len = Lexeme.decimal(parts[1]), len <= 128 else { return .malformed }
        return .valid(IPv6PrefixValue(address: a, length: Int(len)))
    }

    public static func placeholder(_ context: ValueContext) -> String { "X:X::X:X/M" }
}
