// H3CComware: the H3C Comware 7 personality (S6850/S5560 leaf switches): views, commands declared once in
// `ComwareCommands`, the configuration text (`ComwareConfiguration`), displays (`ComwareDisplay`) and
// `display version` (`ComwareVersion`).
// Layouts follow /work/shared/spec/vendor-cli.md §B and seed 001 (`display bgp peer ipv4` exactly as shown).
// Peer groups: every `peer` option takes a group name; a group exchanges IPv4 routes after `peer G enable`,
// which its members inherit.
import CLIEngine
import Device

public enum H3CComware {
    public static let kind = "h3c-comware"
    public static let defaultHostname = "H3C"

    public static let views: [View] = [
        View("user", prompt: "<%s>", helpTitle: "User view commands:"),
        View("system", prompt: "[%s]", parent: "user", helpTitle: "System view commands:"),
        View("vlan", prompt: "[%s-vlan%a]", parent: "system"),
        View("interface", prompt: "[%s-%a]", parent: "system"),
        View("bgp", prompt: "[%s-bgp-default]", parent: "system"),
        View("bgp-ipv4", prompt: "[%s-bgp-default-ipv4]", parent: "bgp"),
    ]

    public static let tree: CommandTree<NetworkDevice> = {
        do {
            return try CommandTree(views: views, commands: ComwareCommands.all, dialect: .comware7, glossary: ComwareCommands.glossary)
        } catch {
            fatalError("H3CComware command table: \(error)")
        }
    }()

    public static let personality = Personality(
        kind: kind, tree: tree, startView: "user", configureCommand: "system-view",
        banner: ["", "******************************************************************************",
                 "* Copyright (c) 2004-2021 New H3C Technologies Co., Ltd. All rights reserved.*",
                 "* Without the owner's prior written consent,                                 *",
                 "* no decompiling or reverse-engineering shall be allowed.                    *",
                 "******************************************************************************", ""],
        defaultHostname: defaultHostname,
        configurationText: { ComwareConfiguration.text($0) },
        isFraming: { $0 == "#" || $0 == "return" || $0.hasPrefix("version ") })
}
