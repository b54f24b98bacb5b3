// UPDATE encoding: attributes in type-code order, extended length when a value exceeds 255 octets.

extension Update {
    func encodeBody(into out: inout [UInt8], options: CodecOptions) {
        let withdrawnLengthIndex = out.count
        out.appendU16(0)
        for p in withdrawn { NLRI.encode(p, into: &out) }
        out.setU16(UInt16(truncatingIfNeeded: out.count - withdrawnLengthIndex - 2), at: withdrawnLengthIndex)
        let attributesLengthIndex = out.count
        out.appendU16(0)
        attributes.encode(into: &out, options: options)
        out.setU16(UInt16(truncatingIfNeeded: out.count - attributesLengthIndex - 2), at: attributesLengthIndex)
        for p in nlri { NLRI.encode(p, into: &out) }
    }
}

extension PathAttributes {
    /// Writes every present attribute, known and unknown, in type-code order. Unknown attributes that share a
    /// code with a known one are skipped; optional transitive ones go out with the Partial bit (RFC 4271 §5).
    func encode(into out: inout [UInt8], options: CodecOptions) {
        var pending = unknown.isEmpty ? [] : unknown.filter { AttributeDescriptor.lookup($0.code) == nil }
        if pending.count > 1 { pending.sort { $0.code < $1.code } }
        var next = 0
        for d in AttributeDescriptor.all {
            while next < pending.count, pending[next].code < d.code.rawValue {
                PathAttributes.writeUnknown(pending[next], into: &out)
                next += 1
            }
            let start = PathAttributes.beginAttribute(flags: d.flags, code: d.code.rawValue, into: &out)
            if d.encode(self, options, &out) {
                PathAttributes.finishAttribute(startingAt: start, flags: d.flags, in: &out)
            } else {
                out.removeSubrange(start...)
            }
        }
        while next < pending.count {
            PathAttributes.writeUnknown(pending[next], into: &out)
            next += 1
        }
    }

    private static func writeUnknown(_ raw: RawAttribute, into out: inout [UInt8]) {
        var flags = raw.flags
        if flags & AttributeDescriptor.optionalTransitive == AttributeDescriptor.optionalTransitive { flags |= RawAttribute.partial }
        let start = beginAttribute(flags: flags, code: raw.code, into: &out)
        out.append(contentsOf: raw.value)
        finishAttribute(startingAt: start, flags: flags, in: &out)
    }

    /// Writes flags, code and a two-octet length placeholder; the value follows.
    static func beginAttribute(flags: UInt8, code: UInt8, into out: inout [UInt8]) -> Int {
        let start = out.count
        out.append(flags | RawAttribute.extendedLength)
        out.append(code)
        out.appendU16(0)
        return start
    }

    /// Fills in the length once the value is written, moving the value back one octet when it fits in one
    /// length octet (so no value is built twice).
    static func finishAttribute(startingAt start: Int, flags: UInt8, in out: inout [UInt8]) {
        let length = out.count - start - 4
        if length > 255 {
            out.setU16(UInt16(truncatingIfNeeded: length), at: start + 2)
        } else {
            out[start] = flags & ~RawAttribute.extendedLength
            out[start + 2] = UInt8(length)
            if length > 0 {
                for k in 0..<length { out[start + 3 + k] = out[start + 4 + k] }
            }
            out.removeLast()
        }
    }
}
