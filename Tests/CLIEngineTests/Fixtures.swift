@testable import CLIEngine

/// A stand-in device: it records what the handlers did.
final class LabDevice: @unchecked Sendable {
    var log: [String] = []
    var interfaces: Set<String> = ["Vlanif98", "LoopBack0", "GigabitEthernet0/0/1"]
}

/// Small command tables that mimic the real consoles in the seed documents.
enum Fixtures {
    static func record(_ text: String) -> Command<LabDevice>.Handler {
        { ctx in ctx.device.log.append((ctx.negated ? "undo " : "") + text) }
    }

    // MARK: Huawei VRP 5

    static let vrpViews = [
        View("user", prompt: "<%s>", helpTitle: "User view commands:"),
        View("system", prompt: "[%s]", parent: "user", helpTitle: "System view commands:"),
        View("bgp", prompt: "[%s-bgp]", parent: "system"),
        View("bgp-af-ipv4", prompt: "[%s-bgp-af-ipv4]", parent: "bgp"),
        View("interface", prompt: "[%s-%a]", parent: "system"),
    ]

    static let vrpGlossary: [String: String] = [
        "display": "Display information", "bgp": "BGP information", "peer": "Specify BGP peers",
        "ip": "IP address", "asn": "AS number", "this": "Display the configuration of the current view",
        "interface": "Specify an interface", "if": "Interface name", "network": "Specify a network to announce",
        "mask": "IP address mask", "len": "Length of IP address mask", "as-number": "Specify the AS number of a peer",
    ]

