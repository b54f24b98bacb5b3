/// An AS number, 1–4294967295, typed as plain (`65001`) or asdot (`635.88` = 635 × 65536 + 88).
public struct ASNumberValue: CLIValue, Hashable {
    public let value: UInt32
    /// True when the user wrote the asdot form; kept so config can echo it back as typed.
    public let asdot: Bool

    public init(_ value: UInt32, asdot: Bool = false) { self.value = value; self.asdot = asdot }

    public static let typeName = "asn"
    public static let defaultHelp = "AS number"
    public var description: String { asdot ? "\(value >> 16).\(value & 0xffff)" : String(value) }

    public static func parse(_ token: String, _ context: ValueContext) -> ValueParse<ASNumberValue> {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            guard let n = Lexeme.decimal(parts[0]) else { return .noMatch }
            guard (1...UInt64(UInt32.max)).contains(n) else { return .malformed }
            return .valid(ASNumberValue(UInt32(n)))
        case 2:
            guard let high = Lexeme.decimal(parts[0]), let low = Lexeme.decimal(parts[1]) else {
                return Lexeme.looksDotted(Substring(token)) ? .malformed : .noMatch
            }
            guard high <= 65535, low <= 65535, high | low != 0 else { return .malformed }
            return .valid(ASNumberValue(UInt32(high << 16 | low), asdot: true))
        default:
            // Three or more dots is an address, not an AS; let the address kinds claim it.
            return .noMatch
        }
    }

    public static func placeholder(_ context: ValueContext) -> String { context.rangePlaceholder(1...UInt64(UInt32.max)) }
}

/// A decimal integer within the grammar's bounds (`{hops:integer<1-255>}`); out of range is *Wrong parameter*.
public struct IntegerValue: CLIValue, Hashable {
    public let value: UInt64
    public init(_ value: UInt64) { self.value = value }

    public static let typeName = "integer"
    public static let defaultHelp = "Integer"
    public var description: String { String(value) }

    public static func parse(_ token: String, _ context: ValueContext) -> ValueParse<IntegerValue> {
        guard let n = Lexeme.decimal(Substring(token)) else { return .noMatch }
        return (context.bounds ?? 0...UInt64(UInt32.max)).contains(n) ? .valid(IntegerValue(n)) : .malformed
    }

    public static func placeholder(_ context: ValueContext) -> String {
        context.rangePlaceholder(context.bounds ?? 0...UInt64(UInt32.max))
    }
}
