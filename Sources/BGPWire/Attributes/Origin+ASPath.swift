// ORIGIN (RFC 4271 §5.1.1), AS_PATH (§5.1.2) and AS4_PATH (RFC 6793 §3).

extension AttributeDescriptor {
    static let origin = AttributeDescriptor(
        code: .origin, name: "ORIGIN", flags: wellKnown, onError: .treatAsWithdraw,
        decode: { (v: ArraySlice<UInt8>, state: inout AttributeDecodeState) throws(Notification) in
            guard v.count == 1 else { throw lengthError }
            guard let o = Origin(rawValue: v[v.startIndex]) else { throw error(.invalidOrigin) }
            state.attributes.origin = o
        },
        encode: { a, _, out in
            guard let o = a.origin else { return false }
            out.append(o.rawValue)
            return true
        })

    /// Written whenever ORIGIN is (an empty AS_PATH is a real, locally originated path) or the path is non-empty.
    static let asPath = AttributeDescriptor(
        code: .asPath, name: "AS_PATH", flags: wellKnown, onError: .treatAsWithdraw,
        decode: { (v: ArraySlice<UInt8>, state: inout AttributeDecodeState) throws(Notification) in
            guard let path = ASPath.decode(v, fourOctet: state.options.fourOctetAS) else { throw error(.malformedASPath) }
            state.attributes.asPath = path
        },
        encode: { a, options, out in
            guard a.origin != nil || !a.asPath.segments.isEmpty else { return false }
            a.asPath.encode(into: &out, fourOctet: options.fourOctetAS)
            return true
        })

    /// Only meaningful from a 2-octet speaker; a 4-octet one must not send it and we discard it (RFC 6793 §3).
    static let as4Path = AttributeDescriptor(
        code: .as4Path, name: "AS4_PATH", flags: optionalTransitive, onError: .attributeDiscard,
        decode: { (v: ArraySlice<UInt8>, state: inout AttributeDecodeState) throws(Notification) in
            guard !state.options.fourOctetAS else { return }
            guard let path = ASPath.decode(v, fourOctet: true) else { throw error(.malformedASPath) }
            state.as4Path = path
        },
        encode: { a, options, out in
            guard !options.fourOctetAS, a.asPath.needsFourOctets else { return false }
            a.asPath.encode(into: &out, fourOctet: true)
            return true
        })
}

extension ASPath {
    /// Segment type (1), ASN count (1), ASNs (2 or 4 octets each). Nil when malformed as RFC 7606 §7.2 defines it:
    /// an unknown or confederation segment type, a zero count, or a segment running past the attribute.
    static func decode(_ v: ArraySlice<UInt8>, fourOctet: Bool) -> ASPath? {
        let size = fourOctet ? 4 : 2
        var segments: [ASPathSegment] = []
        var i = v.startIndex
        let end = v.endIndex
        while i < end {
            guard end - i >= 2, let kind = ASPathSegment.Kind(rawValue: v[i]) else { return nil }
            let count = Int(v[i + 1])
            guard count > 0, end - i - 2 >= count * size else { return nil }
            var asns: [UInt32] = []
            asns.reserveCapacity(count)
            var j = i + 2
            for _ in 0..<count {
                asns.append(fourOctet ? v.u32(at: j) : UInt32(v.u16(at: j)))
                j += size
            }
            segments.append(ASPathSegment(kind, asns))
            i = j
        }
        return ASPath(segments)
    }

    /// Writes the segments, splitting any longer than 255 ASNs; towards a 2-octet speaker every ASN that needs
    /// four octets becomes AS_TRANS.
    func encode(into out: inout [UInt8], fourOctet: Bool) {
        for segment in segments {
            var start = 0
            repeat {
                let chunk = segment.asns[start..<min(start + 255, segment.asns.count)]
                out.append(segment.kind.rawValue)
                out.append(UInt8(chunk.count))
                for asn in chunk {
                    if fourOctet { out.appendU32(asn) } else { out.appendU16(asn > 0xffff ? UInt16(asTrans) : UInt16(asn)) }
                }
                start += 255
            } while start < segment.asns.count
        }
    }

    /// True when a 2-octet speaker cannot see this path exactly, so AS4_PATH must go with it.
    var needsFourOctets: Bool { segments.contains { $0.asns.contains { $0 > 0xffff } } }

    /// RFC 6793 §4.2.3: rebuilds the real path from AS_PATH (self, with AS_TRANS) and AS4_PATH. When AS_PATH is
    /// shorter, AS4_PATH is ignored; otherwise the leading ASNs that only AS_PATH has (added by 2-octet speakers)
    /// are kept in front of AS4_PATH.
    func merged(with as4: ASPath) -> ASPath {
        let keep = length - as4.length
        guard keep >= 0 else { return self }
        var result: [ASPathSegment] = []
        var remaining = keep
        for segment in segments where remaining > 0 {
            if segment.kind == .set {
                result.append(segment)
                remaining -= 1
            } else {
                let n = Swift.min(remaining, segment.asns.count)
                result.append(ASPathSegment(.sequence, Array(segment.asns[0..<n])))
                remaining -= n
            }
        }
        for segment in as4.segments {
            if segment.kind == .sequence, let last = result.last, last.kind == .sequence {
                result[result.count - 1].asns += segment.asns
            } else {
                result.append(segment)
            }
        }
        return ASPath(result)
    }
}