    static let vrpCommands: [Command<LabDevice>] = [
        Command("system-view", in: ["user"], help: ["system-view": "Enter the system view"], enters: "system") { ctx in
            ctx.print("Enter system view, return user view with Ctrl+Z.")
        },
        Command("dir [{path:word}]", in: ["user"], help: ["dir": "List files on a file system", "path": "File path"]),
        Command("debugging {module:word}", in: ["user"], help: ["debugging": "Enable system debugging functions", "module": "Module name"]),
        Command("delete {file:word}", in: ["user"], help: ["delete": "Delete a file", "file": "File name"]),
        Command("save", in: ["user"], help: ["save": "Save the current configuration"]) { ctx in
            ctx.print("The current configuration will be written to the device.")
            ctx.ask("Are you sure to continue?[Y/N]") { answer, ctx in
                guard answer.lowercased().hasPrefix("y") else { return }
                ctx.device.log.append("save")
                ctx.print("Now saving the current configuration to the slot 0.")
                ctx.print("Save the configuration successfully.")
            }
        },
        Command("display current-configuration [configuration {section:word}]", in: .all,
                help: ["current-configuration": "Current configuration", "configuration": "Configuration of a feature", "section": "Feature name"],
                handler: record("display current-configuration")),
        Command("display this", in: .all, handler: record("display this")),
        Command("display version", in: .all, help: ["version": "System version"]),
        Command("display bgp peer [{ip:ipv4} [verbose]]", in: .all, help: ["peer": "Peers", "verbose": "Detail information"],
                handler: record("display bgp peer")),
        Command("display bgp routing-table", in: .all, help: ["routing-table": "BGP routing table"]),
        Command("display ip routing-table [protocol (bgp | direct | static)]", in: .all,
                help: ["routing-table": "IP routing table", "protocol": "Routes of one protocol", "bgp": "BGP routes",
                       "direct": "Direct routes", "static": "Static routes"],
                handler: { ctx in ctx.device.log.append("routing-table " + ctx.captures.keywords.joined(separator: " ")) }),
        Command("display ipv6 routing-table", in: .all, help: ["ipv6": "IPv6 information", "routing-table": "IPv6 routing table"]),
        Command("display ip interface brief", in: .all, help: ["brief": "Brief information"]),
        Command("sysname {name:word<1-246>}", in: ["system"], help: ["sysname": "Set the host name", "name": "Host name"]) { ctx in
            ctx.hostname = ctx.captures.text("name") ?? ctx.hostname
        },
        Command("bgp {asn:asn}", in: ["system"], help: ["bgp": "Enable BGP"], enters: "bgp", negation: .same) { ctx in
            ctx.device.log.append((ctx.negated ? "undo bgp " : "bgp ") + (ctx.captures.text("asn") ?? "?"))
        },
        Command("interface {if:interface}", in: ["system"], enters: ViewEntry("interface", label: "if")),
        Command("vlan batch ({vid:integer<1-4094>} [to {last:integer<1-4094>}])...", in: ["system"],
                help: ["vlan": "VLAN", "batch": "Create VLANs in batches", "vid": "VLAN ID", "to": "Range of VLANs", "last": "Last VLAN ID"],
                negation: .same) { ctx in
            ctx.device.log.append("vlans " + ctx.captures.entries.map { "\($0.name)=\($0.value)" }.joined(separator: ","))
        },
        Command("router-id {id:ipv4}", in: ["bgp"], help: ["router-id": "Router ID", "id": "Router ID in IP address format"]),
        Command("peer {ip:ipv4} as-number {asn:asn}", in: ["bgp"], negation: .grammar("peer {ip:ipv4}")) { ctx in
            let ip = ctx.captures["ip", as: IPv4Value.self]!
            if ctx.negated { ctx.device.log.append("undo peer \(ip)") }
            else { ctx.device.log.append("peer \(ip) as \(ctx.captures["asn", as: ASNumberValue.self]!)") }
        },
        Command("peer {group:word} as-number {asn:asn}", in: ["bgp"], help: ["group": "Peer group name"]) { ctx in
            ctx.device.log.append("group \(ctx.captures.text("group") ?? "") as \(ctx.captures.text("asn") ?? "")")
        },
        Command("peer {ip:ipv4} connect-interface {if:interface} [{src:ipv4}]", in: ["bgp"],
                help: ["connect-interface": "Set the source interface of TCP connections", "src": "Source IPv4 address"]) { ctx in
            let name = ctx.captures.text("if")!
            guard ctx.device.interfaces.contains(name) else { throw CommandFailure.wrongParameter(capture: "if") }
            ctx.device.log.append("connect-interface \(name) \(ctx.captures.text("src") ?? "-")")
        },
        Command("peer {ip:ipv4} ebgp-max-hop [{hops:integer<1-255>}]", in: ["bgp"],
                help: ["ebgp-max-hop": "Allow EBGP peers on indirectly-connected networks", "hops": "Maximum number of hops"]),
        Command("peer {ip:ipv4} description {text:text<1-80>}", in: ["bgp"],
                help: ["description": "Configure a description for a peer", "text": "Description"]) { ctx in
            ctx.device.log.append("description [\(ctx.captures.text("text") ?? "")]")
        },
        Command("peer {ip:ipv4} password (cipher | simple) {pw:string<1-255>}", in: ["bgp"],
                help: ["password": "Configure the MD5 password", "cipher": "Cipher text", "simple": "Plain text", "pw": "Password"]) { ctx in
            ctx.device.log.append("password \(ctx.captures.has(keyword: "cipher") ? "cipher" : "simple") \(ctx.captures.text("pw") ?? "")")
        },
        Command("ipv4-family unicast", in: ["bgp"], help: ["ipv4-family": "IPv4 address family", "unicast": "Unicast"], enters: "bgp-af-ipv4"),
        Command("network {net:ipv4} [{mask:mask} | {len:masklen}]", in: ["bgp", "bgp-af-ipv4"], help: ["net": "Network address"]) { ctx in
            let len = ctx.captures["mask", as: IPv4MaskValue.self]?.length ?? ctx.captures["len", as: MaskLengthValue.self]?.length
            ctx.device.log.append("network \(ctx.captures.text("net")!)/\(len.map(String.init) ?? "natural")")
        },
        Command("synchronization", in: ["bgp", "bgp-af-ipv4"], help: ["synchronization": "Synchronize with IGP"], negation: .same,
                handler: record("synchronization")),
        Command("compare-different-as-med", in: ["bgp", "bgp-af-ipv4"], help: ["compare-different-as-med": "Compare MED of routes from different ASs"],
                handler: record("compare-different-as-med")),
        Command("ip address {addr:ipv4} ({mask:mask} | {len:masklen})", in: ["interface"],
                help: ["address": "Configure an IP address", "addr": "IP address"]),
        Command("nat static global {global:ipv4} inside {inside:ipv4}", in: ["interface"],
                help: ["nat": "NAT", "static": "Static NAT", "global": "Public address", "inside": "Private address"]),
    ]

