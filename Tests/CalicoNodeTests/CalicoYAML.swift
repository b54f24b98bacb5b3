import Calico

/// Calico v3 resources as YAML documents, so a test spells out only the spec that matters to it.
enum CalicoYAML {
    /// One resource; `spec` is the body under `spec:`, written flush left (nil: `spec: {}`).
    static func resource(_ kind: String, _ name: String, spec: String?) -> String {
        let head = "apiVersion: projectcalico.org/v3\nkind: \(kind)\nmetadata:\n  name: \(name)\n"
        guard let spec else { return head + "spec: {}" }
        return head + "spec:\n" + spec.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }

    /// A Node with its BGP addresses (`ipv4Address`, and `ipv6Address` when given).
    static func node(_ name: String, ipv4: String, ipv6: String? = nil) -> String {
        resource("Node", name, spec: "bgp:\n  ipv4Address: \(ipv4)" + (ipv6.map { "\n  ipv6Address: \($0)" } ?? ""))
    }

    /// An IPPool: its CIDR, then any further spec lines.
    static func pool(_ name: String, cidr: String, _ more: String? = nil) -> String {
        resource("IPPool", name, spec: "cidr: \(cidr)" + (more.map { "\n" + $0 } ?? ""))
    }

    /// Documents in one file, `---` between them.
    static func documents(_ documents: String...) -> String { documents.joined(separator: "\n---\n") }

    /// The two nodes `makeTwoNodes` builds, IPv4 only.
    static let twoNodes = documents(node("node1", ipv4: "172.20.0.11/24"), node("node2", ipv4: "172.20.0.12/24"))

    /// The same nodes dual-stack, with fd00:20::1N/64 beside 172.20.0.1N/24.
    static let twoDualStackNodes = documents(node("node1", ipv4: "172.20.0.11/24", ipv6: "fd00:20::11/64"),
                                             node("node2", ipv4: "172.20.0.12/24", ipv6: "fd00:20::12/64"))
}

/// Seed 000's manual route-reflector section, typed as the seed types it: `reflector` gets cluster ID 244.0.0.1
/// and the route-reflector label, every node peers with the reflectors, and the mesh goes off (AS 64512).
/// Returns each command's output in that order (patch, patch, create BGPPeer, create BGPConfiguration).
enum SeedRouteReflectorSteps {
    static func run(_ ctl: Calicoctl, reflector: String) -> [CommandOutput] {
        [ctl.patch(kind: "node", name: reflector, patch: #"{"spec": {"bgp": {"routeReflectorClusterID": "244.0.0.1"}}}"#),
         ctl.patch(kind: "node", name: reflector, patch: #"{"metadata": {"labels": {"route-reflector": "true"}}}"#),
         ctl.create(file: """
            kind: BGPPeer
            apiVersion: projectcalico.org/v3
            metadata:
              name: peer-with-route-reflectors
            spec:
              nodeSelector: all()
              peerSelector: route-reflector == 'true'
            """),
         ctl.create(file: """
            apiVersion: projectcalico.org/v3
            kind: BGPConfiguration
            metadata:
              name: default
            spec:
              logSeverityScreen: Info
              nodeToNodeMeshEnabled: false
              asNumber: 64512
            """)]
    }
}
