import Foundation
import Yams

/// YAML in (through Yams) and out (our own emitter, shaped like gopkg.in/yaml.v2 after JSON→YAML).
public enum YAMLDocuments {
    /// Parses a `---` separated stream into JSON values, resolving plain scalars the way yaml.v2 does
    /// (YAML 1.1 booleans, integers, floats, null).
    ///
    /// Seed documents are copied from web pages, so before parsing the text goes through `repaired`:
    /// leading tabs expand to tab stops, typographic hyphens (U+2010/U+2011) become `-`, and a block whose
    /// lines after the first are all indented by the same amount is dedented. A strict parse is tried first.
    public static func parse(_ text: String) throws -> [JSONValue] {
        do {
            return try parseStrict(text)
        } catch {
            let repaired = repaired(text)
            if repaired != text, let docs = try? parseStrict(repaired) { return docs }
            throw error
        }
    }

    static func parseStrict(_ text: String) throws -> [JSONValue] {
        let cleaned = repairedTypography(text)
        var out: [JSONValue] = []
        do {
            let parser = try Yams.Parser(yaml: cleaned)
            while let node = try parser.nextRoot() {
                out.append(try value(of: node))
            }
        } catch let e as CalicoError {
            throw e
        } catch {
            throw CalicoError("yaml: \(yamsMessage(error))")
        }
        return out
    }

    private static func yamsMessage(_ error: Error) -> String {
        let text = "\(error)"
        return text.split(separator: "\n").first.map(String.init) ?? text
    }

    static func repairedTypography(_ text: String) -> String {
        var s = text
        if s.contains("\u{2010}") || s.contains("\u{2011}") {
            s = s.replacingOccurrences(of: "\u{2010}", with: "-").replacingOccurrences(of: "\u{2011}", with: "-")
        }
        return s
    }