    static func vrpTree(_ dialect: Dialect = .vrp5) -> CommandTree<LabDevice> {
        try! CommandTree(views: vrpViews, commands: vrpCommands, dialect: dialect, glossary: vrpGlossary)
    }

    // MARK: H3C Comware 7

    static let comwareViews = [
        View("user", prompt: "<%s>", helpTitle: "User view commands:"),
        View("system", prompt: "[%s]", parent: "user", helpTitle: "System view commands:"),
        View("bgp", prompt: "[%s-bgp-default]", parent: "system"),
        View("bgp-ipv4", prompt: "[%s-bgp-default-ipv4]", parent: "bgp"),
        View("interface", prompt: "[%s-%a]", parent: "system"),
    ]

    static let comwareCommands: [Command<LabDevice>] = [
        Command("system-view", in: ["user"], help: ["system-view": "Enter System View"], enters: "system") { ctx in
            ctx.print("System View: return to User View with Ctrl+Z.")
        },
        Command("display bgp peer ipv4 [unicast]", in: .all,
                help: ["display": "Display current system information", "bgp": "BGP module", "peer": "Peer information",
                       "ipv4": "IPv4 address family", "unicast": "Unicast"], handler: record("display bgp peer ipv4")),
        Command("display current-configuration [configuration {section:word}]", in: .all,
                help: ["display": "Display current system information", "current-configuration": "Running configuration",
                       "configuration": "Configuration of a feature", "section": "Feature name"],
                handler: record("display current-configuration")),
        Command("display ip interface brief", in: .all, help: ["display": "Display current system information", "ip": "IP module", "interface": "Interface information",
                       "brief": "Brief information"],
                handler: record("display ip interface brief")),
        Command("bgp {asn:asn}", in: ["system"], help: ["bgp": "BGP module", "asn": "Autonomous system number"], enters: "bgp", negation: .same),
        Command("sysname {name:word<1-64>}", in: ["system"], help: ["sysname": "Specify the host name", "name": "Host name"]) { ctx in
            ctx.hostname = ctx.captures.text("name")!
        },
        Command("interface {if:interface}", in: ["system"], help: ["interface": "Specify an interface", "if": "Interface"],
                enters: ViewEntry("interface", label: "if")),
        Command("peer {ip:ipv4} as-number {asn:asn}", in: ["bgp"],
                help: ["peer": "Specify BGP peers", "ip": "IPv4 address", "as-number": "Specify the AS number", "asn": "AS number"],
                negation: .grammar("peer {ip:ipv4}"), handler: record("peer")),
        Command("address-family ipv4 [unicast]", in: ["bgp"],
                help: ["address-family": "Address family", "ipv4": "IPv4", "unicast": "Unicast"], enters: "bgp-ipv4"),
        Command("peer {ip:ipv4} enable", in: ["bgp-ipv4"],
                help: ["peer": "Specify BGP peers", "ip": "IPv4 address", "enable": "Enable the peer for the address family"],
                negation: .same, handler: record("peer enable")),
    ]

    static func comwareTree() -> CommandTree<LabDevice> {
        try! CommandTree(views: comwareViews, commands: comwareCommands, dialect: .comware7)
    }

