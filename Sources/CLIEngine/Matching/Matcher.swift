/// How well one token fits one graph node. Lower wins when several nodes compete for the same token:
/// typed values beat keywords, an exact keyword beats longer keywords it prefixes, keywords beat free words.
enum Fit: Int, Comparable, Sendable {
    case typedValue
    case exactKeyword
    case partialKeyword
    /// A value reached by abbreviation (interface type `g` for `GigabitEthernet`).
    case abbreviatedValue
    /// Looks like a value of this kind but is not legal: reported as *Wrong parameter*.
    case malformed
    case freeWord

    static func < (a: Fit, b: Fit) -> Bool { a.rawValue < b.rawValue }
}

/// One way through one command's graph so far.
struct MatchPath: Sendable {
    let command: Int
    var node: Int
    var captures: Captures
    var fits: [Fit]
}

/// A refused line: the reason and the offending token (nil: the end of the line).
struct MatchFailure: Error, Equatable {
    let kind: MatchErrorKind
    let tokenIndex: Int?
}

/// Parsing conventions the matcher needs from the dialect.
struct MatchOptions: Sendable {
    let caseInsensitive: Bool
    let foldsHyphens: Bool
    let values: ValueContext

    init(_ dialect: Dialect) {
        caseInsensitive = dialect.caseInsensitiveKeywords
        foldsHyphens = dialect.foldsTypographicHyphens
        values = dialect.valueContext
    }

    /// The form keywords are compared in.
    func normalize(_ s: String) -> String {
        var out = s
        if foldsHyphens, out.unicodeScalars.contains(where: Self.isTypographicHyphen) {
            out = String(String.UnicodeScalarView(out.unicodeScalars.map { Self.isTypographicHyphen($0) ? "-" : $0 }))
        }
        return caseInsensitive ? out.lowercased() : out
    }

    private static func isTypographicHyphen(_ u: Unicode.Scalar) -> Bool {
        (0x2010...0x2015).contains(u.value) || u.value == 0x2212 || u.value == 0xFE63 || u.value == 0xFF0D
    }
}

/// The pure matcher: (view graph, tokens) → the command and its captures, or why not and where.
enum Matcher {
    enum Result {
        case empty
        case matched(command: Int, captures: Captures)
        case failed(MatchFailure)
    }

    /// Matches a whole line.
    static func match(_ graph: ViewGraph, tokens: [Token], line: String, options: MatchOptions) -> Result {
        guard !tokens.isEmpty else { return .empty }
        let frontier: [MatchPath]
        switch consume(graph, tokens: tokens, line: line, options: options) {
        case .failure(let f): return .failed(f)
        case .success(let paths): frontier = paths
        }
        let accepting = frontier.filter { $0.node >= 0 && graph.commands[$0.command].nodes[$0.node].accepts }
        guard var best = accepting.first else { return .failed(MatchFailure(kind: .incomplete, tokenIndex: nil)) }
        var tied = false
        for path in accepting.dropFirst() where path.command != best.command {
            if path.fits.lexicographicallyPrecedes(best.fits) { best = path; tied = false }
            else if path.fits == best.fits { tied = true }
        }
        if tied { return .failed(MatchFailure(kind: .ambiguous, tokenIndex: tokens.count - 1)) }
        return .matched(command: best.command, captures: best.captures)
    }

