import Foundation
import BGPWire
import CLIEngine
import Device

extension Quagga {
    /// Mode changes, displays, saving, and zebra's configuration (hostname, interfaces, static routes).
    static var topCommands: [Command<NetworkDevice>] {
        let shows: ViewSet = ["view", "enable"]
        return [
            // MARK: Modes
            Command("enable", in: ["view"], help: ["enable": "Turn on privileged mode command"]) { ctx in
                // Back down to the enable mode below, or open it when the console started in view mode.
                if ctx.frames.count > 1 { ctx.leaveView() } else { ctx.enter("enable") }
            },
            Command("disable", in: ["enable"], help: ["disable": "Turn off privileged mode command"], enters: "view"),
            Command("configure terminal", in: ["enable"],
                    help: ["configure": "Configuration from vty interface", "terminal": "Configuration terminal"], enters: "config"),

            Command("terminal length {lines:integer<0-512>}", in: shows,
                    help: ["terminal": "Set terminal line parameters", "length": "Set number of lines on a screen",
                           "lines": "Number of lines on screen (0 for no pausing)"]),

            // MARK: Displays
            Command("show version", in: shows, help: ["version": "Displays zebra version"]) { ctx in
                ctx.print(lines: ["Quagga \(version) (\(ctx.hostname)).", "Copyright 1996-2005 Kunihiro Ishiguro, et al."])
            },
            Command("show ip bgp summary", in: shows, help: ["summary": "Summary of BGP neighbor status"]) { ctx in
                guard let state = ctx.device.bgpState() else { return ctx.print("No BGP process is configured") }
                ctx.print(lines: SummaryView.render(state, adminDown: ctx.device.config.bgp?.adminDownPeers ?? []))
            },
            Command("show ip bgp [{prefix:ipv4prefix} | {addr:ipv4}]", in: shows,
                    help: ["addr": "Network in the BGP routing table to display"]) { ctx in
                guard let state = ctx.device.bgpState() else { return ctx.print("No BGP process is configured") }
                if let p = ctx.captures["prefix", as: IPv4PrefixValue.self] {
                    let prefix = Prefix.v4(IPv4Prefix(IPv4Address(p.address), length: UInt8(p.length)))
                    ctx.print(lines: BGPTableView.detail(ctx.device.withAdvertised(state, prefix), prefix: prefix, now: Date()))
                } else if let a = ctx.ipv4("addr") {
                    guard let prefix = BGPTableView.longestMatch(state, a) else { return ctx.print("% Network not in table") }
                    ctx.print(lines: BGPTableView.detail(ctx.device.withAdvertised(state, prefix), prefix: prefix, now: Date()))
                } else {
                    ctx.print(lines: BGPTableView.render(state))
                }
            },
            Command("show ip bgp neighbors [{peer:ipv4}]", in: shows,
                    help: ["neighbors": "Detailed information on TCP and BGP neighbor connections",
                           "peer": "Neighbor to display information about"]) { ctx in
                guard let state = ctx.device.bgpState() else { return ctx.print("No BGP process is configured") }
                let bgp = ctx.device.config.bgp
                ctx.print(lines: NeighborView.render(state, config: bgp, adminDown: bgp?.adminDownPeers ?? [], only: ctx.ipv4("peer")))
            },
            Command("show ip bgp neighbors {peer:ipv4} (routes | advertised-routes)", in: shows,
                    help: ["routes": "Display routes learned from neighbor",
                           "advertised-routes": "Display the routes advertised to a BGP neighbor"]) { ctx in
                guard let state = ctx.device.bgpState() else { return ctx.print("No BGP process is configured") }
                guard let peer = ctx.ipv4("peer"), state.peers.contains(where: { $0.address == peer }) else {
                    throw CommandFailure.message("% No such neighbor or address family")
                }
                if ctx.captures.has(keyword: "routes") {
                    ctx.print(lines: BGPTableView.render(state, from: .v4(peer)))
                } else {
                    let sent = ctx.device.withSpeaker { $0.adjRIBOut(.v4(peer)) } ?? []
                    ctx.print(lines: BGPTableView.advertised(state.routerID, sent))
                }
            },
            Command("show ip route", in: shows, help: ["route": "IP routing table"]) { ctx in
                ctx.print(lines: RouteView.render(ctx.device.zebraRoutes()))
            },
            Command("show ip forwarding", in: shows, help: ["forwarding": "IP forwarding status"]) { ctx in
                // The lab sets the sysctl for routers (seed 002's `net.ipv4.ip_forward=1`); zebra only reports it.
                guard let on = ctx.device.ipForwarding else { throw CommandFailure.message("% Can't read IP forwarding state") }
                ctx.print("IP forwarding is " + (on ? "on" : "off"))
            },
            Command("show running-config", in: ["enable"], help: ["running-config": "Current operating configuration"]) { ctx in
                ctx.print(lines: ConfigText.running(ctx.device))
            },
            Command("write [memory | file | terminal]", in: ["enable"],
                    help: ["write": "Write running configuration to memory, network, or terminal",
                           "memory": "Write configuration to the file (same as write file)", "file": "Write to configuration file",
                           "terminal": "Write to terminal"]) { ctx in
                if ctx.captures.has(keyword: "terminal") { return ctx.print(lines: ConfigText.running(ctx.device)) }
                try save(ctx)
            },
            Command("copy running-config startup-config", in: ["enable"],
                    help: ["copy": "Copy configuration", "running-config": "Copy running config to... ",
                           "startup-config": "Copy running config to startup config (same as write file)"]) { ctx in
                try save(ctx)
            },

            // MARK: zebra configuration
            Command("hostname {name:word}", in: ["config"],
                    help: ["hostname": "Set system's network name", "name": "This system's network name"],
                    negation: .grammar("hostname [{name:word}]")) { ctx in
                let name = ctx.negated ? defaultHostname : (ctx.captures.text("name") ?? defaultHostname)
                try ctx.edit { $0.hostname = name }
                ctx.hostname = name
            },
            Command("line vty", in: ["config"], help: ["line": "Configure a terminal line", "vty": "Virtual terminal"]),
            Command("password {pw:word}", in: ["config"],
                    help: ["password": "Assign the terminal connection password", "pw": "The UNENCRYPTED (cleartext) line password"],
                    negation: .grammar("password [{pw:word}]")) { ctx in
                let pw = ctx.negated ? nil : ctx.captures.text("pw")
                HostSettingsTable.shared.update(ctx.device) { $0.password = pw }
            },
            Command("enable password {pw:word}", in: ["config"],
                    help: ["enable": "Modify enable password parameters", "password": "Assign the privileged level password",
                           "pw": "The UNENCRYPTED (cleartext) 'enable' password"],
                    negation: .grammar("enable password [{pw:word}]")) { ctx in
                let pw = ctx.negated ? nil : ctx.captures.text("pw")
                HostSettingsTable.shared.update(ctx.device) { $0.enablePassword = pw }
            },
            Command("log file {path:word}", in: ["config"],
                    help: ["log": "Logging control", "file": "Logging to file", "path": "Logging filename"],
                    negation: .grammar("log file [{path:word}]")) { ctx in
                let path = ctx.negated ? nil : ctx.captures.text("path")
                HostSettingsTable.shared.update(ctx.device) { $0.logFile = path }
            },
            Command("ip route {prefix:ipv4prefix} ({gw:ipv4} | blackhole | {ifname:interface})", in: ["config"],
                    help: ["route": "Establish static routes", "gw": "IP gateway address", "ifname": "IP gateway interface name",
                           "blackhole": "Null interface"],
                    negation: .same) { ctx in
                guard let prefix = ctx.prefix("prefix") else { return }
                try editStaticRoute(ctx, StaticRoute(prefix: prefix, nextHop: ctx.ipv4("gw"), interface: ctx.captures.text("ifname")))
            },
            Command("ip route {addr:ipv4} {mask:mask} ({gw:ipv4} | blackhole | {ifname:interface})", in: ["config"],
                    help: ["addr": "IP destination prefix", "mask": "IP destination prefix mask"], negation: .same) { ctx in
                guard let a = ctx.ipv4("addr"), let m = ctx.captures["mask", as: IPv4MaskValue.self] else { return }
                let length = UInt8(m.length)
                let prefix = IPv4Prefix(IPv4Address(a.value & IPv4Prefix.mask(length)), length: length)
                try editStaticRoute(ctx, StaticRoute(prefix: prefix, nextHop: ctx.ipv4("gw"), interface: ctx.captures.text("ifname")))
            },
            Command("interface {ifname:interface}", in: ["config"],
                    help: ["interface": "Select an interface to configure", "ifname": "Interface's name"],
                    enters: ViewEntry("config-if", label: "ifname"), negation: .same) { ctx in
                guard let name = ctx.captures.text("ifname") else { return }
                try ctx.edit { c in
                    if ctx.negated {
                        guard c.hasInterface(name) else { throw CommandFailure.message("% Interface \(name) does not exist") }
                        c.interfaces.removeAll { $0.name == name }
                    } else if !c.hasInterface(name) {
                        c[interface: name] = InterfaceConfig(name: name)
                    }
                }
            },
            Command("ip address {addr:ipv4prefix}", in: ["config-if"],
                    help: ["address": "Set the IP address of an interface", "addr": "IP address (e.g. 10.0.0.1/8)"],
                    negation: .same) { ctx in
                guard let name = ctx.view.label, let p = ctx.captures["addr", as: IPv4PrefixValue.self] else { return }
                let address = InterfaceAddressConfig(IPv4Address(p.address), length: UInt8(p.length))
                try ctx.edit { c in
                    var i = c[interface: name]
                    if ctx.negated {
                        guard i.addresses.contains(address) else { throw CommandFailure.message("% Can't find address") }
                        i.addresses.removeAll { $0 == address }
                    } else if !i.addresses.contains(address) {
                        i.addresses.append(address)
                    }
                    c[interface: name] = i
                }
            },
            Command("description {text:text}", in: ["config-if"],
                    help: ["description": "Interface specific description", "text": "Characters describing this interface"],
                    negation: .grammar("description [{text:text}]")) { ctx in
                guard let name = ctx.view.label else { return }
                try ctx.edit { $0[interface: name].description = ctx.negated ? nil : ctx.captures.text("text") }
            },
            Command("shutdown", in: ["config-if"], help: ["shutdown": "Shutdown the selected interface"], negation: .same) { ctx in
                guard let name = ctx.view.label else { return }
                try ctx.edit { $0[interface: name].shutdown = !ctx.negated }
            },
        ]
    }

    /// Adds a static route, or removes it for the `no` form.
    static func editStaticRoute(_ ctx: CommandContext<NetworkDevice>, _ route: StaticRoute) throws {
        try ctx.edit { c in
            if ctx.negated {
                guard c.staticRoutes.contains(route) else { throw CommandFailure.message("% Can't find static route specified") }
                c.staticRoutes.removeAll { $0 == route }
            } else if !c.staticRoutes.contains(route) {
                c.staticRoutes.append(route)
            }
        }
    }

    /// `write memory`: the running configuration into the startup file, headed as Quagga heads a saved file.
    static func save(_ ctx: CommandContext<NetworkDevice>) throws {
        ctx.print("Building Configuration...")
        do {
            try ctx.device.save(text: ConfigText.saved(ctx.device).joined(separator: "\n") + "\n")
        } catch {
            throw CommandFailure.message("% Can't write configuration: \(error)")
        }
        ctx.print("Integrated configuration saved to \(ctx.device.saveTo ?? "")")
        ctx.print("[OK]")
    }
}
