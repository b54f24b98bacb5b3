/// The prefix encoding of RFC 4271 §4.3 (length in bits, then just enough octets), shared by withdrawn routes,
/// NLRI and the MP attributes. Decoding appends into the caller's array: no allocation per prefix.
enum NLRI {
    /// Decodes IPv4 prefixes; false when a length exceeds 32 or a prefix runs past the end.
    static func decodeIPv4(_ bytes: ArraySlice<UInt8>, into out: inout [IPv4Prefix]) -> Bool {
        guard !bytes.isEmpty else { return true }
        // Every prefix takes at least one octet, so `bytes.count` slots are enough. The prefixes are written
        // straight into the array's spare capacity (no per-element append) and read through the buffer: every
        // read is checked against `end` here, so the slice's own bounds check per byte is not needed.
        return bytes.withUnsafeBufferPointer { bytes in
            var valid = true
            let decoded = Array<IPv4Prefix>(unsafeUninitializedCapacity: bytes.count) { slots, written in
                var i = 0
                let end = bytes.count
                while i < end {
                    let length = bytes[i]
                    i += 1
                    let n = (Int(length) &+ 7) &>> 3
                    guard length <= 32, end &- i >= n else { valid = false; break }
                    var v: UInt32 = 0
                    switch n {
                    case 0: break
                    case 1: v = UInt32(bytes[i]) &<< 24
                    case 2: v = UInt32(bytes[i]) &<< 24 | UInt32(bytes[i &+ 1]) &<< 16
                    case 3: v = UInt32(bytes[i]) &<< 24 | UInt32(bytes[i &+ 1]) &<< 16 | UInt32(bytes[i &+ 2]) &<< 8
                    default:
                        v = UInt32(bytes[i]) &<< 24 | UInt32(bytes[i &+ 1]) &<< 16 | UInt32(bytes[i &+ 2]) &<< 8
                            | UInt32(bytes[i &+ 3])
                    }
                    i &+= n
                    let masked = IPv4Address(v & IPv4Prefix.mask(length))
                    (slots.baseAddress! + written).initialize(to: IPv4Prefix(masked: masked, length: length))
                    written &+= 1
                }
            }
            if out.isEmpty { out = decoded } else { out.append(contentsOf: decoded) }
            return valid
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
