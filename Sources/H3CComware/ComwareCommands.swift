import BGPWire
import CLIEngine
import Device

/// Every Comware command, declared once: grammar, help, views, handler.
public enum ComwareCommands {
    typealias C = Command<NetworkDevice>
    /// `peer {ip:ipv4}` or `peer {name:word}`: the options a peer and a group share.
    static let P = SharedCommands.peerOrGroup

    public static var all: [Command<NetworkDevice>] { system + interface + bgp + family + ComwareDisplayCommands.all }

    static let system: [C] = [
        C("system-view", in: ["user"], help: ["system-view": "Enter the System View"], enters: "system") { ctx in
            ctx.print("System View: return to User View with Ctrl+Z.")
        },
        C("sysname {name:word<1-64>}", in: ["system"], help: ["sysname": "Specify the device name", "name": "Device name"],
          negation: .grammar("sysname")) { ctx in try Edits.sysname(ctx, default: H3CComware.defaultHostname) },
        C("vlan {vid:integer<1-4094>}", in: ["system", "vlan"], help: ["vlan": "Configure a VLAN", "vid": "VLAN ID"],
          enters: ViewEntry("vlan", label: "vid"), negation: .same) { ctx in try Edits.vlans(ctx) },
        C("vlan {vid:integer<1-4094>} to {last:integer<1-4094>}", in: ["system", "vlan"],
          help: ["vlan": "Configure VLANs", "vid": "The first VLAN ID", "to": "Range of VLANs", "last": "The last VLAN ID"],
          negation: .same) { ctx in try Edits.vlans(ctx) },
        C("interface {if:interface}", in: ["system", "interface", "vlan"], help: ["interface": "Enter interface view", "if": "Interface name"],
          enters: ViewEntry("interface", label: "if"), negation: .same) { ctx in try Edits.interface(ctx) },
        C("ip route-static {ip:ipv4} ({mask:mask} | {len:masklen<0-32>}) ({nh:ipv4} | {out:interface} [{nh:ipv4}]) [preference {pref:integer<1-255>}]",
          in: ["system"],
          help: ["route-static": "Configure a static route", "ip": "Destination IP address", "mask": "Mask of the IP address",
                 "len": "Mask length of the IP address", "nh": "Next hop address", "out": "Output interface",
                 "preference": "Specify the preference", "pref": "Preference value"],
          negation: .grammar("ip route-static {ip:ipv4} ({mask:mask} | {len:masklen<0-32>}) [{nh:ipv4} | {out:interface} [{nh:ipv4}]]")) { ctx in
            try Edits.staticRoute(ctx)
        },
        C("bgp {asn:asn}", in: ["system"], help: ["bgp": "Border Gateway Protocol (BGP) module", "asn": "Local AS number"],
          enters: "bgp", negation: .same) { ctx in
            try Edits.bgp(ctx, differentASMessage: "BGP is already running in AS \(ctx.device.config.bgp?.asn ?? 0).")
        },
    ]

    static let interface: [C] = [
        C("ip address {ip:ipv4} ({mask:mask} | {len:masklen<0-32>})", in: ["interface"],
          help: ["address": "Specify an IP address", "ip": "IP address", "mask": "IP address mask", "len": "IP address mask length"],
          negation: .grammar("ip address [{ip:ipv4} ({mask:mask} | {len:masklen<0-32>})]")) { ctx in try Edits.ipAddress(ctx) },
        C("description {text:text<1-255>}", in: ["interface"], help: ["description": "Describe the interface", "text": "Description"],
          negation: .grammar("description")) { ctx in try Edits.description(ctx) },
        C("shutdown", in: ["interface"], help: ["shutdown": "Shut down the interface"], negation: .same) { ctx in try Edits.shutdown(ctx) },
        C("port link-mode (bridge | route)", in: ["interface"],
          help: ["port": "Specify port parameters", "link-mode": "Specify the link mode", "bridge": "Layer 2 mode", "route": "Layer 3 mode"],
          negation: .grammar("port link-mode")) { ctx in try Edits.linkType(ctx) },
        C("port link-type (access | trunk)", in: ["interface"],
          help: ["link-type": "Specify the link type", "access": "Access link type", "trunk": "Trunk link type"],
          negation: .grammar("port link-type")) { ctx in try Edits.linkType(ctx) },
        C("port access vlan {vid:integer<1-4094>}", in: ["interface"],
          help: ["access": "Set the access VLAN", "vlan": "Specify the VLAN", "vid": "VLAN ID"],
          negation: .grammar("port access vlan")) { ctx in try Edits.defaultVLAN(ctx) },
        C("port trunk permit vlan (all | ({vid:integer<1-4094>} [to {last:integer<1-4094>}])...)", in: ["interface"],
          help: ["trunk": "Trunk port", "permit": "Permit VLANs", "all": "All VLANs", "vid": "VLAN ID", "to": "Range of VLANs", "last": "The last VLAN ID"],
          negation: .same) { ctx in try Edits.trunkVLANs(ctx) },
    ]

