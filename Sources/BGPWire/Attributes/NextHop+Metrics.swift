// NEXT_HOP (RFC 4271 §5.1.3), MULTI_EXIT_DISC (§5.1.4), LOCAL_PREF (§5.1.5).

extension AttributeDescriptor {
    static let nextHop = AttributeDescriptor(
        code: .nextHop, name: "NEXT_HOP", flags: wellKnown, onError: .treatAsWithdraw,
        decode: { (v: ArraySlice<UInt8>, state: inout AttributeDecodeState) throws(Notification) in
            guard v.count == 4 else { throw lengthError }
            let address = IPv4Address(v.u32(at: v.startIndex))
            guard address.isUsableNextHop else { throw error(.invalidNextHop) }
            state.attributes.nextHop = address
        },
        encode: { a, _, out in
            guard let nh = a.nextHop else { return false }
            out.appendU32(nh.value)
            return true
        })

    static let med = AttributeDescriptor(
        code: .med, name: "MULTI_EXIT_DISC", flags: optionalNonTransitive, onError: .treatAsWithdraw,
        decode: { (v: ArraySlice<UInt8>, state: inout AttributeDecodeState) throws(Notification) in
            guard v.count == 4 else { throw lengthError }
            state.attributes.med = v.u32(at: v.startIndex)
        },
        encode: { a, _, out in
            guard let m = a.med else { return false }
            out.appendU32(m)
            return true
        })

    /// Dropping LOCAL_PREF from an eBGP peer (RFC 7606 §7.5) is the speaker's job: only it knows the peer type.
    static let localPref = AttributeDescriptor(
        code: .localPref, name: "LOCAL_PREF", flags: wellKnown, onError: .treatAsWithdraw,
        decode: { (v: ArraySlice<UInt8>, state: inout AttributeDecodeState) throws(Notification) in
            guard v.count == 4 else { throw lengthError }
            state.attributes.localPref = v.u32(at: v.startIndex)
        },
        encode: { a, _, out in
            guard let l = a.localPref else { return false }
            out.appendU32(l)
            return true
        })
}

extension IPv4Address {
    /// RFC 4271 §6.3: a NEXT_HOP must be a unicast host address; 0.0.0.0 and class D/E are semantically invalid.
    var isUsableNextHop: Bool { value != 0 && value < 0xe000_0000 }
}
