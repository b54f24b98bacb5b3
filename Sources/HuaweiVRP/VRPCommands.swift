import BGPWire
import CLIEngine
import Device

/// Every VRP command, declared once: grammar, help, views, handler.
public enum VRPCommands {
    typealias C = Command<NetworkDevice>
    /// `peer {ip:ipv4}` or `peer {name:word}`: the options a peer and a group share.
    static let P = SharedCommands.peerOrGroup
    static let bgpViews: ViewSet = ["bgp", "bgp-af-ipv4"]

    public static var all: [Command<NetworkDevice>] { system + interface + bgp + family + VRPDisplayCommands.all }

    static let system: [C] = [
        C("system-view", in: ["user"], help: ["system-view": "Enter the System View"], enters: "system") { ctx in
            ctx.print("Enter system view, return user view with Ctrl+Z.")
        },
        C("sysname {name:word<1-246>}", in: ["system"], help: ["sysname": "Set the name of the device", "name": "Host name"],
          negation: .grammar("sysname")) { ctx in try Edits.sysname(ctx, default: HuaweiVRP.defaultHostname) },
        C("vlan batch ({vid:integer<1-4094>} [to {last:integer<1-4094>}])...", in: ["system"],
          help: ["vlan": "Virtual LAN", "batch": "Batch process", "vid": "The first VLAN ID", "to": "Range of VLANs", "last": "The last VLAN ID"],
          negation: .same) { ctx in try Edits.vlans(ctx) },
        C("interface {if:interface}", in: ["system", "interface"], help: ["interface": "Specify the interface configuration view", "if": "Interface name"],
          enters: ViewEntry("interface", label: "if"), negation: .same) { ctx in try Edits.interface(ctx) },
        C("ip route-static {ip:ipv4} ({mask:mask} | {len:masklen<0-32>}) ({nh:ipv4} | {out:interface} [{nh:ipv4}]) [preference {pref:integer<1-255>}]",
          in: ["system"],
          help: ["route-static": "Establish a static route", "ip": "Destination IP address", "mask": "IP address mask",
                 "len": "Length of IP address mask", "nh": "Next hop IP address", "out": "Outgoing interface",
                 "preference": "Set the preference of the route", "pref": "Preference value"],
          negation: .grammar("ip route-static {ip:ipv4} ({mask:mask} | {len:masklen<0-32>}) [{nh:ipv4} | {out:interface} [{nh:ipv4}]]")) { ctx in
            try Edits.staticRoute(ctx)
        },
        C("bgp {asn:asn}", in: ["system"], help: ["bgp": "Border Gateway Protocol(BGP)", "asn": "AS number"],
          enters: "bgp", negation: .same) { ctx in
            try Edits.bgp(ctx, differentASMessage: "Error: The specified AS number is different from the existing one.")
        },
    ]

    static let interface: [C] = [
        C("ip address {ip:ipv4} ({mask:mask} | {len:masklen<0-32>})", in: ["interface"],
          help: ["address": "Assign an IP address to this interface", "ip": "IP address", "mask": "IP address mask", "len": "Length of IP address mask"],
          negation: .grammar("ip address [{ip:ipv4} ({mask:mask} | {len:masklen<0-32>})]")) { ctx in try Edits.ipAddress(ctx) },
        C("description {text:text<1-242>}", in: ["interface"], help: ["description": "Describe the interface", "text": "Description of the interface"],
          negation: .grammar("description")) { ctx in try Edits.description(ctx) },
        C("shutdown", in: ["interface"], help: ["shutdown": "Shut down this interface"], negation: .same) { ctx in try Edits.shutdown(ctx) },
        C("port link-type (access | trunk)", in: ["interface"],
          help: ["port": "Specify the port attributes", "link-type": "Set the link type", "access": "Access port", "trunk": "Trunk port"],
          negation: .grammar("port link-type")) { ctx in try Edits.linkType(ctx) },
        C("port default vlan {vid:integer<1-4094>}", in: ["interface"],
          help: ["default": "Set the default VLAN of the port", "vlan": "Virtual LAN", "vid": "VLAN ID"],
          negation: .grammar("port default vlan")) { ctx in try Edits.defaultVLAN(ctx) },
        C("port trunk allow-pass vlan (all | ({vid:integer<1-4094>} [to {last:integer<1-4094>}])...)", in: ["interface"],
          help: ["trunk": "Trunk port", "allow-pass": "Allow VLANs to pass", "all": "All VLANs", "vid": "The first VLAN ID",
                 "to": "Range of VLANs", "last": "The last VLAN ID"],
          negation: .same) { ctx in try Edits.trunkVLANs(ctx) },
        C("portswitch", in: ["interface"], help: ["portswitch": "Switch the port to layer 2 mode"], negation: .same) { ctx in
            try Edits.portswitch(ctx)
        },
    ]

