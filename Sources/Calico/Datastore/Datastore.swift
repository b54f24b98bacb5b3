import Foundation
import BGPWire

/// Identifies one stored object.
public struct ResourceKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var kind: ResourceKind
    public var namespace: String?
    public var name: String
    public init(kind: ResourceKind, name: String, namespace: String? = nil) {
        self.kind = kind
        self.name = name
        self.namespace = kind.namespaced ? (namespace ?? "default") : nil
    }
    public init(_ r: AnyResource) { self.init(kind: r.kind, name: r.name, namespace: r.metadata.namespace) }
    /// `BGPPeer(name)` or `WorkloadEndpoint(ns/name)`, as libcalico-go prints resource IDs.
    public var description: String { "\(kind.documentKind)(\(namespace.map { "\($0)/" } ?? "")\(name))" }
    public static func < (a: ResourceKey, b: ResourceKey) -> Bool {
        (a.kind.rawValue, a.namespace ?? "", a.name) < (b.kind.rawValue, b.namespace ?? "", b.name)
    }
}

/// A datastore change, delivered to watchers after it is committed.
public struct DatastoreChange: Sendable {
    public enum Action: String, Sendable { case added, modified, deleted }
    public var action: Action
    public var key: ResourceKey
    /// The new object (the deleted one for `.deleted`).
    public var resource: AnyResource
    public var previous: AnyResource?
}

/// The errors the Calico client library returns; messages are the ones calicoctl prints.
public enum DatastoreError: Error, Equatable, CustomStringConvertible, Sendable {
    case alreadyExists(ResourceKey)
    case doesNotExist(ResourceKey, backend: Datastore.Backend)
    case updateConflict(ResourceKey)
    case validation(ValidationError)
    case notSupported(ResourceKey, operation: String, reason: String?)

    public var description: String {
        switch self {
        case .alreadyExists(let k): return "resource already exists: \(k)"
        case .doesNotExist(let k, let backend):
            switch backend {
            case .etcd: return "resource does not exist: \(k) with error: <nil>"
            case .kubernetes: return "resource does not exist: \(k) with error: \(Datastore.crdName(k.kind)) \"\(k.name)\" not found"
            }
        case .updateConflict(let k): return "update conflict: \(k)"
        case .validation(let v): return v.description
        case .notSupported(let k, let op, let reason): return "operation \(op) is not supported on \(k)" + (reason.map { ": \($0)" } ?? "")
        }
    }
}

/// In-memory Calico datastore with resourceVersions, calicoctl semantics and live watchers.
///
/// Optionally persisted to a directory of JSON files (one per object) so several processes on one box
/// share it; every operation takes an advisory `flock` on the directory and reloads if another process
/// wrote since. Watch callbacks run synchronously after a change commits, outside the lock.
public final class Datastore: @unchecked Sendable {
    public enum Backend: String, Sendable { case etcd, kubernetes }

    public let backend: Backend
    public let directory: URL?
    /// Injected for deterministic tests (set before sharing the store); RFC 3339 UTC by default.
    public var now: () -> String = { Datastore.rfc3339(Date()) }
    public var makeUID: () -> String = { UUID().uuidString.lowercased() }

    var objects: [ResourceKey: AnyResource] = [:]
    var revision = 0
    var loadedRevision = -1
    var fileLockDepth = 0
    private var watchers: [Int: (DatastoreChange) -> Void] = [:]
    private var nextWatcher = 0
    let lock = NSRecursiveLock()

    /// - Parameter directory: where to persist; nil keeps everything in memory.
    public init(backend: Backend = .kubernetes, directory: URL? = nil) throws {
        self.backend = backend
        self.directory = directory
        if let directory {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try withFileLock { try reloadIfChanged() }
        }
    }

    // MARK: Watching

    /// Registers a callback for every committed change; returns a token for `unwatch`.
    /// Callbacks run on the writing thread (inside `atomically` blocks, while the store is still held):
    /// they may use the store from that thread, but must not wait for other threads that do.
    @discardableResult
    public func watch(_ callback: @escaping (DatastoreChange) -> Void) -> Int {
        lock.lock(); defer { lock.unlock() }
        nextWatcher += 1
        watchers[nextWatcher] = callback
        return nextWatcher
    }

    public func unwatch(_ token: Int) {
        lock.lock(); defer { lock.unlock() }
        watchers[token] = nil
    }

    func notify(_ changes: [DatastoreChange]) {
        guard !changes.isEmpty else { return }
        lock.lock(); let callbacks = watchers.sorted { $0.key < $1.key }.map(\.value); lock.unlock()
        for c in changes { for cb in callbacks { cb(c) } }
    }

