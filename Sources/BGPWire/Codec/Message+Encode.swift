// Encoding a whole message into one reserved buffer.

extension BGPMessage {
    /// The message as it goes on the wire, header included.
    /// - Parameter options: what the session negotiated; towards a 2-octet speaker AS_PATH and AGGREGATOR carry
    ///   AS_TRANS and AS4_PATH / AS4_AGGREGATOR are added.
    /// - Returns: the bytes. A message built with more than fits in 65535 bytes is not representable: lengths wrap.
    public func encode(options: CodecOptions) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(estimatedSize)
        out.append(contentsOf: repeatElement(0xff, count: 16))
        out.appendU16(0)
        out.append(type.rawValue)
        switch self {
        case .open(let open): open.encodeBody(into: &out)
        case .update(let update): update.encodeBody(into: &out, options: options)
        case .notification(let n):
            out.append(n.code); out.append(n.subcode); out.append(contentsOf: n.data)
        case .keepalive: break
        case .routeRefresh(let r):
            out.appendU16(r.family.afi.rawValue); out.append(r.subtype); out.append(r.family.safi.rawValue)
        }
        out.setU16(UInt16(truncatingIfNeeded: out.count), at: 16)
        return out
    }

    private var estimatedSize: Int {
        switch self {
        case .open: 128
        case .update(let u):
            64 + 5 * (u.withdrawn.count + u.nlri.count) + 17 * (u.attributes.mpReach?.nlri.count ?? 0)
                + 17 * (u.attributes.mpUnreach?.withdrawn.count ?? 0) + 4 * u.attributes.asPath.length
                + 4 * u.attributes.communities.count + 12 * u.attributes.largeCommunities.count
        case .notification(let n): 21 + n.data.count
        case .keepalive: 19
        case .routeRefresh: 23
        }
    }
}
