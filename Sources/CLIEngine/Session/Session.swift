/// What a line produced: the lines to print, the prompt to show next, and whether the session is over.
public struct Reply: Equatable, Sendable {
    public var lines: [String]
    public var prompt: String
    /// `quit` in user view (VRP) or `exit` in enable mode (Quagga): the console closes.
    public var ended: Bool
    /// The line was refused: no command matched, or the handler failed.
    public var refused: Bool

    public init(lines: [String], prompt: String, ended: Bool = false, refused: Bool = false) {
        self.lines = lines
        self.prompt = prompt
        self.ended = ended
        self.refused = refused
    }

    /// The printed lines joined with newlines (no trailing newline).
    public var text: String { lines.joined(separator: "\n") }
}

/// A configuration line the CLI refused while loading a file.
public struct ConfigRejection: Equatable, Sendable {
    /// 1-based line number in the file.
    public let lineNumber: Int
    public let line: String
    /// What the CLI printed (the caret and error lines).
    public let output: [String]
}

/// One console on one device: the view stack and hostname, fed line by line.
/// The terminal (keys, history, Tab cycling, redraw after `?`) lives elsewhere and calls
/// `execute(line:)`, `describe(line:)` and `complete(line:)`.
public final class Session<Device> {
    public let tree: CommandTree<Device>
    public let device: Device
    public private(set) var hostname: String
    /// Open views, outermost first.
    public private(set) var frames: [ViewFrame]
    /// A handler's question waiting for the next line.
    private var pending: Pending?

    private struct Pending {
        let question: String
        let then: CommandContext<Device>.AnswerHandler
        let captures: Captures
        let negated: Bool
    }

    /// - Parameters:
    ///   - startView: the view a login lands in (`user` on VRP, `enable` for vtysh).
    public init(tree: CommandTree<Device>, device: Device, hostname: String, startView: String) {
        self.tree = tree
        self.device = device
        self.hostname = hostname
        self.frames = [ViewFrame(view: startView)]
    }

    public var currentView: String { frames[frames.count - 1].view }

    /// True while a handler's question (`[Y/N]`) waits for the next line.
    public var isAwaitingAnswer: Bool { pending != nil }

    /// The prompt for the current view (`[HUAWEI-bgp]`, `router(config-router)# `), or a pending question.
    public var prompt: String {
        if let pending { return pending.question }
        let frame = frames[frames.count - 1]
        return tree.view(named: frame.view)?.prompt(hostname: hostname, label: frame.label) ?? hostname
    }

    private var graph: ViewGraph? { tree.graphs[currentView] }

    /// Runs one line.
    /// - Parameters:
    ///   - line: the text typed after the prompt.
    ///   - echo: print `prompt + line` first, as a transcript does (`peerlab exec` one-shot use); the caret
    ///     column is the same either way, counted from the start of the prompt.
    /// - Returns: the output and the prompt that follows.
    public func execute(line: String, echo: Bool = false) async -> Reply {
        let promptWidth = prompt.count
        var lines = echo ? [prompt + line] : []
        if let answer = pending {
            pending = nil
            let context = makeContext(captures: answer.captures, negated: answer.negated, line: line)
            let (output, refused) = await finish(context, tokens: [], line: line, promptWidth: promptWidth, enters: nil) {
                try await answer.then(line, context)
            }
            return Reply(lines: lines + output, prompt: prompt, refused: refused)
        }
        let tokens = tree.expandAliases(Token.split(line))
        guard let here = graph else { return Reply(lines: lines, prompt: prompt, ended: false) }
        let (result, graph, depth) = matchWithFallback(here, tokens: tokens, line: line)
        if case .matched = result, depth < frames.count { frames.removeSubrange(depth...) }
        switch result {
        case .empty:
            return Reply(lines: lines, prompt: prompt, ended: false)
        case .failed(let failure):
            lines += render(failure, tokens: tokens, line: line, promptWidth: promptWidth)
            return Reply(lines: lines, prompt: prompt, refused: true)
        case .matched(let index, let captures):
            let compiled = graph.commands[index]
            switch compiled.ref {
            case .navigation(let n):
                let ended = navigate(tree.dialect.navigation[n].action)
                return Reply(lines: lines, prompt: prompt, ended: ended)
            case .declared(let d):
                let (output, refused) = await run(tree.commands[d], captures: captures, negated: compiled.negated, line: line,
                                                  tokens: tokens, promptWidth: promptWidth)
                return Reply(lines: lines + output, prompt: prompt, refused: refused)
            }
        }
    }

