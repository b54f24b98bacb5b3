/// A problem in a command table, found before any user types a line.
public struct ValidationIssue: Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        case duplicateGrammar
        case missingHelp
        case unknownView
        case unreachableView
        case duplicateView
        case abbreviationNotUnique
        case unknownCapture
    }
    public let kind: Kind
    public let view: String?
    public let detail: String
    public var description: String { "\(kind) [\(view ?? "-")]: \(detail)" }
}

extension CommandTree {
    /// Checks the declarations the way a test suite should, before a console ever runs:
    /// no duplicate grammar in a view, every keyword and capture has declared help, every view named exists
    /// and is reachable from `startView`, a view label names a capture of its command, and each given abbreviation (`sys`, `dis cu`, `di this`) resolves in its
    /// view without being ambiguous or unrecognized.
    /// - Parameters:
    ///   - startView: the view a login lands in.
    ///   - abbreviations: lines users are known to type, with the view they type them in.
    /// - Returns: every issue found; empty when the table is sound.
    public func validate(startView: String, abbreviations: [(view: String, line: String)] = []) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        let names = views.map(\.name)
        var seenViews = Set<String>()
        for name in names where !seenViews.insert(name).inserted {
            issues.append(ValidationIssue(kind: .duplicateView, view: name, detail: "view declared twice"))
        }
        for view in views {
            if let parent = view.parent, !names.contains(parent) {
                issues.append(ValidationIssue(kind: .unknownView, view: view.name, detail: "parent '\(parent)' is not a view"))
            }
        }
        for command in commands {
            if case .named(let list) = command.views {
                for v in list where !names.contains(v) {
                    issues.append(ValidationIssue(kind: .unknownView, view: v, detail: "'\(command.grammar)' names a view that does not exist"))
                }
            }
            if let target = command.enters?.view, !names.contains(target) {
                issues.append(ValidationIssue(kind: .unknownView, view: target, detail: "'\(command.grammar)' enters a view that does not exist"))
            }
            if let label = command.enters?.labelCapture, !command.grammar.contains("{\(label):") {
                issues.append(ValidationIssue(kind: .unknownCapture, view: command.enters?.view,
                                              detail: "'\(command.grammar)' labels its view with '\(label)', which it does not capture"))
            }
        }
        if !names.contains(startView) {
            issues.append(ValidationIssue(kind: .unknownView, view: startView, detail: "start view does not exist"))
        }

        for view in views {
            guard let graph = graphs[view.name] else { continue }
            var grammars = Set<String>()
            for c in graph.commands where !grammars.insert(c.canonical).inserted {
                issues.append(ValidationIssue(kind: .duplicateGrammar, view: view.name, detail: c.canonical))
            }
        }
        issues += missingHelp()
        issues += unreachable(from: startView)
        for (view, line) in abbreviations {
            switch match(line, in: view) {
            case .ok, .incomplete: continue
            case let other:
                issues.append(ValidationIssue(kind: .abbreviationNotUnique, view: view, detail: "'\(line)' → \(other)"))
            }
        }
        return issues
    }

    /// One issue per command token that has no declared help (neither in the command nor in the glossary).
    private func missingHelp() -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        var reported = Set<String>()
        for graph in graphs.values.sorted(by: { $0.view.name < $1.view.name }) {
            for command in graph.commands {
                for node in command.nodes where !node.helpDeclared {
                    let token = node.keyword ?? "{\(node.capture ?? "")}"
                    guard reported.insert(command.canonical + "|" + token).inserted else { continue }
                    issues.append(ValidationIssue(kind: .missingHelp, view: graph.view.name, detail: "'\(token)' in '\(command.canonical)'"))
                }
            }
        }
        return issues
    }

    /// Views that no chain of `enters` (or `quit` to a parent) reaches from the start view.
    private func unreachable(from start: String) -> [ValidationIssue] {
        var reached: Set<String> = [start]
        var queue = [start]
        while let name = queue.popLast() {
            var next: [String] = []
            if let parent = view(named: name)?.parent { next.append(parent) }
            if let graph = graphs[name] {
                for c in graph.commands {
                    if case .declared(let i) = c.ref, !c.negated, let target = commands[i].enters?.view { next.append(target) }
                }
            }
            for n in next where reached.insert(n).inserted { queue.append(n) }
        }
        return views.filter { !reached.contains($0.name) }.map {
            ValidationIssue(kind: .unreachableView, view: $0.name, detail: "no command enters it from '\(start)'")
        }
    }
}
