/// calicoctl's command line, parsed the way its docopt usage strings accept it, dispatched onto
/// `Calicoctl`. The front end supplies files, stdin and the node-status probe; everything else is here.
extension Calicoctl {
    /// Where a command gets what lives outside the datastore.
    public struct Environment {
        /// Reads `-f <file>`; `-f -` reads `stdin` instead.
        public var readFile: (String) throws -> String
        /// Read only when a command says `-f -` (a terminal's stdin would otherwise block).
        public var readStdin: () -> String
        /// Runs `calicoctl node status` on this host (process checks, BIRD sockets).
        public var nodeStatus: () -> CommandOutput
        public init(readFile: @escaping (String) throws -> String, readStdin: @escaping () -> String,
                    nodeStatus: @escaping () -> CommandOutput = { NodeStatus.command(isRoot: true, calicoRunning: false, ipv4: .peers([]), ipv6: .peers([])) }) {
            self.readFile = readFile; self.readStdin = readStdin; self.nodeStatus = nodeStatus
        }
        public init(readFile: @escaping (String) throws -> String, stdin: String? = nil,
                    nodeStatus: @escaping () -> CommandOutput = { NodeStatus.command(isRoot: true, calicoRunning: false, ipv4: .peers([]), ipv6: .peers([])) }) {
            self.init(readFile: readFile, readStdin: { stdin ?? "" }, nodeStatus: nodeStatus)
        }
    }

    /// Whether `calicoctl <arguments>` reads or writes resources (help, `node status` and lines without a
    /// command do not), so a front end knows whether it must open a datastore first.
    public static func needsDatastore(_ arguments: [String]) -> Bool {
        let args = arguments.map { $0.normalizingHyphens() }
        guard !args.contains(where: { $0 == "-h" || $0 == "--help" }),
              let command = args.first(where: { !$0.hasPrefix("-") }) else { return false }
        return command != "node"
    }

    /// Runs `calicoctl <arguments>` (without the program name).
    public func execute(_ arguments: [String], environment env: Environment) -> CommandOutput {
        // Pasted commands carry typographic hyphens (seed 003: `calicoctl create ‐f bgp_local.yaml`).
        let args = arguments.map { $0.normalizingHyphens() }
        var parsed: ParsedArguments
        do { parsed = try ParsedArguments(args) } catch { return invalidOption(args) }
        if parsed.flags.contains("help") || parsed.positional.isEmpty { return CommandOutput(stdout: Calicoctl.usage) }
        let command = parsed.positional.removeFirst()
        let p = parsed

        enum FileText { case success(String), failure(CommandOutput) }
        func fileText() -> FileText {
            guard let f = p.options["filename"] else { return .failure(invalidOption(args)) }
            if f == "-" { return .success(env.readStdin()) }
            do { return .success(try env.readFile(f)) } catch {
                return .failure(CommandOutput.failure("Failed to execute command: open \(f): no such file or directory"))
            }
        }

        switch command {
        case "create", "apply", "replace":
            guard p.positional.isEmpty else { return invalidOption(args) }
            switch fileText() {
            case .failure(let out): return out
            case .success(let text):
                switch command {
                case "create": return create(file: text, skipExists: p.flags.contains("skip-exists"))
                case "apply": return apply(file: text)
                default: return replace(file: text)
                }
            }
        case "delete":
            if p.options["filename"] != nil {
                switch fileText() {
                case .failure(let out): return out
                case .success(let text): return delete(file: text, skipNotExists: p.flags.contains("skip-not-exists"))
                }
            }
            guard p.positional.count >= 2 else { return invalidOption(args) }
            return delete(kind: p.positional[0], names: Array(p.positional.dropFirst()), namespace: p.options["namespace"],
                          skipNotExists: p.flags.contains("skip-not-exists"))
        case "get":
            if p.options["filename"] != nil {
                switch fileText() {
                case .failure(let out): return out
                case .success(let text):
                    guard let rs = try? ResourceFile.decode(text), let first = rs.first else { return CommandOutput.failure("No resources specified") }
                    return get(kind: first.kind.rawValue, names: rs.map { $0.name }, output: p.options["output"] ?? "ps", export: p.flags.contains("export"))
                }
            }
            guard let kind = p.positional.first else { return invalidOption(args) }
            return get(kind: kind, names: Array(p.positional.dropFirst()), output: p.options["output"] ?? "ps",
                       namespace: p.options["namespace"], allNamespaces: p.flags.contains("all-namespaces"), export: p.flags.contains("export"))
        case "patch":
            guard p.positional.count == 2, let patch = p.options["patch"] else { return invalidOption(args) }
            return self.patch(kind: p.positional[0], name: p.positional[1], patch: patch, namespace: p.options["namespace"])
        case "label":
            guard p.positional.count == 3 else { return invalidOption(args) }
            return label(kind: p.positional[0], name: p.positional[1], label: p.positional[2],
                         overwrite: p.flags.contains("overwrite"), remove: p.flags.contains("remove"))
        case "ipam":
            guard p.positional == ["show"] else { return invalidOption(args) }
            return ipamShow(showBlocks: p.flags.contains("show-blocks"))
        case "node":
            guard p.positional == ["status"] else { return invalidOption(args) }
            return env.nodeStatus()
        default:
            return invalidOption(args)
        }
    }

