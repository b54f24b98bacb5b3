/// The reversible "cipher" text a switch prints for a stored password: `password cipher %^%#…%^%#` on VRP5,
/// `password cipher $c$3$…` on Comware 7, so `display current-configuration` never shows the key itself.
///
/// This is PeerLab's own scheme, not Huawei's or H3C's algorithm (a real device's cipher text will not decode
/// here, and ours will not load on a real device). What it keeps from the real thing: the vendor's framing, text
/// that looks encrypted, and a round trip — the saved configuration, replayed, gives the speaker the same MD5
/// key. It is deterministic (the same key always gives the same text, so saved files are stable) and obscures,
/// nothing more: it is not a security boundary.
///
/// Layout before the text encoding: 2 salt bytes, then — XORed with a keystream seeded by the salt — the key's
/// length, its UTF-8 bytes, 2 check bytes and filler up to 24 bytes (so short keys give cipher texts of the
/// length the vendors' have, 40-odd characters). Salt and check bytes are the key's FNV-1a hash, so a text that
/// merely has the framing decodes to nil instead of to a wrong key. Keys are at most 255 bytes.
public struct PasswordCipher: Sendable {
    /// Text before and after the encoded bytes (`%^%#` … `%^%#`; `$c$3$` … nothing).
    public let opening: String
    public let closing: String
    /// 64 symbols for six bits each.
    private let alphabet: [Character]
    /// Base64-style `=` padding to a multiple of four symbols (Comware), or none (VRP).
    private let padding: Character?

    public init(opening: String, closing: String, alphabet: String, padding: Character?) {
        precondition(Set(alphabet).count == 64 && alphabet.count == 64, "a cipher alphabet has 64 distinct symbols")
        self.opening = opening
        self.closing = closing
        self.alphabet = Array(alphabet)
        self.padding = padding
    }

    /// VRP5 (`%^%#…%^%#`): symbols chosen to avoid blanks, quotes, `?`, `#` and `%`, which the CLI or the framing use.
    public static let vrp = PasswordCipher(
        opening: "%^%#", closing: "%^%#",
        alphabet: "K7b!Xq2(M,d.9Z:eR;4<W=g>@Fj[P]1^h_`{N|}T0aV5cH8iSfL3JYGUB6ODCQEA", padding: nil)

    /// Comware 7 (`$c$3$…`), with the standard base64 symbols and `=` padding, as its cipher texts look.
    public static let comware = PasswordCipher(
        opening: "$c$3$", closing: "",
        alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", padding: "=")

    /// Whether `text` carries this cipher's framing (it may still fail to decode).
    public func isFramed(_ text: String) -> Bool {
        text.count > opening.count + closing.count && text.hasPrefix(opening) && text.hasSuffix(closing)
    }

    static let minimumBody = 24

    /// - Precondition: `key` is at most 255 bytes of UTF-8 (the CLI's grammars bound it well below).
    public func encode(_ key: String) -> String {
        let plain = Array(key.utf8.prefix(255))
        let hash = Self.fnv1a(plain)
        let salt = [UInt8(truncatingIfNeeded: hash >> 24), UInt8(truncatingIfNeeded: hash >> 16)]
        var body = [UInt8(plain.count)] + plain + [UInt8(truncatingIfNeeded: hash >> 8), UInt8(truncatingIfNeeded: hash)]
        if body.count < Self.minimumBody { body += [UInt8](repeating: 0, count: Self.minimumBody - body.count) }
        return opening + symbols(salt + Self.scramble(body, salt: salt)) + closing
    }

    /// The key behind a cipher text, or nil when `text` is not one this cipher produced.
    public func decode(_ text: String) -> String? {
        guard isFramed(text) else { return nil }
        let inner = text.dropFirst(opening.count).dropLast(closing.count)
        guard let bytes = bytes(from: inner), bytes.count >= 5 else { return nil }
        let salt = Array(bytes[0..<2])
        let body = Self.scramble(Array(bytes[2...]), salt: salt)
        let length = Int(body[0])
        guard body.count >= 1 + length + 2 else { return nil }
        let plain = Array(body[1..<(1 + length)])
        let check = Array(body[(1 + length)..<(3 + length)])
        let hash = Self.fnv1a(plain)
        guard salt == [UInt8(truncatingIfNeeded: hash >> 24), UInt8(truncatingIfNeeded: hash >> 16)],
              check == [UInt8(truncatingIfNeeded: hash >> 8), UInt8(truncatingIfNeeded: hash)],
              body[(3 + length)...].allSatisfy({ $0 == 0 }) else { return nil }
        return String(decoding: plain, as: UTF8.self)
    }

    // MARK: - Pieces

    /// 32-bit FNV-1a.
    static func fnv1a(_ bytes: [UInt8]) -> UInt32 {
        var h: UInt32 = 0x811C_9DC5
        for b in bytes { h = (h ^ UInt32(b)) &* 0x0100_0193 }
        return h
    }

    /// XOR with an xorshift32 keystream seeded by the salt; its own inverse.
    static func scramble(_ bytes: [UInt8], salt: [UInt8]) -> [UInt8] {
        var state: UInt32 = 0x5EED_1AB5 ^ (UInt32(salt[0]) << 24 | UInt32(salt[1]) << 16 | UInt32(salt[0]) << 8 | UInt32(salt[1]))
        return bytes.map { b in
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            return b ^ UInt8(truncatingIfNeeded: state >> 11)
        }
    }

    /// Six bits per symbol, most significant first.
    private func symbols(_ bytes: [UInt8]) -> String {
        var out = ""
        var i = 0
        while i < bytes.count {
            let chunk = Array(bytes[i..<min(i + 3, bytes.count)])
            let n = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * $1.offset) }
            let count = chunk.count + 1
            for k in 0..<count { out.append(alphabet[Int(n >> (18 - 6 * k) & 0x3F)]) }
            if let padding { out += String(repeating: padding, count: 4 - count) }
            i += 3
        }
        return out
    }

    private func bytes(from text: Substring) -> [UInt8]? {
        var values: [UInt32] = []
        var trimmed = Substring(text)
        if let padding { while trimmed.last == padding { trimmed = trimmed.dropLast() } }
        for ch in trimmed {
            guard let v = alphabet.firstIndex(of: ch) else { return nil }
            values.append(UInt32(v))
        }
        guard values.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        var i = 0
        while i < values.count {
            let group = Array(values[i..<min(i + 4, values.count)])
            let n = group.enumerated().reduce(UInt32(0)) { $0 | $1.element << (18 - 6 * $1.offset) }
            for k in 0..<(group.count - 1) { out.append(UInt8(truncatingIfNeeded: n >> (16 - 8 * k))) }
            i += 4
        }
        return out
    }
}
