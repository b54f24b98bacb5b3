/// What a device kind is for; the planner builds namespaces and daemons from this, never from the kind name.
public enum KindRole: String, Hashable, Sendable {
    /// A vendor switch: L2 ports in a VLAN-filtering bridge, L3 on VLAN interfaces or routed ports.
    case vendorSwitch
    /// A Linux router running a routing suite (Quagga).
    case router
    /// An emulated Calico node (BIRD-like speaker, pods).
    case calicoNode
    /// A plain Linux host: addresses, a default route and `exec` commands, no daemon.
    case host
    /// A plain L2 segment: one Linux bridge, no addresses.
    case bridge
}

/// The vendor whose port names and configuration syntax a switch kind speaks.
public enum SwitchVendor: String, Hashable, Sendable {
    case huawei
    case h3c
}

/// One device kind a topology may name. Kinds are data: the per-kind facts sit here, not in `switch`es
/// spread over the loader and planner.
public struct Kind: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public let role: KindRole
    /// Set for switch kinds: port naming and startup-config syntax.
    public let vendor: SwitchVendor?
    /// Node keys (besides `kind`) this kind accepts.
    public let keys: [String]
    /// Whether a per-device daemon runs in the node's namespace.
    public let runsDaemon: Bool
    /// One line telling the user what the kind is, for `peerlab kinds` and error messages.
    public let summary: String

    public var description: String { name }

    public var acceptsStartupConfig: Bool { keys.contains("startup-config") }

    public static let huaweiVRP = Kind(name: "huawei-vrp", role: .vendorSwitch, vendor: .huawei,
                                       keys: ["startup-config"], runsDaemon: true,
                                       summary: "Huawei VRP switch (S5700/S9700-style ports GigabitEthernet0/0/1)")
    public static let h3cComware = Kind(name: "h3c-comware", role: .vendorSwitch, vendor: .h3c,
                                        keys: ["startup-config"], runsDaemon: true,
                                        summary: "H3C Comware 7 switch (ports GigabitEthernet1/0/1)")
    public static let quagga = Kind(name: "quagga", role: .router, vendor: nil,
                                    keys: ["startup-config", "interfaces", "gateway", "exec"], runsDaemon: true,
                                    summary: "Quagga-style Linux router (vtysh), Linux ports eth0")
    public static let calicoNode = Kind(name: "calico-node", role: .calicoNode, vendor: nil,
                                        keys: ["labels", "interfaces", "gateway", "exec"], runsDaemon: true,
                                        summary: "Kubernetes node running calico-node, Linux ports eth0")
    public static let host = Kind(name: "host", role: .host, vendor: nil,
                                  keys: ["interfaces", "gateway", "exec"], runsDaemon: false,
                                  summary: "plain Linux host, Linux ports eth0")
    public static let bridge = Kind(name: "bridge", role: .bridge, vendor: nil,
                                    keys: [], runsDaemon: false,
                                    summary: "plain L2 segment (a Linux bridge)")
}

/// The strict set of kinds a topology may use: a duplicate name is refused when the registry is built,
/// and an unknown name is answered with the list of valid ones.
public struct KindRegistry: Sendable {
    public let kinds: [Kind]

    public struct DuplicateKind: Error, CustomStringConvertible {
        public let name: String
        public var description: String { "node kind '\(name)' is already registered" }
    }

    public init(_ kinds: [Kind]) throws {
        var seen = Set<String>()
        for kind in kinds where !seen.insert(kind.name).inserted { throw DuplicateKind(name: kind.name) }
        self.kinds = kinds
    }

    /// The kinds PeerLab ships.
    public static let standard: KindRegistry = {
        do { return try KindRegistry([.huaweiVRP, .h3cComware, .quagga, .calicoNode, .host, .bridge]) }
        catch { fatalError("built-in kind table is inconsistent: \(error)") }
    }()

    public var names: [String] { kinds.map(\.name) }

    /// The kind called `name`, or a message listing the valid kinds.
    public func kind(named name: String) -> Result<Kind, UnknownKind> {
        if let kind = kinds.first(where: { $0.name == name }) { return .success(kind) }
        return .failure(UnknownKind(name: name, valid: names))
    }

    public struct UnknownKind: Error, Hashable, CustomStringConvertible {
        public let name: String
        public let valid: [String]
        public var description: String {
            "kind '\(name)' is not supported; supported kinds are \(valid.joined(separator: ", "))"
        }
    }
}