    // MARK: Reads

    public func get(_ kind: ResourceKind, _ name: String, namespace: String? = nil) throws -> AnyResource {
        let key = ResourceKey(kind: kind, name: name, namespace: namespace)
        return try transaction { _ in
            guard let r = objects[key] else { throw DatastoreError.doesNotExist(key, backend: backend) }
            return r
        }
    }

    /// All objects of a kind (in one namespace, or all namespaces when nil), sorted by namespace and name.
    public func list(_ kind: ResourceKind, namespace: String? = nil) -> [AnyResource] {
        (try? transaction { _ in
            objects.filter { $0.key.kind == kind && (namespace == nil || $0.key.namespace == namespace) }
                .sorted { $0.key < $1.key }.map(\.value)
        }) ?? []
    }

    /// The current revision (the last resourceVersion handed out).
    public var currentRevision: Int { (try? transaction { _ in revision }) ?? revision }

    // MARK: Writes

    /// Creates; fails with `resource already exists` if present. Validates and applies Calico's defaults.
    @discardableResult
    public func create(_ resource: AnyResource) throws -> AnyResource {
        try transaction { changes in
            let key = ResourceKey(resource)
            if objects[key] != nil { throw DatastoreError.alreadyExists(key) }
            let r = resource.defaulted()
            try check(r, replacing: nil)
            var m = r.metadata
            if key.kind.namespaced { m.namespace = key.namespace }
            m.uid = makeUID()
            m.creationTimestamp = now()
            let stored = commit(r.with(metadata: m), key: key)
            changes.append(DatastoreChange(action: .added, key: key, resource: stored, previous: nil))
            return stored
        }
    }

    /// Replaces an existing object (calicoctl `replace`). A non-empty resourceVersion must match.
    @discardableResult
    public func update(_ resource: AnyResource) throws -> AnyResource {
        try transaction { changes in
            let key = ResourceKey(resource)
            guard let old = objects[key] else { throw DatastoreError.doesNotExist(key, backend: backend) }
            if let rv = resource.metadata.resourceVersion, !rv.isEmpty, rv != old.metadata.resourceVersion {
                throw DatastoreError.updateConflict(key)
            }
            let r = resource.defaulted()
            try check(r, replacing: old)
            var m = r.metadata
            m.namespace = key.namespace
            m.uid = old.metadata.uid
            m.creationTimestamp = old.metadata.creationTimestamp
            let stored = commit(r.with(metadata: m), key: key)
            changes.append(DatastoreChange(action: .modified, key: key, resource: stored, previous: old))
            return stored
        }
    }

    /// calicoctl `apply`: create, or update the existing object (keeping its resourceVersion).
    @discardableResult
    public func apply(_ resource: AnyResource) throws -> AnyResource {
        do {
            return try create(resource)
        } catch DatastoreError.alreadyExists {
            var m = resource.metadata
            if (m.resourceVersion ?? "").isEmpty {
                m.resourceVersion = try get(resource.kind, resource.name, namespace: resource.metadata.namespace).metadata.resourceVersion
            }
            return try update(resource.with(metadata: m))
        }
    }

    /// Deletes and returns the deleted object.
    @discardableResult
    public func delete(_ kind: ResourceKind, _ name: String, namespace: String? = nil) throws -> AnyResource {
        try transaction { changes in
            let key = ResourceKey(kind: kind, name: name, namespace: namespace)
            guard let old = objects.removeValue(forKey: key) else { throw DatastoreError.doesNotExist(key, backend: backend) }
            revision += 1
            try? removeFile(key)
            changes.append(DatastoreChange(action: .deleted, key: key, resource: old, previous: old))
            return old
        }
    }

    /// calicoctl `patch`: RFC 7386 merge of `patch` (JSON text) into the stored object, then update.
    @discardableResult
    public func patch(_ kind: ResourceKind, _ name: String, namespace: String? = nil, json patchText: String) throws -> AnyResource {
        let patch = try JSONValue.parse(json: patchText)
        let current = try get(kind, name, namespace: namespace)
        let merged = current.json.merged(with: patch)
        let decoded = try AnyResource.decode(kind: kind, document: merged)
        return try update(decoded)
    }

    /// Writes without validation or defaults (for the node agent's own bookkeeping, e.g. IPAM blocks,
    /// and for mirroring Kubernetes nodes); creates or overwrites.
    @discardableResult
    public func put(_ resource: AnyResource) -> AnyResource {
        (try? transaction { changes in
            let key = ResourceKey(resource)
            let old = objects[key]
            var m = resource.metadata
            m.namespace = key.namespace
            m.uid = old?.metadata.uid ?? m.uid ?? makeUID()
            m.creationTimestamp = old?.metadata.creationTimestamp ?? m.creationTimestamp ?? now()
            let stored = commit(resource.with(metadata: m), key: key)
            changes.append(DatastoreChange(action: old == nil ? .added : .modified, key: key, resource: stored, previous: old))
            return stored
        }) ?? resource
    }

