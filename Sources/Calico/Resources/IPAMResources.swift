import Foundation

/// `IPAMBlock`: one block of a pool, with which ordinals are taken and by which handle.
public struct IPAMBlock: CalicoResource {
    public static let kind = ResourceKind.ipamBlock
    public var metadata: ObjectMeta
    public var spec: Spec

    public struct Spec: Hashable, Sendable {
        public var cidr: String
        /// `host:<node>` for an affine block; nil when no node owns it.
        public var affinity: String?
        /// Per ordinal: index into `attributes` when allocated, nil when free.
        public var allocations: [Int?]
        /// Free ordinals in hand-out order (released ones go to the back).
        public var unallocated: [Int]
        /// Who holds each allocation (handle such as `k8s-pod-network.<ns>.<pod>`, and the node it runs on).
        public var attributes: [AllocationAttribute]
        public var strictAffinity: Bool = false
        public var deleted: Bool = false
        public init(cidr: String, affinity: String?, size: Int) {
            self.cidr = cidr; self.affinity = affinity
            allocations = Array(repeating: nil, count: size)
            unallocated = Array(0..<size)
            attributes = []
        }
    }

    public init(spec: Spec) {
        metadata = ObjectMeta(name: IPAMBlock.name(forCIDR: spec.cidr))
        self.spec = spec
    }

    /// `10.244.1.0/26` → `10-244-1-0-26` (IPv6 `:` also becomes `-`).
    public static func name(forCIDR cidr: String) -> String {
        cidr.map { $0 == "." || $0 == "/" || $0 == ":" ? "-" : String($0) }.joined()
    }

    static let specKeys = ["cidr", "affinity", "strictAffinity", "allocations", "unallocated", "attributes", "deleted", "sequenceNumber", "sequenceNumberForAllocation"]

    public init(metadata: ObjectMeta, document: JSONValue) throws {
        self.metadata = metadata
        let r = try FieldReader(document["spec"] ?? .null, structName: "IPAMBlockSpec", path: "spec", known: Self.specKeys)
        var s = Spec(cidr: try r.string("cidr") ?? "", affinity: try r.string("affinity"), size: 0)
        s.strictAffinity = try r.bool("strictAffinity") ?? false
        s.deleted = try r.bool("deleted") ?? false
        s.allocations = (r.raw("allocations")?.arrayValue ?? []).map { v in if case .number(let n) = v { return Int(n) } else { return nil } }
        s.unallocated = (r.raw("unallocated")?.arrayValue ?? []).compactMap { v in if case .number(let n) = v { return Int(n) } else { return nil } }
        s.attributes = (r.raw("attributes")?.arrayValue ?? []).map {
            AllocationAttribute(handleID: $0["handle_id"]?.stringValue ?? "", node: $0["secondary"]?["node"]?.stringValue)
        }
        spec = s
    }

    public var bodyJSON: [(String, JSONValue)] {
        let s = spec
        var pairs: [(String, JSONValue)] = [("cidr", .string(s.cidr))]
        pairs.append(("affinity", s.affinity.map { .string($0) } ?? .null))
        pairs.append(("strictAffinity", .bool(s.strictAffinity)))
        pairs.append(("allocations", .array(s.allocations.map { $0.map { .int($0) } ?? .null })))
        pairs.append(("unallocated", .array(s.unallocated.map { .int($0) })))
        pairs.append(("attributes", .array(s.attributes.map {
            .object([("handle_id", .string($0.handleID)), ("secondary", $0.node.map { .object([("node", .string($0))]) } ?? .null)])
        })))
        pairs.append(("deleted", .bool(s.deleted)))
        return [("spec", .object(pairs))]
    }

    public func validate() -> [FieldError] { [] }
}

/// One allocation's owner.
public struct AllocationAttribute: Hashable, Sendable {
    public var handleID: String
    public var node: String?
    public init(handleID: String, node: String?) { self.handleID = handleID; self.node = node }
}

/// `BlockAffinity`: node X owns block Y. Only `confirmed` affinities are announced (pending ones are ignored).
public struct BlockAffinity: CalicoResource {
    public static let kind = ResourceKind.blockAffinity
    public var metadata: ObjectMeta
    public var spec: Spec

    public struct Spec: Hashable, Sendable {
        public var state: String
        public var node: String
        public var cidr: String
        public var deleted: Bool = false
        public init(state: String = "confirmed", node: String, cidr: String) {
            self.state = state; self.node = node; self.cidr = cidr
        }
    }

