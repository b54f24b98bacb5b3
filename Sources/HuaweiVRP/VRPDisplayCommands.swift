import BGPWire
import BGPSpeaker
import CLIEngine
import Device

/// The VRP `display` commands (every view) and `save` (user view).
enum VRPDisplayCommands {
    typealias C = Command<NetworkDevice>

    static var all: [C] { [peers, peerVerbose, group, routingTable, ipRoutingTable, ipInterfaceBrief, interfaceBrief, vlan, version, this,
                           currentConfiguration, save] }

    static let peers = C("display bgp peer", in: .all, help: ["bgp": "BGP information", "peer": "Peers information"]) { ctx in
        let c = ctx.device.config
        guard let bgp = c.bgp else { return }
        ctx.print(lines: VRPDisplay.bgpPeers(routerID: c.effectiveRouterID, asn: bgp.asn, peers: ctx.device.peerSummaries()))
    }

    static let peerVerbose = C("display bgp peer {ip:ipv4} verbose", in: .all, help: ["ip": "IPv4 peer address", "verbose": "Detail information"]) { ctx in
        guard let bgp = ctx.device.config.bgp, let ip = Edits.ipv4(ctx, "ip") else { return }
        guard let p = ctx.device.peerSummaries().first(where: { $0.address == ip }) else { throw CommandFailure.message(Edits.peerMissing) }
        let settings = bgp.effectivePeer(ip)
        ctx.print(lines: VRPDisplay.bgpPeerVerbose(p, localAS: bgp.asn, settings: settings,
                                                   timers: settings.map(bgp.timers(of:)) ?? bgp.timers ?? .vendorDefault))
    }

    /// `display bgp group [name]`: every group, or the one named (a missing one is the configuration's error).
    static let group = C("display bgp group [{name:word<1-47>}]", in: .all,
                         help: ["group": "BGP peer-group information", "name": "Peer group name"]) { ctx in
        guard let bgp = ctx.device.config.bgp else { return }
        let name = ctx.captures.text("name")
        if let name, bgp.group(name) == nil { throw CommandFailure.message(Edits.groupMissing) }
        let summaries = ctx.device.peerSummaries()
        for g in bgp.groups where name == nil || g.name == name {
            let members = Set(bgp.members(of: g.name).map(\.address))
            ctx.print(lines: VRPDisplay.bgpGroup(g, in: bgp, members: summaries.filter { members.contains($0.address) }))
        }
    }

    static let routingTable = C("display bgp routing-table [{ip:ipv4} [{mask:mask} | {len:masklen<0-32>}]]", in: .all,
                                help: ["routing-table": "Display routes in the BGP routing table", "ip": "Network address"]) { ctx in
        let c = ctx.device.config
        guard let bgp = c.bgp else { return }
        guard let ip = Edits.ipv4(ctx, "ip") else {
            ctx.print(lines: VRPDisplay.bgpRoutingTable(routerID: c.effectiveRouterID, routes: ctx.device.bgpRoutes()))
            return
        }
        // Without a mask: the longest prefix holding the address, as the switch does.
        let routes = ctx.device.bgpRoutes()
        let chosen: IPv4Prefix?
        if let len = Edits.length(ctx) {
            chosen = IPv4Prefix(ip, length: len)
        } else {
            chosen = routes.compactMap { e -> IPv4Prefix? in if case .v4(let p) = e.prefix, p.contains(ip) { return p } else { return nil } }
                .max { $0.length < $1.length }
        }
        guard let prefix = chosen else { ctx.print("Info: The network does not exist."); return }
        let matching = routes.filter { $0.prefix == .v4(prefix) }
        let now = ctx.device.withSpeaker { $0.clock() } ?? 0
        ctx.print(lines: VRPDisplay.bgpRoute(prefix, routerID: c.effectiveRouterID, asn: bgp.asn, routes: matching,
                                             advertisedTo: ctx.device.advertisedTo(.v4(prefix)),
                                             duration: { Int(now &- $0.since) }, outInterface: { c.interface(reaching: $0) }))
    }

    static let ipRoutingTable = C("display ip routing-table [protocol bgp]", in: .all,
                                  help: ["routing-table": "Display the IP routing table", "protocol": "Routes of a protocol", "bgp": "BGP routes"]) { ctx in
        if ctx.captures.has(keyword: "protocol") {
            ctx.print(lines: VRPDisplay.ipRoutingTableBGP(ctx.device.bgpRouteEntries().sorted { $0.prefix < $1.prefix }))
        } else {
            ctx.print(lines: VRPDisplay.ipRoutingTable(ctx.device.ipRoutingTable()))
        }
    }

    static let ipInterfaceBrief = C("display ip interface brief", in: .all,
                                    help: ["interface": "Interface information", "brief": "Brief information of status and configuration"]) { ctx in
        ctx.print(lines: VRPDisplay.ipInterfaceBrief(ctx.device.config))
    }

    static let interfaceBrief = C("display interface brief", in: .all, help: ["interface": "Interface status and configuration"]) { ctx in
        ctx.print(lines: VRPDisplay.interfaceBrief(ctx.device.config))
    }

    static let vlan = C("display vlan", in: .all, help: ["vlan": "VLAN information"]) { ctx in
        ctx.print(lines: VRPDisplay.vlans(ctx.device.config))
    }

    static let version = C("display version", in: .all, help: ["version": "Display the version of the system"]) { ctx in
        ctx.print(lines: VRPDisplay.version(uptimeSeconds: ctx.device.uptime))
    }

    static let this = C("display this", in: .all, help: ["this": "Current view configuration"]) { ctx in
        ctx.print(lines: VRPConfiguration.thisView(ctx.view.view, label: ctx.view.label, ctx.device.config))
    }

    static let currentConfiguration = C("display current-configuration [configuration bgp]", in: .all,
                                        help: ["current-configuration": "Current configuration", "configuration": "Configuration of a feature",
                                               "bgp": "BGP configuration"]) { ctx in
        let c = ctx.device.config
        if ctx.captures.has(keyword: "configuration") {
            ctx.print(lines: ["#"] + (c.bgp.map(VRPConfiguration.bgpBlock) ?? []) + ["#", "return"])
        } else {
            ctx.print(lines: VRPConfiguration.lines(c))
        }
    }

    static let save = C("save", in: ["user"], help: ["save": "Save current configuration"]) { ctx in
        ctx.print("The current configuration will be written to the device.")
        ctx.ask("Are you sure to continue?[Y/N]") { answer, reply in
            guard answer.lowercased().hasPrefix("y") else { return }
            reply.print("Now saving the current configuration to the slot 0.")
            do {
                try reply.device.save(text: VRPConfiguration.text(reply.device.config))
                reply.print("Save the configuration successfully.")
            } catch {
                reply.print("Error: Failed to save the configuration: \(error)")
            }
        }
    }
}
