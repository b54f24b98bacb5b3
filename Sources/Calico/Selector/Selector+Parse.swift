/// Tokens of the selector language.
enum SelectorToken: Equatable, CustomStringConvertible {
    case label(String)
    case string(String)
    case has(String)
    case all, global
    case eq, ne, contains, startsWith, endsWith, inOp, notIn
    case not, and, or, lParen, rParen, lBrace, rBrace, comma
    case eof

    var description: String {
        switch self {
        case .label(let s): return s
        case .string(let s): return "\"\(s)\""
        case .has(let s): return "has(\(s))"
        case .all: return "all()"
        case .global: return "global()"
        case .eq: return "=="
        case .ne: return "!="
        case .contains: return "contains"
        case .startsWith: return "starts with"
        case .endsWith: return "ends with"
        case .inOp: return "in"
        case .notIn: return "not in"
        case .not: return "!"
        case .and: return "&&"
        case .or: return "||"
        case .lParen: return "("
        case .rParen: return ")"
        case .lBrace: return "{"
        case .rBrace: return "}"
        case .comma: return ","
        case .eof: return "EOF"
        }
    }
}

enum SelectorTokenizer {
    static let maxLabelLength = 512

    static func isLabelChar(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "." || c == "/" || c == "-")
    }

    static func tokenize(_ text: String) throws -> [SelectorToken] {
        let s = Array(text)
        var i = 0
        var tokens: [SelectorToken] = []

        func skipBlanks() { while i < s.count, s[i] == " " || s[i] == "\t" { i += 1 } }
        func hasWord(_ w: String, at j: Int) -> Bool {
            let wc = Array(w)
            guard j + wc.count <= s.count, Array(s[j..<j + wc.count]) == wc else { return false }
            return j + wc.count == s.count || !isLabelChar(s[j + wc.count])
        }
        /// Two-word operators (`starts with`, `not in`) allow any blanks between the words, even none.
        func twoWords(_ a: String, _ b: String) -> Int? {
            let ac = Array(a)
            guard i + ac.count <= s.count, Array(s[i..<i + ac.count]) == ac else { return nil }
            var j = i + ac.count
            while j < s.count, s[j] == " " || s[j] == "\t" { j += 1 }
            return hasWord(b, at: j) ? j + b.count : nil
        }
        func readLabel() throws -> String {
            let start = i
            while i < s.count, isLabelChar(s[i]) { i += 1 }
            let label = String(s[start..<i])
            if label.count > maxLabelLength { throw SelectorError("label too long: \(label)") }
            return label
        }
        /// `has(`, `all(`, `global(` followed by optional blanks, an optional label and `)`.
        func call(_ name: String) throws -> String? {
            let prefix = Array(name + "(")
            guard i + prefix.count <= s.count, Array(s[i..<i + prefix.count]) == prefix else { return nil }
            var j = i + prefix.count
            while j < s.count, s[j] == " " || s[j] == "\t" { j += 1 }
            let start = j
            while j < s.count, isLabelChar(s[j]) { j += 1 }
            let arg = String(s[start..<j])
            while j < s.count, s[j] == " " || s[j] == "\t" { j += 1 }
            guard j < s.count, s[j] == ")", (name == "has") != arg.isEmpty else {
                throw SelectorError("no closing ')' after \(name)(")
            }
            if arg.count > maxLabelLength { throw SelectorError("label too long: \(arg)") }
            i = j + 1
            return arg
        }

        while true {
            skipBlanks()
            guard i < s.count else { tokens.append(.eof); return tokens }
            let c = s[i]
            let afterLabel: Bool = { if case .label = tokens.last { return true }; return false }()
            switch c {
            case "(": tokens.append(.lParen); i += 1
            case ")": tokens.append(.rParen); i += 1
            case "{": tokens.append(.lBrace); i += 1
            case "}": tokens.append(.rBrace); i += 1
            case ",": tokens.append(.comma); i += 1
            case "\"", "'":
                guard let end = s[(i + 1)...].firstIndex(of: c) else { throw SelectorError("unterminated string") }
                tokens.append(.string(String(s[(i + 1)..<end])))
                i = end + 1
            case "=":
                guard i + 1 < s.count, s[i + 1] == "=" else { throw SelectorError("expected ==") }
                tokens.append(.eq); i += 2
            case "!":
                if i + 1 < s.count, s[i + 1] == "=" { tokens.append(.ne); i += 2 } else { tokens.append(.not); i += 1 }
            case "&":
                guard i + 1 < s.count, s[i + 1] == "&" else { throw SelectorError("expected &&") }
                tokens.append(.and); i += 2
            case "|":
                guard i + 1 < s.count, s[i + 1] == "|" else { throw SelectorError("expected ||") }
                tokens.append(.or); i += 2
            default:
                if afterLabel {
                    if hasWord("contains", at: i) { tokens.append(.contains); i += 8; continue }
                    if let end = twoWords("starts", "with") { tokens.append(.startsWith); i = end; continue }
                    if let end = twoWords("ends", "with") { tokens.append(.endsWith); i = end; continue }
                    if let end = twoWords("not", "in") { tokens.append(.notIn); i = end; continue }
                    if hasWord("in", at: i) { tokens.append(.inOp); i += 2; continue }
                    if case .label(let l) = tokens.last { throw SelectorError("expected operator after label \"\(l)\"") }
                }
                if let arg = try call("has") { tokens.append(.has(arg)); continue }
                if try call("all") != nil { tokens.append(.all); continue }
                if try call("global") != nil { tokens.append(.global); continue }
                if isLabelChar(c) {
                    tokens.append(.label(try readLabel()))
                } else {
                    throw SelectorError("unexpected characters at \"\(String(s[i...]))\"")
                }
            }
        }
    }
}

