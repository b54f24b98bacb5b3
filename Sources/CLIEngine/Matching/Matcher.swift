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

/// One step taken on a path: how the word fit, and what it captured. Steps form a shared, persistent list
/// (each points back to the one before), so thousands of live paths cost one small allocation per step.
final class Trail: @unchecked Sendable {
    let parent: Trail?
    let fit: Fit
    let keyword: String?
    let capture: Capture?
    /// The capture completes the one before it (the number of a two-word interface name).
    let replacesLast: Bool

    init(parent: Trail?, fit: Fit, keyword: String?, capture: Capture?, replacesLast: Bool) {
        self.parent = parent
        self.fit = fit
        self.keyword = keyword
        self.capture = capture
        self.replacesLast = replacesLast
    }

    /// The most recent capture on the path.
    var lastCapture: Capture? {
        var t: Trail? = self
        while let step = t {
            if let c = step.capture { return c }
            t = step.parent
        }
        return nil
    }

    /// The steps, first to last.
    var steps: [Trail] {
        var out: [Trail] = []
        var t: Trail? = self
        while let step = t { out.append(step); t = step.parent }
        return out.reversed()
    }
}

/// One way through one command's graph so far.
struct MatchPath: Sendable {
    let command: Int
    let node: Int
    let trail: Trail?

    var fits: [Fit] { trail?.steps.map(\.fit) ?? [] }

