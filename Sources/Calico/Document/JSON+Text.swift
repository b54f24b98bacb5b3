/// JSON text in and out, in the shapes Go's encoding/json produces.
extension JSONValue {
    /// `json.MarshalIndent(v, "", "  ")`: keys in the order held, two-space indent, `[]`/`{}` when empty.
    public func jsonText(indent: String = "  ") -> String {
        var out = ""
        write(into: &out, level: 0, indent: indent)
        return out
    }

    private func write(into out: inout String, level: Int, indent: String) {
        let pad = String(repeating: indent, count: level)
        let inner = pad + indent
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n
        case .string(let s): out += JSONValue.quote(s)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += inner
                item.write(into: &out, level: level + 1, indent: indent)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += pad + "]"
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{\n"
            for (i, (k, v)) in pairs.enumerated() {
                out += inner + JSONValue.quote(k) + ": "
                v.write(into: &out, level: level + 1, indent: indent)
                out += i == pairs.count - 1 ? "\n" : ",\n"
            }
            out += pad + "}"
        }
    }

    /// Compact one-line JSON (used for stored annotations and the datastore files' inner values).
    public var compactText: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n
        case .string(let s): return JSONValue.quote(s)
        case .array(let a): return "[" + a.map(\.compactText).joined(separator: ",") + "]"
        case .object(let o): return "{" + o.map { JSONValue.quote($0.0) + ":" + $0.1.compactText }.joined(separator: ",") + "}"
        }
    }

    /// Go's string escaping (including its HTML-safe escapes of <, > and &).
    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// Parses JSON text. Errors read like Go's (`invalid character 'x' looking for beginning of value`).
    public static func parse(json text: String) throws -> JSONValue {
        var p = JSONParser(Array(text.unicodeScalars))
        p.skipSpace()
        let v = try p.value()
        p.skipSpace()
        if p.i < p.s.count { throw CalicoError("invalid character '\(p.s[p.i])' after top-level value") }
        return v
    }
}

private struct JSONParser {
    let s: [Unicode.Scalar]
    var i = 0
    init(_ s: [Unicode.Scalar]) { self.s = s }

    mutating func skipSpace() { while i < s.count, " \t\r\n".unicodeScalars.contains(s[i]) { i += 1 } }

    func fail(_ context: String) -> CalicoError {
        if i >= s.count { return CalicoError("unexpected end of JSON input") }
        return CalicoError("invalid character '\(s[i])' \(context)")
    }

    mutating func value() throws -> JSONValue {
        skipSpace()
        guard i < s.count else { throw fail("") }
        switch s[i] {
        case "{": return try object()
        case "[": return try array()
        case "\"": return .string(try string())
        case "t": try literal("true"); return .bool(true)
        case "f": try literal("false"); return .bool(false)
        case "n": try literal("null"); return .null
        default:
            if s[i] == "-" || ("0"..."9").contains(s[i]) { return .number(number()) }
            throw fail("looking for beginning of value")
        }
    }

    mutating func literal(_ word: String) throws {
        for u in word.unicodeScalars {
            guard i < s.count, s[i] == u else { throw fail("in literal \(word) (expecting '\(u)')") }
            i += 1
        }
    }

    mutating func number() -> String {
        let start = i
        while i < s.count, "+-0123456789.eE".unicodeScalars.contains(s[i]) { i += 1 }
        var out = ""
        out.unicodeScalars.append(contentsOf: s[start..<i])
        return out
    }

    mutating func string() throws -> String {
        i += 1
        var out = ""
        while i < s.count {
            let c = s[i]
            i += 1
            if c == "\"" { return out }
            if c == "\\" {
                guard i < s.count else { break }
                let e = s[i]; i += 1
                switch e {
                case "n": out += "\n"
                case "t": out += "\t"
                case "r": out += "\r"
                case "b": out += "\u{8}"
                case "f": out += "\u{c}"
                case "u":
                    guard i + 4 <= s.count, let v = UInt32(String(String.UnicodeScalarView(s[i..<i + 4])), radix: 16) else {
                        throw fail("in \\u hexadecimal character escape")
                    }
                    i += 4
                    if let u = Unicode.Scalar(v) { out.unicodeScalars.append(u) }
                default: out.unicodeScalars.append(e)
                }
            } else {
                out.unicodeScalars.append(c)
            }
        }
        throw CalicoError("unexpected end of JSON input")
    }

    mutating func array() throws -> JSONValue {
        i += 1
        var items: [JSONValue] = []
        skipSpace()
        if i < s.count, s[i] == "]" { i += 1; return .array(items) }
        while true {
            items.append(try value())
            skipSpace()
            guard i < s.count else { throw fail("") }
            if s[i] == "," { i += 1; continue }
            if s[i] == "]" { i += 1; return .array(items) }
            throw fail("after array element")
        }
    }

    mutating func object() throws -> JSONValue {
        i += 1
        var pairs: [(String, JSONValue)] = []
        skipSpace()
        if i < s.count, s[i] == "}" { i += 1; return .object(pairs) }
        while true {
            skipSpace()
            guard i < s.count, s[i] == "\"" else { throw fail("looking for beginning of object key string") }
            let k = try string()
            skipSpace()
            guard i < s.count, s[i] == ":" else { throw fail("after object key") }
            i += 1
            let v = try value()
            if let idx = pairs.firstIndex(where: { $0.0 == k }) { pairs[idx].1 = v } else { pairs.append((k, v)) }
            skipSpace()
            guard i < s.count else { throw fail("") }
            if s[i] == "," { i += 1; continue }
            if s[i] == "}" { i += 1; return .object(pairs) }
            throw fail("after object key:value pair")
        }
    }
}

/// An error a user can act on; `message` is exactly what calicoctl would print for it.
public struct CalicoError: Error, Equatable, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
