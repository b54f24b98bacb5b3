import Foundation

/// A docopt/pflag-style split of a command line: flags with values (`-o wide`, `-o=wide`, `--output wide`,
/// `-owide`), boolean flags, and positional words in order.
struct FrontendArguments {
    var positional: [String] = []
    var values: [String: String] = [:]
    var flags: Set<String> = []

    /// - Parameters:
    ///   - valued: flag spellings that take a value, mapped to a canonical name (`"-o": "output"`).
    ///   - boolean: flag spellings without a value, mapped to a canonical name.
    init(_ argv: [String], valued: [String: String], boolean: [String: String]) throws {
        var i = 0
        while i < argv.count {
            let a = argv[i]
            i += 1
            if a == "--" { positional += argv[i...]; break }
            guard a.hasPrefix("-"), a != "-" else { positional.append(a); continue }
            if let eq = a.firstIndex(of: "=") {
                let name = String(a[..<eq]), value = String(a[a.index(after: eq)...])
                if let canonical = valued[name] { values[canonical] = value; continue }
                if let canonical = boolean[name] { if value != "false" { flags.insert(canonical) }; continue }
                throw FrontendError("unknown flag: \(name)")
            }
            if let canonical = valued[a] {
                guard i < argv.count else { throw FrontendError("flag needs an argument: \(a)") }
                values[canonical] = argv[i]
                i += 1
                continue
            }
            if let canonical = boolean[a] { flags.insert(canonical); continue }
            // `-owide`: a short valued flag glued to its value.
            if !a.hasPrefix("--"), a.count > 2, let canonical = valued[String(a.prefix(2))] {
                values[canonical] = String(a.dropFirst(2))
                continue
            }
            throw FrontendError("unknown flag: \(a)")
        }
    }
}

struct FrontendError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
