/// One token position in a compiled command: a keyword or a typed value, and where it may go next.
/// A class so the matcher's many paths share nodes without copying them; never mutated after compilation.
final class GraphNode: @unchecked Sendable {
    enum Kind: Sendable {
        case keyword(String)
        case value(ValueSlot)
        /// The type word of a two-word interface name (`LoopBack` in `LoopBack 0`).
        case interfaceType
        /// The number word that completes the interface name begun by the node before it.
        case interfaceNumber
    }

    let kind: Kind
    /// The keyword as the matcher compares it (folded, lower-cased per dialect); empty for value nodes.
    let matchKey: String
    /// Capture name for value nodes.
    let capture: String?
    /// `?` help; empty when the declaration gave none (the validator reports that).
    let help: String
    /// Whether the help came from the declaration or glossary (false: a type's default, or none).
    let helpDeclared: Bool
    /// Left out of `?` lists (the one-word interface form, shown through its two-word twin).
    let hiddenInHelp: Bool
    var next: [Int] = []
    /// The command may end after this token.
    var accepts = false

    init(kind: Kind, matchKey: String = "", capture: String?, help: String, helpDeclared: Bool, hiddenInHelp: Bool) {
        self.kind = kind
        self.matchKey = matchKey
        self.capture = capture
        self.help = help
        self.helpDeclared = helpDeclared
        self.hiddenInHelp = hiddenInHelp
    }

    var keyword: String? { if case .keyword(let k) = kind { return k } else { return nil } }
    var takesRestOfLine: Bool { if case .value(let slot) = kind { return slot.takesRestOfLine } else { return false } }
}

/// What a compiled command stands for: a declared command (by index) or a navigation keyword.
enum CommandRef: Hashable, Sendable {
    case declared(Int)
    case navigation(Int)
}

/// A command grammar compiled to a position automaton (Glushkov): one node per token, edges for what may follow.
/// A class for cheap sharing between views and paths; never mutated after compilation.
final class CompiledCommand: @unchecked Sendable {
    let ref: CommandRef
    let negated: Bool
    /// Canonical grammar text including the negation keyword, for duplicate detection.
    let canonical: String
    var nodes: [GraphNode] = []
    var starts: [Int] = []

    init(ref: CommandRef, negated: Bool, canonical: String) {
        self.ref = ref
        self.negated = negated
        self.canonical = canonical
    }

    func successors(of node: Int) -> [Int] { node < 0 ? starts : nodes[node].next }
}

/// The commands available in one view.
struct ViewGraph: Sendable {
    let view: View
    let commands: [CompiledCommand]
}

/// Turns grammars into `CompiledCommand`s, resolving type names and help.
struct GraphCompiler {
    let types: [String: any CLIValue.Type]
    let dialect: Dialect
    let glossary: [String: String]

    struct Fragment {
        var first: [Int]
        var last: [Int]
        var nullable: Bool
    }

    func compile(_ grammar: Grammar, ref: CommandRef, negated: Bool, help: [String: String], source: String) throws -> CompiledCommand {
        var full = grammar
        if negated { full = .sequence([.keyword(dialect.negation.keyword), grammar]) }
        let command = CompiledCommand(ref: ref, negated: negated, canonical: full.description)
        let fragment = try build(full, into: command, help: help, source: source)
        command.starts = fragment.first
        for n in fragment.last { command.nodes[n].accepts = true }
        for (i, node) in command.nodes.enumerated() where node.takesRestOfLine && !node.next.isEmpty {
            throw GrammarError(grammar: source, offset: 0, reason: "a text capture (\(command.nodes[i].capture ?? "")) must end the grammar")
        }
        return command
    }

    private func helpFor(_ key: String, _ help: [String: String]) -> String? {
        if let h = help[key] { return h }
        if let h = glossary[key] { return h }
        if dialect.caseInsensitiveKeywords, let h = glossary[key.lowercased()] { return h }
        if key == dialect.negation.keyword { return dialect.negation.help }
        return nil
    }

    private func addNode(_ node: GraphNode, to command: CompiledCommand) -> Int {
        command.nodes.append(node)
        return command.nodes.count - 1
    }

    private func build(_ g: Grammar, into command: CompiledCommand, help: [String: String], source: String) throws -> Fragment {
        switch g {
        case .keyword(let k):
            let h = helpFor(k, help)
            let i = addNode(GraphNode(kind: .keyword(k), matchKey: MatchOptions(dialect).normalize(k), capture: nil, help: h ?? "", helpDeclared: h != nil, hiddenInHelp: false), to: command)
            return Fragment(first: [i], last: [i], nullable: false)

        case .capture(let name, let typeName, let bounds):
            guard let type = types[typeName] else {
                throw GrammarError(grammar: source, offset: 0, reason: "unknown value type '\(typeName)' in {\(name):\(typeName)}")
            }
            let declared = helpFor(name, help)
            let h = declared ?? type.defaultHelp
            let slot = ValueSlot(type: type, bounds: bounds, takesRestOfLine: ObjectIdentifier(type) == ObjectIdentifier(TextValue.self))
            let twoWord = ObjectIdentifier(type) == ObjectIdentifier(InterfaceNameValue.self) && !dialect.interfaces.freeForm
            let whole = addNode(GraphNode(kind: .value(slot), capture: name, help: h, helpDeclared: declared != nil, hiddenInHelp: twoWord), to: command)
            guard twoWord else { return Fragment(first: [whole], last: [whole], nullable: false) }
            // `LoopBack 0` as well as `LoopBack0`: a type word, then a number word completing the same capture.
            let typeWord = addNode(GraphNode(kind: .interfaceType, capture: name, help: h, helpDeclared: declared != nil, hiddenInHelp: false), to: command)
            let number = addNode(GraphNode(kind: .interfaceNumber, capture: name, help: "Interface number", helpDeclared: true, hiddenInHelp: false), to: command)
            command.nodes[typeWord].next = [number]
            return Fragment(first: [whole, typeWord], last: [whole, number], nullable: false)

        case .sequence(let items):
            var result = Fragment(first: [], last: [], nullable: true)
            for item in items {
                let f = try build(item, into: command, help: help, source: source)
                for n in result.last { append(f.first, to: n, in: command) }
                if result.nullable { result.first += f.first }
                result.last = f.nullable ? result.last + f.last : f.last
                result.nullable = result.nullable && f.nullable
            }
            return result

        case .choice(let options):
            var result = Fragment(first: [], last: [], nullable: false)
            for option in options {
                let f = try build(option, into: command, help: help, source: source)
                result.first += f.first
                result.last += f.last
                result.nullable = result.nullable || f.nullable
            }
            return result

        case .optional(let inner):
            var f = try build(inner, into: command, help: help, source: source)
            f.nullable = true
            return f

        case .repeated(let inner):
            let f = try build(inner, into: command, help: help, source: source)
            for n in f.last { append(f.first, to: n, in: command) }
            return f
        }
    }

    private func append(_ targets: [Int], to node: Int, in command: CompiledCommand) {
        for t in targets where !command.nodes[node].next.contains(t) { command.nodes[node].next.append(t) }
    }
}