/// Recursive descent over the tokens; precedence `!` > `&&` > `||`.
struct SelectorParser {
    var tokens: [SelectorToken]
    var pos = 0

    init(tokens: [SelectorToken]) { self.tokens = tokens }

    var peek: SelectorToken { tokens[min(pos, tokens.count - 1)] }
    mutating func next() -> SelectorToken { let t = peek; pos += 1; return t }

    mutating func parseSelector() throws -> Selector.Expression {
        if peek == .eof { return .all }
        let e = try parseOr()
        guard peek == .eof else {
            let rest = tokens[pos...].filter { $0 != .eof }.map(\.description)
            throw SelectorError("unexpected content at end of selector \(rest)")
        }
        return e
    }

    mutating func parseOr() throws -> Selector.Expression {
        var terms = [try parseAnd()]
        while peek == .or { pos += 1; terms.append(try parseAnd()) }
        return terms.count == 1 ? terms[0] : .or(terms)
    }

    mutating func parseAnd() throws -> Selector.Expression {
        var terms = [try parseUnary()]
        while peek == .and { pos += 1; terms.append(try parseUnary()) }
        return terms.count == 1 ? terms[0] : .and(terms)
    }

    mutating func parseUnary() throws -> Selector.Expression {
        var negations = 0
        while peek == .not { pos += 1; negations += 1 }
        let op = try parseOperation()
        return negations % 2 == 1 ? .not(op) : op
    }

    mutating func parseOperation() throws -> Selector.Expression {
        let tok = next()
        switch tok {
        case .eof: throw SelectorError("unexpected end of string looking for op")
        case .has(let k): return .has(k)
        case .all: return .all
        case .global: return .global
        case .lParen:
            let e = try parseOr()
            guard next() == .rParen else { throw SelectorError("expected )") }
            return e
        case .label(let k):
            let op = next()
            switch op {
            case .eq, .ne, .contains, .startsWith, .endsWith:
                guard case .string(let v) = next() else { throw SelectorError("expected string") }
                switch op {
                case .eq: return .equals(k, v)
                case .ne: return .notEquals(k, v)
                case .contains: return .contains(k, v)
                case .startsWith: return .startsWith(k, v)
                default: return .endsWith(k, v)
                }
            case .inOp, .notIn:
                let set = try parseSet()
                return op == .inOp ? .inSet(k, set) : .notInSet(k, set)
            case .eof: throw SelectorError("unexpected end of string looking for op")
            default: throw SelectorError("expected == or != not: \(op)")
            }
        default:
            throw SelectorError("unexpected token: \(tok)")
        }
    }

    /// `{ "a", "b", }`: a trailing comma is allowed; values come back sorted and unique.
    mutating func parseSet() throws -> [String] {
        guard next() == .lBrace else { throw SelectorError("expected set literal") }
        var values = Set<String>()
        while true {
            switch next() {
            case .rBrace: return values.sorted()
            case .string(let v):
                values.insert(v)
                switch next() {
                case .comma: continue
                case .rBrace: return values.sorted()
                default: throw SelectorError("expected }")
                }
            default: throw SelectorError("expected string")
            }
        }
    }
}
