import BGPWire
import BGPSpeaker
import CLIEngine
import Device

/// The Comware `display` commands (every view) and `save`.
enum ComwareDisplayCommands {
    typealias C = Command<NetworkDevice>

    static var all: [C] { [peers, peerVerbose, routingTable, ipRoutingTable, ipInterfaceBrief, version, this, currentConfiguration, save] }

    static let peers = C("display bgp peer ipv4 [unicast]", in: .all, help: ["bgp": "BGP information", "peer": "Peer information"]) { ctx in
        let c = ctx.device.config
        guard let bgp = c.bgp else { return }
        ctx.print(lines: ComwareDisplay.bgpPeers(routerID: c.effectiveRouterID, asn: bgp.asn, peers: ctx.device.peerSummaries()))
    }

    static let peerVerbose = C("display bgp peer ipv4 [unicast] {ip:ipv4} verbose", in: .all,
                               help: ["ip": "IPv4 address of a peer", "verbose": "Detailed information"]) { ctx in
        let c = ctx.device.config
        guard let bgp = c.bgp, let ip = Edits.ipv4(ctx, "ip") else { return }
        guard let p = ctx.device.peerSummaries().first(where: { $0.address == ip }) else {
            throw CommandFailure.message("The specified peer does not exist.")
        }
        let settings = bgp.effectivePeer(ip)
        ctx.print(lines: ComwareDisplay.bgpPeerVerbose(p, localAS: bgp.asn, routerID: c.effectiveRouterID,
                                                       enabled: settings?.ipv4Enabled ?? false,
                                                       timers: settings.map(bgp.timers(of:)) ?? bgp.timers ?? .vendorDefault))
    }

    static let routingTable = C("display bgp routing-table ipv4 [unicast] [{ip:ipv4} [{mask:mask} | {len:masklen<0-32>}]]", in: .all,
                                help: ["routing-table": "BGP routing table information", "ip": "Destination IP address"]) { ctx in
        let c = ctx.device.config
        guard let bgp = c.bgp else { return }
        let routes = ctx.device.bgpRoutes()
        guard let ip = Edits.ipv4(ctx, "ip") else {
            ctx.print(lines: ComwareDisplay.bgpRoutingTable(routerID: c.effectiveRouterID, routes: routes))
            return
        }
        let prefix: IPv4Prefix?
        if let len = Edits.length(ctx) { prefix = IPv4Prefix(ip, length: len) } else {
            prefix = routes.compactMap { e -> IPv4Prefix? in if case .v4(let p) = e.prefix, p.contains(ip) { return p } else { return nil } }
                .max { $0.length < $1.length }
        }
        guard let prefix else { ctx.print(" The network \(ip) does not exist."); return }
        ctx.print(lines: ComwareDisplay.bgpRoute(prefix, routerID: c.effectiveRouterID, asn: bgp.asn,
                                                 routes: routes.filter { $0.prefix == .v4(prefix) }))
    }

    static let ipRoutingTable = C("display ip routing-table [protocol bgp]", in: .all,
                                  help: ["routing-table": "Display the routing table", "protocol": "Routes of a protocol", "bgp": "BGP routes"]) { ctx in
        if ctx.captures.has(keyword: "protocol") {
            ctx.print(lines: ComwareDisplay.ipRoutingTableBGP(ctx.device.bgpRouteEntries().sorted { $0.prefix < $1.prefix }))
        } else {
            ctx.print(lines: ComwareDisplay.ipRoutingTable(ctx.device.ipRoutingTable()))
        }
    }

    static let ipInterfaceBrief = C("display ip interface brief", in: .all, help: ["interface": "IP interface information"]) { ctx in
        ctx.print(lines: ComwareDisplay.ipInterfaceBrief(ctx.device.config))
    }

    static let version = C("display version", in: .all, help: ["version": "Display system version information"]) { ctx in
        ctx.print(lines: ComwareVersion.lines(uptimeSeconds: ctx.device.uptime))
    }

    static let this = C("display this", in: .all) { ctx in
        ctx.print(lines: ComwareConfiguration.thisView(ctx.view.view, label: ctx.view.label, ctx.device.config))
    }

    static let currentConfiguration = C("display current-configuration [configuration bgp]", in: .all,
                                        help: ["bgp": "BGP configuration"]) { ctx in
        let c = ctx.device.config
        if ctx.captures.has(keyword: "configuration") {
            ctx.print(lines: ["#"] + (c.bgp.map(ComwareConfiguration.bgpBlock) ?? []) + ["#", "return"])
        } else {
            ctx.print(lines: ComwareConfiguration.lines(c))
        }
    }

    /// `save`: the Y/N question, the file name (Enter keeps `flash:/startup.cfg`), the overwrite question.
    static let save = C("save", in: .all) { ctx in
        ctx.ask("The current configuration will be written to the device. Are you sure? [Y/N]:") { answer, reply in
            guard answer.lowercased().hasPrefix("y") else { reply.print("Configuration is not saved!"); return }
            reply.print("Please input the file name(*.cfg)[flash:/startup.cfg]")
            reply.ask("(To leave the existing filename unchanged, press the enter key):") { _, name in
                name.ask("flash:/startup.cfg exists, overwrite? [Y/N]:") { answer, last in
                    guard answer.lowercased().hasPrefix("y") else { last.print("Configuration is not saved!"); return }
                    last.print("Validating file. Please wait...")
                    do {
                        try last.device.save(text: ComwareConfiguration.text(last.device.config))
                        last.print("Saved the current configuration to mainboard device successfully.")
                    } catch {
                        last.print("Failed to save the configuration: \(error)")
                    }
                }
            }
        }
    }
}
