/// Everything vendor-specific about parsing and messages, as data: placeholders, interface names, `undo`/`no`,
/// navigation keywords, aliases, error texts. Built-ins: `vrp5`, `vrp8`, `comware7`, `quagga`, `frr`.
public struct Dialect: Sendable {
    public var name: String
    public var placeholders: PlaceholderStyle
    public var interfaces: InterfaceNaming
    /// The negation keyword (`undo`, `no`) and its `?` help.
    public var negation: (keyword: String, help: String)
    /// `quit` / `return` / `end` / `exit`, added to every view by the engine.
    public var navigation: [NavigationCommand]
    /// System-defined aliases for the first word (and the word after the negation keyword): `show` → `display`.
    public var aliases: [String: String]
    /// VRP and Comware take `DIS CU`; Quagga keywords are case-sensitive.
    public var caseInsensitiveKeywords: Bool
    /// Match `as‐number` (U+2010, as pasted from web pages and the seed documents) as `as-number`.
    public var foldsTypographicHyphens: Bool
    public var errors: ErrorStyle
    /// Quagga lists help text for `sh?`; VRP lists only the matching keywords.
    public var prefixHelpShowsText: Bool
    /// VRP and Comware print a blank line after a `?` list, before the prompt is redrawn.
    public var blankLineAfterHelp: Bool
    /// `end` goes to this view if it is open (Quagga `enable`); otherwise to the outermost view.
    public var homeView: String?
    /// A line no command of the current view takes is tried in the enclosing views, up to and including this one
    /// (Quagga/FRR `config`: `interface eth0` works in `config-router`, so flat config files replay). nil: never.
    public var parentFallbackStop: String?

    public init(name: String, placeholders: PlaceholderStyle, interfaces: InterfaceNaming, negation: (keyword: String, help: String),
                navigation: [NavigationCommand], aliases: [String: String] = [:], caseInsensitiveKeywords: Bool,
                foldsTypographicHyphens: Bool = true, errors: ErrorStyle, prefixHelpShowsText: Bool,
                blankLineAfterHelp: Bool, homeView: String? = nil, parentFallbackStop: String? = nil) {
        self.name = name
        self.placeholders = placeholders
        self.interfaces = interfaces
        self.negation = negation
        self.navigation = navigation
        self.aliases = aliases
        self.caseInsensitiveKeywords = caseInsensitiveKeywords
        self.foldsTypographicHyphens = foldsTypographicHyphens
        self.errors = errors
        self.prefixHelpShowsText = prefixHelpShowsText
        self.blankLineAfterHelp = blankLineAfterHelp
        self.homeView = homeView
        self.parentFallbackStop = parentFallbackStop
    }

    var valueContext: ValueContext { ValueContext(style: placeholders, interfaces: interfaces) }
}

/// A view-navigation keyword the engine provides in every view.
public struct NavigationCommand: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        /// One view up (`quit`, `exit`); in the outermost view it ends the session.
        case up
        /// Straight to the home view (`return`, `end`, Ctrl+Z).
        case home
    }
    public let keyword: String
    public let help: String
    public let action: Action
    /// Whether the keyword exists in the outermost view (VRP `quit` does; `return` does not).
    public let inOutermostView: Bool

    public init(_ keyword: String, help: String, action: Action, inOutermostView: Bool) {
        self.keyword = keyword
        self.help = help
        self.action = action
        self.inOutermostView = inOutermostView
    }
}

extension Dialect {
    /// Huawei VRP 5 (S5700/S9700, eNSP). `Error:Incomplete` has no space after the colon on VRP5 [raw eNSP].
    /// The help texts of `undo`, `quit` and `return` are recalled, not copied from a transcript [unverified];
    /// so is the one-keyword-per-line layout of prefix help (`dis?`).
    public static let vrp5 = Dialect(
        name: "Huawei VRP5", placeholders: .vrp, interfaces: .vrp,
        negation: ("undo", "Negate a command or set its default"),
        navigation: [
            NavigationCommand("quit", help: "Exit from current mode and enter prior mode", action: .up, inOutermostView: true),
            NavigationCommand("return", help: "Enter the privileged mode", action: .home, inOutermostView: false),
        ],
        caseInsensitiveKeywords: true,
        errors: .caret([
            .unrecognized: "Error: Unrecognized command found at '^' position.",
            .incomplete: "Error:Incomplete command found at '^' position.",
            .ambiguous: "Error: Ambiguous command found at '^' position.",
            .wrongParameter: "Error: Wrong parameter found at '^' position.",
            .tooManyParameters: "Error: Too many parameters found at '^' position.",
        ]),
        prefixHelpShowsText: false, blankLineAfterHelp: true)

