import BGPWire

/// The running configuration of one switch or router, as values. Vendor personalities edit it through
/// `NetworkDevice.update` and render it back as their own configuration text.
public struct RunningConfig: Hashable, Sendable {
    public var hostname: String
    /// VLANs created with `vlan batch` / `vlan`, besides the default VLAN 1.
    public var vlans: Set<Int> = []
    /// Interfaces in the order they were first configured.
    public var interfaces: [InterfaceConfig] = []
    public var staticRoutes: [StaticRoute] = []
    public var bgp: BGPInstance?

    public init(hostname: String) { self.hostname = hostname }

    /// The interface called `name`, created with defaults when missing (`interface Vlanif98` creates it).
    public subscript(interface name: String) -> InterfaceConfig {
        get { interfaces.first { $0.name == name } ?? InterfaceConfig(name: name) }
        set {
            if let i = interfaces.firstIndex(where: { $0.name == name }) { interfaces[i] = newValue } else { interfaces.append(newValue) }
        }
    }

    public func hasInterface(_ name: String) -> Bool { interfaces.contains { $0.name == name } }

    /// Every interface address on the device, with the interface that holds it.
    public var addresses: [(interface: String, address: InterfaceAddressConfig)] {
        interfaces.flatMap { i in i.addresses.map { (i.name, $0) } }
    }
}

/// An IPv4 address with its prefix length, as `ip address 10.98.0.1 255.255.255.0` configures it.
public struct InterfaceAddressConfig: Hashable, Sendable, CustomStringConvertible {
    public var address: IPv4Address
    public var length: UInt8
    public init(_ address: IPv4Address, length: UInt8) { self.address = address; self.length = length }
    public var network: IPv4Prefix { IPv4Prefix(address, length: length) }
    public var mask: IPv4Address { IPv4Address(IPv4Prefix.mask(length)) }
    public var description: String { "\(address)/\(length)" }
}

/// Layer-2 behaviour of a port; VLAN interfaces and loopbacks are always `.routed`.
public enum PortMode: Hashable, Sendable {
    /// `port link-type access` + `port default vlan N` (VLAN 1 until set).
    case access(vlan: Int)
    /// `port link-type trunk` + `port trunk allow-pass vlan …`.
    case trunk(allowed: [Int])
    /// `undo portswitch` / `port link-mode route`: the port carries its own addresses.
    case routed
}

public struct InterfaceConfig: Hashable, Sendable {
    public var name: String
    public var description: String?
    public var shutdown = false
    public var addresses: [InterfaceAddressConfig] = []
    /// nil = the vendor default (an access port in VLAN 1 for a switch port; routed for logical interfaces).
    public var mode: PortMode?
    /// Whether `port link-type` was typed explicitly (so the configuration text shows it).
    public var linkTypeSet = false

    public init(name: String) { self.name = name }

    /// VLAN interface, loopback and NULL names are routed by nature.
    public var isLogical: Bool {
        ["Vlanif", "Vlan-interface", "LoopBack", "NULL", "InLoopBack"].contains { name.hasPrefix($0) }
    }

    public var effectiveMode: PortMode { isLogical ? .routed : (mode ?? .access(vlan: 1)) }
}

/// `ip route-static 0.0.0.0 0 10.0.0.254`: a prefix via a gateway (or out of an interface).
public struct StaticRoute: Hashable, Sendable {
    public var prefix: IPv4Prefix
    public var nextHop: IPv4Address?
    public var interface: String?
    public var preference: Int?

    public init(prefix: IPv4Prefix, nextHop: IPv4Address?, interface: String? = nil, preference: Int? = nil) {
        self.prefix = prefix; self.nextHop = nextHop; self.interface = interface; self.preference = preference
    }
}

/// The `bgp <as>` block with its address-family settings.
public struct BGPInstance: Hashable, Sendable {
    public var asn: UInt32
    public var routerID: IPv4Address?
    public var clusterID: IPv4Address?
    public var compareDifferentASMED = false
    /// `maximum load-balancing [ebgp|ibgp] n` / `balance n`; 1 = no ECMP.
    public var maxLoadBalancing = 1
    public var networks: [IPv4Prefix] = []
    public var importRoutes: Set<ImportSource> = []
    /// VRP5 shows `undo synchronization` in the AF block once it was typed (it is the default anyway).
    public var undoSynchronization = false
    public var peers: [BGPPeerSettings] = []
    public var groups: [BGPGroup] = []
    /// `timer keepalive K hold H` (VRP, Comware) / `timers bgp K H` (Quagga): every peer without its own.
    public var timers: BGPTimers?

