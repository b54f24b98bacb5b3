import BGPWire
import CLIEngine

/// Command handlers shared by the VRP and Comware personalities: each reads the captures its grammar names
/// (`ip`, `asn`, `mask`/`len`, `vid`/`last` …) and changes the running configuration through
/// `NetworkDevice.update`. Vendor wording of refusals is passed in where the vendors differ.
public enum Edits {
    public typealias Context = CommandContext<NetworkDevice>

    // MARK: - Captures

    public static func ipv4(_ ctx: Context, _ name: String) -> IPv4Address? {
        ctx.captures[name, as: IPv4Value.self].map { IPv4Address($0.value) }
    }

    /// The prefix length typed as a dotted mask (`mask`) or a length (`len`); nil when neither was typed.
    public static func length(_ ctx: Context, mask: String = "mask", len: String = "len") -> UInt8? {
        if let m = ctx.captures[mask, as: IPv4MaskValue.self] { return UInt8(m.length) }
        if let l = ctx.captures[len, as: MaskLengthValue.self] { return UInt8(l.length) }
        return nil
    }

    /// `10 20 to 30 40` → [10, 20…30, 40], from repeated `{vid} [to {last}]` captures in typed order.
    public static func vlanList(_ ctx: Context) -> [Int] {
        var out: [Int] = []
        var previous: Int?
        for c in ctx.captures.entries.sorted(by: { $0.tokenIndex < $1.tokenIndex }) {
            guard let v = c.value as? IntegerValue else { continue }
            let n = Int(v.value)
            if c.name == "last", let start = previous {
                if n > start { out += (start + 1)...n }
                previous = nil
            } else if c.name == "vid" {
                out.append(n)
                previous = n
            }
        }
        return out
    }

    /// The interface a command in an interface view applies to.
    public static func currentInterface(_ ctx: Context) throws -> String {
        guard let name = ctx.view.label else { throw CommandFailure.message("Error: No interface is selected.") }
        return name
    }

    // MARK: - System

    public static func sysname(_ ctx: Context, default name: String) throws {
        let new = ctx.negated ? name : (ctx.captures.text("name") ?? name)
        try ctx.device.update { $0.hostname = new }
        ctx.hostname = new
    }

    public static func vlans(_ ctx: Context) throws {
        let list = vlanList(ctx)
        try ctx.device.update { c in
            if ctx.negated { c.vlans.subtract(list) } else { c.vlans.formUnion(list.filter { $0 != 1 }) }
        }
    }

    /// `interface X`: creates the interface in the configuration (the view opens by the declaration).
    public static func interface(_ ctx: Context) throws {
        guard let name = ctx.captures.text("if") else { return }
        if ctx.negated {
            guard InterfaceConfig(name: name).isLogical else { throw CommandFailure.message("Error: The interface cannot be deleted.") }
            try ctx.device.update { $0.interfaces.removeAll { $0.name == name } }
            return
        }
        try ctx.device.update { c in if !c.hasInterface(name) { c[interface: name] = InterfaceConfig(name: name) } }
    }

    public static func staticRoute(_ ctx: Context) throws {
        guard let ip = ipv4(ctx, "ip"), let len = length(ctx) else { return }
        let prefix = IPv4Prefix(IPv4Address(ip.value & IPv4Prefix.mask(len)), length: len)
        let route = StaticRoute(prefix: prefix, nextHop: ipv4(ctx, "nh"), interface: ctx.captures.text("out"),
                                preference: ctx.captures["pref", as: IntegerValue.self].map { Int($0.value) })
        try ctx.device.update { c in
            if ctx.negated {
                c.staticRoutes.removeAll { $0.prefix == prefix && (route.nextHop == nil || $0.nextHop == route.nextHop) }
            } else {
                c.staticRoutes.removeAll { $0.prefix == prefix && $0.nextHop == route.nextHop && $0.interface == route.interface }
                c.staticRoutes.append(route)
            }
        }
    }

    // MARK: - Interface view

    public static func ipAddress(_ ctx: Context) throws {
        let name = try currentInterface(ctx)
        let ip = ipv4(ctx, "ip"), len = length(ctx)
        let current = ctx.device.config[interface: name]
        if case .access = current.effectiveMode, !current.isLogical, !ctx.negated {
            throw CommandFailure.message("Error: The interface is a layer 2 port; run undo portswitch first.")
        }
        try ctx.device.update { c in
            var i = c[interface: name]
            if ctx.negated {
                i.addresses.removeAll { a in ip == nil || (a.address == ip && (len == nil || a.length == len)) }
            } else if let ip, let len {
                // A second `ip address` replaces the primary one, as on the switch (no `sub`).
                i.addresses = [InterfaceAddressConfig(ip, length: len)]
            }
            c[interface: name] = i
        }
    }