    func invalidOption(_ args: [String]) -> CommandOutput {
        .failure("Invalid option: 'calicoctl \(args.joined(separator: " "))'. Use flag '--help' to read about a specific subcommand.")
    }
}

/// Options and flags after docopt: long names, short aliases, `--x=v`, `-xv` and `-x v`.
struct ParsedArguments {
    var positional: [String] = []
    var options: [String: String] = [:]
    var flags: Set<String> = []

    static let valued: [String: String] = ["f": "filename", "filename": "filename", "o": "output", "output": "output",
                                           "n": "namespace", "namespace": "namespace", "p": "patch", "patch": "patch",
                                           "l": "log-level", "log-level": "log-level", "c": "config", "config": "config",
                                           "context": "context"]
    static let boolean: [String: String] = ["h": "help", "help": "help", "A": "all-namespaces", "all-namespaces": "all-namespaces",
                                            "export": "export", "skip-exists": "skip-exists", "skip-not-exists": "skip-not-exists",
                                            "overwrite": "overwrite", "remove": "remove", "show-blocks": "show-blocks",
                                            "allow-version-mismatch": "allow-version-mismatch", "w": "wide"]

    init(_ args: [String]) throws {
        var i = 0
        while i < args.count {
            let a = args[i]
            i += 1
            if a == "-" || !a.hasPrefix("-") { positional.append(a); continue }
            let body = a.hasPrefix("--") ? String(a.dropFirst(2)) : String(a.dropFirst())
            let long = a.hasPrefix("--")
            var name = body, inline: String?
            if long, let eq = body.firstIndex(of: "=") {
                name = String(body[..<eq]); inline = String(body[body.index(after: eq)...])
            } else if !long, body.count > 1 {
                name = String(body.prefix(1)); inline = String(body.dropFirst())
            }
            if let key = Self.valued[name] {
                if let inline { options[key] = inline; continue }
                guard i < args.count else { throw CalicoError("missing value") }
                options[key] = args[i]
                i += 1
            } else if let key = Self.boolean[name], inline == nil {
                flags.insert(key)
            } else {
                throw CalicoError("unknown option \(a)")
            }
        }
    }
}

extension String {
    /// U+2010/U+2011 (typographic hyphens from pasted docs) → `-`.
    func normalizingHyphens() -> String {
        String(map { $0 == "\u{2010}" || $0 == "\u{2011}" ? "-" : $0 })
    }
}
