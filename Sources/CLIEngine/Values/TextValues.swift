/// One free word (a group name, a route-policy name). Length bounds come from the grammar (`word<1-47>`).
public struct WordValue: CLIValue, Hashable {
    public let text: String
    public init(_ text: String) { self.text = text }

    public static let typeName = "word"
    public static let defaultHelp = "Name"
    public var description: String { text }

    public static func parse(_ token: String, _ context: ValueContext) -> ValueParse<WordValue> {
        guard !token.isEmpty else { return .noMatch }
        if let b = context.bounds, !b.contains(UInt64(token.count)) { return .malformed }
        return .valid(WordValue(token))
    }

    public static func placeholder(_ context: ValueContext) -> String {
        switch context.style {
        case .vrp: return "STRING<\(context.bounds?.lowerBound ?? 1)-\(context.bounds?.upperBound ?? 63)>"
        case .quagga: return "WORD"
        }
    }

    public static func isFreeText(_ context: ValueContext) -> Bool { true }
}

/// A string that may be quoted to hold spaces (`"to leaf 1"`); the quotes are not part of the value.
public struct QuotedStringValue: CLIValue, Hashable {
    public let text: String
    public init(_ text: String) { self.text = text }

    public static let typeName = "string"
    public static let defaultHelp = "Character string"
    public var description: String { text }

    public static func parse(_ token: String, _ context: ValueContext) -> ValueParse<QuotedStringValue> {
        guard !token.isEmpty else { return .noMatch }
        var body = Substring(token)
        if body.first == "\"" {
            body = body.dropFirst()
            if body.last == "\"" { body = body.dropLast() }
        }
        if let b = context.bounds, !b.contains(UInt64(body.count)) { return .malformed }
        return .valid(QuotedStringValue(String(body)))
    }

    public static func placeholder(_ context: ValueContext) -> String {
        switch context.style {
        case .vrp: return "STRING<\(context.bounds?.lowerBound ?? 1)-\(context.bounds?.upperBound ?? 80)>"
        case .quagga: return "LINE"
        }
    }

    public static func isFreeText(_ context: ValueContext) -> Bool { true }
}

/// The rest of the line, spaces included (`description to leaf 1`). Must be the last token of a grammar.
public struct TextValue: CLIValue, Hashable {
    public let text: String
    public init(_ text: String) { self.text = text }

    public static let typeName = "text"
    public static let defaultHelp = "Text"
    public var description: String { text }

    public static func parse(_ token: String, _ context: ValueContext) -> ValueParse<TextValue> {
        guard !token.isEmpty else { return .noMatch }
        if let b = context.bounds, !b.contains(UInt64(token.count)) { return .malformed }
        return .valid(TextValue(token))
    }

    public static func placeholder(_ context: ValueContext) -> String {
        switch context.style {
        case .vrp: return "STRING<\(context.bounds?.lowerBound ?? 1)-\(context.bounds?.upperBound ?? 242)>"
        case .quagga: return "LINE"
        }
    }

    public static func isFreeText(_ context: ValueContext) -> Bool { true }
}