    public static func description(_ ctx: Context) throws {
        let name = try currentInterface(ctx)
        try ctx.device.update { $0[interface: name].description = ctx.negated ? nil : ctx.captures.text("text") }
    }

    public static func shutdown(_ ctx: Context) throws {
        let name = try currentInterface(ctx)
        try ctx.device.update { $0[interface: name].shutdown = !ctx.negated }
    }

    private static func requireSwitchPort(_ name: String) throws {
        if InterfaceConfig(name: name).isLogical {
            throw CommandFailure.message("Error: This command is not supported on this interface.")
        }
    }

    public static func linkType(_ ctx: Context) throws {
        let name = try currentInterface(ctx)
        try requireSwitchPort(name)
        try ctx.device.update { c in
            var i = c[interface: name]
            if ctx.negated || ctx.captures.has(keyword: "access") {
                i.mode = .access(vlan: 1)
            } else if ctx.captures.has(keyword: "trunk") {
                i.mode = .trunk(allowed: [1])
            } else if ctx.captures.has(keyword: "route") {
                i.mode = .routed
            } else if ctx.captures.has(keyword: "bridge") {
                i.mode = .access(vlan: 1)
            }
            i.linkTypeSet = !ctx.negated && !ctx.captures.has(keyword: "route") && !ctx.captures.has(keyword: "bridge")
            if i.mode != .routed { i.addresses = [] }
            c[interface: name] = i
        }
    }

    public static func defaultVLAN(_ ctx: Context) throws {
        let name = try currentInterface(ctx)
        try requireSwitchPort(name)
        let vid = ctx.negated ? 1 : Int(ctx.captures["vid", as: IntegerValue.self]?.value ?? 1)
        let cfg = ctx.device.config
        guard vid == 1 || cfg.vlans.contains(vid) else { throw CommandFailure.message("Error: The VLAN does not exist.") }
        guard case .access = cfg[interface: name].effectiveMode else {
            throw CommandFailure.message("Error: Please set the port link-type to access first.")
        }
        try ctx.device.update { $0[interface: name].mode = .access(vlan: vid) }
    }

    public static func trunkVLANs(_ ctx: Context) throws {
        let name = try currentInterface(ctx)
        try requireSwitchPort(name)
        let all = ctx.captures.has(keyword: "all")
        let list = all ? Array(1...4094) : vlanList(ctx)
        guard case .trunk(let allowed) = ctx.device.config[interface: name].effectiveMode else {
            throw CommandFailure.message("Error: Please set the port link-type to trunk first.")
        }
        let new = ctx.negated ? allowed.filter { !list.contains($0) } : Array(Set(allowed + list)).sorted()
        try ctx.device.update { $0[interface: name].mode = .trunk(allowed: new) }
    }

    /// `undo portswitch` makes the port routed; `portswitch` makes it an access port in VLAN 1 again.
    public static func portswitch(_ ctx: Context) throws {
        let name = try currentInterface(ctx)
        try requireSwitchPort(name)
        try ctx.device.update { c in
            c[interface: name].mode = ctx.negated ? .routed : .access(vlan: 1)
            if !ctx.negated { c[interface: name].addresses = [] }
        }
    }

    // MARK: - BGP

    /// `bgp <as>`: starts BGP, or re-enters it; another AS while one runs is refused, as on the switch.
    public static func bgp(_ ctx: Context, differentASMessage: String) throws {
        guard let asn = ctx.captures["asn", as: ASNumberValue.self]?.value else { return }
        let existing = ctx.device.config.bgp
        if ctx.negated {
            guard existing?.asn == asn else { throw CommandFailure.message(differentASMessage) }
            try ctx.device.update { $0.bgp = nil }
            return
        }
        if let existing, existing.asn != asn { throw CommandFailure.message(differentASMessage) }
        if existing == nil { try ctx.device.update { $0.bgp = BGPInstance(asn: asn) } }
    }

