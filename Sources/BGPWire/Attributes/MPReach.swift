// MP_REACH_NLRI and MP_UNREACH_NLRI (RFC 4760 §3, §4), IPv6 next hops per RFC 2545.
// A malformed one resets the session (RFC 7606 §7.11): its NLRI cannot be located, so nothing can be withdrawn.
// An AFI/SAFI this speaker does not know is ignored (RFC 4760 §7).

extension AttributeDescriptor {
    static let mpReach = AttributeDescriptor(
        code: .mpReach, name: "MP_REACH_NLRI", flags: optionalNonTransitive, onError: .sessionReset,
        decode: { (v: ArraySlice<UInt8>, state: inout AttributeDecodeState) throws(Notification) in
            let s = v.startIndex
            guard v.count >= 5 else { throw error(.optionalAttributeError) }
            let nextHopLength = Int(v[s + 3])
            guard v.count >= 5 + nextHopLength else { throw error(.optionalAttributeError) }
            guard let afi = AFI(rawValue: v.u16(at: s)), let safi = SAFI(rawValue: v[s + 2]) else { return }
            var nextHops: [IPAddress] = []
            switch (afi, nextHopLength) {
            case (.ipv4, 4):
                nextHops = [.v4(IPv4Address(v.u32(at: s + 4)))]
            case (.ipv6, 16), (.ipv6, 32):
                nextHops = [.v6(IPv6Address(high: v.u64(at: s + 4), low: v.u64(at: s + 12)))]
                if nextHopLength == 32 { nextHops.append(.v6(IPv6Address(high: v.u64(at: s + 20), low: v.u64(at: s + 28)))) }
            default:
                throw error(.optionalAttributeError)
            }
            // One reserved octet (formerly the SNPA count) follows the next hop.
            let nlriBytes = v[(s + 5 + nextHopLength)...]
            var nlri: [Prefix] = []
            let ok = afi == .ipv4 ? NLRI.decodeIPv4(nlriBytes, into: &nlri) : NLRI.decodeIPv6(nlriBytes, into: &nlri)
            guard ok else { throw error(.optionalAttributeError) }
            state.attributes.mpReach = MPReach(family: AddressFamily(afi: afi, safi: safi), nextHops: nextHops, nlri: nlri)
        },
        encode: { a, _, out in
            guard let mp = a.mpReach else { return false }
            out.appendU16(mp.family.afi.rawValue)
            out.append(mp.family.safi.rawValue)
            out.append(UInt8(truncatingIfNeeded: mp.nextHops.reduce(0) { $0 + ($1.family == .ipv4 ? 4 : 16) }))
            for nh in mp.nextHops { out.append(nh) }
            out.append(0)
            for p in mp.nlri { NLRI.encode(p, into: &out) }
            return true
        })

    static let mpUnreach = AttributeDescriptor(
        code: .mpUnreach, name: "MP_UNREACH_NLRI", flags: optionalNonTransitive, onError: .sessionReset,
        decode: { (v: ArraySlice<UInt8>, state: inout AttributeDecodeState) throws(Notification) in
            let s = v.startIndex
            guard v.count >= 3 else { throw error(.optionalAttributeError) }
            guard let afi = AFI(rawValue: v.u16(at: s)), let safi = SAFI(rawValue: v[s + 2]) else { return }
            var withdrawn: [Prefix] = []
            let bytes = v[(s + 3)...]
            let ok = afi == .ipv4 ? NLRI.decodeIPv4(bytes, into: &withdrawn) : NLRI.decodeIPv6(bytes, into: &withdrawn)
            guard ok else { throw error(.optionalAttributeError) }
            state.attributes.mpUnreach = MPUnreach(family: AddressFamily(afi: afi, safi: safi), withdrawn: withdrawn)
        },
        encode: { a, _, out in
            guard let mp = a.mpUnreach else { return false }
            out.appendU16(mp.family.afi.rawValue)
            out.append(mp.family.safi.rawValue)
            for p in mp.withdrawn { NLRI.encode(p, into: &out) }
            return true
        })
}
