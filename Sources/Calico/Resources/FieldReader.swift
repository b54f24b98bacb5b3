/// Strict reading of one JSON object into a Go-shaped struct: every key must be known
/// (calicoctl decodes with DisallowUnknownFields), and type mismatches read like encoding/json's errors.
struct FieldReader {
    let pairs: [(String, JSONValue)]
    let structName: String
    let path: String

    /// - Parameters:
    ///   - known: every JSON key the Go struct has, in struct order.
    init(_ value: JSONValue, structName: String, path: String, known: [String]) throws {
        switch value {
        case .object(let p):
            pairs = p
        case .null:
            pairs = []
        default:
            throw CalicoError("json: cannot unmarshal \(value.jsonTypeName) into Go struct field \(structName).\(path) of type v3.\(structName)")
        }
        self.structName = structName
        self.path = path
        for (k, _) in pairs where !known.contains(k) {
            throw CalicoError("json: unknown field \"\(k)\"")
        }
    }

    func raw(_ key: String) -> JSONValue? {
        guard let v = pairs.first(where: { $0.0 == key })?.1, v != .null else { return nil }
        return v
    }

    func mismatch(_ key: String, _ v: JSONValue, _ goType: String) -> CalicoError {
        let field = path.isEmpty ? key : "\(path).\(key)"
        return CalicoError("json: cannot unmarshal \(v.jsonTypeName) into Go struct field \(structName).\(field) of type \(goType)")
    }

    /// Strings accept YAML booleans and numbers too: the YAML-to-JSON step converts them for string fields.
    func string(_ key: String) throws -> String? {
        guard let v = raw(key) else { return nil }
        switch v {
        case .string(let s): return s
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        default: throw mismatch(key, v, "string")
        }
    }

    func bool(_ key: String) throws -> Bool? {
        guard let v = raw(key) else { return nil }
        guard case .bool(let b) = v else { throw mismatch(key, v, "bool") }
        return b
    }

    func int(_ key: String, goType: String = "int", range: ClosedRange<Int64> = Int64(Int32.min)...Int64(Int32.max)) throws -> Int? {
        guard let v = raw(key) else { return nil }
        guard case .number(let n) = v else { throw mismatch(key, v, goType) }
        guard let i = Int64(n), range.contains(i) else {
            throw CalicoError("json: cannot unmarshal number \(n) into Go struct field \(structName).\(path.isEmpty ? key : path + "." + key) of type \(goType)")
        }
        return Int(i)
    }

    func asNumber(_ key: String) throws -> ASNumber? {
        guard let v = raw(key) else { return nil }
        return try ASNumber(json: v)
    }

    func stringMap(_ key: String) throws -> [String: String]? {
        guard let v = raw(key) else { return nil }
        guard case .object(let p) = v else { throw mismatch(key, v, "map[string]string") }
        var out: [String: String] = [:]
        for (k, item) in p {
            switch item {
            case .string(let s): out[k] = s
            case .number(let n): out[k] = n
            case .bool(let b): out[k] = b ? "true" : "false"
            case .null: out[k] = ""
            default: throw mismatch(key, item, "string")
            }
        }
        return out
    }

    func stringArray(_ key: String) throws -> [String]? {
        guard let v = raw(key) else { return nil }
        guard case .array(let items) = v else { throw mismatch(key, v, "[]string") }
        return try items.map { item in
            switch item {
            case .string(let s): return s
            case .number(let n): return n
            case .null: return ""
            default: throw mismatch(key, item, "string")
            }
        }
    }
}

/// Builds a Go-ordered JSON object, leaving out empty values the way `omitempty` does.
struct FieldWriter {
    var pairs: [(String, JSONValue)] = []
    mutating func put(_ key: String, _ v: String?) { if let v, !v.isEmpty { pairs.append((key, .string(v))) } }
    mutating func put(_ key: String, _ v: Bool?, omitFalse: Bool = true) {
        if let v, v || !omitFalse { pairs.append((key, .bool(v))) }
    }
    mutating func put(_ key: String, _ v: Int?) { if let v { pairs.append((key, .int(v))) } }
    mutating func put(_ key: String, _ v: ASNumber?) { if let v, v.value != 0 { pairs.append((key, .uint(v.value))) } }
    mutating func put(_ key: String, _ v: [String: String]?) {
        if let v, !v.isEmpty { pairs.append((key, .object(v.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))) }
    }
    mutating func put(_ key: String, _ v: [String]?) { if let v, !v.isEmpty { pairs.append((key, .array(v.map { .string($0) }))) } }
    mutating func put(_ key: String, raw v: JSONValue?) { if let v, v != .null { pairs.append((key, v)) } }
    var value: JSONValue { .object(pairs) }
}

/// A BGP AS number (`numorstring.ASNumber`): a uint32, or the asdot text "X.Y"; always printed as decimal.
public struct ASNumber: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var value: UInt32
    public init(_ value: UInt32) { self.value = value }
    public var description: String { String(value) }
    public static func < (a: ASNumber, b: ASNumber) -> Bool { a.value < b.value }

    /// Parses plain decimal or asdot text; throws `invalid AS Number format (<s>)`.
    public init(text s: String) throws {
        if let v = UInt32(s) { value = v; return }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 2, let hi = UInt16(parts[0]), let lo = UInt16(parts[1]) {
            value = UInt32(hi) << 16 | UInt32(lo)
            return
        }
        throw CalicoError("invalid AS Number format (\(s))")
    }

    init(json v: JSONValue) throws {
        switch v {
        case .number(let n):
            guard let x = UInt32(n) else { throw CalicoError("json: cannot unmarshal number into Go value of type string") }
            value = x
        case .string(let s):
            self = try ASNumber(text: s)
        default:
            throw CalicoError("json: cannot unmarshal \(v.jsonTypeName) into Go value of type string")
        }
    }

    /// The IANA private-use default Calico falls back to when nothing sets an AS.
    public static let defaultAS = ASNumber(64512)
}
