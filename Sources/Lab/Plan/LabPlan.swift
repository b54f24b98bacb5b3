/// Everything a lab needs from the kernel and the process table, as an ordered list of steps computed
/// purely from a `Topology`. Bring-up runs `steps` in order; teardown runs `teardownSteps` (the undo of
/// every step that has one, in reverse). Deleting a namespace removes every link, bridge, address and
/// route inside it, so only namespaces and daemons need explicit undo.
public struct LabPlan: Hashable, Sendable {
    public var lab: String
    public var names: LabNames
    public var namespaces: [NamespacePlan]
    public var steps: [LabStep]

    public var daemons: [DaemonPlan] {
        steps.compactMap { if case .startDaemon(let d) = $0 { return d } else { return nil } }
    }
    public var veths: [VethPair] {
        steps.compactMap { if case .createVeth(let v) = $0 { return v } else { return nil } }
    }

    /// The undo of each step that has one, last first.
    public var teardownSteps: [LabStep] { steps.reversed().compactMap(\.undo) }

    public func namespace(for node: String) -> String? { namespaces.first { $0.node == node }?.name }
}

/// A node's namespace.
public struct NamespacePlan: Hashable, Sendable, Codable {
    public var node: String
    public var name: String
}

/// One end of a veth pair: where it lives and what it is called there.
public struct VethEnd: Hashable, Sendable, Codable, CustomStringConvertible {
    public var node: String
    public var namespace: String
    /// Kernel name inside the namespace (`eth0`, `ge1-0-1`).
    public var name: String
    /// The port as the topology names it (`GigabitEthernet1/0/1`); set as ifalias when it differs.
    public var port: String
    public var description: String { "\(namespace)/\(name)" }
}

/// A cable: one veth pair created inside the two nodes' namespaces (never in the root namespace).
public struct VethPair: Hashable, Sendable, Codable {
    public var a: VethEnd
    public var b: VethEnd
}

/// Bridge VLAN membership of one port (or of the bridge itself with `self`).
public struct BridgeVLAN: Hashable, Sendable, Codable {
    public var vlan: Int
    /// Untagged frames arriving on the port belong to this VLAN.
    public var pvid: Bool
    /// Frames of this VLAN leave the port untagged.
    public var untagged: Bool
}

/// What runs as a device daemon in a node's namespace.
public struct DaemonPlan: Hashable, Sendable, Codable {
    public var node: String
    public var kind: String
    public var namespace: String
    /// Arguments after the `peerlab` executable: `device run --kind … --name … --socket …` (see `daemonArguments`).
    public var arguments: [String]
    public var socket: String
    public var log: String
}

/// One bring-up action. Everything names its namespace explicitly; nothing touches the root namespace.
public enum LabStep: Hashable, Sendable {
    case createNamespace(String)
    case setSysctl(namespace: String, key: String, value: String)
    case createBridge(namespace: String, name: String, vlanFiltering: Bool)
    case createVeth(VethPair)
    /// A VLAN device on a bridge (`vlanif98` on `swbr`, VLAN 98), for Vlanif/Vlan-interface.
    case createVLANInterface(namespace: String, name: String, bridge: String, vlan: Int, alias: String)
    case attachToBridge(namespace: String, port: String, bridge: String)
    /// Sets the exact VLAN membership of a bridge port (replacing the default VLAN 1); `isBridgeItself`
    /// means `bridge vlan add … self`, needed for VLAN interfaces on the bridge.
    case setBridgeVLANs(namespace: String, device: String, isBridgeItself: Bool, vlans: [BridgeVLAN])
    case addAddress(namespace: String, interface: String, address: InterfaceAddress)
    case setUp(namespace: String, interface: String)
    case addDefaultRoute(namespace: String, gateway: LabIPAddress)
    case runCommand(namespace: String, node: String, command: String)
    case startDaemon(DaemonPlan)
    // Undo steps.
    case stopDaemon(DaemonPlan)
    case deleteNamespace(String)

    /// The step that reverses this one, when deleting the namespace does not already do it.
    public var undo: LabStep? {
        switch self {
        case .createNamespace(let name): return .deleteNamespace(name)
        case .startDaemon(let daemon): return .stopDaemon(daemon)
        default: return nil
        }
    }

    /// The namespace the step acts in.
    public var namespace: String {
        switch self {
        case .createNamespace(let n), .deleteNamespace(let n): return n
        case .setSysctl(let n, _, _), .createBridge(let n, _, _),
             .createVLANInterface(let n, _, _, _, _), .attachToBridge(let n, _, _), .setBridgeVLANs(let n, _, _, _),
             .addAddress(let n, _, _), .setUp(let n, _), .addDefaultRoute(let n, _), .runCommand(let n, _, _):
            return n
        case .createVeth(let pair): return pair.a.namespace
        case .startDaemon(let d), .stopDaemon(let d): return d.namespace
        }
    }
}

extension LabStep: CustomStringConvertible {
    /// One line per step in `ip`/`bridge` terms, for `peerlab plan` and logs.
    public var description: String {
        switch self {
        case .createNamespace(let n): return "ip netns add \(n)"
        case .deleteNamespace(let n): return "ip netns del \(n)"
        case .setSysctl(let n, let k, let v): return "ip netns exec \(n) sysctl -w \(k)=\(v)"
        case .createBridge(let n, let name, let filtering):
            return "ip -n \(n) link add \(name) type bridge" + (filtering ? " vlan_filtering 1 vlan_default_pvid 0" : "")
        case .createVeth(let p):
            return "ip -n \(p.a.namespace) link add \(p.a.name) type veth peer name \(p.b.name) netns \(p.b.namespace)"
        case .createVLANInterface(let n, let name, let bridge, let vlan, let alias):
            return "ip -n \(n) link add link \(bridge) name \(name) type vlan id \(vlan) (alias \(alias))"
        case .attachToBridge(let n, let port, let bridge): return "ip -n \(n) link set \(port) master \(bridge)"
        case .setBridgeVLANs(let n, let device, let isSelf, let vlans):
            let list = vlans.map { "\($0.vlan)\($0.pvid ? " pvid" : "")\($0.untagged ? " untagged" : "")" }.joined(separator: ", ")
            return "bridge -n \(n) vlan set dev \(device)\(isSelf ? " self" : "") [\(list)]"
        case .addAddress(let n, let i, let a): return "ip -n \(n) addr add \(a) dev \(i)"
        case .setUp(let n, let i): return "ip -n \(n) link set \(i) up"
        case .addDefaultRoute(let n, let g): return "ip -n \(n) route add default via \(g)"
        case .runCommand(let n, _, let c): return "ip netns exec \(n) \(c)"
        case .startDaemon(let d): return "ip netns exec \(d.namespace) peerlab \(d.arguments.joined(separator: " "))"
        case .stopDaemon(let d): return "stop \(d.kind) daemon of \(d.node)"
        }
    }
}