    static let bgp: [C] = [
        C("router-id {id:ipv4}", in: ["bgp"], help: ["router-id": "Specify the router ID", "id": "Router ID in IP address format"],
          negation: .grammar("router-id")) { ctx in try Edits.routerID(ctx) },
        C("peer {ip:ipv4} as-number {asn:asn}", in: ["bgp"], help: ["as-number": "Specify the AS number of a peer", "asn": "AS number"],
          negation: .grammar("peer {ip:ipv4}")) { ctx in try Edits.peerASNumber(ctx, enabledByDefault: false) },
        C("peer {name:word<1-47>} as-number {asn:asn}", in: ["bgp"], help: ["name": "Peer group name", "as-number": "Specify the AS number"],
          negation: .grammar("peer {name:word<1-47>} as-number")) { ctx in try Edits.groupASNumber(ctx) },
        C(P + " connect-interface {if:interface}", in: ["bgp"],
          help: ["connect-interface": "Specify the source interface for TCP connections", "if": "Interface name"],
          negation: .grammar(P + " connect-interface")) { ctx in try Edits.peerConnectInterface(ctx) },
        C(P + " ebgp-max-hop [{hops:integer<1-255>}]", in: ["bgp"],
          help: ["ebgp-max-hop": "Allow EBGP sessions with indirectly connected peers", "hops": "Maximum number of hops"],
          negation: .grammar(P + " ebgp-max-hop")) { ctx in try Edits.peerEBGPMaxHop(ctx) },
        C(P + " password (cipher | simple) {pw:word<1-137>}", in: ["bgp"],
          help: ["password": "Specify the MD5 authentication password", "cipher": "Ciphertext password", "simple": "Plaintext password",
                 "pw": "Password (1-80 characters, or a cipher text)"],
          negation: .grammar(P + " password")) { ctx in try peerPassword(ctx) },
        C(P + " ignore", in: ["bgp"], help: ["ignore": "Disable session establishment with the peer"], negation: .same) { ctx in
            // Configured but Idle: the speaker neither connects nor accepts until `undo peer X ignore`.
            try Edits.editPeer(ctx) { $0.shutdown = !ctx.negated }
        },
        C(P + " description {text:text<1-79>}", in: ["bgp"],
          help: ["description": "Configure a description for a peer", "text": "Description"],
          negation: .grammar(P + " description")) { ctx in try Edits.peerDescription(ctx) },
        C("peer {ip:ipv4} group {name:word<1-47>}", in: ["bgp"], help: ["group": "Add a peer to a peer group", "name": "Peer group name"],
          negation: .same) { ctx in try Edits.peerGroup(ctx, enabledByDefault: false) },
        C("group {name:word<1-47>} [internal | external]", in: ["bgp"],
          help: ["group": "Create a peer group", "name": "Peer group name", "internal": "IBGP peer group", "external": "EBGP peer group"],
          negation: .grammar("group {name:word<1-47>}")) { ctx in try Edits.group(ctx, enabledByDefault: false) },
        SharedCommands.timer(help: timerHelp),
        SharedCommands.peerTimer(help: timerHelp),
        C("address-family ipv4 [unicast]", in: ["bgp"],
          help: ["address-family": "Specify an address family", "ipv4": "IPv4 address family", "unicast": "Unicast address family"],
          enters: "bgp-ipv4"),
    ]

