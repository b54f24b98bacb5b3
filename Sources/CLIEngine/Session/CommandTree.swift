/// A personality's whole CLI, compiled: views, commands, dialect. Built once; shared by every session.
public struct CommandTree<Device>: Sendable {
    public let views: [View]
    public let commands: [Command<Device>]
    public let dialect: Dialect
    /// Help for keywords and capture names that many commands share (`display`, `peer`, `ip`).
    public let glossary: [String: String]
    let graphs: [String: ViewGraph]
    let options: MatchOptions

    /// The value types every tree knows; personalities may add their own through `valueTypes`.
    public static var builtinValueTypes: [any CLIValue.Type] {
        [IPv4Value.self, IPv4MaskValue.self, MaskLengthValue.self, IPv4PrefixValue.self, IPv6Value.self, IPv6PrefixValue.self,
         ASNumberValue.self, IntegerValue.self, WordValue.self, QuotedStringValue.self, TextValue.self, InterfaceNameValue.self]
    }

    /// Compiles every command into the graph of each view it belongs to.
    /// - Throws: `GrammarError` for a grammar that does not parse, names an unknown type, or puts `text` before the end.
    public init(views: [View], commands: [Command<Device>], dialect: Dialect, glossary: [String: String] = [:],
                valueTypes: [any CLIValue.Type] = []) throws {
        self.views = views
        self.commands = commands
        self.dialect = dialect
        self.glossary = glossary
        self.options = MatchOptions(dialect)
        var types: [String: any CLIValue.Type] = [:]
        for t in Self.builtinValueTypes + valueTypes { types[t.typeName] = t }
        let compiler = GraphCompiler(types: types, dialect: dialect, glossary: glossary)

        // Each grammar (and its negation) is compiled once, then shared by the views that hold it.
        var compiled: [(Command<Device>, CompiledCommand)] = []
        for (i, command) in commands.enumerated() {
            let grammar = try Grammar(parsing: command.grammar)
            compiled.append((command, try compiler.compile(grammar, ref: .declared(i), negated: false, help: command.help, source: command.grammar)))
            let negated: Grammar?
            switch command.negation {
            case .none: negated = nil
            case .same: negated = grammar
            case .withoutValues: negated = grammar.droppingTrailingValues
            case .grammar(let g): negated = try Grammar(parsing: g)
            }
            if let g = negated {
                compiled.append((command, try compiler.compile(g, ref: .declared(i), negated: true, help: command.help, source: g.description)))
            }
        }
        var navigation: [(NavigationCommand, CompiledCommand)] = []
        for (i, nav) in dialect.navigation.enumerated() {
            let c = try compiler.compile(.keyword(nav.keyword), ref: .navigation(i), negated: false, help: [nav.keyword: nav.help], source: nav.keyword)
            navigation.append((nav, c))
        }
        var graphs: [String: ViewGraph] = [:]
        for view in views {
            var list = compiled.filter { $0.0.views.contains(view.name) }.map(\.1)
            let outermost = view.parent == nil
            list += navigation.filter { !outermost || $0.0.inOutermostView }.map(\.1)
            graphs[view.name] = ViewGraph(view: view, commands: list)
        }
        self.graphs = graphs
    }

    public func view(named name: String) -> View? { views.first { $0.name == name } }

    /// Matches one line in one view: the pure matcher, for tests, the validator and tools.
    public func match(_ line: String, in view: String) -> LineMatch {
        guard let graph = graphs[view] else { return .unrecognized(tokenIndex: 0) }
        let tokens = expandAliases(Token.split(line))
        switch Matcher.match(graph, tokens: tokens, line: line, options: options) {
        case .empty: return .empty
        case .matched(let index, let captures):
            let c = graph.commands[index]
            return .ok(CommandMatch(ref: c.ref, grammar: c.canonical, negated: c.negated, captures: captures))
        case .failed(let f): return LineMatch(f)
        }
    }

    /// Replaces a system-defined alias in the first word, and in the word after the negation keyword.
    func expandAliases(_ tokens: [Token]) -> [Token] {
        guard !dialect.aliases.isEmpty, !tokens.isEmpty else { return tokens }
        var out = tokens
        func expand(_ i: Int) {
            let key = dialect.caseInsensitiveKeywords ? out[i].text.lowercased() : out[i].text
            if let target = dialect.aliases[key] { out[i].text = target }
        }
        expand(0)
        if out.count > 1, options.normalize(out[0].text) == options.normalize(dialect.negation.keyword) { expand(1) }
        return out
    }
}

/// A matched line: which grammar, whether negated, the captures.
public struct CommandMatch: Sendable {
    let ref: CommandRef
    /// Canonical grammar text (`undo peer {ip:ipv4}`).
    public let grammar: String
    public let negated: Bool
    public let captures: Captures
}

/// The matcher's verdict on a line; token indices point at the offending word (0-based).
public enum LineMatch: Sendable {
    case ok(CommandMatch)
    case empty
    case incomplete
    case ambiguous(tokenIndex: Int)
    case unrecognized(tokenIndex: Int)
    case wrongParameter(tokenIndex: Int)
    case tooManyParameters(tokenIndex: Int)

    init(_ f: MatchFailure) {
        let i = f.tokenIndex ?? 0
        switch f.kind {
        case .incomplete: self = .incomplete
        case .ambiguous: self = .ambiguous(tokenIndex: i)
        case .wrongParameter: self = .wrongParameter(tokenIndex: i)
        case .tooManyParameters: self = .tooManyParameters(tokenIndex: i)
        case .unrecognized, .noMatchInHelp: self = .unrecognized(tokenIndex: i)
        }
    }

    /// The matched grammar, or nil.
    public var grammar: String? { if case .ok(let m) = self { return m.grammar } else { return nil } }
}
