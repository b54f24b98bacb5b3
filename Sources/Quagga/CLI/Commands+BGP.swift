import BGPWire
import CLIEngine
import Device

extension Quagga {
    /// bgpd's configuration: the instance, its neighbors, networks and redistribution.
    static var bgpCommands: [Command<NetworkDevice>] {
        let router: ViewSet = ["config-router"]
        let routerOrAF: ViewSet = ["config-router", "config-router-af"]
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
            Command("neighbor {peer:ipv4} remote-as {asn:asn}", in: router,
                    help: ["remote-as": "Specify a BGP neighbor", "asn": "AS number"],
                    negation: .grammar("neighbor {peer:ipv4} [remote-as {asn:asn}]")) { ctx in
                guard let address = ctx.ipv4("peer") else { return }
                let asn = ctx.captures["asn", as: ASNumberValue.self]?.value
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
            Command("neighbor {peer:ipv4} description {text:text}", in: router,
                    help: ["description": "Neighbor specific description", "text": "Up to 80 characters describing this neighbor"],
                    negation: .grammar("neighbor {peer:ipv4} description [{text:text}]")) { ctx in
                try ctx.editPeer { $0.description = ctx.negated ? nil : ctx.captures.text("text") }
            },
            Command("neighbor {peer:ipv4} password {pw:word}", in: router,
                    help: ["password": "Set a password", "pw": "The password"],
                    negation: .grammar("neighbor {peer:ipv4} password [{pw:word}]")) { ctx in
                try ctx.editPeer { $0.password = ctx.negated ? nil : ctx.captures.text("pw").map { .simple($0) } }
            },
            Command("neighbor {peer:ipv4} ebgp-multihop [{hops:integer<1-255>}]", in: router,
                    help: ["ebgp-multihop": "Allow EBGP neighbors not on directly connected networks", "hops": "maximum hop count"],
                    negation: .same) { ctx in
                let hops = ctx.captures["hops", as: IntegerValue.self].map { UInt8($0.value) } ?? 255
                try ctx.editPeer { $0.ebgpMaxHop = ctx.negated ? nil : hops }
            },
            Command("neighbor {peer:ipv4} update-source ({src:ipv4} | {ifname:interface})", in: router,
                    help: ["update-source": "Source of routing updates", "src": "IPv4 address", "ifname": "Interface name"],
                    negation: .grammar("neighbor {peer:ipv4} update-source [{src:ipv4} | {ifname:interface}]")) { ctx in
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
            Command("neighbor {peer:ipv4} timers {k:integer<0-65535>} {h:integer<0-65535>}", in: router,
                    help: ["timers": "BGP per neighbor timers", "k": "Keepalive interval", "h": "Holdtime"],
                    negation: .grammar("neighbor {peer:ipv4} timers [{k:integer<0-65535>} {h:integer<0-65535>}]")) { ctx in
                guard !ctx.negated else { return try ctx.editPeer { $0.timers = nil } }
                guard let timers = ctx.timers() else { return }
                guard timers.holdIsValid else { throw CommandFailure.message("% Invalid value") }
                try ctx.editPeer { $0.timers = timers }
            },
            Command("neighbor {peer:ipv4} next-hop-self", in: routerOrAF,
                    help: ["next-hop-self": "Disable the next hop calculation for this neighbor"], negation: .same) { ctx in
                try ctx.editPeer { $0.nextHopLocal = !ctx.negated }
            },
            Command("neighbor {peer:ipv4} route-reflector-client", in: routerOrAF,
                    help: ["route-reflector-client": "Configure a neighbor as Route Reflector client"], negation: .same) { ctx in
                try ctx.editPeer { $0.reflectClient = !ctx.negated }
            },
            Command("neighbor {peer:ipv4} activate", in: routerOrAF,
                    help: ["activate": "Enable the Address Family for this Neighbor"], negation: .same) { ctx in
                try ctx.editPeer { $0.ipv4Enabled = !ctx.negated }
            },
            Command("neighbor {peer:ipv4} shutdown", in: router,
                    help: ["shutdown": "Administratively shut down this neighbor"], negation: .same) { ctx in
                // The speaker stops the session with a Cease (administrative shutdown) and stays Idle until `no`.
                try ctx.editPeer { $0.shutdown = !ctx.negated }
            },
        ]
    }
}
