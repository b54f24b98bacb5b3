/// A typed command parameter: it parses one token, names itself in `?` help, and offers Tab completions.
///
/// One conforming type per token kind (`IPv4Value`, `ASNumberValue`, `InterfaceNameValue` …). A grammar names
/// the kind by `typeName` (`{ip:ipv4}`), optionally with bounds (`{hops:integer<1-255>}`).
public protocol CLIValue: Sendable, CustomStringConvertible {
    /// The name used in grammar strings: `ipv4` in `{ip:ipv4}`.
    static var typeName: String { get }
    /// Parses one token. `.malformed` means "this is clearly meant as one of these, but is not a legal one";
    /// the vendor then says *Wrong parameter* instead of *Unrecognized command*.
    static func parse(_ token: String, _ context: ValueContext) -> ValueParse<Self>
    /// The vendor's placeholder for `?` help: `X.X.X.X` (VRP), `A.B.C.D` (Quagga).
    static func placeholder(_ context: ValueContext) -> String
    /// Values that start with `prefix`, for Tab (most kinds have none).
    static func completions(prefix: String, _ context: ValueContext) -> [String]
    /// Free text loses to keywords and typed values when they compete for a token.
    static func isFreeText(_ context: ValueContext) -> Bool
    /// Help text used when the command declaration gives none for this capture.
    static var defaultHelp: String { get }
}

extension CLIValue {
    /// `parse` with the value type erased, callable on `any CLIValue.Type`.
    static func parseErased(_ token: String, _ context: ValueContext) -> ValueParse<any CLIValue> {
        parse(token, context).map { $0 as any CLIValue }
    }

    public static func completions(prefix: String, _ context: ValueContext) -> [String] { [] }
    public static func isFreeText(_ context: ValueContext) -> Bool { false }
}

/// What one token means to one value kind.
public enum ValueParse<Value> {
    /// A legal value, typed out in full.
    case valid(Value)
    /// A legal value reached by abbreviation (an interface type cut short); ranks below real keywords.
    case abbreviated(Value)
    /// Shaped like this kind but illegal (out of range, bad octet): *Wrong parameter*.
    case malformed
    /// Not this kind at all.
    case noMatch

    func map<T>(_ f: (Value) -> T) -> ValueParse<T> {
        switch self {
        case .valid(let v): return .valid(f(v))
        case .abbreviated(let v): return .abbreviated(f(v))
        case .malformed: return .malformed
        case .noMatch: return .noMatch
        }
    }
}

/// How a vendor writes parameter placeholders in `?` help.
public enum PlaceholderStyle: Sendable, Equatable {
    /// Huawei VRP and H3C Comware: `X.X.X.X`, `INTEGER<1-4294967295>`, `STRING<1-80>`.
    case vrp
    /// Quagga/FRR: `A.B.C.D`, `(1-4294967295)`, `WORD`.
    case quagga
}

/// Everything a value needs to know besides the token: the grammar's bounds and the vendor's conventions.
public struct ValueContext: Sendable {
    /// Integer range or string length from the grammar (`<1-255>`); nil when the grammar gave none.
    public var bounds: ClosedRange<UInt64>?
    public var style: PlaceholderStyle
    public var interfaces: InterfaceNaming

    public init(bounds: ClosedRange<UInt64>? = nil, style: PlaceholderStyle, interfaces: InterfaceNaming) {
        self.bounds = bounds
        self.style = style
        self.interfaces = interfaces
    }

    /// `INTEGER<a-b>` or `(a-b)` for a numeric range.
    func rangePlaceholder(_ range: ClosedRange<UInt64>) -> String {
        switch style {
        case .vrp: return "INTEGER<\(range.lowerBound)-\(range.upperBound)>"
        case .quagga: return "(\(range.lowerBound)-\(range.upperBound))"
        }
    }
}

/// A value kind with its grammar bounds bound in: what a capture node in the command graph holds.
struct ValueSlot: Sendable {
    /// Identity for caching one token's parse across the many paths that share a slot.
    struct Key: Hashable {
        let type: ObjectIdentifier
        let bounds: ClosedRange<UInt64>?
    }
    var key: Key { Key(type: ObjectIdentifier(type), bounds: bounds) }

    let type: any CLIValue.Type
    let bounds: ClosedRange<UInt64>?
    /// Consumes the rest of the line (a `text` capture such as a description).
    let takesRestOfLine: Bool

    func context(_ base: ValueContext) -> ValueContext {
        var c = base
        c.bounds = bounds
        return c
    }

    func parse(_ token: String, _ base: ValueContext) -> ValueParse<any CLIValue> {
        type.parseErased(token, context(base))
    }

    func placeholder(_ base: ValueContext) -> String { type.placeholder(context(base)) }
    func completions(prefix: String, _ base: ValueContext) -> [String] { type.completions(prefix: prefix, context(base)) }
    func isFreeText(_ base: ValueContext) -> Bool { type.isFreeText(context(base)) }
}

/// Small lexical helpers shared by the value parsers.
enum Lexeme {
    static func isDigits(_ s: Substring) -> Bool { !s.isEmpty && s.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }

    /// Decimal digits → value (saturating at `UInt64.max`), nil for non-digits.
    static func decimal(_ s: Substring) -> UInt64? {
        guard isDigits(s) else { return nil }
        return UInt64(s) ?? .max
    }

    /// Digits and dots only, starting with a digit: the shape of a dotted quad someone meant to type.
    static func looksDotted(_ s: Substring) -> Bool {
        guard let first = s.utf8.first, first >= 48 && first <= 57 else { return false }
        return s.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: ".") }
    }
}
