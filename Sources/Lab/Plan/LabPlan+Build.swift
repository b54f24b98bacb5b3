extension LabPlan {
    /// Bridge inside a switch's namespace that its layer-2 ports join.
    public static let switchBridge = "swbr"
    /// Bridge inside a `bridge` node's namespace.
    public static let segmentBridge = "br0"

    /// Plans a lab. Pure: same topology and paths, same steps, so bring-up is reproducible and testable
    /// without a kernel.
    public init(topology: Topology, paths: LabPaths) {
        let names = LabNames(lab: topology.name)
        var steps: [LabStep] = []
        let namespaces = topology.nodes.map { NamespacePlan(node: $0.name, name: names.namespace(for: $0.name)) }
        func ns(_ node: String) -> String { names.namespace(for: node) }

        // 1. Namespaces, then their sysctls and loopback.
        steps += namespaces.map { .createNamespace($0.name) }
        for node in topology.nodes {
            for (key, value) in Self.sysctls(for: node.kind.role) {
                steps.append(.setSysctl(namespace: ns(node.name), key: key, value: value))
            }
            steps.append(.setUp(namespace: ns(node.name), interface: "lo"))
        }

        // 2. Per-node devices that exist before any cable: bridges and VLAN interfaces.
        for node in topology.nodes {
            let here = ns(node.name)
            switch node.kind.role {
            case .vendorSwitch:
                let layout = node.switchLayout ?? SwitchLayout(sysname: nil, vlans: [], ports: [], vlanInterfaces: [], loopbacks: [])
                steps.append(.createBridge(namespace: here, name: Self.switchBridge, vlanFiltering: true))
                if !layout.vlanInterfaces.isEmpty {
                    steps.append(.setBridgeVLANs(namespace: here, device: Self.switchBridge, isBridgeItself: true,
                                                 vlans: layout.vlanInterfaces.map { BridgeVLAN(vlan: $0.number, pvid: false, untagged: false) }))
                }
                steps.append(.setUp(namespace: here, interface: Self.switchBridge))
                for vlanif in layout.vlanInterfaces {
                    steps.append(.createVLANInterface(namespace: here, name: vlanif.linuxName, bridge: Self.switchBridge,
                                                      vlan: vlanif.number, alias: vlanif.name))
                }
            case .bridge:
                steps.append(.createBridge(namespace: here, name: Self.segmentBridge, vlanFiltering: false))
                steps.append(.setUp(namespace: here, interface: Self.segmentBridge))
            case .router, .calicoNode, .host:
                break
            }
        }

        // 3. Cables.
        func end(_ endpoint: Endpoint) -> VethEnd {
            let node = topology.node(named: endpoint.node)
            let linux = node.flatMap { try? PortNaming.linuxName(forPort: endpoint.port, kind: $0.kind).get() } ?? endpoint.port
            return VethEnd(node: endpoint.node, namespace: ns(endpoint.node), name: linux, port: endpoint.port)
        }
        let pairs = topology.links.map { VethPair(a: end($0.a), b: end($0.b)) }
        steps += pairs.map { .createVeth($0) }

        // 4. Each cable end joins its bridge or gets its addresses, then comes up.
        for pair in pairs {
            for side in [pair.a, pair.b] {
                guard let node = topology.node(named: side.node) else { continue }
                steps += Self.portSteps(node: node, end: side)
                steps.append(.setUp(namespace: side.namespace, interface: side.name))
            }
        }

        // 5. Addresses on interfaces that are not cable ends (switch VLAN interfaces; loopbacks go on `lo`).
        for node in topology.nodes {
            let here = ns(node.name)
            if let layout = node.switchLayout {
                for vlanif in layout.vlanInterfaces {
                    steps += vlanif.addresses.map { .addAddress(namespace: here, interface: vlanif.linuxName, address: $0) }
                    steps.append(.setUp(namespace: here, interface: vlanif.linuxName))
                }
                for loopback in layout.loopbacks {
                    steps += loopback.addresses.map { .addAddress(namespace: here, interface: "lo", address: $0) }
                }
            }
            for interface in node.interfaces where interface.name == "lo" {
                steps += interface.addresses.map { .addAddress(namespace: here, interface: "lo", address: $0) }
            }
        }

        // 6. Routes and host commands, once every address is in place.
        for node in topology.nodes {
            if let gateway = node.gateway { steps.append(.addDefaultRoute(namespace: ns(node.name), gateway: gateway)) }
        }
        for node in topology.nodes {
            steps += node.exec.map { .runCommand(namespace: ns(node.name), node: node.name, command: $0) }
        }

        // 7. Device daemons last: they find their network complete.
        for node in topology.nodes where node.kind.runsDaemon {
            steps.append(.startDaemon(DaemonPlan(
                node: node.name, kind: node.kind.name, namespace: ns(node.name),
                arguments: Self.daemonArguments(node: node, paths: paths),
                socket: paths.socket(for: node.name), log: paths.log(for: node.name))))
        }

        self.init(lab: topology.name, names: names, namespaces: namespaces, steps: steps)
    }

    /// The daemon's command line after `peerlab`:
    /// * switches and routers: `device run --kind K --name N --socket S [--startup-config F] --save-to F`
    ///   (Sources/peerlab/DeviceRun.swift); `save` writes to `savedConfig(for:)`, which `redeploy` boots from;
    /// * calico nodes: `calico-node run --lab-dir DIR --node N --socket S` (the agent reads the lab file; the
    ///   socket is its BIRD control socket).
    /// Output goes to the device log through the launcher.
    public static func daemonArguments(node: Node, paths: LabPaths) -> [String] {
        let socket = paths.socket(for: node.name)
        if node.kind.role == .calicoNode {
            return ["calico-node", "run", "--lab-dir", paths.directory, "--node", node.name, "--socket", socket]
        }
        var arguments = ["device", "run", "--kind", node.kind.name, "--name", node.name, "--socket", socket]
        if node.startupConfig != nil { arguments += ["--startup-config", paths.startupConfig(for: node.name)] }
        arguments += ["--save-to", paths.savedConfig(for: node.name)]
        return arguments
    }

    /// Kernel settings per role: forwarding where the device routes, none where it must not, and no
    /// reverse-path filter on routers (BGP fabrics route asymmetrically).
    static func sysctls(for role: KindRole) -> [(String, String)] {
        // Duplicate address detection would hold every IPv6 address "tentative" for a second or more after
        // bring-up; a lab's addresses are unique by construction, so they are usable at once.
        let noDAD = [("net.ipv6.conf.all.accept_dad", "0"), ("net.ipv6.conf.default.accept_dad", "0")]
        switch role {
        case .vendorSwitch, .router, .calicoNode:
            return [("net.ipv4.ip_forward", "1"), ("net.ipv6.conf.all.forwarding", "1"),
                    ("net.ipv4.conf.all.rp_filter", "0"), ("net.ipv4.conf.default.rp_filter", "0")] + noDAD
        case .host:
            return [("net.ipv4.ip_forward", "0"), ("net.ipv6.conf.all.forwarding", "0")] + noDAD
        case .bridge:
            // A plain segment has no addresses; keep IPv6 from autoconfiguring link-local noise on it.
            return [("net.ipv4.ip_forward", "0"), ("net.ipv6.conf.all.disable_ipv6", "1"),
                    ("net.ipv6.conf.default.disable_ipv6", "1")]
        }
    }

    /// What one cable end needs on its node: bridge membership and VLANs, or addresses.
    static func portSteps(node: Node, end: VethEnd) -> [LabStep] {
        switch node.kind.role {
        case .vendorSwitch:
            let mode = node.switchLayout?.mode(ofPort: end.port) ?? .access(vlan: 1)
            switch mode {
            case .routed(let addresses):
                return addresses.map { .addAddress(namespace: end.namespace, interface: end.name, address: $0) }
            case .access(let vlan):
                return [.attachToBridge(namespace: end.namespace, port: end.name, bridge: switchBridge),
                        .setBridgeVLANs(namespace: end.namespace, device: end.name, isBridgeItself: false,
                                        vlans: [BridgeVLAN(vlan: vlan, pvid: true, untagged: true)])]
            case .trunk(let pvid, let allowed):
                let vlans = allowed.map { BridgeVLAN(vlan: $0, pvid: $0 == pvid, untagged: $0 == pvid) }
                return [.attachToBridge(namespace: end.namespace, port: end.name, bridge: switchBridge),
                        .setBridgeVLANs(namespace: end.namespace, device: end.name, isBridgeItself: false, vlans: vlans)]
            }
        case .bridge:
            return [.attachToBridge(namespace: end.namespace, port: end.name, bridge: segmentBridge)]
        case .router, .calicoNode, .host:
            let addresses = node.interfaces.first { $0.name == end.name }?.addresses ?? []
            return addresses.map { .addAddress(namespace: end.namespace, interface: end.name, address: $0) }
        }
    }
}