    /// Runs `body` on the BGP instance; the views that reach here exist only while BGP is configured.
    public static func editBGP(_ ctx: Context, _ body: (inout BGPInstance) throws -> Void) throws {
        try ctx.device.update { c in
            guard var b = c.bgp else { throw CommandFailure.message("Error: BGP is not configured.") }
            try body(&b)
            c.bgp = b
        }
    }

    public static func routerID(_ ctx: Context) throws {
        try editBGP(ctx) { $0.routerID = ctx.negated ? nil : ipv4(ctx, "id") }
    }

    /// `peer <ip> as-number <as>` creates or changes a peer; `undo peer <ip>` removes it with all its settings.
    /// - Parameter enabledByDefault: VRP enables IPv4 unicast for a new peer; Comware waits for `peer X enable`.
    public static func peerASNumber(_ ctx: Context, enabledByDefault: Bool) throws {
        guard let ip = ipv4(ctx, "ip") else { return }
        try editBGP(ctx) { b in
            if ctx.negated {
                guard b.peer(ip) != nil else { throw CommandFailure.message(peerMissing) }
                b.peers.removeAll { $0.address == ip }
                return
            }
            guard let asn = ctx.captures["asn", as: ASNumberValue.self]?.value else { return }
            if !b.editPeer(ip, { $0.remoteAS = asn }) {
                b.peers.append(BGPPeerSettings(address: ip, remoteAS: asn, ipv4Enabled: enabledByDefault))
            }
        }
    }

    public static let peerMissing = "Error: The peer does not exist."

    public static let groupMissing = "Error: The specified peer group does not exist."

    /// Edits the options of an existing peer (the `ip` capture) or peer group (the `name` capture, from a
    /// `peer ({ip:ipv4} | {name:word}) …` grammar); a missing one is refused. A group's change reaches its
    /// members' sessions live, as `BGPInstance.effectiveOptions(of:)` is what the speaker runs.
    public static func editPeer(_ ctx: Context, _ body: @escaping (inout BGPPeerOptions) throws -> Void) throws {
        if let ip = ipv4(ctx, "ip") {
            try editBGP(ctx) { b in
                guard let i = b.peers.firstIndex(where: { $0.address == ip }) else { throw CommandFailure.message(peerMissing) }
                try body(&b.peers[i].options)
            }
        } else if let name = ctx.captures.text("name") {
            try editBGP(ctx) { b in
                guard let i = b.groups.firstIndex(where: { $0.name == name }) else { throw CommandFailure.message(groupMissing) }
                try body(&b.groups[i].options)
            }
        }
    }

    public static func peerDescription(_ ctx: Context) throws {
        try editPeer(ctx) { $0.description = ctx.negated ? nil : ctx.captures.text("text") }
    }

    public static func peerConnectInterface(_ ctx: Context) throws {
        try editPeer(ctx) { p in
            p.connectInterface = ctx.negated ? nil : ctx.captures.text("if")
            p.connectAddress = ctx.negated ? nil : ipv4(ctx, "src")
        }
    }

    public static func peerEBGPMaxHop(_ ctx: Context) throws {
        try editPeer(ctx) { p in
            p.ebgpMaxHop = ctx.negated ? nil : UInt8(ctx.captures["hops", as: IntegerValue.self]?.value ?? 255)
        }
    }

    public static func peerPassword(_ ctx: Context) throws {
        try editPeer(ctx) { p in
            guard !ctx.negated, let text = ctx.captures.text("pw") else { p.password = nil; return }
            p.password = ctx.captures.has(keyword: "simple") ? .simple(text) : .cipher(text)
        }
    }

    /// `peer <ip> group <name>` adds a peer (creating it when new, AS from the group) to an existing group;
    /// `undo peer <ip> group <name>` takes it out again, and a member that has no AS of its own goes with it
    /// (it could not run without the group).
    public static func peerGroup(_ ctx: Context, enabledByDefault: Bool) throws {
        guard let ip = ipv4(ctx, "ip"), let name = ctx.captures.text("name") else { return }
        try editBGP(ctx) { b in
            guard b.group(name) != nil else { throw CommandFailure.message(groupMissing) }
            if ctx.negated {
                guard let p = b.peer(ip), p.group == name else { throw CommandFailure.message(peerMissing) }
                leaveGroup(&b) { $0.address == ip }
            } else if !b.editPeer(ip, { $0.group = name }) {
                var p = BGPPeerSettings(address: ip, remoteAS: nil, ipv4Enabled: enabledByDefault)
                p.group = name
                b.peers.append(p)
            }
        }
    }