    static let bgp: [C] = [
        C("router-id {id:ipv4}", in: ["bgp"], help: ["router-id": "Configure router identifier", "id": "Router ID in IP address format"],
          negation: .grammar("router-id")) { ctx in try Edits.routerID(ctx) },
        C("peer {ip:ipv4} as-number {asn:asn}", in: ["bgp"],
          help: ["as-number": "Specify AS number", "asn": "AS number"],
          negation: .grammar("peer {ip:ipv4}")) { ctx in try Edits.peerASNumber(ctx, enabledByDefault: true) },
        C("peer {name:word<1-47>} as-number {asn:asn}", in: ["bgp"], help: ["name": "Peer group name", "as-number": "Specify AS number"],
          negation: .grammar("peer {name:word<1-47>} as-number")) { ctx in try Edits.groupASNumber(ctx) },
        C(P + " connect-interface {if:interface} [{src:ipv4}]", in: ["bgp"],
          help: ["connect-interface": "Set interface name to be used as the source of the TCP connection", "if": "Interface name",
                 "src": "IP address used as the source address"],
          negation: .grammar(P + " connect-interface")) { ctx in try Edits.peerConnectInterface(ctx) },
        C(P + " ebgp-max-hop [{hops:integer<1-255>}]", in: ["bgp"],
          help: ["ebgp-max-hop": "Allow EBGP neighbors not on directly connected networks", "hops": "Maximum hop count"],
          negation: .grammar(P + " ebgp-max-hop")) { ctx in try Edits.peerEBGPMaxHop(ctx) },
        C(P + " password (cipher | simple) {pw:word<1-392>}", in: ["bgp"],
          help: ["password": "Configure the password", "cipher": "Cipher text", "simple": "Plain text",
                 "pw": "The password (1-255 characters, or a cipher text)"],
          negation: .grammar(P + " password")) { ctx in try peerPassword(ctx, cipher: .vrp, longest: 255) },
        C(P + " ignore", in: ["bgp"], help: ["ignore": "Disable the session with the peer"], negation: .same) { ctx in
            // The speaker keeps the peer configured but Idle (no connection, none accepted) until `undo peer X ignore`.
            try Edits.editPeer(ctx) { $0.shutdown = !ctx.negated }
        },
        C(P + " description {text:text<1-255>}", in: ["bgp"],
          help: ["description": "Configure description information about the peer", "text": "Description"],
          negation: .grammar(P + " description")) { ctx in try Edits.peerDescription(ctx) },
        C("peer {ip:ipv4} group {name:word<1-47>}", in: ["bgp"], help: ["group": "Specify a peer group", "name": "Peer group name"],
          negation: .same) { ctx in try Edits.peerGroup(ctx, enabledByDefault: true) },
        C("group {name:word<1-47>} [internal | external]", in: ["bgp"],
          help: ["group": "Create a peer group", "name": "Peer group name", "internal": "Internal group", "external": "External group"],
          negation: .grammar("group {name:word<1-47>}")) { ctx in try Edits.group(ctx, enabledByDefault: true) },
        SharedCommands.timer(help: timerHelp),
        SharedCommands.peerTimer(help: timerHelp),
        C("ipv4-family [unicast]", in: ["bgp"], help: ["ipv4-family": "Specify IPv4 address family", "unicast": "Specify unicast address family"],
          enters: "bgp-af-ipv4"),
    ]

