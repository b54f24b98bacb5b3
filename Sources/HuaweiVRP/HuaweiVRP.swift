// HuaweiVRP: the Huawei VRP5 personality (S9700/S5700): views, commands (declared once each in
// `VRPCommands`), the configuration text (`VRPConfiguration`) and the displays (`VRPDisplay`).
// Layouts follow /work/shared/spec/vendor-cli.md §A and seed 003 (the S9700 core). Peer groups: every `peer`
// option takes a group name (`SharedCommands.peerOrGroup`); the configuration writes each group's lines before
// the peers, and `display bgp group [name]` lists a group with its members.
import CLIEngine
import Device

public enum HuaweiVRP {
    public static let kind = "huawei-vrp"
    public static let defaultHostname = "HUAWEI"

    public static let views: [View] = [
        View("user", prompt: "<%s>", helpTitle: "User view commands:"),
        View("system", prompt: "[%s]", parent: "user", helpTitle: "System view commands:"),
        View("interface", prompt: "[%s-%a]", parent: "system"),
        View("bgp", prompt: "[%s-bgp]", parent: "system"),
        View("bgp-af-ipv4", prompt: "[%s-bgp-af-ipv4]", parent: "bgp"),
    ]

    /// The compiled CLI; a declaration error is a programming error caught by the tests.
    public static let tree: CommandTree<NetworkDevice> = {
        do {
            return try CommandTree(views: views, commands: VRPCommands.all, dialect: .vrp5, glossary: VRPCommands.glossary)
        } catch {
            fatalError("HuaweiVRP command table: \(error)")
        }
    }()

    public static let personality = Personality(
        kind: kind, tree: tree, startView: "user", configureCommand: "system-view",
        banner: ["", "Info: The max number of VTY users is 10, and the number", "      of current VTY users on line is 1."],
        defaultHostname: defaultHostname,
        configurationText: { VRPConfiguration.text($0) },
        isFraming: { $0 == "#" || $0 == "return" || $0.hasPrefix("!") })
}
