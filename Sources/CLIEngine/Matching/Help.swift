/// One line of `?` help: the word (keyword or placeholder) and what it does.
public struct HelpEntry: Equatable, Sendable {
    public let word: String
    public let help: String
}

/// `?` and Tab over a view graph: pure functions of the paths alive after the finished words.
enum HelpBuilder {
    /// What may come next. With `prefix`, only the words that start with it (`dis?`).
    /// - Returns: entries sorted the vendor way (ASCII: placeholders such as `INTEGER<…>` before keywords),
    ///   and whether `<cr>` applies (the finished words already form a command).
    static func entries(_ graph: ViewGraph, frontier: [MatchPath], prefix: String?, options: MatchOptions) -> (entries: [HelpEntry], cr: Bool) {
        var entries: [HelpEntry] = []
        var seen = Set<String>()
        func add(_ word: String, _ help: String) {
            if seen.insert(options.caseInsensitive ? word.lowercased() : word).inserted { entries.append(HelpEntry(word: word, help: help)) }
        }
        let wanted = prefix.map(options.normalize)
        for path in frontier {
            let command = graph.commands[path.command]
            for next in command.successors(of: path.node) {
                let node = command.nodes[next]
                switch node.kind {
                case .keyword(let k):
                    if wanted == nil || node.matchKey.utf8.starts(with: wanted!.utf8) { add(k, node.help) }
                case .value(let slot):
                    if node.hiddenInHelp { continue }
                    if let p = prefix, case .noMatch = slot.parse(p, options.values) { continue }
                    add(slot.placeholder(options.values), node.help)
                case .interfaceType:
                    for type in options.values.interfaces.types where wanted == nil || type.name.lowercased().hasPrefix(wanted!.lowercased()) {
                        add(type.name, type.help)
                    }
                case .interfaceNumber:
                    guard let type = path.trail?.lastCapture?.value as? InterfaceTypeValue else { continue }
                    if let p = prefix, case .noMatch = InterfaceNameValue.parse(type.type.name + p, options.values) { continue }
                    add(type.type.numberPlaceholder(options.values.style), node.help)
                }
            }
        }
        let cr = prefix == nil && frontier.contains { $0.node >= 0 && graph.commands[$0.command].nodes[$0.node].accepts }
        return (entries.sorted { $0.word < $1.word }, cr)
    }

    /// Tab candidates for the word being typed (`prefix` empty after a blank): full keywords and value completions.
    static func completions(_ graph: ViewGraph, frontier: [MatchPath], prefix: String, options: MatchOptions) -> [String] {
        var out: [String] = []
        let wanted = options.normalize(prefix)
        for path in frontier {
            let command = graph.commands[path.command]
            for next in command.successors(of: path.node) {
                let node = command.nodes[next]
                switch node.kind {
                case .keyword(let k):
                    if node.matchKey.utf8.starts(with: wanted.utf8) { out.append(k) }
                case .value(let slot):
                    out += slot.completions(prefix: prefix, options.values)
                case .interfaceType:
                    out += InterfaceTypeValue.completions(prefix: prefix, options.values)
                case .interfaceNumber:
                    break
                }
            }
        }
        var seen = Set<String>()
        return out.filter { seen.insert($0).inserted }.sorted()
    }

    /// The vendor layout: `"  %-*s  %s"`, width = the longest word, `<cr>` last.
    static func format(_ entries: [HelpEntry], cr: Bool, withText: Bool) -> [String] {
        let width = entries.map(\.word.count).max() ?? 0
        var lines = entries.map { entry -> String in
            guard withText else { return "  " + entry.word }
            let pad = String(repeating: " ", count: width - entry.word.count)
            return "  \(entry.word)\(pad)  \(entry.help)"
        }
        if cr { lines.append("  <cr>") }
        return lines
    }
}