    public init(spec: Spec) {
        metadata = ObjectMeta(name: "\(spec.node)-\(IPAMBlock.name(forCIDR: spec.cidr))")
        self.spec = spec
    }

    public init(metadata: ObjectMeta, document: JSONValue) throws {
        self.metadata = metadata
        let r = try FieldReader(document["spec"] ?? .null, structName: "BlockAffinitySpec", path: "spec", known: ["state", "node", "cidr", "deleted", "type"])
        spec = Spec(state: try r.string("state") ?? "", node: try r.string("node") ?? "", cidr: try r.string("cidr") ?? "")
        spec.deleted = (try r.string("deleted")) == "true"
    }

    /// `deleted` is a string field in Calico's API.
    public var bodyJSON: [(String, JSONValue)] {
        [("spec", .object([("state", .string(spec.state)), ("node", .string(spec.node)), ("cidr", .string(spec.cidr)),
                           ("deleted", .string(spec.deleted ? "true" : "false"))]))]
    }

    public func validate() -> [FieldError] { [] }
}

/// `WorkloadEndpoint`: one pod interface (what `calicoctl get wep` lists).
public struct WorkloadEndpoint: CalicoResource {
    public static let kind = ResourceKind.workloadEndpoint
    public var metadata: ObjectMeta
    public var spec: Spec

    public struct Spec: Hashable, Sendable {
        public var orchestrator: String?
        public var workload: String?
        public var node: String?
        public var containerID: String?
        public var pod: String?
        public var endpoint: String?
        public var serviceAccountName: String?
        public var ipNetworks: [String]?
        public var ipNATs: JSONValue?
        public var profiles: [String]?
        public var interfaceName: String?
        public var mac: String?
        public var ports: JSONValue?
        public init() {}
    }

    public init(namespace: String, spec: Spec) {
        metadata = ObjectMeta(name: WorkloadEndpoint.name(node: spec.node ?? "", orchestrator: spec.orchestrator ?? "k8s",
                                                          workload: spec.pod ?? spec.workload ?? "", endpoint: spec.endpoint ?? "eth0"),
                              namespace: namespace)
        self.spec = spec
    }

    /// `<node>-<orchestrator>-<pod>-<endpoint>` with every `-` inside a segment doubled.
    public static func name(node: String, orchestrator: String, workload: String, endpoint: String) -> String {
        [node, orchestrator, workload, endpoint].map { $0.replacingOccurrences(of: "-", with: "--") }.joined(separator: "-")
    }

    static let specKeys = ["orchestrator", "workload", "node", "containerID", "pod", "endpoint", "serviceAccountName",
                           "ipNetworks", "ipv4Gateway", "ipv6Gateway", "ipNATs", "profiles", "interfaceName", "mac", "ports",
                           "allowSpoofedSourcePrefixes"]

    public init(metadata: ObjectMeta, document: JSONValue) throws {
        self.metadata = metadata
        let r = try FieldReader(document["spec"] ?? .null, structName: "WorkloadEndpointSpec", path: "spec", known: Self.specKeys)
        var s = Spec()
        s.orchestrator = try r.string("orchestrator")
        s.workload = try r.string("workload")
        s.node = try r.string("node")
        s.containerID = try r.string("containerID")
        s.pod = try r.string("pod")
        s.endpoint = try r.string("endpoint")
        s.serviceAccountName = try r.string("serviceAccountName")
        s.ipNetworks = try r.stringArray("ipNetworks")
        s.ipNATs = r.raw("ipNATs")
        s.profiles = try r.stringArray("profiles")
        s.interfaceName = try r.string("interfaceName")
        s.mac = try r.string("mac")
        s.ports = r.raw("ports")
        spec = s
    }

    public var bodyJSON: [(String, JSONValue)] {
        var w = FieldWriter()
        let s = spec
        w.put("orchestrator", s.orchestrator)
        w.put("workload", s.workload)
        w.put("node", s.node)
        w.put("containerID", s.containerID)
        w.put("pod", s.pod)
        w.put("endpoint", s.endpoint)
        w.put("serviceAccountName", s.serviceAccountName)
        w.put("ipNetworks", s.ipNetworks)
        w.put("ipNATs", raw: s.ipNATs)
        w.put("profiles", s.profiles)
        w.put("interfaceName", s.interfaceName)
        w.put("mac", s.mac)
        w.put("ports", raw: s.ports)
        return [("spec", w.value)]
    }

    public func validate() -> [FieldError] { [] }
}
