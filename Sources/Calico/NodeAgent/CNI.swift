import BGPWire

/// The Calico CNI plugin's ADD and DEL for a Kubernetes pod: an address from IPAM, a WorkloadEndpoint
/// named and labelled as calico-ipam/the CNI plugin write them, and the pod's `status.podIP`.
public struct CNI: Sendable {
    public let store: Datastore
    public init(store: Datastore) { self.store = store }

    public struct Result: Hashable, Sendable {
        /// The first address: IPv4 when the node has an IPv4 pool (Kubernetes' `podIP`).
        public var address: IPAddress
        /// One address per family with a usable pool, IPv4 first (calico-ipam's `assign_ipv4`/`assign_ipv6`).
        public var addresses: [IPAddress]
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
            if let existing = (try? store.get(.workloadEndpoint, name, namespace: namespace))?.workloadEndpoint {
                let known = (existing.spec.ipNetworks ?? []).compactMap { AddressText.addressAndLength($0)?.0 }
                if let first = known.first {
                    return Result(address: first, addresses: known, interfaceName: existing.spec.interfaceName ?? "", endpoint: existing)
                }
            }
            let ipam = IPAM(store: store)
            let handle = Self.handle(namespace: namespace, pod: pod)
            // Both families when the node has pools for both; with none, IPv4's error names the problem.
            let families = [AFI.ipv4, .ipv6].filter { !ipam.usablePools(for: node, family: $0).isEmpty }
            var addresses: [IPAddress] = []
            do {
                for family in families.isEmpty ? [.ipv4] : families {
                    addresses.append(try ipam.allocate(node: node, handle: handle, family: family))
                }
            } catch {
                ipam.release(handle: handle)
                throw error
            }
            let address = addresses[0]
            var spec = WorkloadEndpoint.Spec()
            spec.orchestrator = "k8s"
            spec.node = node
            spec.containerID = containerID
            spec.pod = pod
            spec.endpoint = "eth0"
            spec.serviceAccountName = serviceAccount
            spec.ipNetworks = addresses.map { $0.family == .ipv4 ? "\($0)/32" : "\($0)/128" }
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
                if addresses.count > 1, let i = p.body.firstIndex(where: { $0.0 == "status" }) {
                    p.body[i].1 = p.body[i].1.setting("podIPs", .array(addresses.map { .object([("ip", .string($0.description))]) }))
                }
                store.put(AnyResource(p))
            }
            return Result(address: address, addresses: addresses, interfaceName: spec.interfaceName ?? "", endpoint: stored)
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
