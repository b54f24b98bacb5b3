/// The Kubernetes `v1` objects the seeds touch. Kubernetes is lenient about their bodies, so they are
/// kept verbatim and only the fields the lab reads are surfaced.
public struct KubeNode: CalicoResource {
    public static let kind = ResourceKind.kubeNode
    public var metadata: ObjectMeta
    /// `spec` and `status` exactly as given.
    public var body: [(String, JSONValue)]

    /// - Parameter kubeletVersion: what the kubelet reports (`status.nodeInfo.kubeletVersion`, kubectl's VERSION).
    public init(name: String, labels: [String: String] = [:], kubeletVersion: String? = nil) {
        metadata = ObjectMeta(name: name, labels: labels)
        body = kubeletVersion.map { [("status", .object([("nodeInfo", .object([("kubeletVersion", .string($0))]))]))] } ?? []
    }

    public init(metadata: ObjectMeta, document: JSONValue) throws {
        self.metadata = metadata
        body = (document.objectPairs ?? []).filter { !documentHeaderKeys.contains($0.0) }
    }

    public var bodyJSON: [(String, JSONValue)] { body }

    public static func == (a: KubeNode, b: KubeNode) -> Bool { a.metadata == b.metadata && JSONValue.object(a.body) == JSONValue.object(b.body) }
    public func hash(into h: inout Hasher) { h.combine(metadata); h.combine(JSONValue.object(body)) }
}

/// A pod: where it runs (`spec.nodeName`) and its address (`status.podIP`).
public struct Pod: CalicoResource {
    public static let kind = ResourceKind.pod
    public var metadata: ObjectMeta
    public var body: [(String, JSONValue)]

    public init(namespace: String, name: String, nodeName: String, labels: [String: String] = [:]) {
        metadata = ObjectMeta(name: name, namespace: namespace, labels: labels)
        body = [("spec", .object([("nodeName", .string(nodeName))]))]
    }

    public init(metadata: ObjectMeta, document: JSONValue) throws {
        self.metadata = metadata
        body = (document.objectPairs ?? []).filter { !documentHeaderKeys.contains($0.0) }
    }

    public var bodyJSON: [(String, JSONValue)] { body }
    public var nodeName: String? { JSONValue.object(body)["spec"]?["nodeName"]?.stringValue }
    public var podIP: String? { JSONValue.object(body)["status"]?["podIP"]?.stringValue }

    /// Sets `status.podIP` (and `podIPs`), as the CNI result does.
    public mutating func setPodIP(_ ip: String?) {
        let status = (JSONValue.object(body)["status"] ?? .object([]))
        let updated = ip.map { status.setting("podIP", .string($0)).setting("podIPs", .array([.object([("ip", .string($0))])])) }
            ?? status.removing("podIP").removing("podIPs")
        if let i = body.firstIndex(where: { $0.0 == "status" }) { body[i].1 = updated } else { body.append(("status", updated)) }
    }

    public static func == (a: Pod, b: Pod) -> Bool { a.metadata == b.metadata && JSONValue.object(a.body) == JSONValue.object(b.body) }
    public func hash(into h: inout Hasher) { h.combine(metadata); h.combine(JSONValue.object(body)) }
}

/// A ConfigMap such as `kube-system/calico-config` (`calico_backend: bird`).
public struct ConfigMap: CalicoResource {
    public static let kind = ResourceKind.configMap
    public var metadata: ObjectMeta
    public var data: [String: String]

    public init(namespace: String, name: String, data: [String: String]) {
        metadata = ObjectMeta(name: name, namespace: namespace)
        self.data = data
    }

    public init(metadata: ObjectMeta, document: JSONValue) throws {
        self.metadata = metadata
        let r = try FieldReader(.object((document.objectPairs ?? []).filter { !documentHeaderKeys.contains($0.0) }),
                                structName: "ConfigMap", path: "", known: ["data", "binaryData", "immutable"])
        data = try r.stringMap("data") ?? [:]
    }

    public var bodyJSON: [(String, JSONValue)] {
        [("data", .object(data.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))]
    }
}

extension ConfigMap {
    /// `calico_backend` of `kube-system/calico-config` (`bird`, `vxlan`, `none`); nil when there is no such
    /// ConfigMap or key, which calico-node treats as `bird`.
    public static func calicoBackend(in store: Datastore) -> String? {
        guard case .configMap(let cm)? = try? store.get(.configMap, "calico-config", namespace: "kube-system") else { return nil }
        return cm.data["calico_backend"].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }
}