    /// Takes the peers `which` picks out of their group; those with no AS of their own are deleted, as VRP's
    /// reference says deleting a group closes the sessions of the members that have no AS number of their own.
    static func leaveGroup(_ b: inout BGPInstance, _ which: (BGPPeerSettings) -> Bool) {
        b.peers.removeAll { which($0) && $0.remoteAS == nil }
        for i in b.peers.indices where which(b.peers[i]) { b.peers[i].group = nil }
    }

    /// `group <name> [internal|external]` creates a group (IBGP unless `external`); typed again it changes the type.
    /// `undo group <name>` deletes it: members with their own AS stay as plain peers, the others are deleted.
    public static func group(_ ctx: Context, enabledByDefault: Bool) throws {
        guard let name = ctx.captures.text("name") else { return }
        try editBGP(ctx) { b in
            if ctx.negated {
                guard b.group(name) != nil else { throw CommandFailure.message(groupMissing) }
                b.groups.removeAll { $0.name == name }
                leaveGroup(&b) { $0.group == name }
                return
            }
            let kind: BGPGroup.Kind = ctx.captures.has(keyword: "external") ? .external : .internal
            if let i = b.groups.firstIndex(where: { $0.name == name }) { b.groups[i].kind = kind } else {
                b.groups.append(BGPGroup(name: name, kind: kind, ipv4Enabled: enabledByDefault))
            }
        }
    }

    public static func groupASNumber(_ ctx: Context) throws {
        guard let name = ctx.captures.text("name") else { return }
        try editBGP(ctx) { b in
            guard let i = b.groups.firstIndex(where: { $0.name == name }) else {
                throw CommandFailure.message(groupMissing)
            }
            b.groups[i].remoteAS = ctx.negated ? nil : ctx.captures["asn", as: ASNumberValue.self]?.value
        }
    }

    // MARK: - IPv4 unicast family

    public static func peerEnable(_ ctx: Context) throws { try editPeer(ctx) { $0.ipv4Enabled = !ctx.negated } }
    public static func peerReflectClient(_ ctx: Context) throws { try editPeer(ctx) { $0.reflectClient = !ctx.negated } }
    public static func peerNextHopLocal(_ ctx: Context) throws { try editPeer(ctx) { $0.nextHopLocal = !ctx.negated } }

    public static func clusterID(_ ctx: Context) throws {
        try editBGP(ctx) { b in
            if ctx.negated { b.clusterID = nil; return }
            if let ip = ipv4(ctx, "id") { b.clusterID = ip } else if let n = ctx.captures["n", as: IntegerValue.self] {
                b.clusterID = IPv4Address(UInt32(truncatingIfNeeded: n.value))
            }
        }
    }

    public static func compareDifferentASMED(_ ctx: Context) throws {
        try editBGP(ctx) { $0.compareDifferentASMED = !ctx.negated }
    }

    public static func synchronization(_ ctx: Context) throws {
        try editBGP(ctx) { $0.undoSynchronization = ctx.negated }
    }

    /// `network 10.1.1.0 24`: without a mask the classful natural length applies.
    public static func network(_ ctx: Context) throws {
        guard let ip = ipv4(ctx, "ip") else { return }
        let len = length(ctx) ?? Columns.naturalLength(of: ip.value)
        let prefix = IPv4Prefix(IPv4Address(ip.value & IPv4Prefix.mask(len)), length: len)
        try editBGP(ctx) { b in
            if ctx.negated {
                guard b.networks.contains(prefix) else { throw CommandFailure.message("Error: The network does not exist.") }
                b.networks.removeAll { $0 == prefix }
            } else if !b.networks.contains(prefix) {
                b.networks.append(prefix)
            }
        }
    }

    public static func importRoute(_ ctx: Context) throws {
        let source: BGPInstance.ImportSource = ctx.captures.has(keyword: "static") ? .static : .direct
        try editBGP(ctx) { b in
            if ctx.negated { b.importRoutes.remove(source) } else { b.importRoutes.insert(source) }
        }
    }

    public static func loadBalancing(_ ctx: Context) throws {
        try editBGP(ctx) { b in
            b.maxLoadBalancing = ctx.negated ? 1 : Int(ctx.captures["n", as: IntegerValue.self]?.value ?? 1)
        }
    }
}
