import CLIEngine

/// What a vendor personality gives the device runtime: its compiled CLI, how a login looks, and how its
/// configuration is written (the same text `display current-configuration` prints and `save` stores).
public struct Personality: Sendable {
    /// `huawei-vrp`, `h3c-comware`, `quagga`.
    public let kind: String
    public let tree: CommandTree<NetworkDevice>
    /// The view a console opens in (`user`).
    public let startView: String
    /// The line that opens the configuration view, for the startup replay (`system-view`).
    public let configureCommand: String
    /// Lines printed when a console opens, before the first prompt.
    public let banner: [String]
    public let defaultHostname: String
    /// The configuration as the vendor writes it.
    public let configurationText: @Sendable (RunningConfig) -> String
    /// Lines of a configuration text that are framing, not commands (`#`, `return`, `!Software Version …`).
    public let isFraming: @Sendable (String) -> Bool

    public init(kind: String, tree: CommandTree<NetworkDevice>, startView: String, configureCommand: String, banner: [String],
                defaultHostname: String, configurationText: @escaping @Sendable (RunningConfig) -> String,
                isFraming: @escaping @Sendable (String) -> Bool) {
        self.kind = kind; self.tree = tree; self.startView = startView; self.configureCommand = configureCommand
        self.banner = banner; self.defaultHostname = defaultHostname; self.configurationText = configurationText
        self.isFraming = isFraming
    }

    /// A console session on `device`, at the login view.
    public func session(on device: NetworkDevice) -> Session<NetworkDevice> {
        Session(tree: tree, device: device, hostname: device.config.hostname, startView: startView)
    }

    /// Replays a configuration text through the same parser a user types into: each line runs in the view its
    /// indentation says (one space per nested view). Returns one message per line the device refused.
    public func replay(_ text: String, on device: NetworkDevice) async -> [String] {
        let session = session(on: device)
        _ = await session.execute(line: configureCommand)
        let base = session.frames.count
        var problems: [String] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw.drop { $0 == "\r" }).replacingOccurrences(of: "\r", with: "")
            let body = line.drop { $0 == " " }
            let depth = line.count - body.count
            // A `#` in the first column closes every open block (Comware indents global lines too).
            if body == "#" && depth == 0 {
                while session.frames.count > base { _ = await session.execute(line: "quit") }
            }
            guard !body.isEmpty, !isFraming(String(body)) else { continue }
            while session.frames.count > base + depth, session.frames.count > base {
                _ = await session.execute(line: "quit")
            }
            let reply = await session.execute(line: String(body))
            if !reply.lines.isEmpty {
                problems.append("line \(number + 1): \(body): " + reply.lines.filter { !$0.allSatisfy { $0 == " " || $0 == "^" } }.joined(separator: " "))
            }
        }
        return problems
    }
}
