/// One word of an input line, with the column it starts at (for the caret).
public struct Token: Equatable, Sendable {
    /// The text as typed (quotes kept for a quoted string).
    public var text: String
    /// 0-based character offset in the line.
    public var column: Int

    public init(_ text: String, column: Int) { self.text = text; self.column = column }

    /// Splits a line on blanks; a `"…"` run is one token, spaces included (an unclosed quote runs to the end).
    public static func split(_ line: String) -> [Token] {
        var tokens: [Token] = []
        var current = ""
        var start = 0
        var inQuote = false
        for (column, ch) in line.enumerated() {
            if inQuote {
                current.append(ch)
                if ch == "\"" { inQuote = false }
            } else if ch.isWhitespace {
                if !current.isEmpty { tokens.append(Token(current, column: start)); current = "" }
            } else {
                if current.isEmpty { start = column }
                current.append(ch)
                if ch == "\"" && current.count == 1 { inQuote = true }
            }
        }
        if !current.isEmpty { tokens.append(Token(current, column: start)) }
        return tokens
    }

    /// True when the line ends in a blank, i.e. the last word is finished (`dis ?` vs `dis?`).
    static func endsWithBlank(_ line: String) -> Bool { line.isEmpty || line.last!.isWhitespace }
}

/// One captured value: its name, typed value, and where it was typed.
/// A class because the matcher shares one capture among every path that took the same word the same way.
public final class Capture: Sendable {
    public let name: String
    public let value: any CLIValue
    /// The text as typed (`g0/0/1`, or `LoopBack 0` for a two-word interface).
    public let text: String
    /// Index of the (first) token that holds it.
    public let tokenIndex: Int

    init(name: String, value: any CLIValue, text: String, tokenIndex: Int) {
        self.name = name
        self.value = value
        self.text = text
        self.tokenIndex = tokenIndex
    }
}

/// The typed captures of a matched line, in typed order, plus the keywords that were chosen.
public struct Captures: Sendable {
    public private(set) var entries: [Capture] = []
    /// Canonical keywords matched, in order (`["peer", "password", "cipher"]`).
    public private(set) var keywords: [String] = []

    public init() {}

    /// The first value captured under `name`, if it has type `V`.
    public subscript<V: CLIValue>(_ name: String, as type: V.Type = V.self) -> V? {
        entries.first { $0.name == name }?.value as? V
    }

    /// All values captured under `name` (repeated parts such as `vlan batch 10 20 to 30`).
    public func all<V: CLIValue>(_ name: String, as type: V.Type = V.self) -> [V] {
        entries.filter { $0.name == name }.compactMap { $0.value as? V }
    }

    /// The canonical text of the first value named `name` (`GigabitEthernet0/0/1` for `g0/0/1`).
    public func text(_ name: String) -> String? { entries.first { $0.name == name }.map { "\($0.value)" } }

    public func contains(_ name: String) -> Bool { entries.contains { $0.name == name } }

    /// Whether a keyword was typed (`cipher` vs `simple` in `password (cipher|simple) …`); case-insensitive.
    public func has(keyword: String) -> Bool { keywords.contains { $0.lowercased() == keyword.lowercased() } }

    mutating func append(_ capture: Capture) { entries.append(capture) }
    mutating func replaceLast(_ capture: Capture) { entries[entries.count - 1] = capture }
    mutating func append(keyword: String) { keywords.append(keyword) }
}
