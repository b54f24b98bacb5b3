/// What every stored kind has: metadata, a spec that round-trips through JSON in Go field order,
/// Calico's defaults and Calico's validation.
public protocol CalicoResource: Hashable, Sendable {
    static var kind: ResourceKind { get }
    var metadata: ObjectMeta { get set }
    /// Decodes `spec` (and `status` where the kind has one) strictly: unknown fields are errors.
    init(metadata: ObjectMeta, document: JSONValue) throws
    /// The fields after `metadata` (`spec`, and `status` for kinds that have one), in Go order.
    var bodyJSON: [(String, JSONValue)] { get }
    /// Field errors as libcalico-go's validator reports them; empty when valid.
    func validate() -> [FieldError]
    /// Fills the defaults Calico writes on create (and fills on read).
    mutating func applyDefaults()
}

extension CalicoResource {
    public func validate() -> [FieldError] { NameRules.check(metadata.name) }
    public mutating func applyDefaults() {}

    /// The whole object in Go struct order: `kind`, `apiVersion`, `metadata`, then the body.
    public var json: JSONValue {
        .object([("kind", .string(Self.kind.documentKind)), ("apiVersion", .string(Self.kind.apiVersion)), ("metadata", metadata.json)] + bodyJSON)
    }
}

/// Every kind the datastore holds, with its calicoctl aliases.
public enum ResourceKind: String, CaseIterable, Hashable, Sendable, Comparable {
    case bgpConfiguration = "BGPConfiguration"
    case bgpPeer = "BGPPeer"
    case node = "Node"
    case ipPool = "IPPool"
    case ipamBlock = "IPAMBlock"
    case blockAffinity = "BlockAffinity"
    case workloadEndpoint = "WorkloadEndpoint"
    case bgpFilter = "BGPFilter"
    /// Kubernetes `v1` objects the lab's kubectl touches.
    case kubeNode = "KubeNode"
    case pod = "Pod"
    case configMap = "ConfigMap"
    case secret = "Secret"

    public static func < (a: ResourceKind, b: ResourceKind) -> Bool { a.rawValue < b.rawValue }

    public var apiVersion: String { isKubernetes ? "v1" : "projectcalico.org/v3" }
    public var isKubernetes: Bool { self == .kubeNode || self == .pod || self == .configMap || self == .secret }
    /// The `kind:` text in documents (Kubernetes nodes are plain `Node` under `v1`).
    public var documentKind: String { self == .kubeNode ? "Node" : rawValue }
    public var namespaced: Bool { self == .workloadEndpoint || self == .pod || self == .configMap || self == .secret }

    /// calicoctl's case-insensitive kind names and aliases; nil → `resource type '<kind>' is not supported`.
    public init?(calicoctlName: String) {
        switch calicoctlName.lowercased() {
        case "bgpconfiguration", "bgpconfigurations", "bgpconfig", "bgpconfigs": self = .bgpConfiguration
        case "bgppeer", "bgppeers", "bgpp", "bgpps", "bp", "bps": self = .bgpPeer
        case "node", "nodes", "no", "nos": self = .node
        case "ippool", "ippools", "ipp", "ipps", "pool", "pools": self = .ipPool
        case "ipamblock", "ipamblocks": self = .ipamBlock
        case "blockaffinity", "blockaffinities", "affinity", "affinities": self = .blockAffinity
        case "workloadendpoint", "workloadendpoints", "wep", "weps": self = .workloadEndpoint
        case "bgpfilter", "bgpfilters", "bgpf", "bgpfs", "bf", "bfs": self = .bgpFilter
        default: return nil
        }
    }

    /// Resolves a document's `apiVersion`/`kind` pair.
    public init?(apiVersion: String, kind: String) {
        if apiVersion == "v1" {
            switch kind {
            case "Node": self = .kubeNode
            case "Pod": self = .pod
            case "ConfigMap": self = .configMap
            case "Secret": self = .secret
            default: return nil
            }
            return
        }
        guard apiVersion == "projectcalico.org/v3", let k = ResourceKind(rawValue: kind), !k.isKubernetes else { return nil }
        self = k
    }
}

