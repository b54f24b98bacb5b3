import Yams

/// A validated lab: what `peerlab up` builds. Only the loader makes these, so every value in here has
/// passed validation (names are legal, addresses parse, links point at existing nodes and ports).
public struct Topology: Hashable, Sendable {
    /// Lab name; prefixes every namespace, process and file of the lab (see `LabNames`).
    public var name: String
    /// The file it was loaded from (as given to the loader), for messages and the state directory.
    public var file: String
    /// Nodes in file order.
    public var nodes: [Node]
    public var links: [Link]
    /// The `calico:` subtree, checked for shape only; the Calico module interprets it.
    public var calico: CalicoSection?

    public func node(named name: String) -> Node? { nodes.first { $0.name == name } }
}

/// One device of the lab.
public struct Node: Hashable, Sendable {
    public var name: String
    public var kind: Kind
    public var startupConfig: StartupConfig?
    /// Kubernetes/Calico node labels (calico-node only), sorted by key.
    public var labels: [Label]
    /// Addressed interfaces of Linux kinds, in file order. Switches take theirs from the startup config.
    public var interfaces: [NodeInterface]
    public var gateway: LabIPAddress?
    /// Commands run in the node's namespace once the network is up (hosts, routers, calico nodes).
    public var exec: [String]
    /// Interface layout of a switch, read from its startup config.
    public var switchLayout: SwitchLayout?

    public struct Label: Hashable, Sendable {
        public var key: String
        public var value: String
    }
}

/// A named interface with its addresses (`eth0: 172.20.0.11/24`, or a list of CIDRs).
public struct NodeInterface: Hashable, Sendable {
    public var name: String
    public var addresses: [InterfaceAddress]
}

/// Vendor-native configuration a device boots with.
public struct StartupConfig: Hashable, Sendable {
    public enum Source: Hashable, Sendable {
        /// Read from a file; the path is resolved against the topology file's folder.
        case file(String)
        case inline
    }
    public var source: Source
    public var text: String

    public init(source: Source, text: String) {
        self.source = source
        self.text = text
    }
}

/// One point-to-point cable between two node ports.
public struct Link: Hashable, Sendable {
    public var a: Endpoint
    public var b: Endpoint
    public var endpoints: [Endpoint] { [a, b] }
}

/// `node:port` as written in `endpoints:`.
public struct Endpoint: Hashable, Sendable, CustomStringConvertible {
    public var node: String
    public var port: String
    public var description: String { "\(node):\(port)" }

    /// Splits "leaf01:GigabitEthernet1/0/1" at the first ':'; nil when either side is empty.
    public init?(parsing text: String) {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let node = String(text[..<colon]), port = String(text[text.index(after: colon)...])
        guard !node.isEmpty, !port.isEmpty else { return nil }
        self.node = node
        self.port = port
    }

    public init(node: String, port: String) {
        self.node = node
        self.port = port
    }
}

/// The `calico:` subtree of a lab file. Its shape is checked here (known keys, resource kinds, names,
/// pods placed on calico-node nodes); the contents of each resource's `spec` are left to the Calico module.
public struct CalicoSection: Hashable, Sendable {
    /// calico-node version the lab imitates (`v3.19.4`), for `calicoctl version`.
    public var version: String?
    /// The cluster's Kubernetes version (`v1.17.9`), which `kubectl get nodes` shows.
    public var kubernetesVersion: String? = nil
    /// calicoctl v3 documents applied at bring-up, in file order.
    public var resources: [CalicoResource]
    /// Pods placed on each calico-node node.
    public var pods: [Pod]
    /// kubeasz's route-reflector switches (`calico.kubeasz`), when the lab file sets them.
    public var kubeasz: KubeaszOptions? = nil

    public struct Pod: Hashable, Sendable {
        public var node: String
        public var namespace: String
        public var name: String
    }
}

/// One `projectcalico.org/v3` document.
public struct CalicoResource: Hashable, Sendable {
    /// BGPConfiguration, BGPPeer, Node, IPPool, BGPFilter …
    public var kind: String
    public var name: String
    /// The whole document as YAML text, for the Calico module to decode with its own types.
    public var yaml: String
}

/// The Calico switches of a kubeasz cluster's `config.yml` that the lab emulates, spelled as kubeasz
/// spells them (`calico.kubeasz: {CALICO_RR_ENABLED: true, CALICO_RR_NODES: [k8s401]}`). With
/// `CALICO_RR_ENABLED` the lab does what `ezctl setup <cluster> 07` does: the route reflectors get the
/// cluster ID 244.0.0.1 and the label `route-reflector=true`, the `peer-with-route-reflectors` BGPPeer is
/// applied and the full mesh is switched off (CalicoNode's `KubeaszRouteReflectors`).
public struct KubeaszOptions: Hashable, Sendable {
    /// The label kubeasz puts on the `kube_master` hosts; `kubectl get node` shows it as ROLES `master`.
    public static let masterLabel = "node-role.kubernetes.io/master"

    /// `CALICO_RR_ENABLED` (kubeasz's default: false).
    public var routeReflectorsEnabled: Bool
    /// `CALICO_RR_NODES` as written: node names or their IPv4 addresses (kubeasz lists host addresses).
    public var listedNodes: [String]
    /// The calico-node nodes that become route reflectors: the listed ones in list order, or, when the
    /// list is empty, the masters (nodes labelled `node-role.kubernetes.io/master`) in lab-file order.
    public var routeReflectors: [String]

    public init(routeReflectorsEnabled: Bool, listedNodes: [String], routeReflectors: [String]) {
        self.routeReflectorsEnabled = routeReflectorsEnabled
        self.listedNodes = listedNodes
        self.routeReflectors = routeReflectors
    }

    /// A master as kubeasz's inventory has it: `node-role.kubernetes.io/master`, or the older
    /// `kubernetes.io/role: master` label.
    public static func isMaster(_ node: Node) -> Bool {
        node.labels.contains { $0.key == masterLabel || ($0.key == "kubernetes.io/role" && $0.value == "master") }
    }
}
