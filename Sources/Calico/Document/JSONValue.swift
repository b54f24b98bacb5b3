/// A JSON document with ordered object keys.
///
/// calicoctl round-trips every resource through JSON (YAML is converted to JSON before the Go structs
/// see it), so this is the neutral form that decoding, patching, persistence and both output formats share.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// Integers keep their exact text so that uint32 AS numbers and int64 values survive.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public func hash(into h: inout Hasher) {
        switch self {
        case .null: h.combine(0)
        case .bool(let b): h.combine(b)
        case .number(let n): h.combine(n)
        case .string(let s): h.combine(s)
        case .array(let a): h.combine(a)
        case .object(let o): for (k, v) in o { h.combine(k); h.combine(v) }
        }
    }

    public static func int(_ v: Int) -> JSONValue { .number(String(v)) }
    public static func uint(_ v: UInt32) -> JSONValue { .number(String(v)) }

    public subscript(key: String) -> JSONValue? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var objectPairs: [(String, JSONValue)]? { if case .object(let o) = self { return o } else { return nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }

    /// The Go JSON type word used in unmarshal errors ("string", "number", "bool", "array", "object").
    public var jsonTypeName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// Returns a copy with `key` set (replacing in place, or appended).
    public func setting(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var pairs) = self else { return .object([(key, value)]) }
        if let i = pairs.firstIndex(where: { $0.0 == key }) { pairs[i].1 = value } else { pairs.append((key, value)) }
        return .object(pairs)
    }

    /// Returns a copy with `key` removed.
    public func removing(_ key: String) -> JSONValue {
        guard case .object(let pairs) = self else { return self }
        return .object(pairs.filter { $0.0 != key })
    }

    /// RFC 7386 JSON merge patch: what `calicoctl patch` does to the stored object.
    public func merged(with patch: JSONValue) -> JSONValue {
        guard case .object(let patchPairs) = patch else { return patch }
        var result: JSONValue = objectPairs != nil ? self : .object([])
        for (k, v) in patchPairs {
            if v == .null { result = result.removing(k) } else { result = result.setting(k, (result[k] ?? .null).merged(with: v)) }
        }
        return result
    }
}