    /// IPv4 unicast commands: only in the address-family view on Comware (a peer exchanges routes after `peer X enable`).
    static let family: [C] = [
        C(P + " enable", in: ["bgp-ipv4"], help: ["enable": "Enable the peer in the address family"], negation: .same) { ctx in
            try Edits.peerEnable(ctx)
        },
        C(P + " reflect-client", in: ["bgp-ipv4"], help: ["reflect-client": "Configure the peer as a route reflector client"],
          negation: .same) { ctx in try Edits.peerReflectClient(ctx) },
        C(P + " next-hop-local", in: ["bgp-ipv4"], help: ["next-hop-local": "Use the local address as the next hop for routes sent to the peer"],
          negation: .same) { ctx in try Edits.peerNextHopLocal(ctx) },
        C("reflector cluster-id ({id:ipv4} | {n:integer<1-4294967295>})", in: ["bgp-ipv4"],
          help: ["reflector": "Configure the route reflector", "cluster-id": "Specify the cluster ID", "id": "Cluster ID in IP address format",
                 "n": "Cluster ID in integer format"],
          negation: .grammar("reflector cluster-id")) { ctx in try Edits.clusterID(ctx) },
        C("compare-different-as-med", in: ["bgp-ipv4"], help: ["compare-different-as-med": "Compare MEDs of routes from different ASs"],
          negation: .same) { ctx in try Edits.compareDifferentASMED(ctx) },
        C("network {ip:ipv4} [{mask:mask} | {len:masklen<0-32>}]", in: ["bgp-ipv4"],
          help: ["network": "Inject a network into the BGP routing table", "ip": "Network address", "mask": "Network mask", "len": "Network mask length"],
          negation: .same) { ctx in try Edits.network(ctx) },
        C("import-route (direct | static)", in: ["bgp-ipv4"],
          help: ["import-route": "Redistribute routes from another protocol", "direct": "Direct routes", "static": "Static routes"],
          negation: .same) { ctx in try Edits.importRoute(ctx) },
        C("balance [ebgp | ibgp] {n:integer<1-32>}", in: ["bgp-ipv4"],
          help: ["balance": "Configure load balancing", "ebgp": "EBGP routes", "ibgp": "IBGP routes", "n": "Maximum number of ECMP routes"],
          negation: .grammar("balance [ebgp | ibgp]")) { ctx in try Edits.loadBalancing(ctx) },
    ]

    /// `peer <ip> password cipher|simple <text>`: the key is kept as typed (TCP MD5 needs it) and always shown as
    /// `cipher $c$3$…`, as Comware 7 does; a `cipher` argument in that form is decoded first, so a saved
    /// configuration reloads to the same key. Cipher text that does not decode, or a key over 80 characters,
    /// is a Wrong parameter.
    static func peerPassword(_ ctx: CommandContext<NetworkDevice>) throws {
        guard !ctx.negated else { try Edits.editPeer(ctx) { $0.password = nil }; return }
        guard let text = ctx.captures.text("pw") else { return }
        var key = text
        if ctx.captures.has(keyword: "cipher"), PasswordCipher.comware.isFramed(text) {
            guard let decoded = PasswordCipher.comware.decode(text) else { throw CommandFailure.wrongParameter(capture: "pw") }
            key = decoded
        }
        guard key.count <= 80 else { throw CommandFailure.wrongParameter(capture: "pw") }
        try Edits.editPeer(ctx) { $0.password = .cipher(key) }
    }

    /// Help for `timer …` in Comware's words (grammar and handler: `SharedCommands.timer`). Comware 7 closes no
    /// session on a timer change: the new timers go into the next OPEN (`RunningConfig.timerChangeResetsSession(kind:)`).
    static let timerHelp = ["timer": "Configure BGP timers", "keepalive": "Specify the keepalive interval",
                            "k": "Keepalive interval in seconds", "hold": "Specify the hold time",
                            "h": "Hold time in seconds: 0, or 3 to 65535 and at least three keepalive intervals"]

    static let glossary: [String: String] = [
        "display": "Display current system information", "peer": "Specify BGP peers", "ip": "Specify IP configuration",
        "bgp": "BGP module", "ipv4": "IPv4 address family", "unicast": "Unicast address family", "routing-table": "Display routing table",
        "interface": "Display interface information", "brief": "Brief information", "verbose": "Detailed information",
        "protocol": "Routes of a protocol", "this": "Display the running configuration of the current view",
        "current-configuration": "Running configuration", "configuration": "Configuration of a feature", "save": "Save the running configuration",
        "vlan": "VLAN information", "port": "Specify port parameters", "mask": "Network mask", "len": "Network mask length", "asn": "AS number", "to": "Range",
        "name": "Peer group name",
    ]
}
