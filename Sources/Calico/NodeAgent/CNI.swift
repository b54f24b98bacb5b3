import BGPWire

/// The Calico CNI plugin's ADD and DEL for a Kubernetes pod: an address from IPAM, a WorkloadEndpoint
/// named and labelled as calico-ipam/the CNI plugin write them, and the pod's `status.podIP`.
public struct CNI: Sendable {
    public let store: Datastore
    public init(store: Datastore) { self.store = store }

    public struct Result: Hashable, Sendable {
        public var address: IPAddress
        public var interfaceName: String
        public var endpoint: WorkloadEndpoint
    }

    /// Wires a pod on `node`: allocates from the node's blocks, writes the WorkloadEndpoint (and the
    /// Pod's IP if the Pod object exists). Calling it again for a wired pod returns the same result.
    @discardableResult
    public func add(namespace: String, pod: String, node: String, serviceAccount: String = "default",
                    labels: [String: String] = [:], containerID: String? = nil) throws -> Result {
        try store.atomically {
            let name = WorkloadEndpoint.name(node: node, orchestrator: "k8s", workload: pod, endpoint: "eth0")
            if let existing = (try? store.get(.workloadEndpoint, name, namespace: namespace))?.workloadEndpoint,
               let net = existing.spec.ipNetworks?.first, let (a, _) = AddressText.addressAndLength(net) {
                return Result(address: a, interfaceName: existing.spec.interfaceName ?? "", endpoint: existing)
            }
            let address = try IPAM(store: store).allocate(node: node, handle: Self.handle(namespace: namespace, pod: pod))
            var spec = WorkloadEndpoint.Spec()
            spec.orchestrator = "k8s"
            spec.node = node
            spec.containerID = containerID
            spec.pod = pod
            spec.endpoint = "eth0"
            spec.serviceAccountName = serviceAccount
            spec.ipNetworks = [address.family == .ipv4 ? "\(address)/32" : "\(address)/128"]
            spec.profiles = ["kns.\(namespace)", "ksa.\(namespace).\(serviceAccount)"]
            spec.interfaceName = NodeStartup.interfaceName(namespace: namespace, pod: pod)
            var wep = WorkloadEndpoint(namespace: namespace, spec: spec)
            wep.metadata.labels = labels.merging([
                "projectcalico.org/namespace": namespace,
                "projectcalico.org/orchestrator": "k8s",
                "projectcalico.org/serviceaccount": serviceAccount,
            ]) { _, calico in calico }
            let stored = store.put(AnyResource(wep)).workloadEndpoint ?? wep
            if var p = (try? store.get(.pod, pod, namespace: namespace)).flatMap({ r -> Pod? in if case .pod(let x) = r { return x } else { return nil } }) {
                p.setPodIP(address.description)
                store.put(AnyResource(p))
            }
            return Result(address: address, interfaceName: spec.interfaceName ?? "", endpoint: stored)
        }
    }

    /// Unwires a pod: releases its address and deletes its WorkloadEndpoint. Unknown pods are a no-op.
    public func delete(namespace: String, pod: String, node: String) throws {
        try store.atomically {
            IPAM(store: store).release(handle: Self.handle(namespace: namespace, pod: pod))
            let name = WorkloadEndpoint.name(node: node, orchestrator: "k8s", workload: pod, endpoint: "eth0")
            _ = try? store.delete(.workloadEndpoint, name, namespace: namespace)
        }
    }

    /// The IPAM handle of a pod's address.
    public static func handle(namespace: String, pod: String) -> String { "k8s-pod-network.\(namespace).\(pod)" }
}
