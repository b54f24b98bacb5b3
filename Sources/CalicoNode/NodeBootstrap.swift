import Foundation
import BGPWire
import Calico

/// What a calico-node does to the datastore when it starts, plus the lab's own seeding: the lab file's
/// `calico.resources` (created once, whichever node starts first), the `kube-system/calico-config` ConfigMap, this node's Kubernetes and Calico Node
/// objects (address autodetected from its interface, labels from the lab), the default IPv4 pool when
/// there is none (and the default IPv6 pool for a dual-stack node when there is no IPv6 pool), and the Pods the lab places on this node. Idempotent: a restart changes nothing.
/// With kubeasz's `CALICO_RR_ENABLED` in the lab file, the installer's route-reflector step runs once per
/// lab, by the first node to start after every reflector has registered (`KubeaszRouteReflectors`).
public struct NodeBootstrap: Sendable {
    public var nodeName: String
    /// `172.20.0.11/24`: the node's BGP address and subnet, as `IP_AUTODETECTION_METHOD` would find it.
    public var ipv4Address: String?
    /// `fd00:87::1/64`: the node's IPv6 address when the lab gives it one (`IP6=autodetect` on a dual-stack
    /// node); it makes the node an IPv6 BGP speaker and, with no IPv6 pool yet, brings the default IPv6 pool.
    public var ipv6Address: String?
    public var labels: [String: String]
    /// The cluster's Kubernetes version, which this node's kubelet reports (`kubectl get nodes` VERSION).
    public var kubernetesVersion: String
    /// calicoctl v3 documents, in lab-file order.
    public var resources: [String]
    /// (namespace, name) of the pods placed on this node.
    public var pods: [(namespace: String, name: String)]
    public var environment: [String: String]
    /// kubeasz's route-reflector step, when the lab switches it on.
    public var kubeasz: KubeaszRouteReflectors?
    /// Where the step's run is recorded (`KubeaszRouteReflectors.recordFile`); once it exists the step is
    /// not run again, whatever the trainee changed since. Without one, every bootstrap that finds the
    /// reflectors registered runs it.
    public var kubeaszRecord: URL?

    public init(nodeName: String, ipv4Address: String?, ipv6Address: String? = nil, labels: [String: String] = [:],
                resources: [String] = [], pods: [(namespace: String, name: String)] = [], environment: [String: String] = [:],
                kubeasz: KubeaszRouteReflectors? = nil, kubeaszRecord: URL? = nil,
                kubernetesVersion: String = NodeBootstrap.defaultKubernetesVersion) {
        self.nodeName = nodeName; self.ipv4Address = ipv4Address; self.ipv6Address = ipv6Address; self.labels = labels
        self.resources = resources; self.pods = pods; self.environment = environment
        self.kubeasz = kubeasz; self.kubeaszRecord = kubeaszRecord
        self.kubernetesVersion = kubernetesVersion
    }

    /// The Kubernetes version of a lab that names none (`calico.kubernetes`): one the Calico v3.2x releases
    /// PeerLab imitates support.
    public static let defaultKubernetesVersion = "v1.27.3"

    /// The labels the kubelet puts on every node.
    var nodeLabels: [String: String] {
        ["beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
         "kubernetes.io/hostname": nodeName, "kubernetes.io/os": "linux"].merging(labels) { _, lab in lab }
    }

    /// A DaemonSet pod's 5-character suffix, stable per node name (Kubernetes' alphabet).
    static func suffix(_ seed: String) -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        var h: UInt64 = 1469598103934665603
        for b in seed.utf8 { h = (h ^ UInt64(b)) &* 1099511628211 }
        return String((0..<5).map { i in alphabet[Int((h >> (UInt64(i) * 8)) % UInt64(alphabet.count))] })
    }

    /// Seeds `store`; returns messages worth logging (resources the lab file carries that were refused).
    @discardableResult
    public func apply(to store: Datastore) throws -> [String] {
        var notes: [String] = []
        try store.atomically {
            let ctl = Calicoctl(store: store)
            for doc in resources {
                let out = ctl.create(file: doc, skipExists: true)
                if out.exitCode != 0 { notes.append("lab resource refused: \(out.stderr.trimmingCharacters(in: .whitespacesAndNewlines))") }
            }
            if (try? store.get(.kubeNode, nodeName)) == nil {
                store.put(AnyResource(KubeNode(name: nodeName, labels: nodeLabels, kubeletVersion: kubernetesVersion)))
            }
            if (try? store.get(.node, nodeName)) == nil {
                store.put(AnyResource(Node(name: nodeName, labels: nodeLabels,
                                           bgp: Node.BGP(ipv4Address: ipv4Address, ipv6Address: ipv6Address))))
            }
            // The manifest's calico-config (seed 002 edits calico_backend in it); created once per lab.
            if (try? store.get(.configMap, "calico-config", namespace: "kube-system")) == nil {
                store.put(AnyResource(ConfigMap(namespace: "kube-system", name: "calico-config",
                                                data: ["calico_backend": "bird", "typha_service_name": "none", "veth_mtu": "0"])))
            }
            let pools = store.list(.ipPool).compactMap(\.ipPool)
            if pools.isEmpty, let pool = try NodeStartup.defaultIPv4Pool(environment: environment) {
                _ = try? store.create(AnyResource(pool))
            }
            if ipv6Address != nil, !pools.contains(where: { $0.prefix?.family == .ipv6Unicast }),
               let pool = try NodeStartup.defaultIPv6Pool(environment: environment, seed: nodeName) {
                _ = try? store.create(AnyResource(pool))
            }
            // The node's calico-node DaemonSet pod (host network: the node's address), which
            // `kubectl delete pods -n kube-system -l k8s-app=calico-node` restarts.
            let ds = store.list(.pod, namespace: "kube-system").compactMap { r -> Pod? in if case .pod(let p) = r { return p } else { return nil } }
            if !ds.contains(where: { $0.nodeName == nodeName && $0.metadata.labels["k8s-app"] == "calico-node" }) {
                var p = Pod(namespace: "kube-system", name: "calico-node-" + Self.suffix(nodeName), nodeName: nodeName,
                            labels: ["k8s-app": "calico-node"])
                p.setPodIP(ipv4Address.map { String($0.split(separator: "/")[0]) })
                store.put(AnyResource(p))
            }
            for pod in pods where (try? store.get(.pod, pod.name, namespace: pod.namespace)) == nil {
                store.put(AnyResource(Pod(namespace: pod.namespace, name: pod.name, nodeName: nodeName)))
            }
            notes += runKubeaszStep(store)
        }
        return notes
    }

    /// The installer's step, inside the bootstrap's transaction so concurrent node starts run it once.
    func runKubeaszStep(_ store: Datastore) -> [String] {
        guard let kubeasz else { return [] }
        if let kubeaszRecord, FileManager.default.fileExists(atPath: kubeaszRecord.path) { return [] }
        let waiting = kubeasz.unregistered(in: store)
        guard waiting.isEmpty else {
            return ["kubeasz calico-rr: waiting for route reflector(s) \(waiting.joined(separator: ", ")) to register"]
        }
        do {
            let commands = try kubeasz.apply(to: store)
            var notes = commands.map { "kubeasz calico-rr: \($0)" }
            if let kubeaszRecord {
                do { try kubeasz.record(commands, at: kubeaszRecord) } catch {
                    notes.append("kubeasz calico-rr: cannot record the run at \(kubeaszRecord.path): \(error)")
                }
            }
            return notes
        } catch {
            return ["\(error)"]
        }
    }
}