    /// Matches in the current view; when that finds no command and the dialect allows it (Quagga/FRR), tries the
    /// enclosing views up to the fallback view, as vtysh does for `interface eth0` typed in `config-router`.
    /// - Returns: the result, the graph it came from, and how many frames stay open if it is run.
    private func matchWithFallback(_ graph: ViewGraph, tokens: [Token], line: String) -> (Matcher.Result, ViewGraph, Int) {
        let first = Matcher.match(graph, tokens: tokens, line: line, options: tree.options)
        guard case .failed(let failure) = first, let stop = tree.dialect.parentFallbackStop,
              [.unrecognized, .wrongParameter, .tooManyParameters].contains(failure.kind) else { return (first, graph, frames.count) }
        var view = graph.view
        var depth = frames.count - 1
        while view.name != stop, let parent = view.parent, let i = frames[..<depth].lastIndex(where: { $0.view == parent }),
              let parentGraph = tree.graphs[parent] {
            let result = Matcher.match(parentGraph, tokens: tokens, line: line, options: tree.options)
            if case .matched = result { return (result, parentGraph, i + 1) }
            view = parentGraph.view
            depth = i
        }
        return (first, graph, frames.count)
    }

    /// Ctrl+Z: drops a pending question and goes straight to the home view (VRP/Comware user view, Quagga enable mode).
    public func controlZ() -> Reply {
        pending = nil
        _ = navigate(.home)
        return Reply(lines: [], prompt: prompt, ended: false)
    }

    /// The `?` output for `line` (`display ?`, `dis?`, or `?` alone), without the redrawn prompt line:
    /// the terminal prints `prompt + line` after it.
    public func describe(line: String) -> String {
        describeLines(line: line).joined(separator: "\n")
    }

    /// `describe(line:)` as lines.
    public func describeLines(line: String) -> [String] {
        guard let graph else { return [] }
        let dialect = tree.dialect
        let tokens = tree.expandAliases(Token.split(line))
        let finished = Token.endsWithBlank(line)
        let done = finished ? tokens : Array(tokens.dropLast())
        let prefix = finished ? nil : tokens.last?.text
        var frontier: [MatchPath]
        switch Matcher.consume(graph, tokens: done, line: line, options: tree.options) {
        case .failure(let f): return render(f, tokens: tokens, line: line, promptWidth: prompt.count)
        case .success(let paths): frontier = paths
        }
        let (entries, cr) = HelpBuilder.entries(graph, frontier: frontier, prefix: prefix, options: tree.options)
        if entries.isEmpty && !cr {
            let kind: MatchErrorKind = prefix == nil ? .tooManyParameters : .noMatchInHelp
            return render(MatchFailure(kind: kind, tokenIndex: prefix == nil ? nil : tokens.count - 1),
                          tokens: tokens, line: line, promptWidth: prompt.count)
        }
        var lines: [String] = []
        if tokens.isEmpty, let title = graph.view.helpTitle { lines.append(title) }
        lines += HelpBuilder.format(entries, cr: cr, withText: prefix == nil || dialect.prefixHelpShowsText)
        if dialect.blankLineAfterHelp { lines.append("") }
        return lines
    }

    /// Tab candidates for the word under the cursor (all next keywords after a blank).
    /// One candidate: the terminal completes it and adds a blank; several: it lists or cycles them.
    public func complete(line: String) -> [String] {
        guard let graph else { return [] }
        let tokens = tree.expandAliases(Token.split(line))
        let finished = Token.endsWithBlank(line)
        let done = finished ? tokens : Array(tokens.dropLast())
        guard case .success(let frontier) = Matcher.consume(graph, tokens: done, line: line, options: tree.options) else { return [] }
        return HelpBuilder.completions(graph, frontier: frontier, prefix: finished ? "" : tokens.last!.text, options: tree.options)
    }

    /// The line with its last word completed when exactly one candidate fits (`sy` → `system-view `); else nil.
    public func completedLine(line: String) -> String? {
        let candidates = complete(line: line)
        guard candidates.count == 1, !Token.endsWithBlank(line), let last = Token.split(line).last else { return nil }
        return String(line.prefix(last.column)) + candidates[0] + " "
    }

    // MARK: - Running a command

    private func makeContext(captures: Captures, negated: Bool, line: String) -> CommandContext<Device> {
        CommandContext(device: device, captures: captures, negated: negated, line: line, frames: frames, hostname: hostname)
    }

