/// A parsed grammar string. The notation:
///
/// | text | meaning |
/// |---|---|
/// | `peer` | a keyword; the user may cut it to any unique prefix |
/// | `{ip:ipv4}` | a typed capture named `ip` (`ipv4`, `mask`, `masklen`, `ipv4prefix`, `ipv6`, `ipv6prefix`, `asn`, `integer`, `word`, `string`, `text`, `interface`, or a kind the personality adds) |
/// | `{hops:integer<1-255>}` | a capture with bounds (a range, or a length for `word`/`string`/`text`) |
/// | `[ … ]` | optional; `[ebgp | ibgp]` is an optional choice |
/// | `( a | b )` | a choice |
/// | `…...` | the item before repeats one or more times: `({vid:integer<1-4094>} [to {last:integer<1-4094>}])...` |
public indirect enum Grammar: Hashable, Sendable, CustomStringConvertible {
    case keyword(String)
    case capture(name: String, type: String, bounds: ClosedRange<UInt64>?)
    case sequence([Grammar])
    case choice([Grammar])
    case optional(Grammar)
    case repeated(Grammar)

    /// Canonical text: equal for grammars that mean the same (used to find duplicates).
    public var description: String {
        switch self {
        case .keyword(let k): return k
        case .capture(let name, let type, let bounds):
            let b = bounds.map { "<\($0.lowerBound)-\($0.upperBound)>" } ?? ""
            return "{\(name):\(type)\(b)}"
        case .sequence(let items): return items.map(\.description).joined(separator: " ")
        case .choice(let items): return "(" + items.map(\.description).joined(separator: " | ") + ")"
        case .optional(let g):
            if case .choice(let items) = g { return "[" + items.map(\.description).joined(separator: " | ") + "]" }
            return "[\(g)]"
        case .repeated(let g): return "(\(g))..."
        }
    }

    /// Parses a grammar string.
    /// - Throws: `GrammarError` naming the offending offset.
    public init(parsing text: String) throws {
        var parser = GrammarParser(text: text)
        self = try parser.parseAll()
    }

    /// The grammar without its trailing values: the usual shape of an `undo` form
    /// (`peer {ip:ipv4} description {text:text}` → `peer {ip:ipv4} description`, `router-id {id:ipv4}` → `router-id`).
    public var droppingTrailingValues: Grammar {
        guard case .sequence(var items) = self else { return self }
        while items.count > 1, let last = items.last, last.isOnlyValues { items.removeLast() }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    /// True for a capture, or an optional/choice/repeat made only of captures.
    private var isOnlyValues: Bool {
        switch self {
        case .keyword: return false
        case .capture: return true
        case .sequence(let items), .choice(let items): return items.allSatisfy(\.isOnlyValues)
        case .optional(let g), .repeated(let g): return g.isOnlyValues
        }
    }
}

/// A grammar string that does not parse; a declaration bug, reported by `CommandTree.init` and the validator.
public struct GrammarError: Error, Equatable, CustomStringConvertible {
    public let grammar: String
    public let offset: Int
    public let reason: String
    public var description: String { "grammar \"\(grammar)\" at offset \(offset): \(reason)" }
}

/// Recursive-descent parser for the notation above.
private struct GrammarParser {
    enum Piece: Equatable { case word(String), open(Character), close(Character), bar, ellipsis, capture(String) }

    let text: String
    private var lexemes: [(Piece, Int)] = []
    private var position = 0

    init(text: String) { self.text = text }

    mutating func parseAll() throws -> Grammar {
        lexemes = try lex()
        guard !lexemes.isEmpty else { throw error(0, "empty grammar") }
        let g = try parseChoice()
        if position < lexemes.count { throw error(lexemes[position].1, "unexpected \(lexemes[position].0)") }
        return g
    }

    private func error(_ offset: Int, _ reason: String) -> GrammarError {
        GrammarError(grammar: text, offset: offset, reason: reason)
    }

    private mutating func parseChoice() throws -> Grammar {
        var options = [try parseSequence()]
        while position < lexemes.count, lexemes[position].0 == .bar {
            position += 1
            options.append(try parseSequence())
        }
        return options.count == 1 ? options[0] : .choice(options)
    }

    private mutating func parseSequence() throws -> Grammar {
        var items: [Grammar] = []
        while position < lexemes.count {
            let (lexeme, offset) = lexemes[position]
            var item: Grammar
            switch lexeme {
            case .bar, .close: return try finish(items, offset)
            case .ellipsis: throw error(offset, "'...' must follow an item")
            case .word(let w):
                position += 1
                item = .keyword(w)
            case .capture(let body):
                position += 1
                item = try capture(body, offset)
            case .open(let bracket):
                position += 1
                let inner = try parseChoice()
                let closer: Character = bracket == "[" ? "]" : ")"
                guard position < lexemes.count, lexemes[position].0 == .close(closer) else {
                    throw error(offset, "unclosed '\(bracket)'")
                }
                position += 1
                item = bracket == "[" ? .optional(inner) : inner
            }
            if position < lexemes.count, lexemes[position].0 == .ellipsis {
                position += 1
                item = .repeated(item)
            }
            items.append(item)
        }
        return try finish(items, text.count)
    }

    private func finish(_ items: [Grammar], _ offset: Int) throws -> Grammar {
        guard !items.isEmpty else { throw error(offset, "empty sequence") }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    /// `name:type` or `name:type<lo-hi>`.
    private func capture(_ body: String, _ offset: Int) throws -> Grammar {
        let parts = body.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw error(offset, "capture needs {name:type}")
        }
        var type = parts[1]
        var bounds: ClosedRange<UInt64>?
        if let open = type.firstIndex(of: "<") {
            guard type.last == ">" else { throw error(offset, "bounds need <lo-hi>") }
            let range = type[type.index(after: open)..<type.index(before: type.endIndex)].split(separator: "-")
            guard range.count == 2, let lo = UInt64(range[0]), let hi = UInt64(range[1]), lo <= hi else {
                throw error(offset, "bounds need <lo-hi> with lo <= hi")
            }
            bounds = lo...hi
            type = type[..<open]
        }
        return .capture(name: String(parts[0]), type: String(type), bounds: bounds)
    }

    private func lex() throws -> [(Piece, Int)] {
        var out: [(Piece, Int)] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            switch c {
            case "[", "(": out.append((.open(c), i)); i += 1
            case "]", ")": out.append((.close(c), i)); i += 1
            case "|": out.append((.bar, i)); i += 1
            case "{":
                guard let end = chars[i...].firstIndex(of: "}") else { throw error(i, "unclosed '{'") }
                out.append((.capture(String(chars[(i + 1)..<end]).filter { !$0.isWhitespace }), i))
                i = end + 1
            case "}": throw error(i, "unexpected '}'")
            default:
                if chars[i...].starts(with: "...") { out.append((.ellipsis, i)); i += 3; continue }
                let start = i
                while i < chars.count, !chars[i].isWhitespace, !"[]()|{}".contains(chars[i]), !chars[i...].starts(with: "...") { i += 1 }
                out.append((.word(String(chars[start..<i])), start))
            }
        }
        return out
    }
}