    // MARK: Quagga vtysh

    static let quaggaViews = [
        View("enable", prompt: "%s# "),
        View("config", prompt: "%s(config)# ", parent: "enable"),
        View("router-bgp", prompt: "%s(config-router)# ", parent: "config"),
        View("router-af", prompt: "%s(config-router-af)# ", parent: "router-bgp"),
        View("interface", prompt: "%s(config-if)# ", parent: "config"),
    ]

    static let quaggaGlossary: [String: String] = [
        "show": "Show running system information", "ip": "IP information", "bgp": "BGP information",
        "neighbor": "Specify neighbor router", "addr": "Neighbor address", "asn": "AS number", "ipv4": "Address family",
    ]

    static let quaggaCommands: [Command<LabDevice>] = [
        Command("configure terminal", in: ["enable"],
                help: ["configure": "Configuration from vty interface", "terminal": "Configuration terminal"], enters: "config"),
        Command("copy running-config startup-config", in: ["enable"],
                help: ["copy": "Copy from one file to another", "running-config": "Copy from current system configuration",
                       "startup-config": "Copy to startup configuration"]),
        Command("show ip bgp summary", in: ["enable"], help: ["summary": "Summary of BGP neighbor status"], handler: record("show ip bgp summary")),
        Command("show ip bgp [{prefix:ipv4prefix}]", in: ["enable"], help: ["prefix": "IP prefix <network>/<length>"]),
        Command("show running-config", in: ["enable"], help: ["running-config": "running configuration"]),
        Command("write (memory | terminal)", in: ["enable"],
                help: ["write": "Write running configuration to memory, network, or terminal", "memory": "Write configuration to the file",
                       "terminal": "Write to terminal"]),
        Command("router bgp {asn:asn}", in: ["config"], help: ["router": "Enable a routing process", "bgp": "BGP"],
                enters: "router-bgp", negation: .same, handler: record("router bgp")),
        Command("interface {if:interface}", in: ["config"], help: ["interface": "Select an interface to configure", "if": "Interface's name"],
                enters: ViewEntry("interface", label: "if")),
        Command("bgp router-id {id:ipv4}", in: ["router-bgp"], help: ["router-id": "Override configured router identifier", "id": "Manually configured router identifier"]),
        Command("neighbor {addr:ipv4} remote-as {asn:asn}", in: ["router-bgp"], help: ["remote-as": "Specify a BGP neighbor"],
                negation: .same) { ctx in
            ctx.device.log.append((ctx.negated ? "no " : "") + "neighbor \(ctx.captures.text("addr")!) remote-as \(ctx.captures.text("asn")!)")
        },
        Command("neighbor {addr:ipv4} update-source ({src:ipv4} | {ifname:interface})", in: ["router-bgp"],
                help: ["update-source": "Source of routing updates", "src": "IP address", "ifname": "Interface name"]) { ctx in
            ctx.device.log.append(ctx.captures.contains("src") ? "update-source ip" : "update-source if \(ctx.captures.text("ifname")!)")
        },
        Command("network {prefix:ipv4prefix}", in: ["router-bgp", "router-af"], help: ["network": "Specify a network to announce via BGP", "prefix": "IP prefix <network>/<length>"]),
        Command("address-family ipv4 [unicast]", in: ["router-bgp"],
                help: ["address-family": "Enter Address Family command mode", "unicast": "Address Family modifier"], enters: "router-af"),
        Command("exit-address-family", in: ["router-af"], help: ["exit-address-family": "Exit from Address Family configuration mode"]) { ctx in
            ctx.leaveView()
        },
    ]

    static func quaggaTree(_ dialect: Dialect = .quagga) -> CommandTree<LabDevice> {
        try! CommandTree(views: quaggaViews, commands: quaggaCommands, dialect: dialect, glossary: quaggaGlossary)
    }
}
