/// The prefix encoding of RFC 4271 §4.3 (length in bits, then just enough octets), shared by withdrawn routes,
/// NLRI and the MP attributes. Decoding appends into the caller's array: no allocation per prefix.
enum NLRI {
    /// Decodes IPv4 prefixes; false when a length exceeds 32 or a prefix runs past the end.
    static func decodeIPv4(_ bytes: ArraySlice<UInt8>, into out: inout [IPv4Prefix]) -> Bool {
        if out.isEmpty && !bytes.isEmpty { out.reserveCapacity(bytes.count / 4 + 1) }
        // Through the buffer: every read is checked against `end` here, so the slice's own bounds check per
        // byte (about a third of this loop's instructions, once per route) is not needed.
        return bytes.withUnsafeBufferPointer { bytes in
            var i = 0
            let end = bytes.count
            while i < end {
                let length = bytes[i]
                i += 1
                guard length <= 32 else { return false }
                let n = (Int(length) + 7) >> 3
                guard end - i >= n else { return false }
                var v: UInt32 = 0
                for k in 0..<n { v |= UInt32(bytes[i + k]) << UInt32(24 - 8 * k) }
                i += n
                out.append(IPv4Prefix(IPv4Address(v), length: length))
            }
            return true
        }
    }

    /// Decodes IPv6 prefixes; false when a length exceeds 128 or a prefix runs past the end.
    static func decodeIPv6(_ bytes: ArraySlice<UInt8>, into out: inout [Prefix]) -> Bool {
        var i = bytes.startIndex
        let end = bytes.endIndex
        if out.isEmpty && !bytes.isEmpty { out.reserveCapacity(bytes.count / 8 + 1) }
        while i < end {
            let length = bytes[i]
            i += 1
            guard length <= 128 else { return false }
            let n = (Int(length) + 7) >> 3
            guard end - i >= n else { return false }
            var high: UInt64 = 0, low: UInt64 = 0
            for k in 0..<n {
                if k < 8 { high |= UInt64(bytes[i + k]) << UInt64(56 - 8 * k) } else { low |= UInt64(bytes[i + k]) << UInt64(120 - 8 * k) }
            }
            i += n
            out.append(.v6(IPv6Prefix(IPv6Address(high: high, low: low), length: length)))
        }
        return true
    }

    /// Decodes IPv4 prefixes as the family-neutral `Prefix` (for MP attributes carrying IPv4).
    static func decodeIPv4(_ bytes: ArraySlice<UInt8>, into out: inout [Prefix]) -> Bool {
        var v4: [IPv4Prefix] = []
        guard decodeIPv4(bytes, into: &v4) else { return false }
        out.reserveCapacity(out.count + v4.count)
        for p in v4 { out.append(.v4(p)) }
        return true
    }

    static func encodedSize(_ p: IPv4Prefix) -> Int { 1 + (Int(p.length) + 7) >> 3 }
    static func encodedSize(_ p: Prefix) -> Int { 1 + (Int(p.length) + 7) >> 3 }

    static func encode(_ p: IPv4Prefix, into out: inout [UInt8]) {
        out.append(p.length)
        let n = (Int(p.length) + 7) >> 3
        for k in 0..<n { out.append(UInt8(truncatingIfNeeded: p.address.value >> UInt32(24 - 8 * k))) }
    }

    static func encode(_ p: Prefix, into out: inout [UInt8]) {
        switch p {
        case .v4(let v4): encode(v4, into: &out)
        case .v6(let v6):
            out.append(v6.length)
            let n = (Int(v6.length) + 7) >> 3
            for k in 0..<n {
                out.append(k < 8 ? UInt8(truncatingIfNeeded: v6.address.high >> UInt64(56 - 8 * k))
                                 : UInt8(truncatingIfNeeded: v6.address.low >> UInt64(120 - 8 * k)))
            }
        }
    }
}
