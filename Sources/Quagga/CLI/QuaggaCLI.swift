import CLIEngine
import Device

/// The Quagga personality: vtysh modes, the command table, and how a console and a saved file look.
public enum Quagga {
    /// Modes and their prompts (vendor-cli.md §C.1); the prompt ends in a blank.
    public static let views = [
        View("view", prompt: "%s> "),
        View("enable", prompt: "%s# "),
        View("config", prompt: "%s(config)# ", parent: "enable"),
        View("config-router", prompt: "%s(config-router)# ", parent: "config"),
        View("config-router-af", prompt: "%s(config-router-af)# ", parent: "config-router"),
        View("config-if", prompt: "%s(config-if)# ", parent: "config"),
    ]

    /// Help for words many commands share.
    public static let glossary: [String: String] = [
        "show": "Show running system information", "ip": "IP information", "bgp": "BGP information",
        "neighbor": "Specify neighbor router", "peer": "Neighbor address", "name": "Neighbor tag",
        "prefix": "IP prefix <network>/<length>, e.g., 35.0.0.0/8",
        "route": "Establish static routes", "gw": "IP gateway address", "blackhole": "Null interface",
        "ifname": "IP gateway interface name", "network": "Specify a network to announce via BGP",
        "neighbors": "Detailed information on TCP and BGP neighbor connections",
    ]

    /// Every command, declared once: `Commands+Top.swift` and `Commands+BGP.swift`.
    public static var commands: [Command<NetworkDevice>] { topCommands + bgpCommands }

    /// The compiled CLI; a declaration bug is a programming error caught by the tests.
    public static let tree: CommandTree<NetworkDevice> = {
        do { return try CommandTree(views: views, commands: commands, dialect: .quagga, glossary: glossary) } catch {
            fatalError("Quagga command table: \(error)")
        }
    }()

    public static let defaultHostname = "router"

    /// The release whose output formats the displays follow.
    public static let version = "1.2.4"

    /// What vtysh prints before the first prompt.
    public static let banner = ["", "Hello, this is Quagga (version \(version)).", "Copyright 1996-2005 Kunihiro Ishiguro, et al.", ""]

    /// The personality the device runtime serves: vtysh starts in enable mode; startup files replay from `config`.
    public static let personality = Personality(
        kind: "quagga", tree: tree, startView: "enable", configureCommand: "configure terminal", banner: banner,
        defaultHostname: defaultHostname,
        configurationText: { ConfigText.running($0).joined(separator: "\n") + "\n" },
        isFraming: { ConfigText.isFraming($0) })
}
