/// One vendor command, declared as a value: grammar, per-token help, views, what it does.
///
/// ```swift
/// Command("peer {ip:ipv4} as-number {asn:asn}", in: ["bgp"],
///         help: ["peer": "Specify BGP peers", "ip": "IPv4 address of peer", "as-number": "Specify AS number", "asn": "AS number"],
///         negation: .grammar("peer {ip:ipv4}")) { ctx in … }
/// ```
/// A personality exports `static let commands: [Command<Device>]`; declaring is registering.
public struct Command<Device>: Sendable {
    public typealias Handler = @Sendable (CommandContext<Device>) async throws -> Void

    public let grammar: String
    /// Help per keyword and per capture name. Missing entries fall back to the tree's glossary.
    public let help: [String: String]
    public let views: ViewSet
    /// The view this command opens on success (`bgp 65001` → `bgp`), with the capture that labels it.
    /// Declare it (rather than calling `context.enter`) so the validator can see the view is reachable.
    public let enters: ViewEntry?
    /// How the `undo` / `no` form is spelled, if there is one.
    public let negation: Negation
    public let handler: Handler

    public init(_ grammar: String, in views: ViewSet, help: [String: String] = [:], enters: ViewEntry? = nil,
                negation: Negation = .none, handler: @escaping Handler = { _ in }) {
        self.grammar = grammar
        self.help = help
        self.views = views
        self.enters = enters
        self.negation = negation
        self.handler = handler
    }
}

/// Which views a command belongs to.
public enum ViewSet: Sendable, Equatable, ExpressibleByArrayLiteral {
    /// Every view (`display …` on VRP: "All views").
    case all
    case named([String])

    public init(arrayLiteral elements: String...) { self = .named(elements) }

    func contains(_ view: String) -> Bool {
        switch self {
        case .all: return true
        case .named(let names): return names.contains(view)
        }
    }
}

/// A view a command enters: `interface {if:interface}` enters `interface` labelled by the `if` capture.
public struct ViewEntry: Sendable, Equatable, ExpressibleByStringLiteral {
    public let view: String
    /// Capture whose text fills `%a` in the view's prompt (`[HUAWEI-Vlanif98]`).
    public let labelCapture: String?

    public init(_ view: String, label: String? = nil) { self.view = view; self.labelCapture = label }
    public init(stringLiteral view: String) { self.init(view) }
}

/// The negated form of a command, prefixed by the dialect's `undo` / `no`.
public enum Negation: Sendable, Equatable {
    case none
    /// `undo` + the same grammar (`undo synchronization`).
    case same
    /// `undo` + the grammar without its trailing values (`undo router-id` for `router-id {id:ipv4}`).
    case withoutValues
    /// `undo` + a grammar of its own (`undo peer {ip:ipv4}` for `peer {ip:ipv4} as-number {asn:asn}`).
    case grammar(String)
}

/// What a handler sees and changes: captures, the device, output, views, hostname.
public final class CommandContext<Device> {
    public let device: Device
    public let captures: Captures
    /// True for the `undo` / `no` form.
    public let negated: Bool
    /// The line as typed (after alias expansion of the first word).
    public let line: String
    /// The views open, outermost first; the last is the one the command ran in.
    public let frames: [ViewFrame]
    /// Set to rename the device; the prompt follows at once (VRP5 `sysname`).
    public var hostname: String
    /// Lines the command prints.
    public private(set) var output: [String] = []
    /// A view to open instead of, or in addition to, the declared `enters` one.
    public internal(set) var entered: ViewFrame?
    var leaves = 0
    /// A question put to the user; the next line typed is the answer.
    var question: (text: String, then: AnswerHandler)?

    /// Receives the line typed in answer to `ask(_:then:)`, with a fresh context for its output.
    public typealias AnswerHandler = @Sendable (_ answer: String, _ context: CommandContext<Device>) async throws -> Void

    init(device: Device, captures: Captures, negated: Bool, line: String, frames: [ViewFrame], hostname: String) {
        self.device = device
        self.captures = captures
        self.negated = negated
        self.line = line
        self.frames = frames
        self.hostname = hostname
    }

    /// The view the command runs in.
    public var view: ViewFrame { frames[frames.count - 1] }

    public func print(_ line: String) { output.append(line) }
    public func print(lines: [String]) { output.append(contentsOf: lines) }

    /// Opens a view after the command (overrides the declared `enters`).
    public func enter(_ view: String, label: String? = nil) { entered = ViewFrame(view: view, label: label) }

    /// Closes the current view after the command, as `quit` would (`exit-address-family`).
    public func leaveView() { leaves += 1 }

    /// Asks the user something (`Are you sure to continue?[Y/N]`): the question becomes the prompt, and the next
    /// line typed goes to `then` instead of the command matcher. The declared `enters` view is not opened
    /// while a question is pending; the answer handler may `enter` it.
    public func ask(_ question: String, then: @escaping AnswerHandler) { self.question = (question, then) }
}

/// A failure a handler throws; the session renders it the vendor's way.
public enum CommandFailure: Error, Equatable {
    /// The value of this capture is wrong for the device (an interface that does not exist):
    /// rendered as the *Wrong parameter* error with the caret under that capture.
    case wrongParameter(capture: String)
    /// A message printed as is (`Error: The peer does not exist.`).
    case message(String)
}
