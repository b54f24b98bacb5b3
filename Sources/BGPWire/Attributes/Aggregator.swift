// ATOMIC_AGGREGATE (RFC 4271 §5.1.6), AGGREGATOR (§5.1.7) and AS4_AGGREGATOR (RFC 6793 §3).
// All three only inform: when malformed they are discarded and the routes kept (RFC 7606 §7.6, §7.7).

extension AttributeDescriptor {
    static let atomicAggregate = AttributeDescriptor(
        code: .atomicAggregate, name: "ATOMIC_AGGREGATE", flags: wellKnown, onError: .attributeDiscard,
        decode: { (v: ArraySlice<UInt8>, state: inout AttributeDecodeState) throws(Notification) in
            guard v.isEmpty else { throw lengthError }
            state.attributes.atomicAggregate = true
        },
        encode: { a, _, _ in a.atomicAggregate })

    /// Six octets (2-octet ASN) towards a 2-octet speaker, eight otherwise.
    static let aggregator = AttributeDescriptor(
        code: .aggregator, name: "AGGREGATOR", flags: optionalTransitive, onError: .attributeDiscard,
        decode: { (v: ArraySlice<UInt8>, state: inout AttributeDecodeState) throws(Notification) in
            let s = v.startIndex
            if state.options.fourOctetAS {
                guard v.count == 8 else { throw lengthError }
                state.attributes.aggregator = Aggregator(asn: v.u32(at: s), address: IPv4Address(v.u32(at: s + 4)))
            } else {
                guard v.count == 6 else { throw lengthError }
                state.attributes.aggregator = Aggregator(asn: UInt32(v.u16(at: s)), address: IPv4Address(v.u32(at: s + 2)))
            }
        },
        encode: { a, options, out in
            guard let agg = a.aggregator else { return false }
            if options.fourOctetAS { out.appendU32(agg.asn) } else { out.appendU16(agg.asn > 0xffff ? UInt16(asTrans) : UInt16(agg.asn)) }
            out.appendU32(agg.address.value)
            return true
        })

    static let as4Aggregator = AttributeDescriptor(
        code: .as4Aggregator, name: "AS4_AGGREGATOR", flags: optionalTransitive, onError: .attributeDiscard,
        decode: { (v: ArraySlice<UInt8>, state: inout AttributeDecodeState) throws(Notification) in
            guard !state.options.fourOctetAS else { return }
            guard v.count == 8 else { throw lengthError }
            state.as4Aggregator = Aggregator(asn: v.u32(at: v.startIndex), address: IPv4Address(v.u32(at: v.startIndex + 4)))
        },
        encode: { a, options, out in
            guard !options.fourOctetAS, let agg = a.aggregator, agg.asn > 0xffff else { return false }
            out.appendU32(agg.asn)
            out.appendU32(agg.address.value)
            return true
        })
}

extension AttributeDecodeState {
    /// RFC 6793 §4.2.3, for a session with a 2-octet speaker: an AGGREGATOR naming a real 2-octet AS means a
    /// 2-octet speaker aggregated after the AS4 attributes were added, so both AS4 attributes are stale.
    mutating func mergeAS4() {
        defer { as4Path = nil; as4Aggregator = nil }
        if let agg = attributes.aggregator, agg.asn != asTrans { return }
        if let as4 = as4Aggregator, attributes.aggregator != nil { attributes.aggregator = as4 }
        if let as4 = as4Path { attributes.asPath = attributes.asPath.merged(with: as4) }
    }
}
