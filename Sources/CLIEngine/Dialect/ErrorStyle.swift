/// Why a line was refused.
public enum MatchErrorKind: Hashable, Sendable {
    case unrecognized
    case incomplete
    case ambiguous
    /// A value out of range or invalid, or one the device refuses (an interface that does not exist).
    case wrongParameter
    /// The command was complete and more words followed.
    case tooManyParameters
    /// `?` after a word prefix that matches nothing (Quagga's own message; VRP uses `unrecognized`).
    case noMatchInHelp
}

/// How a vendor reports a refused line.
public enum ErrorStyle: Sendable {
    /// VRP/Comware: a caret line under the offending column, then the message.
    case caret([MatchErrorKind: String])
    /// Quagga/FRR: one `%` line, no caret; FRR appends `: <line>`.
    case plain([MatchErrorKind: String], appendsLine: Bool)

    /// The lines to print.
    /// - Parameters:
    ///   - kind: why the line was refused.
    ///   - column: caret column counted from the start of the prompt line (prompt width included).
    ///   - line: the line as typed, for FRR's `% Unknown command: <line>`.
    public func render(_ kind: MatchErrorKind, column: Int, line: String) -> [String] {
        switch self {
        case .caret(let messages):
            let text = messages[kind] ?? messages[.unrecognized] ?? "Error: Unrecognized command found at '^' position."
            return [String(repeating: " ", count: max(0, column)) + "^", text]
        case .plain(let messages, let appendsLine):
            let fallback: MatchErrorKind = kind == .noMatchInHelp ? .noMatchInHelp : .unrecognized
            let text = messages[kind] ?? messages[fallback] ?? "% Unknown command."
            if kind == .noMatchInHelp || !appendsLine { return [text] }
            return ["\(text): \(line)"]
        }
    }
}
