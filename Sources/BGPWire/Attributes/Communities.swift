// COMMUNITIES (RFC 1997) and LARGE_COMMUNITY (RFC 8092). A bad length withdraws (RFC 7606 §7.8, RFC 8092 §6).

extension AttributeDescriptor {
    static let communities = AttributeDescriptor(
        code: .communities, name: "COMMUNITIES", flags: optionalTransitive, onError: .treatAsWithdraw,
        decode: { (v: ArraySlice<UInt8>, state: inout AttributeDecodeState) throws(Notification) in
            guard !v.isEmpty, v.count % 4 == 0 else { throw lengthError }
            var list: [Community] = []
            list.reserveCapacity(v.count / 4)
            for i in stride(from: v.startIndex, to: v.endIndex, by: 4) { list.append(Community(v.u32(at: i))) }
            state.attributes.communities = list
        },
        encode: { a, _, out in
            guard !a.communities.isEmpty else { return false }
            for c in a.communities { out.appendU32(c.value) }
            return true
        })

    static let largeCommunities = AttributeDescriptor(
        code: .largeCommunities, name: "LARGE_COMMUNITY", flags: optionalTransitive, onError: .treatAsWithdraw,
        decode: { (v: ArraySlice<UInt8>, state: inout AttributeDecodeState) throws(Notification) in
            guard !v.isEmpty, v.count % 12 == 0 else { throw lengthError }
            var list: [LargeCommunity] = []
            list.reserveCapacity(v.count / 12)
            for i in stride(from: v.startIndex, to: v.endIndex, by: 12) {
                list.append(LargeCommunity(v.u32(at: i), v.u32(at: i + 4), v.u32(at: i + 8)))
            }
            state.attributes.largeCommunities = list
        },
        encode: { a, _, out in
            guard !a.largeCommunities.isEmpty else { return false }
            for c in a.largeCommunities { out.appendU32(c.global); out.appendU32(c.local1); out.appendU32(c.local2) }
            return true
        })
}