    /// Consumes every token and returns the paths still alive, or the first token that cannot be placed.
    static func consume(_ graph: ViewGraph, tokens: [Token], line: String, options: MatchOptions) -> Swift.Result<[MatchPath], MatchFailure> {
        var frontier = graph.commands.indices.map { MatchPath(command: $0, node: -1, captures: Captures(), fits: []) }
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            var candidates: [(path: MatchPath, fit: Fit, restOfLine: Bool)] = []
            for path in frontier {
                let command = graph.commands[path.command]
                for next in command.successors(of: path.node) {
                    if let c = advance(path, to: next, in: command, token: token, index: index, line: line, options: options) {
                        candidates.append((c.0, c.1, command.nodes[next].takesRestOfLine))
                    }
                }
            }
            guard let bestFit = candidates.map(\.fit).min() else {
                let ended = frontier.allSatisfy { graph.commands[$0.command].successors(of: $0.node).isEmpty }
                return .failure(MatchFailure(kind: ended ? .tooManyParameters : .unrecognized, tokenIndex: index))
            }
            let winners = candidates.filter { $0.fit == bestFit }
            switch bestFit {
            case .malformed:
                return .failure(MatchFailure(kind: .wrongParameter, tokenIndex: index))
            case .partialKeyword:
                let words = Set(winners.compactMap { graph.commands[$0.path.command].nodes[$0.path.node].keyword.map(options.normalize) })
                if words.count > 1 { return .failure(MatchFailure(kind: .ambiguous, tokenIndex: index)) }
            case .abbreviatedValue:
                let values = Set(winners.map { $0.path.captures.entries.last.map { "\($0.value)" } ?? "" })
                if values.count > 1 { return .failure(MatchFailure(kind: .ambiguous, tokenIndex: index)) }
            default: break
            }
            // A rest-of-line capture swallows the remaining words.
            if winners.contains(where: \.restOfLine) {
                return .success(winners.filter(\.restOfLine).map(\.path))
            }
            var seen = Set<[Int]>()
            frontier = winners.map(\.path).filter { seen.insert([$0.command, $0.node]).inserted }
            index += 1
        }
        return .success(frontier)
    }

    /// Tries one token on one node; returns the extended path and how well the token fit.
    static func advance(_ path: MatchPath, to node: Int, in command: CompiledCommand, token: Token, index: Int,
                        line: String, options: MatchOptions) -> (MatchPath, Fit)? {
        let graphNode = command.nodes[node]
        var extended = path
        extended.node = node
        let fit: Fit
        switch graphNode.kind {
        case .keyword(let keyword):
            let typed = options.normalize(token.text), wanted = options.normalize(keyword)
            if typed == wanted { fit = .exactKeyword }
            else if wanted.hasPrefix(typed) { fit = .partialKeyword }
            else { return nil }
            extended.captures.append(keyword: keyword)

        case .value(let slot):
            let text = slot.takesRestOfLine ? restOfLine(line, from: token.column) : token.text
            let parsed = slot.parse(text, options.values)
            guard let f = fitOf(parsed, free: slot.isFreeText(options.values)) else { return nil }
            fit = f
            if case .valid(let v) = parsed { extended.captures.append(Capture(name: graphNode.capture ?? "", value: v, text: text, tokenIndex: index)) }
            if case .abbreviated(let v) = parsed { extended.captures.append(Capture(name: graphNode.capture ?? "", value: v, text: text, tokenIndex: index)) }

        case .interfaceType:
            let parsed = InterfaceTypeValue.parse(token.text, options.values)
            guard let f = fitOf(parsed, free: false) else { return nil }
            fit = f
            switch parsed {
            case .valid(let v), .abbreviated(let v):
                extended.captures.append(Capture(name: graphNode.capture ?? "", value: v, text: token.text, tokenIndex: index))
            default: break
            }

        case .interfaceNumber:
            guard let typeCapture = path.captures.entries.last, let type = typeCapture.value as? InterfaceTypeValue else { return nil }
            let parsed = InterfaceNameValue.parse(type.type.name + token.text, options.values)
            guard let f = fitOf(parsed, free: false) else { return nil }
            fit = f
            if case .valid(let v) = parsed {
                extended.captures.replaceLast(Capture(name: typeCapture.name, value: v, text: typeCapture.text + " " + token.text,
                                                      tokenIndex: typeCapture.tokenIndex))
            }
        }
        extended.fits.append(fit)
        return (extended, fit)
    }

    private static func fitOf<V>(_ parsed: ValueParse<V>, free: Bool) -> Fit? {
        switch parsed {
        case .valid: return free ? .freeWord : .typedValue
        case .abbreviated: return .abbreviatedValue
        case .malformed: return .malformed
        case .noMatch: return nil
        }
    }

    /// The line from `column` on, without trailing blanks: the value of a `text` capture.
    static func restOfLine(_ line: String, from column: Int) -> String {
        var rest = Substring(line.dropFirst(column))
        while rest.last?.isWhitespace == true { rest = rest.dropLast() }
        return String(rest)
    }
}