    /// Runs several operations as one unit: other processes sharing the directory (and other threads)
    /// wait until `body` returns. Watchers still see each change.
    public func atomically<T>(_ body: () throws -> T) throws -> T {
        try transaction { _ in try body() }
    }

    // MARK: Internals

    private func commit(_ r: AnyResource, key: ResourceKey) -> AnyResource {
        revision += 1
        var m = r.metadata
        m.resourceVersion = String(revision)
        let stored = r.with(metadata: m)
        objects[key] = stored
        try? writeFile(stored, key: key)
        return stored
    }

    /// Struct validation, then the client-library checks that need the other objects.
    private func check(_ r: AnyResource, replacing old: AnyResource?) throws {
        var errs = r.validate()
        if case .ipPool(let pool) = r {
            errs += poolChecks(pool, old: old?.ipPool)
        }
        if case .bgpPeer(let peer) = r, let filters = peer.spec.filters, !filters.isEmpty {
            let missing = filters.filter { objects[ResourceKey(kind: .bgpFilter, name: $0)] == nil }
            if !missing.isEmpty {
                errs.append(FieldError(field: "BGPPeer.Spec.Filters", value: "[\(filters.joined(separator: " "))]", reason: "BGPFilter(s) not found"))
            }
        }
        if !errs.isEmpty { throw DatastoreError.validation(ValidationError(errs)) }
    }

    private func poolChecks(_ pool: IPPool, old: IPPool?) -> [FieldError] {
        var errs: [FieldError] = []
        if let old {
            if old.spec.cidr != pool.spec.cidr {
                errs.append(FieldError(field: "IPPool.Spec.CIDR", value: pool.spec.cidr, reason: "IPPool CIDR cannot be modified"))
            }
            if old.effectiveBlockSize != pool.effectiveBlockSize {
                errs.append(FieldError(field: "IPPool.Spec.BlockSize", value: String(pool.effectiveBlockSize), reason: "IPPool BlockSize cannot be modified"))
            }
            return errs
        }
        guard let p = pool.prefix else { return errs }
        for case .ipPool(let other) in objects.values where other.metadata.name != pool.metadata.name {
            guard let q = other.prefix else { continue }
            if Self.overlaps(p, q) {
                errs.append(FieldError(field: "IPPool.Spec.CIDR", value: pool.spec.cidr,
                                       reason: "IPPool(\(pool.metadata.name)) CIDR overlaps with IPPool(\(other.metadata.name)) CIDR \(other.spec.cidr)"))
            }
        }
        return errs
    }

    static func overlaps(_ a: Prefix, _ b: Prefix) -> Bool {
        switch (a, b) {
        case (.v4(let x), .v4(let y)): return x.contains(y) || y.contains(x)
        case (.v6(let x), .v6(let y)): return x.contains(y) || y.contains(x)
        default: return false
        }
    }

    /// Runs `body` under the in-process lock and the directory's file lock, reloading first and
    /// delivering the changes it records once both locks are released.
    func transaction<T>(_ body: (inout [DatastoreChange]) throws -> T) throws -> T {
        var changes: [DatastoreChange] = []
        lock.lock()
        let result: Result<T, Error>
        do {
            result = .success(try withFileLock {
                try reloadIfChanged(changes: &changes)
                let startRevision = revision
                let value = try body(&changes)
                if revision != startRevision { try writeRevision() }
                return value
            })
        } catch {
            result = .failure(error)
        }
        lock.unlock()
        notify(changes)
        return try result.get()
    }

    static func crdName(_ kind: ResourceKind) -> String {
        switch kind {
        case .bgpConfiguration: "bgpconfigurations.crd.projectcalico.org"
        case .bgpPeer: "bgppeers.crd.projectcalico.org"
        case .node: "nodes"
        case .ipPool: "ippools.crd.projectcalico.org"
        case .ipamBlock: "ipamblocks.crd.projectcalico.org"
        case .blockAffinity: "blockaffinities.crd.projectcalico.org"
        case .workloadEndpoint: "pods"
        case .bgpFilter: "bgpfilters.crd.projectcalico.org"
        case .kubeNode: "nodes"
        case .pod: "pods"
        case .configMap: "configmaps"
        case .secret: "secrets"
        }
    }

    public static func rfc3339(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'"
        return f.string(from: date)
    }
}