    private func run(_ command: Command<Device>, captures: Captures, negated: Bool, line: String, tokens: [Token],
                     promptWidth: Int) async -> (lines: [String], refused: Bool) {
        let context = makeContext(captures: captures, negated: negated, line: line)
        let enters = negated ? nil : command.enters
        return await finish(context, tokens: tokens, line: line, promptWidth: promptWidth, enters: enters) { try await command.handler(context) }
    }

    /// Runs a handler body, renders a failure the vendor's way, and applies what the handler changed.
    private func finish(_ context: CommandContext<Device>, tokens: [Token], line: String, promptWidth: Int, enters: ViewEntry?,
                        _ body: () async throws -> Void) async -> (lines: [String], refused: Bool) {
        do {
            try await body()
        } catch CommandFailure.wrongParameter(let name) {
            let index = context.captures.entries.first { $0.name == name }?.tokenIndex
            return (context.output + render(MatchFailure(kind: .wrongParameter, tokenIndex: index ?? 0), tokens: tokens, line: line,
                                            promptWidth: promptWidth), true)
        } catch CommandFailure.message(let text) {
            return (context.output + [text], true)
        } catch {
            return (context.output + ["Error: \(error)"], true)
        }
        hostname = context.hostname
        for _ in 0..<context.leaves where frames.count > 1 { frames.removeLast() }
        if let (question, then) = context.question {
            pending = Pending(question: question, then: then, captures: context.captures, negated: context.negated)
        } else if let frame = context.entered {
            frames.append(frame)
        } else if let entry = enters {
            frames.append(ViewFrame(view: entry.view, label: entry.labelCapture.flatMap { context.captures.text($0) }))
        }
        return (context.output, false)
    }

    /// Replays a configuration file as if typed, from the current view (VRP/Comware system view, Quagga `config`).
    /// Lines starting with `#` or `!` (after blanks) are comments. With `scopesByIndentation` (VRP/Comware
    /// `display current-configuration`), a line indented by n blanks runs n views below the view loading started
    /// in, so ` peer …` lands in the `bgp 65001` view above it; without it (Quagga), modes follow the commands.
    /// - Returns: the lines the CLI refused, with what it printed; empty when the whole file applied.
    public func load(config: String, scopesByIndentation: Bool) async -> [ConfigRejection] {
        var rejected: [ConfigRejection] = []
        let base = frames.count
        for (number, raw) in config.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw.last == "\r" ? raw.dropLast() : raw)
            let body = line.drop { $0 == " " }
            guard let first = body.first, first != "#", first != "!" else { continue }
            if scopesByIndentation {
                let depth = base + (line.count - body.count)
                if frames.count > depth, depth >= 1 { frames.removeSubrange(depth...) }
            }
            let reply = await execute(line: line)
            if reply.refused { rejected.append(ConfigRejection(lineNumber: number + 1, line: line, output: reply.lines)) }
            if reply.ended { break }
        }
        return rejected
    }

    /// Runs lines one after another as a transcript: each echoed after its prompt, then its output
    /// (`peerlab exec` with several commands). Stops early if a line ends the session.
    public func transcript(_ lines: [String]) async -> [String] {
        var out: [String] = []
        for line in lines {
            let reply = await execute(line: line, echo: true)
            out += reply.lines
            if reply.ended { break }
        }
        return out
    }

    /// Moves up or home; returns true when the session ends (up from the outermost view).
    private func navigate(_ action: NavigationCommand.Action) -> Bool {
        switch action {
        case .up:
            if frames.count == 1 { return true }
            // To the view's declared parent if it is open (a handler may have stacked views differently), else one level.
            if let parent = tree.view(named: currentView)?.parent, let i = frames.dropLast().lastIndex(where: { $0.view == parent }) {
                frames.removeSubrange((i + 1)...)
            } else {
                frames.removeLast()
            }
        case .home:
            if let home = tree.dialect.homeView, let i = frames.firstIndex(where: { $0.view == home }) {
                frames.removeSubrange((i + 1)...)
            } else {
                frames.removeSubrange(1...)
            }
        }
        return false
    }

    /// The vendor's error lines; the caret column counts the prompt, then the offending word
    /// (or one blank past the end of the line when the command is incomplete).
    private func render(_ failure: MatchFailure, tokens: [Token], line: String, promptWidth: Int) -> [String] {
        let column: Int
        if let i = failure.tokenIndex, i < tokens.count {
            column = promptWidth + tokens[i].column
        } else {
            column = promptWidth + Matcher.restOfLine(line, from: 0).count + 1
        }
        return tree.dialect.errors.render(failure.kind, column: column, line: line)
    }
}