    /// The keywords and typed captures along the path.
    var captures: Captures {
        var c = Captures()
        for step in trail?.steps ?? [] {
            if let k = step.keyword { c.append(keyword: k) }
            if let capture = step.capture {
                if step.replacesLast { c.replaceLast(capture) } else { c.append(capture) }
            }
        }
        return c
    }
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
        var bestFits = best.fits
        for path in accepting.dropFirst() where path.command != best.command {
            let fits = path.fits
            if fits.lexicographicallyPrecedes(bestFits) { best = path; bestFits = fits; tied = false }
            else if fits == bestFits { tied = true }
        }
        if tied { return .failed(MatchFailure(kind: .ambiguous, tokenIndex: tokens.count - 1)) }
        return .matched(command: best.command, captures: best.captures)
    }

    /// Consumes every token and returns the paths still alive, or the first token that cannot be placed.
    static func consume(_ graph: ViewGraph, tokens: [Token], line: String, options: MatchOptions) -> Swift.Result<[MatchPath], MatchFailure> {
        var frontier = graph.commands.indices.map { MatchPath(command: $0, node: -1, trail: nil) }
        var index = 0
        while index < tokens.count {
            var probe = TokenProbe(token: tokens[index], index: index, line: line, options: options)
            // First how well the word fits each next node; paths are extended only for the winners.
            var candidates: [(path: Int, node: Int, step: Step)] = []
            for (p, path) in frontier.enumerated() {
                let command = graph.commands[path.command]
                for next in command.successors(of: path.node) {
                    if let step = fit(path, to: command.nodes[next], probe: &probe) { candidates.append((p, next, step)) }
                }
            }
            guard let bestFit = candidates.lazy.map(\.step.fit).min() else {
                let ended = index > 0 && frontier.allSatisfy { graph.commands[$0.command].successors(of: $0.node).isEmpty }
                return .failure(MatchFailure(kind: ended ? .tooManyParameters : .unrecognized, tokenIndex: index))
            }
            let winners = candidates.filter { $0.step.fit == bestFit }
            func node(_ w: (path: Int, node: Int, step: Step)) -> GraphNode { graph.commands[frontier[w.path].command].nodes[w.node] }
            switch bestFit {
            case .malformed:
                return .failure(MatchFailure(kind: .wrongParameter, tokenIndex: index))
            case .partialKeyword:
                let first = node(winners[0]).matchKey
                if winners.contains(where: { node($0).matchKey != first }) {
                    return .failure(MatchFailure(kind: .ambiguous, tokenIndex: index))
                }
            case .abbreviatedValue:
                let values = Set(winners.map { $0.step.capture.map { "\($0.value)" } ?? "" })
                if values.count > 1 { return .failure(MatchFailure(kind: .ambiguous, tokenIndex: index)) }
            default: break
            }
            func extend(_ w: (path: Int, node: Int, step: Step)) -> MatchPath {
                let path = frontier[w.path]
                let trail = Trail(parent: path.trail, fit: w.step.fit, keyword: node(w).keyword, capture: w.step.capture, replacesLast: w.step.replacesLast)
                return MatchPath(command: path.command, node: w.node, trail: trail)
            }
            // A rest-of-line capture swallows the remaining words.
            if winners.contains(where: { node($0).takesRestOfLine }) {
                return .success(winners.filter { node($0).takesRestOfLine }.map(extend))
            }
            var seen = Set<Int>()
            frontier = winners.filter { seen.insert(frontier[$0.path].command << 20 | ($0.node + 1)).inserted }.map(extend)
            index += 1
        }
        return .success(frontier)
    }

    /// How one word fits one node, and what it captures there.
    struct Step {
        let fit: Fit
        let capture: Capture?
        let replacesLast: Bool
    }

    /// One token, with what each value kind made of it cached: many paths ask the same question.
    struct TokenProbe {
        let token: Token
        let index: Int
        let line: String
        let options: MatchOptions
        /// The token as keywords are compared.
        let key: String
        private var parsed: [ValueSlot.Key: ValueParse<any CLIValue>] = [:]
        private var captures: [CaptureKey: Capture] = [:]

        private struct CaptureKey: Hashable {
            let slot: ValueSlot.Key
            let name: String
        }

        /// The capture a slot makes of this word, shared by every path that asks.
        mutating func capture(_ slot: ValueSlot, name: String, value: any CLIValue) -> Capture {
            let key = CaptureKey(slot: slot.key, name: name)
            if let c = captures[key] { return c }
            let c = Capture(name: name, value: value, text: text(for: slot), tokenIndex: index)
            captures[key] = c
            return c
        }

        init(token: Token, index: Int, line: String, options: MatchOptions) {
            self.token = token
            self.index = index
            self.line = line
            self.options = options
            self.key = options.normalize(token.text)
        }

        /// The text a slot reads: the token, or the rest of the line for a `text` capture.
        func text(for slot: ValueSlot) -> String { slot.takesRestOfLine ? restOfLine(line, from: token.column) : token.text }

        mutating func parse(_ slot: ValueSlot) -> ValueParse<any CLIValue> {
            if let p = parsed[slot.key] { return p }
            let p = slot.parse(text(for: slot), options.values)
            parsed[slot.key] = p
            return p
        }
    }

    /// Tries one word on one node of a path; nil when it does not fit at all.
    static func fit(_ path: MatchPath, to graphNode: GraphNode, probe: inout TokenProbe) -> Step? {
        switch graphNode.kind {
        case .keyword:
            if probe.key == graphNode.matchKey { return Step(fit: .exactKeyword, capture: nil, replacesLast: false) }
            if graphNode.matchKey.utf8.starts(with: probe.key.utf8) { return Step(fit: .partialKeyword, capture: nil, replacesLast: false) }
            return nil

        case .value(let slot):
            let parsed = probe.parse(slot)
            guard let f = fitOf(parsed, free: slot.isFreeText(probe.options.values)) else { return nil }
            switch parsed {
            case .valid(let v), .abbreviated(let v):
                return Step(fit: f, capture: probe.capture(slot, name: graphNode.capture ?? "", value: v), replacesLast: false)
            default:
                return Step(fit: f, capture: nil, replacesLast: false)
            }

        case .interfaceType:
            let parsed = InterfaceTypeValue.parse(probe.token.text, probe.options.values)
            guard let f = fitOf(parsed, free: false) else { return nil }
            switch parsed {
            case .valid(let v), .abbreviated(let v):
                let c = Capture(name: graphNode.capture ?? "", value: v, text: probe.token.text, tokenIndex: probe.index)
                return Step(fit: f, capture: c, replacesLast: false)
            default:
                return Step(fit: f, capture: nil, replacesLast: false)
            }

        case .interfaceNumber:
            guard let typeCapture = path.trail?.lastCapture, let type = typeCapture.value as? InterfaceTypeValue else { return nil }
            let parsed = InterfaceNameValue.parse(type.type.name + probe.token.text, probe.options.values)
            guard let f = fitOf(parsed, free: false) else { return nil }
            guard case .valid(let v) = parsed else { return Step(fit: f, capture: nil, replacesLast: false) }
            let c = Capture(name: typeCapture.name, value: v, text: typeCapture.text + " " + probe.token.text, tokenIndex: typeCapture.tokenIndex)
            return Step(fit: f, capture: c, replacesLast: true)
        }
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