    public enum ImportSource: String, Hashable, Sendable, CaseIterable { case direct, `static` }

    public init(asn: UInt32) { self.asn = asn }

    public func peer(_ address: IPv4Address) -> BGPPeerSettings? { peers.first { $0.address == address } }

    /// Edits the peer at `address`; a missing peer is created only by `create` (`as-number`).
    public mutating func editPeer(_ address: IPv4Address, _ body: (inout BGPPeerSettings) -> Void) -> Bool {
        guard let i = peers.firstIndex(where: { $0.address == address }) else { return false }
        body(&peers[i])
        return true
    }

    public func group(_ name: String) -> BGPGroup? { groups.first { $0.name == name } }

    /// Peers configured administratively down (themselves or through their group), for the displays' `Idle (Admin)`.
    public var adminDownPeers: Set<IPv4Address> { Set(peers.filter { effectiveOptions(of: $0).shutdown }.map(\.address)) }

    /// The timers a peer proposes: its own, else its group's, else the instance's, else the vendors' 60/180.
    public func timers(of peer: BGPPeerSettings) -> BGPTimers { effectiveOptions(of: peer).timers ?? timers ?? .vendorDefault }

    /// What a peer runs with: its own options, the rest from its group.
    public func effectiveOptions(of peer: BGPPeerSettings) -> BGPPeerOptions {
        guard let g = peer.group.flatMap(group) else { return peer.options }
        return peer.options.inheriting(from: g.options)
    }

    /// The peer at `address` with its group's options folded in: what the displays and the speaker see.
    public func effectivePeer(_ address: IPv4Address) -> BGPPeerSettings? {
        guard var p = peer(address) else { return nil }
        p.options = effectiveOptions(of: p)
        return p
    }

    /// The peers of group `name`, in configuration order.
    public func members(of name: String) -> [BGPPeerSettings] { peers.filter { $0.group == name } }

    /// The AS a peer runs: its own `as-number`, else its group's.
    public func remoteAS(of peer: BGPPeerSettings) -> UInt32? {
        if let asn = peer.remoteAS { return asn }
        guard let g = peer.group.flatMap(group) else { return nil }
        return g.remoteAS ?? (g.kind == .internal ? asn : nil)
    }
}

/// `group <name> [internal|external]` (VRP, Comware) / `neighbor NAME peer-group` (Quagga): a peer's settings
/// typed once for every member. A member inherits each option it does not set itself (its own setting wins, as
/// VRP's and Comware's references say; Quagga keeps the same rule for the options it lets a member override).
@dynamicMemberLookup
public struct BGPGroup: Hashable, Sendable {
    /// Quagga's peer-group has no type: its AS comes from `neighbor NAME remote-as`, or each member brings its own.
    public enum Kind: String, Hashable, Sendable { case `internal`, external, untyped }
    public var name: String
    public var kind: Kind
    public var remoteAS: UInt32?
    public var options: BGPPeerOptions

    public init(name: String, kind: Kind, remoteAS: UInt32? = nil, ipv4Enabled: Bool = false) {
        self.name = name; self.kind = kind; self.remoteAS = remoteAS; options = BGPPeerOptions(ipv4Enabled: ipv4Enabled)
    }

    public subscript<T>(dynamicMember key: WritableKeyPath<BGPPeerOptions, T>) -> T {
        get { options[keyPath: key] }
        set { options[keyPath: key] = newValue }
    }
}