    /// Whitespace repairs for pasted documents; see `parse`.
    static func repaired(_ text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var col = 0
            var rest = Substring(line)
            while let c = rest.first, c == " " || c == "\t" {
                col = c == "\t" ? (col / 8 + 1) * 8 : col + 1
                rest = rest.dropFirst()
            }
            return String(repeating: " ", count: col) + rest
        }
        func indent(_ s: String) -> Int { s.prefix { $0 == " " }.count }
        let content = lines.indices.filter { !lines[$0].trimmingCharacters(in: .whitespaces).isEmpty && !lines[$0].trimmingCharacters(in: .whitespaces).hasPrefix("#") }
        if let first = content.first, indent(lines[first]) == 0, content.count > 1 {
            let rest = content.dropFirst()
            let minIndent = rest.map { indent(lines[$0]) }.min() ?? 0
            if minIndent > 0 {
                for i in lines.indices where i > first && indent(lines[i]) >= minIndent {
                    lines[i] = String(lines[i].dropFirst(minIndent))
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    static func value(of node: Yams.Node) throws -> JSONValue {
        switch node {
        case .scalar(let scalar):
            return scalarValue(scalar.string, style: scalar.style, tag: scalar.tag.rawValue)
        case .sequence(let seq):
            return .array(try seq.map { try value(of: $0) })
        case .mapping(let map):
            var pairs: [(String, JSONValue)] = []
            for (k, v) in map {
                guard case .scalar(let ks) = k else { throw CalicoError("yaml: invalid map key") }
                let key = ks.string
                let val = try value(of: v)
                if let i = pairs.firstIndex(where: { $0.0 == key }) { pairs[i].1 = val } else { pairs.append((key, val)) }
            }
            return .object(pairs)
        case .alias:
            throw CalicoError("yaml: aliases are not supported")
        }
    }

    static func scalarValue(_ text: String, style: Yams.Node.Scalar.Style, tag: String) -> JSONValue {
        // A local tag such as `!has(label)` is what an unquoted negated selector turns into; put it back.
        if tag.hasPrefix("!"), !tag.hasPrefix("!!"), tag != "!" {
            return .string(text.isEmpty ? tag : tag + " " + text)
        }
        if tag == "tag:yaml.org,2002:str" || style != .plain { return .string(text) }
        return resolvePlain(text)
    }

    /// yaml.v2's implicit resolution of a plain scalar.
    static func resolvePlain(_ text: String) -> JSONValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON": return .bool(true)
        case "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF": return .bool(false)
        default: break
        }
        if let n = integerText(text) { return .number(n) }
        if isFloat(text) { return .number(text) }
        return .string(text)
    }

    static func integerText(_ text: String) -> String? {
        var t = text.replacingOccurrences(of: "_", with: "")
        var sign = ""
        if t.hasPrefix("-") || t.hasPrefix("+") { sign = t.hasPrefix("-") ? "-" : ""; t.removeFirst() }
        guard !t.isEmpty else { return nil }
        if t.hasPrefix("0x"), let v = UInt64(t.dropFirst(2), radix: 16) { return sign + String(v) }
        if t.hasPrefix("0b"), let v = UInt64(t.dropFirst(2), radix: 2) { return sign + String(v) }
        guard t.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        if t.count > 1, t.hasPrefix("0"), let v = UInt64(t, radix: 8) { return sign + String(v) }
        let trimmed = t.drop { $0 == "0" }
        return sign + (trimmed.isEmpty ? "0" : String(trimmed))
    }

    static func isFloat(_ text: String) -> Bool {
        if [".inf", ".Inf", ".INF", "-.inf", "+.inf", ".nan", ".NaN", ".NAN"].contains(text) { return true }
        var sawDigit = false, sawDot = false, sawExp = false
        var prev: Character = " "
        for (i, c) in text.enumerated() {
            if c.isASCII && c.isNumber { sawDigit = true } else if c == "." && !sawDot && !sawExp { sawDot = true } else if (c == "e" || c == "E") && sawDigit && !sawExp { sawExp = true } else if (c == "-" || c == "+") && (i == 0 || prev == "e" || prev == "E") { } else { return false }
            prev = c
        }
        return sawDigit && (sawDot || sawExp)
    }
}

/// The YAML emitter: sorted keys, sequences flush with their key, yaml.v2's quoting choices.
extension JSONValue {
    public var yamlText: String {
        var out = ""
        switch self {
        case .object(let pairs) where !pairs.isEmpty: YAMLEmitter.mapping(pairs, indent: 0, into: &out)
        case .array(let items) where !items.isEmpty: YAMLEmitter.sequence(items, indent: 0, into: &out)
        default: out = YAMLEmitter.scalar(self) + "\n"
        }
        return out
    }
}

enum YAMLEmitter {
    static func mapping(_ pairs: [(String, JSONValue)], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for (k, v) in pairs.sorted(by: { keyLess($0.0, $1.0) }) {
            let key = scalar(.string(k))
            out += pad + key + ":"
            switch v {
            case .object(let inner) where !inner.isEmpty:
                out += "\n"; mapping(inner, indent: indent + 2, into: &out)
            case .array(let items) where !items.isEmpty:
                out += "\n"; sequence(items, indent: indent, into: &out)
            default:
                out += " " + scalar(v, column: indent + key.count + 2, indent: indent + 2) + "\n"
            }
        }
    }

    static func sequence(_ items: [JSONValue], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for item in items {
            switch item {
            case .object(let inner) where !inner.isEmpty:
                var body = ""
                mapping(inner, indent: indent + 2, into: &body)
                out += pad + "- " + body.dropFirst(indent + 2)
            case .array(let inner) where !inner.isEmpty:
                var body = ""
                sequence(inner, indent: indent + 2, into: &body)
                out += pad + "- " + body.dropFirst(indent + 2)
            default:
                out += pad + "- " + scalar(item, column: indent + 2, indent: indent + 2) + "\n"
            }
        }
    }

