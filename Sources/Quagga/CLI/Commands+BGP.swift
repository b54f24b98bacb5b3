import BGPWire
import CLIEngine
import Device

extension Quagga {
    /// bgpd's configuration: the instance, its neighbors, networks and redistribution.
    static var bgpCommands: [Command<NetworkDevice>] {
        let router: ViewSet = ["config-router"]
        let routerOrAF: ViewSet = ["config-router", "config-router-af"]
        /// `neighbor (A.B.C.D | WORD)`: every neighbor option takes a peer-group name too.
        let N = "neighbor ({peer:ipv4} | {name:word})"
        return [
            Command("router bgp {asn:asn}", in: ["config"],
                    help: ["router": "Enable a routing process", "bgp": "BGP information", "asn": "AS number"],
                    enters: "config-router", negation: .same) { ctx in
                guard let asn = ctx.captures["asn", as: ASNumberValue.self]?.value else { return }
                if ctx.negated {
                    try ctx.edit { c in
                        guard c.bgp?.asn == asn else { throw CommandFailure.message("% Can't find BGP instance") }
                        c.bgp = nil
                    }
                    return
                }
                try ctx.edit { c in
                    if let running = c.bgp, running.asn != asn {
                        throw CommandFailure.message("BGP is already running; AS is \(running.asn)")
                    }
                    if c.bgp == nil { c.bgp = BGPInstance(asn: asn) }
                }
            },
            Command("address-family ipv4 [unicast]", in: router,
                    help: ["address-family": "Enter Address Family command mode", "ipv4": "Address family",
                           "unicast": "Address Family modifier"],
                    enters: "config-router-af"),
            Command("exit-address-family", in: ["config-router-af"],
                    help: ["exit-address-family": "Exit from Address Family configuration mode"]) { ctx in ctx.leaveView() },
            Command("bgp router-id {id:ipv4}", in: router,
                    help: ["router-id": "Override configured router identifier", "id": "Manually configured router identifier"],
                    negation: .grammar("bgp router-id [{id:ipv4}]")) { ctx in
                try ctx.editBGP { $0.routerID = ctx.negated ? nil : ctx.ipv4("id") }
            },
            Command("bgp cluster-id {id:ipv4}", in: router,
                    help: ["cluster-id": "Configure Route-Reflector Cluster-id", "id": "Route-Reflector Cluster-id in IP address format"],
                    negation: .grammar("bgp cluster-id [{id:ipv4}]")) { ctx in
                try ctx.editBGP { $0.clusterID = ctx.negated ? nil : ctx.ipv4("id") }
            },
            Command("network {prefix:ipv4prefix}", in: routerOrAF,
                    help: ["network": "Specify a network to announce via BGP"], negation: .same) { ctx in
                guard let prefix = ctx.prefix("prefix") else { return }
                try ctx.editBGP { bgp in
                    if ctx.negated {
                        guard bgp.networks.contains(prefix) else {
                            throw CommandFailure.message("% Can't find specified static route configuration.")
                        }
                        bgp.networks.removeAll { $0 == prefix }
                    } else if !bgp.networks.contains(prefix) {
                        bgp.networks.append(prefix)
                    }
                }
            },
            Command("network {addr:ipv4} [mask {mask:mask}]", in: routerOrAF,
                    help: ["addr": "Network number", "mask": "Network mask"], negation: .same) { ctx in
                // `network 10.0.0.0` alone takes the classful mask, as Quagga does; written back as A.B.C.D/M.
                guard let a = ctx.ipv4("addr") else { return }
                let length = ctx.captures["mask", as: IPv4MaskValue.self].map { UInt8($0.length) } ?? Columns.naturalLength(of: a.value)
                let prefix = IPv4Prefix(IPv4Address(a.value & IPv4Prefix.mask(length)), length: length)
                try ctx.editBGP { bgp in
                    if ctx.negated {
                        guard bgp.networks.contains(prefix) else {
                            throw CommandFailure.message("% Can't find specified static route configuration.")
                        }
                        bgp.networks.removeAll { $0 == prefix }
                    } else if !bgp.networks.contains(prefix) {
                        bgp.networks.append(prefix)
                    }
                }
            },
            Command("maximum-paths {n:integer<1-64>}", in: routerOrAF,
                    help: ["maximum-paths": "Forward packets over multiple paths", "n": "Number of paths"],
                    negation: .grammar("maximum-paths [{n:integer<1-64>}]")) { ctx in
                let n = ctx.negated ? 1 : Int(ctx.captures["n", as: IntegerValue.self]?.value ?? 1)
                try ctx.editBGP { $0.maxLoadBalancing = n }
            },
            Command("redistribute (connected | static)", in: routerOrAF,
                    help: ["redistribute": "Redistribute information from another routing protocol",
                           "connected": "Connected routes (directly attached subnet or host)", "static": "Statically configured routes"],
                    negation: .same) { ctx in
                let source: BGPInstance.ImportSource = ctx.captures.has(keyword: "connected") ? .direct : .static
                try ctx.editBGP { bgp in
                    if ctx.negated { bgp.importRoutes.remove(source) } else { bgp.importRoutes.insert(source) }
                }
            },
            Command("timers bgp {k:integer<0-65535>} {h:integer<0-65535>}", in: router,
                    help: ["timers": "Adjust routing timers", "bgp": "BGP timers", "k": "Keepalive interval", "h": "Holdtime"],
                    negation: .grammar("timers bgp [{k:integer<0-65535>} {h:integer<0-65535>}]")) { ctx in
                guard !ctx.negated else { return try ctx.editBGP { $0.timers = nil } }
                guard let timers = ctx.timers() else { return }
                guard timers.holdIsValid else { throw CommandFailure.message("% hold time value must be either 0 or greater than 3") }
                try ctx.editBGP { $0.timers = timers }
            },

            // MARK: Neighbors
            Command(N + " remote-as {asn:asn}", in: router,
                    help: ["remote-as": "Specify a BGP neighbor", "asn": "AS number"],
                    negation: .grammar(N + " [remote-as {asn:asn}]")) { ctx in
                let asn = ctx.captures["asn", as: ASNumberValue.self]?.value
                guard let address = ctx.ipv4("peer") else { return try groupRemoteAS(ctx, asn: asn) }
                try ctx.editBGP { bgp in
                    if ctx.negated {
                        guard let p = bgp.peer(address) else {
                            throw CommandFailure.message("% Create the peer-group or neighbor first")
                        }
                        if let asn, p.remoteAS != asn { throw CommandFailure.message("% Create the peer-group or neighbor first") }
                        bgp.peers.removeAll { $0.address == address }
                    } else if let asn, !bgp.editPeer(address, { $0.remoteAS = asn }) {
                        bgp.peers.append(BGPPeerSettings(address: address, remoteAS: asn, ipv4Enabled: true))
                    }
                }
            },
            Command("neighbor {name:word} peer-group", in: router,
                    help: ["peer-group": "Configure peer-group"], negation: .same) { ctx in
                guard let name = ctx.captures.text("name") else { return }
                try ctx.editBGP { bgp in
                    if ctx.negated {
                        // Quagga's peer_group_delete deletes the members with the group.
                        guard bgp.group(name) != nil else { throw CommandFailure.message(groupMissing) }
                        bgp.groups.removeAll { $0.name == name }
                        bgp.peers.removeAll { $0.group == name }
                    } else if bgp.group(name) == nil {
                        bgp.groups.append(BGPGroup(name: name, kind: .untyped, ipv4Enabled: true))
                    }
                }
            },
            Command("neighbor {peer:ipv4} peer-group {name:word}", in: router,
                    help: ["peer-group": "Member of the peer-group", "name": "peer-group name"], negation: .same) { ctx in
                try peerGroupMember(ctx)
            },
            Command(N + " description {text:text}", in: router,
                    help: ["description": "Neighbor specific description", "text": "Up to 80 characters describing this neighbor"],
                    negation: .grammar(N + " description [{text:text}]")) { ctx in
                try ctx.editPeer { $0.description = ctx.negated ? nil : ctx.captures.text("text") }
            },
            Command(N + " password {pw:word}", in: router,
                    help: ["password": "Set a password", "pw": "The password"],
                    negation: .grammar(N + " password [{pw:word}]")) { ctx in
                try ctx.editPeer { $0.password = ctx.negated ? nil : ctx.captures.text("pw").map { .simple($0) } }
            },
            Command(N + " ebgp-multihop [{hops:integer<1-255>}]", in: router,
                    help: ["ebgp-multihop": "Allow EBGP neighbors not on directly connected networks", "hops": "maximum hop count"],
                    negation: .same) { ctx in
                let hops = ctx.captures["hops", as: IntegerValue.self].map { UInt8($0.value) } ?? 255
                try ctx.editPeer { $0.ebgpMaxHop = ctx.negated ? nil : hops }
            },
            Command(N + " update-source ({src:ipv4} | {ifname:interface})", in: router,
                    help: ["update-source": "Source of routing updates", "src": "IPv4 address", "ifname": "Interface name"],
                    negation: .grammar(N + " update-source [{src:ipv4} | {ifname:interface}]")) { ctx in
                let interface = ctx.captures.text("ifname")
                // An interface's address comes from the configuration, else from the kernel (the lab puts the
                // loopback address there); it is resolved now, as the speaker needs an address to bind.
                let address = ctx.ipv4("src") ?? interface.flatMap { name in
                    ctx.device.config[interface: name].addresses.first?.address ?? ctx.device.kernelAddress(of: name)
                }
                try ctx.editPeer { p in
                    p.connectAddress = ctx.negated ? nil : address
                    p.connectInterface = ctx.negated ? nil : interface
                }
            },
            Command(N + " timers {k:integer<0-65535>} {h:integer<0-65535>}", in: router,
                    help: ["timers": "BGP per neighbor timers", "k": "Keepalive interval", "h": "Holdtime"],
                    negation: .grammar(N + " timers [{k:integer<0-65535>} {h:integer<0-65535>}]")) { ctx in
                guard !ctx.negated else { return try ctx.editPeer { $0.timers = nil } }
                guard let timers = ctx.timers() else { return }
                guard timers.holdIsValid else { throw CommandFailure.message("% Invalid value") }
                try ctx.editPeer { $0.timers = timers }
            },
            Command(N + " next-hop-self", in: routerOrAF,
                    help: ["next-hop-self": "Disable the next hop calculation for this neighbor"], negation: .same) { ctx in
                try ctx.editPeer { $0.nextHopLocal = !ctx.negated }
            },
            Command(N + " route-reflector-client", in: routerOrAF,
                    help: ["route-reflector-client": "Configure a neighbor as Route Reflector client"], negation: .same) { ctx in
                try ctx.editPeer { $0.reflectClient = !ctx.negated }
            },
            Command(N + " activate", in: routerOrAF,
                    help: ["activate": "Enable the Address Family for this Neighbor"], negation: .same) { ctx in
                try ctx.editPeer { $0.ipv4Enabled = !ctx.negated }
            },
            Command(N + " shutdown", in: router,
                    help: ["shutdown": "Administratively shut down this neighbor"], negation: .same) { ctx in
                // The speaker stops the session with a Cease (administrative shutdown) and stays Idle until `no`.
                try ctx.editPeer { $0.shutdown = !ctx.negated }
            },
        ]
    }

