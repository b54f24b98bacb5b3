// ORIGINATOR_ID and CLUSTER_LIST (RFC 4456 §8). Malformed ones withdraw (RFC 7606 §7.9, §7.10): a reflector
// that cannot trust them cannot detect loops.

extension AttributeDescriptor {
    static let originatorID = AttributeDescriptor(
        code: .originatorID, name: "ORIGINATOR_ID", flags: optionalNonTransitive, onError: .treatAsWithdraw,
        decode: { (v: ArraySlice<UInt8>, state: inout AttributeDecodeState) throws(Notification) in
            guard v.count == 4 else { throw lengthError }
            state.attributes.originatorID = IPv4Address(v.u32(at: v.startIndex))
        },
        encode: { a, _, out in
            guard let id = a.originatorID else { return false }
            out.appendU32(id.value)
            return true
        })

    static let clusterList = AttributeDescriptor(
        code: .clusterList, name: "CLUSTER_LIST", flags: optionalNonTransitive, onError: .treatAsWithdraw,
        decode: { (v: ArraySlice<UInt8>, state: inout AttributeDecodeState) throws(Notification) in
            guard !v.isEmpty, v.count % 4 == 0 else { throw lengthError }
            var list: [IPv4Address] = []
            list.reserveCapacity(v.count / 4)
            for i in stride(from: v.startIndex, to: v.endIndex, by: 4) { list.append(IPv4Address(v.u32(at: i))) }
            state.attributes.clusterList = list
        },
        encode: { a, _, out in
            guard !a.clusterList.isEmpty else { return false }
            for id in a.clusterList { out.appendU32(id.value) }
            return true
        })
}