    /// A scalar as yaml.v2 writes it. Values (not keys) starting at `column` fold at a space once past
    /// column 80 (libyaml's best_width), continuing at `indent`; reading back joins them with a space.
    static func scalar(_ v: JSONValue, column: Int? = nil, indent: Int = 0) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n
        case .object: return "{}"
        case .array: return "[]"
        case .string(let s):
            let text = quotedIfNeeded(s)
            guard let column, text.count + column > bestWidth, text.contains(" ") else { return text }
            if text.hasPrefix("\"") { return text }
            if text.hasPrefix("'") { return "'" + fold(s, column: column + 1, indent: indent, quoted: true) + "'" }
            return fold(s, column: column, indent: indent, quoted: false)
        }
    }

    static let bestWidth = 80

    /// libyaml's write_plain / write_single_quoted line breaking.
    static func fold(_ text: String, column start: Int, indent: Int, quoted: Bool) -> String {
        let chars = Array(text)
        var out = ""
        var column = start
        var afterSpace = false
        for (i, c) in chars.enumerated() {
            if c == " " {
                let nextIsSpace = i + 1 < chars.count && chars[i + 1] == " "
                var canBreak = !afterSpace && column > bestWidth && !nextIsSpace
                if quoted { canBreak = canBreak && i != 0 && i != chars.count - 1 }
                if canBreak {
                    out += "\n" + String(repeating: " ", count: indent)
                    column = indent
                } else {
                    out.append(c)
                    column += 1
                }
                afterSpace = true
            } else {
                if quoted && c == "'" { out += "''"; column += 2 } else { out.append(c); column += 1 }
                afterSpace = false
            }
        }
        return out
    }

    /// Plain when yaml.v2 would read it back as the same string, else single or double quotes.
    static func quotedIfNeeded(_ s: String) -> String {
        if YAMLDocuments.resolvePlain(s) != .string(s) || isTimestamp(s) || isBase60(s) { return doubleQuoted(s) }
        if s.contains("\n") || s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) { return doubleQuoted(s) }
        if plainAllowed(s) { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
    }

    static func plainAllowed(_ s: String) -> Bool {
        guard let first = s.first, let last = s.last else { return false }
        if first == " " || last == " " { return false }
        if "#,[]{}&*!|>'\"%@`".contains(first) { return false }
        let chars = Array(s)
        if "-?:".contains(first) && (chars.count == 1 || chars[1] == " ") { return false }
        if s.contains(": ") || s.contains(" #") || last == ":" { return false }
        return true
    }

    static func doubleQuoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    static func isTimestamp(_ s: String) -> Bool {
        let c = Array(s.utf8)
        guard c.count >= 10 else { return false }
        func digit(_ i: Int) -> Bool { c[i] >= 48 && c[i] <= 57 }
        return digit(0) && digit(1) && digit(2) && digit(3) && c[4] == 45 && digit(5) && digit(6) && c[7] == 45 && digit(8) && digit(9)
            && (c.count == 10 || c[10] == 84 || c[10] == 116 || c[10] == 32)
    }

    static func isBase60(_ s: String) -> Bool {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count > 1, let head = parts.first, !head.isEmpty, head.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        return parts.dropFirst().allSatisfy { p in p.count == 2 && p.allSatisfy { $0.isASCII && $0.isNumber } && (Int(p) ?? 99) < 60 }
    }

    /// gopkg.in/yaml.v2 keyList.Less: letters compare by code point, non-letters sort first, digit runs numerically.
    static func keyLess(_ a: String, _ b: String) -> Bool {
        let ar = Array(a.unicodeScalars), br = Array(b.unicodeScalars)
        func isLetter(_ u: Unicode.Scalar) -> Bool { u.properties.isAlphabetic }
        func isDigit(_ u: Unicode.Scalar) -> Bool { u.value >= 48 && u.value <= 57 }
        var i = 0
        while i < ar.count && i < br.count {
            if ar[i] == br[i] { i += 1; continue }
            let al = isLetter(ar[i]), bl = isLetter(br[i])
            if al && bl { return ar[i].value < br[i].value }
            if al || bl { return bl }
            var an: Int64 = 0, bn: Int64 = 0
            if ar[i] == "0" || br[i] == "0" {
                var j = i - 1
                while j >= 0 && isDigit(ar[j]) {
                    if ar[j] != "0" { an = 1; bn = 1; break }
                    j -= 1
                }
            }
            var ai = i, bi = i
            while ai < ar.count && isDigit(ar[ai]) { an = an &* 10 &+ Int64(ar[ai].value - 48); ai += 1 }
            while bi < br.count && isDigit(br[bi]) { bn = bn &* 10 &+ Int64(br[bi].value - 48); bi += 1 }
            if an != bn { return an < bn }
            if ai != bi { return ai < bi }
            return ar[i].value < br[i].value
        }
        return ar.count < br.count
    }
}