    /// IPv4 unicast commands: VRP5 also takes them in the bgp view and files them under `ipv4-family unicast`.
    static let family: [C] = [
        C("synchronization", in: bgpViews, help: ["synchronization": "Synchronize with IGP"], negation: .same) { ctx in
            try Edits.synchronization(ctx)
        },
        C(P + " enable", in: bgpViews, help: ["enable": "Enable the address family for the peer"], negation: .same) { ctx in
            try Edits.peerEnable(ctx)
        },
        C(P + " reflect-client", in: bgpViews, help: ["reflect-client": "Configure the peer as a route reflector client"],
          negation: .same) { ctx in try Edits.peerReflectClient(ctx) },
        C(P + " next-hop-local", in: bgpViews, help: ["next-hop-local": "Specify the local address as the next hop of routes advertised to the peer"],
          negation: .same) { ctx in try Edits.peerNextHopLocal(ctx) },
        C("reflector cluster-id ({id:ipv4} | {n:integer<1-4294967295>})", in: bgpViews,
          help: ["reflector": "Configure the route reflector", "cluster-id": "Configure the cluster ID", "id": "Cluster ID in IP address format",
                 "n": "Cluster ID in integer format"],
          negation: .grammar("reflector cluster-id")) { ctx in try Edits.clusterID(ctx) },
        C("compare-different-as-med", in: bgpViews, help: ["compare-different-as-med": "Compare the MEDs of routes from different ASs"],
          negation: .same) { ctx in try Edits.compareDifferentASMED(ctx) },
        C("network {ip:ipv4} [{mask:mask} | {len:masklen<0-32>}]", in: bgpViews,
          help: ["network": "Import a route into the BGP routing table", "ip": "IP address", "mask": "IP address mask", "len": "Length of IP address mask"],
          negation: .same) { ctx in try Edits.network(ctx) },
        C("import-route (direct | static)", in: bgpViews,
          help: ["import-route": "Import routes from other protocols", "direct": "Direct routes", "static": "Static routes"],
          negation: .same) { ctx in try Edits.importRoute(ctx) },
        C("maximum load-balancing [ebgp | ibgp] {n:integer<1-32>}", in: bgpViews,
          help: ["maximum": "Specify the maximum number", "load-balancing": "Specify the maximum number of equal-cost routes",
                 "ebgp": "EBGP routes", "ibgp": "IBGP routes", "n": "Number of equal-cost routes"],
          negation: .grammar("maximum load-balancing [ebgp | ibgp]")) { ctx in try Edits.loadBalancing(ctx) },
    ]

    /// `peer <ip> password cipher|simple <text>` (Comware has its twin). The device keeps the key itself (the
    /// speaker needs it for TCP MD5) and always shows it as cipher text, as VRP5 and Comware 7 do; a `cipher`
    /// argument in this device's own cipher form is decoded first, so a saved configuration reloads to the same key.
    /// Cipher-framed text that does not decode, or a key longer than `longest`, is a Wrong parameter.
    public static func peerPassword(_ ctx: CommandContext<NetworkDevice>, cipher: PasswordCipher, longest: Int) throws {
        guard !ctx.negated else { try Edits.editPeer(ctx) { $0.password = nil }; return }
        guard let text = ctx.captures.text("pw") else { return }
        var key = text
        if ctx.captures.has(keyword: "cipher"), cipher.isFramed(text) {
            guard let decoded = cipher.decode(text) else { throw CommandFailure.wrongParameter(capture: "pw") }
            key = decoded
        }
        guard key.count <= longest else { throw CommandFailure.wrongParameter(capture: "pw") }
        try Edits.editPeer(ctx) { $0.password = .cipher(key) }
    }

    /// Help for `timer …` in VRP's words (grammar and handler: `SharedCommands.timer`). The speaker resets an
    /// established session to renegotiate, as VRP does (`RunningConfig.timerChangeResetsSession(kind:)`).
    static let timerHelp = ["timer": "Configure timers", "keepalive": "Set the keepalive timer",
                            "k": "Keepalive time in seconds", "hold": "Set the hold timer",
                            "h": "Hold time in seconds: 0, or 3 to 65535 and at least three keepalive times"]

    /// Help for words many commands share.
    static let glossary: [String: String] = [
        "display": "Display information", "peer": "Specify BGP peers", "ip": "Specify IP configuration",
        "bgp": "Border Gateway Protocol(BGP)", "vlan": "Virtual LAN", "port": "Specify the port attributes",
        "routing-table": "Display the routing table", "interface": "Interface status and configuration",
        "brief": "Brief information", "verbose": "Detailed information", "protocol": "Protocol routes",
        "this": "Current view configuration", "current-configuration": "Current configuration",
        "configuration": "Configuration of a feature", "version": "Display the version of the system",
        "save": "Save the current configuration", "description": "Describe the interface", "to": "Range",
        "mask": "IP address mask", "len": "Length of IP address mask", "asn": "AS number",
        "name": "Peer group name",
    ]
}
