/// A parsed Calico label selector (libcalico-go `lib/selector`): `has(k) && k in {"a"} || !all()`.
///
/// Nodes, pools and BGP peers pick their targets with these. Parse once, then `matches(labels)`.
public struct Selector: Hashable, Sendable, CustomStringConvertible {
    public let root: Expression
    public init(_ root: Expression) { self.root = root }

    /// Parses selector text; the empty string means `all()`. Throws `SelectorError` with Calico's wording.
    public init(parsing text: String) throws {
        var parser = SelectorParser(tokens: try SelectorTokenizer.tokenize(text))
        root = try parser.parseSelector()
    }

    public static let all = Selector(.all)

    public func matches(_ labels: [String: String]) -> Bool { root.matches(labels) }

    /// The canonical text Calico prints (`String()` of the AST).
    public var description: String { root.description }

    public indirect enum Expression: Hashable, Sendable, CustomStringConvertible {
        case all
        case global
        case has(String)
        case equals(String, String)
        case notEquals(String, String)
        case contains(String, String)
        case startsWith(String, String)
        case endsWith(String, String)
        case inSet(String, [String])
        case notInSet(String, [String])
        case not(Expression)
        case and([Expression])
        case or([Expression])

        /// Missing labels make `!=` and `not in` true and every other comparison false.
        public func matches(_ labels: [String: String]) -> Bool {
            switch self {
            case .all, .global: return true
            case .has(let k): return labels[k] != nil
            case .equals(let k, let v): return labels[k] == v
            case .notEquals(let k, let v): return labels[k] != v
            case .contains(let k, let v): return labels[k].map { v.isEmpty || $0.contains(v) } ?? false
            case .startsWith(let k, let v): return labels[k]?.hasPrefix(v) ?? false
            case .endsWith(let k, let v): return labels[k]?.hasSuffix(v) ?? false
            case .inSet(let k, let set): return labels[k].map(set.contains) ?? false
            case .notInSet(let k, let set): return labels[k].map { !set.contains($0) } ?? true
            case .not(let e): return !e.matches(labels)
            case .and(let es): return es.allSatisfy { $0.matches(labels) }
            case .or(let es): return es.contains { $0.matches(labels) }
            }
        }

        public var description: String {
            func q(_ v: String) -> String { v.contains("\"") ? "'\(v)'" : "\"\(v)\"" }
            switch self {
            case .all: return "all()"
            case .global: return "global()"
            case .has(let k): return "has(\(k))"
            case .equals(let k, let v): return "\(k) == \(q(v))"
            case .notEquals(let k, let v): return "\(k) != \(q(v))"
            case .contains(let k, let v): return "\(k) contains \(q(v))"
            case .startsWith(let k, let v): return "\(k) starts with \(q(v))"
            case .endsWith(let k, let v): return "\(k) ends with \(q(v))"
            case .inSet(let k, let s): return "\(k) in {\(s.map(q).joined(separator: ", "))}"
            case .notInSet(let k, let s): return "\(k) not in {\(s.map(q).joined(separator: ", "))}"
            case .not(let e): return "!\(e)"
            case .and(let es): return "(" + es.map(\.description).joined(separator: " && ") + ")"
            case .or(let es): return "(" + es.map(\.description).joined(separator: " || ") + ")"
            }
        }

        /// True if `global()` appears anywhere (IPPool selectors reject it).
        public var usesGlobal: Bool {
            switch self {
            case .global: return true
            case .not(let e): return e.usesGlobal
            case .and(let es), .or(let es): return es.contains { $0.usesGlobal }
            default: return false
            }
        }
    }
}

/// A selector parse failure; `message` is the tokenizer/parser text libcalico-go produces.
public struct SelectorError: Error, Equatable, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