    /// Huawei VRP 8 (CE, NE): the same parser; `Error: Incomplete` with a space.
    public static let vrp8: Dialect = {
        var d = vrp5
        d.name = "Huawei VRP8"
        d.errors = .caret([
            .unrecognized: "Error: Unrecognized command found at '^' position.",
            .incomplete: "Error: Incomplete command found at '^' position.",
            .ambiguous: "Error: Ambiguous command found at '^' position.",
            .wrongParameter: "Error: Wrong parameter found at '^' position.",
            .tooManyParameters: "Error: Too many parameters found at '^' position.",
        ])
        return d
    }()

    /// H3C Comware 7: errors start with ` % `, system-defined aliases (`show` → `display`, `end` → `return`).
    /// Help texts of `undo`, `quit`, `return` are [unverified].
    public static let comware7 = Dialect(
        name: "H3C Comware 7", placeholders: .vrp, interfaces: .comware,
        negation: ("undo", "Cancel current setting"),
        navigation: [
            NavigationCommand("quit", help: "Exit from current command view", action: .up, inOutermostView: true),
            NavigationCommand("return", help: "Exit to User View", action: .home, inOutermostView: false),
        ],
        // Comware 7 "system-defined aliases"; the list is [unverified] beyond show/end (vendor-cli.md B.1).
        aliases: [
            "access-list": "acl", "end": "return", "erase": "delete", "exit": "quit", "hostname": "sysname",
            "logging": "info-center", "no": "undo", "show": "display", "write": "save",
        ],
        caseInsensitiveKeywords: true,
        errors: .caret([
            .unrecognized: " % Unrecognized command found at '^' position.",
            .incomplete: " % Incomplete command found at '^' position.",
            .ambiguous: " % Ambiguous command found at '^' position.",
            .wrongParameter: " % Wrong parameter found at '^' position.",
            .tooManyParameters: " % Too many parameters found at '^' position.",
        ]),
        prefixHelpShowsText: false, blankLineAfterHelp: true)

    /// Quagga 1.x vtysh: no caret, `% Unknown command.`; keywords are case-sensitive. Navigation help texts are
    /// those of Quagga's lib/command.c; a *Wrong parameter* or *Too many parameters* line reads as unknown.
    public static let quagga = Dialect(
        name: "Quagga", placeholders: .quagga, interfaces: .linux,
        negation: ("no", "Negate a command or set its defaults"),
        navigation: [
            NavigationCommand("end", help: "End current mode and change to enable mode.", action: .home, inOutermostView: false),
            NavigationCommand("exit", help: "Exit current mode and down to previous mode", action: .up, inOutermostView: true),
            NavigationCommand("quit", help: "Exit current mode and down to previous mode", action: .up, inOutermostView: true),
        ],
        caseInsensitiveKeywords: false,
        errors: .plain([
            .unrecognized: "% Unknown command.",
            .incomplete: "% Command incomplete.",
            .ambiguous: "% Ambiguous command.",
            .noMatchInHelp: "% There is no matched command.",
        ], appendsLine: false),
        prefixHelpShowsText: true, blankLineAfterHelp: false, homeView: "enable", parentFallbackStop: "config")

    /// FRR ≥ 5 vtysh: as Quagga, but errors repeat the line (`% Unknown command: sh ip bgp sumary`).
    public static let frr: Dialect = {
        var d = quagga
        d.name = "FRR"
        d.errors = .plain([
            .unrecognized: "% Unknown command",
            .incomplete: "% Command incomplete",
            .ambiguous: "% Ambiguous command",
            .noMatchInHelp: "% There is no matched command.",
        ], appendsLine: true)
        return d
    }()
}