    static let groupMissing = "% Configure the peer-group first"

    /// `neighbor WORD remote-as N` on an existing peer-group. `no neighbor WORD remote-as N` clears the AS and,
    /// as peer_group_remote_as_delete does, deletes the members; `no neighbor WORD` deletes the group with them.
    static func groupRemoteAS(_ ctx: CommandContext<NetworkDevice>, asn: UInt32?) throws {
        guard let name = ctx.captures.text("name") else { return }
        try ctx.editBGP { bgp in
            guard let i = bgp.groups.firstIndex(where: { $0.name == name }) else { throw CommandFailure.message(groupMissing) }
            guard ctx.negated else { bgp.groups[i].remoteAS = asn; return }
            bgp.peers.removeAll { $0.group == name }
            if asn == nil { bgp.groups.remove(at: i) } else { bgp.groups[i].remoteAS = nil }
        }
    }

    /// `neighbor A.B.C.D peer-group WORD`: binds a neighbor (created when the group has an AS) to the group;
    /// the `no` form unbinds it, and a member that ran on the group's AS is deleted, as peer_group_unbind does.
    static func peerGroupMember(_ ctx: CommandContext<NetworkDevice>) throws {
        guard let address = ctx.ipv4("peer"), let name = ctx.captures.text("name") else { return }
        try ctx.editBGP { bgp in
            guard let g = bgp.group(name) else { throw CommandFailure.message(groupMissing) }
            if ctx.negated {
                guard let p = bgp.peer(address), p.group == name else {
                    throw CommandFailure.message("% Create the peer-group or neighbor first")
                }
                if p.remoteAS == nil { bgp.peers.removeAll { $0.address == address } } else {
                    _ = bgp.editPeer(address) { $0.group = nil }
                }
            } else if let p = bgp.peer(address) {
                if let own = p.remoteAS, let groupAS = g.remoteAS, own != groupAS {
                    throw CommandFailure.message("% Peer with AS \(own) cannot be in this peer-group")
                }
                _ = bgp.editPeer(address) { $0.group = name }
            } else {
                guard g.remoteAS != nil else { throw CommandFailure.message("% Specify remote-as or peer-group remote AS first") }
                var p = BGPPeerSettings(address: address, remoteAS: nil, ipv4Enabled: true)
                p.group = name
                bgp.peers.append(p)
            }
        }
    }
}
