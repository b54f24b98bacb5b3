import Foundation

/// A Kubernetes `v1` Secret: where BGP passwords live (`BGPPeer.spec.password.secretKeyRef`,
/// `BGPConfiguration.spec.nodeMeshPassword.secretKeyRef`). Values are kept decoded; `data` is base64
/// on the wire, `stringData` is plain text merged over it when written, as the API server does.
public struct Secret: CalicoResource {
    public static let kind = ResourceKind.secret
    /// The namespaces calico-node reads Secrets from (manifest installs: kube-system; operator: calico-system).
    public static let calicoNamespaces = ["kube-system", "calico-system"]

    public var metadata: ObjectMeta
    public var type: String
    public var data: [String: String]

    public init(namespace: String, name: String, data: [String: String], type: String = "Opaque") {
        metadata = ObjectMeta(name: name, namespace: namespace)
        self.data = data
        self.type = type
    }

    public init(metadata: ObjectMeta, document: JSONValue) throws {
        self.metadata = metadata
        let r = try FieldReader(.object((document.objectPairs ?? []).filter { !documentHeaderKeys.contains($0.0) }),
                                structName: "Secret", path: "", known: ["data", "stringData", "type", "immutable"])
        type = try r.string("type") ?? "Opaque"
        var values: [String: String] = [:]
        for (key, encoded) in try r.stringMap("data") ?? [:] {
            guard let bytes = Data(base64Encoded: encoded) else {
                throw CalicoError("Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data in data.\(key)")
            }
            values[key] = String(decoding: bytes, as: UTF8.self)
        }
        for (key, plain) in try r.stringMap("stringData") ?? [:] { values[key] = plain }
        data = values
    }

    public var bodyJSON: [(String, JSONValue)] {
        [("data", .object(data.sorted { $0.key < $1.key }.map { ($0.key, .string(Data($0.value.utf8).base64EncodedString())) })),
         ("type", .string(type))]
    }

    /// Secret name → key → value for the Secrets calico-node can read, as confd's password lookup sees them.
    public static func bgpPasswords(in store: Datastore) -> [String: [String: String]] {
        var out: [String: [String: String]] = [:]
        for ns in calicoNamespaces.reversed() {
            for case .secret(let s) in store.list(.secret, namespace: ns) { out[s.metadata.name] = s.data }
        }
        return out
    }
}
