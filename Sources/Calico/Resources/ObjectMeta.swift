import BGPWire

/// Kubernetes-style object metadata, the part of it calicoctl shows and keeps.
public struct ObjectMeta: Hashable, Sendable {
    public var name: String
    public var namespace: String?
    public var uid: String?
    public var resourceVersion: String?
    /// RFC 3339 UTC text (`2024-05-01T10:00:00Z`); nil prints as `creationTimestamp: null`.
    public var creationTimestamp: String?
    public var labels: [String: String]
    public var annotations: [String: String]

    public init(name: String, namespace: String? = nil, labels: [String: String] = [:], annotations: [String: String] = [:]) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
    }

    static let keys = ["name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
                       "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels",
                       "annotations", "ownerReferences", "finalizers", "managedFields"]

    init(json: JSONValue) throws {
        let r = try FieldReader(json, structName: "ObjectMeta", path: "metadata", known: ObjectMeta.keys)
        name = try r.string("name") ?? ""
        namespace = try r.string("namespace")
        uid = try r.string("uid")
        resourceVersion = try r.string("resourceVersion")
        creationTimestamp = try r.string("creationTimestamp")
        labels = try r.stringMap("labels") ?? [:]
        annotations = try r.stringMap("annotations") ?? [:]
    }

    /// Go field order; `creationTimestamp` is always present (null when unset), as metav1.Time marshals.
    var json: JSONValue {
        var w = FieldWriter()
        w.put("name", name)
        w.put("namespace", namespace)
        w.put("uid", uid)
        w.put("resourceVersion", resourceVersion)
        w.pairs.append(("creationTimestamp", creationTimestamp.map { .string($0) } ?? .null))
        w.put("labels", labels)
        w.put("annotations", annotations)
        return w.value
    }

    /// What `--export` keeps: no namespace, uid or resourceVersion, and a null timestamp.
    public var exported: ObjectMeta {
        var m = self
        m.namespace = nil; m.uid = nil; m.resourceVersion = nil; m.creationTimestamp = nil
        return m
    }
}

/// One failed field check: `error with field <field> = '<value>' (<reason>)`.
public struct FieldError: Hashable, Sendable, CustomStringConvertible {
    public var field: String
    public var value: String
    public var reason: String
    public init(field: String, value: String, reason: String) {
        self.field = field; self.value = value; self.reason = reason
    }
    /// A struct-tag failure without a custom reason.
    public static func tag(_ field: String, _ value: String, _ tag: String) -> FieldError {
        FieldError(field: field, value: value, reason: "Reason: failed to validate Field: \(field) because of Tag: \(tag) ")
    }
    public var description: String { "error with field \(field) = '\(value)' (\(reason))" }
}

/// All field errors of one resource, printed the way libcalico-go's validator joins them.
public struct ValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    public var errors: [FieldError]
    public init(_ errors: [FieldError]) { self.errors = errors }
    public var description: String {
        if errors.count == 1 { return errors[0].description }
        return "error with the following fields:\n" + errors.map { "-  \($0.field) = '\($0.value)' (\($0.reason))\n" }.joined()
    }
}

/// Name rules shared by all kinds (DNS-1123 subdomain, at most 253 characters).
enum NameRules {
    static let regexText = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"

    static func isDNSSubdomain(_ s: String) -> Bool {
        guard !s.isEmpty else { return false }
        for label in s.split(separator: ".", omittingEmptySubsequences: false) {
            guard let f = label.first, let l = label.last else { return false }
            func alnum(_ c: Character) -> Bool { c.isASCII && (c.isLowercase || c.isNumber) }
            guard alnum(f), alnum(l), label.allSatisfy({ alnum($0) || $0 == "-" }) else { return false }
        }
        return true
    }

    static func check(_ name: String, field: String = "Metadata.Name") -> [FieldError] {
        if name.count > 253 {
            return [FieldError(field: field, value: name, reason: "name is too long by \(name.count - 253) bytes")]
        }
        if !isDNSSubdomain(name) {
            return [FieldError(field: field, value: name, reason: "name must consist of lower case alphanumeric characters, '-' or '.' (regex: \(regexText))")]
        }
        return []
    }
}

/// Parsing helpers for the address forms Calico's validator tags accept.
enum AddressText {
    /// `cidrv4`/`cidrv6`: an address with or without a prefix length, host bits allowed.
    static func addressAndLength(_ s: String) -> (IPAddress, UInt8)? {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let a = IPAddress(String(parts[0])) else { return nil }
        let maxLen: UInt8 = a.family == .ipv4 ? 32 : 128
        if parts.count == 1 { return (a, maxLen) }
        guard let l = UInt8(parts[1]), l <= maxLen else { return nil }
        return (a, l)
    }

    /// `IP:port` tag: `IP`, `IPv4:port`, `[IPv6]:port`.
    static func peerIP(_ s: String) -> (IPAddress, UInt16?)? {
        if let a = IPAddress(s) { return (a, nil) }
        if s.hasPrefix("["), let close = s.firstIndex(of: "]") {
            let inner = String(s[s.index(after: s.startIndex)..<close])
            let rest = s[s.index(after: close)...]
            guard let a = IPv6Address(inner), rest.hasPrefix(":"), let p = UInt16(rest.dropFirst()), p > 0 else { return nil }
            return (.v6(a), p)
        }
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 2, let a = IPv4Address(parts[0]), let p = UInt16(parts[1]), p > 0 { return (.v4(a), p) }
        return nil
    }
}
