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
        func flushUnknown(below code: Int) {
            while next < pending.count, Int(pending[next].code) < code {
                let raw = pending[next]
                var flags = raw.flags
                if flags & AttributeDescriptor.optionalTransitive == AttributeDescriptor.optionalTransitive { flags |= RawAttribute.partial }
                PathAttributes.writeAttribute(flags: flags, code: raw.code, into: &out) { out in
                    out.append(contentsOf: raw.value)
                    return true
                }
                next += 1
            }
        }
        for d in AttributeDescriptor.all {
            flushUnknown(below: Int(d.code.rawValue))
            PathAttributes.writeAttribute(flags: d.flags, code: d.code.rawValue, into: &out) { out in d.encode(self, options, &out) }
        }
        flushUnknown(below: 256)
    }

    /// Writes flags, code and length around the value `body` appends. The length is reserved as two octets and
    /// the value moved back one octet when it turns out to fit in one (so no value is built twice).
    static func writeAttribute(flags: UInt8, code: UInt8, into out: inout [UInt8], _ body: (inout [UInt8]) -> Bool) {
        let start = out.count
        out.append(flags | RawAttribute.extendedLength)
        out.append(code)
        out.appendU16(0)
        guard body(&out) else {
            out.removeSubrange(start...)
            return
        }
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
