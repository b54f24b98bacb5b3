import Yams

extension TopologyCheck {
    mutating func linksSection(_ value: Yams.Node, nodes: [Node]) -> [Link] {
        guard case .sequence(let sequence) = value else {
            issue(value, field: "topology.links", "expected a list of links (- endpoints: [a:port, b:port])")
            return []
        }
        var links: [Link] = []
        var used: [Endpoint: Int] = [:]
        for (index, item) in sequence.enumerated() {
            let field = "topology.links[\(index)]"
            guard let items = pairs(item, field: field) else { continue }
            var endpointsNode: Yams.Node?
            for (key, keyNode, entry) in items {
                if key == "endpoints" { endpointsNode = entry } else { unknownKey(key, at: keyNode, field: field, valid: ["endpoints"]) }
            }
            guard let endpointsNode else {
                issue(item, field: "\(field).endpoints", "missing; a link needs endpoints: [node:port, node:port]")
                continue
            }
            guard let texts = strings(endpointsNode, field: "\(field).endpoints", what: "node:port endpoints") else { continue }
            guard texts.count == 2 else {
                issue(endpointsNode, field: "\(field).endpoints", "a link has exactly 2 endpoints, found \(texts.count)")
                continue
            }
            var endpoints: [Endpoint] = []
            for (i, (text, at)) in texts.enumerated() {
                let endpointField = "\(field).endpoints[\(i)]"
                guard let endpoint = Endpoint(parsing: text) else {
                    issue(at, field: endpointField, "'\(text)' is not node:port (e.g. leaf01:GigabitEthernet1/0/1 or node1:eth0)")
                    continue
                }
                guard let node = nodes.first(where: { $0.name == endpoint.node }) else {
                    // A node already reported as broken is not also "missing".
                    if brokenNodes.contains(endpoint.node) { continue }
                    issue(at, node: endpoint.node, field: endpointField, "link endpoint '\(text)' names node '\(endpoint.node)', which is not in topology.nodes")
                    continue
                }
                if case .failure(let error) = PortNaming.linuxName(forPort: endpoint.port, kind: node.kind) {
                    issue(at, node: node.name, field: endpointField, "port \(error.message)")
                    continue
                }
                if node.kind.role != .vendorSwitch, endpoint.port == "lo" {
                    issue(at, node: node.name, field: endpointField, "'lo' is the loopback; links connect other interfaces")
                    continue
                }
                if let first = used[endpoint] {
                    issue(at, node: node.name, field: endpointField, "endpoint \(text) is already used by topology.links[\(first)]; a port takes one cable")
                    continue
                }
                used[endpoint] = index
                endpoints.append(endpoint)
            }
            if endpoints.count == 2 { links.append(Link(a: endpoints[0], b: endpoints[1])) }
        }
        return links
    }

    /// An addressed interface (other than `lo`) that no link plugs into is almost always a typo.
    mutating func unlinkedInterfaces(nodes: [Node], links: [Link]) {
        let linked = Set(links.flatMap(\.endpoints))
        for node in nodes {
            for interface in node.interfaces where interface.name != "lo" {
                if !linked.contains(Endpoint(node: node.name, port: interface.name)) {
                    issue(nil, node: node.name, field: "topology.nodes.\(node.name).interfaces.\(interface.name)",
                          "interface \(interface.name) has addresses but no link connects it; add a link or put the address on 'lo'")
                }
            }
        }
    }

    /// The same host address on two devices is a lab-wide fault (duplicate ARP answers, confusing peers).
    mutating func duplicateAddresses(nodes: [Node]) {
        var owner: [LabIPAddress: String] = [:]
        for node in nodes {
            var entries = node.interfaces.flatMap { i in i.addresses.map { (i.name, $0) } }
            if let layout = node.switchLayout {
                entries += layout.vlanInterfaces.flatMap { v in v.addresses.map { (v.name, $0) } }
                entries += layout.loopbacks.flatMap { l in l.addresses.map { (l.name, $0) } }
                for port in layout.ports { if case .routed(let addresses) = port.mode { entries += addresses.map { (port.name, $0) } } }
            }
            for (interface, address) in entries {
                let here = "\(node.name):\(interface)"
                if let other = owner[address.address] {
                    issue(nil, node: node.name, field: "topology.nodes.\(node.name)",
                          "address \(address.address) on \(here) is also on \(other)")
                } else {
                    owner[address.address] = here
                }
            }
        }
    }

    /// Namespace names are shortened to 15 characters; two nodes must not end up with the same one.
    mutating func namespaceClashes(lab: String, nodes: [Node]) {
        let names = LabNames(lab: lab)
        var seen: [String: String] = [:]
        for node in nodes {
            let namespace = names.namespace(for: node.name)
            if let other = seen[namespace] {
                issue(nil, node: node.name, field: "topology.nodes.\(node.name)",
                      "nodes \(other) and \(node.name) both shorten to namespace \(namespace); rename one")
            }
            seen[namespace] = node.name
        }
    }
}