/// A resource of any kind, as the datastore and the decoder hand them around.
public enum AnyResource: Hashable, Sendable {
    case bgpConfiguration(BGPConfiguration)
    case bgpPeer(BGPPeer)
    case node(Node)
    case ipPool(IPPool)
    case ipamBlock(IPAMBlock)
    case blockAffinity(BlockAffinity)
    case workloadEndpoint(WorkloadEndpoint)
    case bgpFilter(BGPFilter)
    case kubeNode(KubeNode)
    case pod(Pod)
    case configMap(ConfigMap)
    case secret(Secret)

    public init<R: CalicoResource>(_ r: R) {
        switch r {
        case let x as BGPConfiguration: self = .bgpConfiguration(x)
        case let x as BGPPeer: self = .bgpPeer(x)
        case let x as Node: self = .node(x)
        case let x as IPPool: self = .ipPool(x)
        case let x as IPAMBlock: self = .ipamBlock(x)
        case let x as BlockAffinity: self = .blockAffinity(x)
        case let x as WorkloadEndpoint: self = .workloadEndpoint(x)
        case let x as BGPFilter: self = .bgpFilter(x)
        case let x as KubeNode: self = .kubeNode(x)
        case let x as Pod: self = .pod(x)
        case let x as ConfigMap: self = .configMap(x)
        case let x as Secret: self = .secret(x)
        default: preconditionFailure("unregistered resource type \(R.self)")
        }
    }

    /// The wrapped value, for code that is generic over kinds.
    public var resource: any CalicoResource {
        switch self {
        case .bgpConfiguration(let x): x
        case .bgpPeer(let x): x
        case .node(let x): x
        case .ipPool(let x): x
        case .ipamBlock(let x): x
        case .blockAffinity(let x): x
        case .workloadEndpoint(let x): x
        case .bgpFilter(let x): x
        case .kubeNode(let x): x
        case .pod(let x): x
        case .configMap(let x): x
        case .secret(let x): x
        }
    }

    public var kind: ResourceKind { type(of: resource).kind }
    public var metadata: ObjectMeta { resource.metadata }
    public var name: String { metadata.name }
    public var json: JSONValue { resource.json }
    public func validate() -> [FieldError] { resource.validate() }

    public func with(metadata m: ObjectMeta) -> AnyResource {
        func set<R: CalicoResource>(_ r: R) -> AnyResource { var c = r; c.metadata = m; return AnyResource(c) }
        return set(resource)
    }

    public func defaulted() -> AnyResource {
        func run<R: CalicoResource>(_ r: R) -> AnyResource { var c = r; c.applyDefaults(); return AnyResource(c) }
        return run(resource)
    }

    public var bgpPeer: BGPPeer? { if case .bgpPeer(let x) = self { return x }; return nil }
    public var node: Node? { if case .node(let x) = self { return x }; return nil }
    public var ipPool: IPPool? { if case .ipPool(let x) = self { return x }; return nil }
    public var bgpConfiguration: BGPConfiguration? { if case .bgpConfiguration(let x) = self { return x }; return nil }
    public var workloadEndpoint: WorkloadEndpoint? { if case .workloadEndpoint(let x) = self { return x }; return nil }

    /// Decodes one object whose `kind`/`apiVersion` are already resolved.
    public static func decode(kind: ResourceKind, document: JSONValue) throws -> AnyResource {
        let meta = try ObjectMeta(json: document["metadata"] ?? .null)
        switch kind {
        case .bgpConfiguration: return .bgpConfiguration(try BGPConfiguration(metadata: meta, document: document))
        case .bgpPeer: return .bgpPeer(try BGPPeer(metadata: meta, document: document))
        case .node: return .node(try Node(metadata: meta, document: document))
        case .ipPool: return .ipPool(try IPPool(metadata: meta, document: document))
        case .ipamBlock: return .ipamBlock(try IPAMBlock(metadata: meta, document: document))
        case .blockAffinity: return .blockAffinity(try BlockAffinity(metadata: meta, document: document))
        case .workloadEndpoint: return .workloadEndpoint(try WorkloadEndpoint(metadata: meta, document: document))
        case .bgpFilter: return .bgpFilter(try BGPFilter(metadata: meta, document: document))
        case .kubeNode: return .kubeNode(try KubeNode(metadata: meta, document: document))
        case .pod: return .pod(try Pod(metadata: meta, document: document))
        case .configMap: return .configMap(try ConfigMap(metadata: meta, document: document))
        case .secret: return .secret(try Secret(metadata: meta, document: document))
        }
    }
}

/// Top-level keys every object document may carry besides its body.
let documentHeaderKeys = ["kind", "apiVersion", "metadata"]