/// What `peer <ip-or-group> …` sets besides the AS and the membership: the same options on a peer and on a group.
public struct BGPPeerOptions: Hashable, Sendable {
    public var description: String?
    /// `connect-interface <if> [<ip>]`.
    public var connectInterface: String?
    public var connectAddress: IPv4Address?
    /// `ebgp-max-hop [n]` (255 when typed without a value).
    public var ebgpMaxHop: UInt8?
    public var password: BGPPeerSettings.Password?
    /// Per-family enable in the IPv4 unicast AF (VRP enables IPv4 by default; Comware needs `peer X enable`).
    public var ipv4Enabled: Bool
    public var reflectClient = false
    public var nextHopLocal = false
    /// Administratively down (Quagga `neighbor X shutdown`, VRP / Comware `peer X ignore`): configured, never connects.
    public var shutdown = false
    /// `peer X timer keepalive K hold H` / `neighbor X timers K H`; nil = the instance's timers.
    public var timers: BGPTimers?

    public init(ipv4Enabled: Bool) { self.ipv4Enabled = ipv4Enabled }

    /// These options with every one left unset taken from `group`: a value the peer set wins; a switch (enable,
    /// reflect-client, next-hop-local, ignore) is on when either has it on, as the vendors have no per-member
    /// "off" for a switch the group turned on. The connect address goes with the interface it belongs to.
    public func inheriting(from group: BGPPeerOptions) -> BGPPeerOptions {
        var o = self
        o.description = description ?? group.description
        if connectInterface == nil, connectAddress == nil {
            o.connectInterface = group.connectInterface; o.connectAddress = group.connectAddress
        }
        o.ebgpMaxHop = ebgpMaxHop ?? group.ebgpMaxHop
        o.password = password ?? group.password
        o.ipv4Enabled = ipv4Enabled || group.ipv4Enabled
        o.reflectClient = reflectClient || group.reflectClient
        o.nextHopLocal = nextHopLocal || group.nextHopLocal
        o.shutdown = shutdown || group.shutdown
        o.timers = timers ?? group.timers
        return o
    }
}

/// One `peer <ip> …` set of lines: its AS, its group, and its own options (`BGPInstance.effectiveOptions(of:)`
/// adds the group's).
@dynamicMemberLookup
public struct BGPPeerSettings: Hashable, Sendable {
    public var address: IPv4Address
    public var remoteAS: UInt32?
    public var group: String?
    public var options: BGPPeerOptions

    public enum Password: Hashable, Sendable {
        case cipher(String)
        case simple(String)
        public var text: String { switch self { case .cipher(let s), .simple(let s): s } }
    }

    public init(address: IPv4Address, remoteAS: UInt32?, ipv4Enabled: Bool) {
        self.address = address; self.remoteAS = remoteAS; options = BGPPeerOptions(ipv4Enabled: ipv4Enabled)
    }

    public subscript<T>(dynamicMember key: WritableKeyPath<BGPPeerOptions, T>) -> T {
        get { options[keyPath: key] }
        set { options[keyPath: key] = newValue }
    }
}

/// A keepalive interval and hold time in seconds, as the timer commands configure them. 0 means no keepalives
/// (keepalive 0: a third of the negotiated hold time instead).
public struct BGPTimers: Hashable, Sendable {
    public var keepalive: UInt16
    public var hold: UInt16
    public init(keepalive: UInt16, hold: UInt16) { self.keepalive = keepalive; self.hold = hold }

    /// What VRP, Comware and Quagga propose when nothing is configured (spec §A.5, §B.5, §C.5: hold 180, keepalive 60).
    public static let vendorDefault = BGPTimers(keepalive: 60, hold: 180)

    /// The connect-retry interval every device kind runs. Real boxes wait longer (VRP and Comware 32 s, Quagga
    /// 120 s); the lab keeps the speaker's 5 s so a fabric converges quickly after a peer comes up late. The
    /// VRP verbose display shows this value, as it is what the speaker does.
    public static let connectRetry: UInt16 = 5

    /// Hold 0 or at least 3 s (RFC 4271 §4.2: 1 and 2 are never sent).
    public var holdIsValid: Bool { hold == 0 || hold >= 3 }

    /// The hold time spans three keepalive intervals, or one of them is 0: the rule VRP and Comware enforce
    /// when the timers are typed (Quagga instead lowers the keepalive to a third of the hold time).
    public var holdCoversThreeKeepalives: Bool { hold == 0 || keepalive == 0 || UInt32(hold) >= 3 * UInt32(keepalive) }
}
