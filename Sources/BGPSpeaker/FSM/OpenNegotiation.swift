import BGPWire

extension SessionParameters {
    /// Checks a peer's OPEN (RFC 4271 §6.2, RFC 6793 §4, RFC 6286, RFC 5492) and returns what both sides agreed on.
    /// - Returns: the negotiation, or the NOTIFICATION to send when the OPEN is refused.
    public func negotiate(with open: Open) -> Result<Negotiation, Notification> {
        func refuse(_ sub: Notification.OpenSubcode, _ data: [UInt8] = []) -> Result<Negotiation, Notification> {
            .failure(Notification(.openMessage, sub.rawValue, data: data))
        }
        guard open.version == 4 else { return refuse(.unsupportedVersion, [0, 4]) }

        // Peer AS: the 4-octet capability wins; a 2-octet field of AS_TRANS without it is never a real AS.
        let claimedAS: UInt32
        if let fourOctet = open.capabilities.lazy.compactMap({ cap -> UInt32? in
            if case .fourOctetAS(let asn) = cap { return asn } else { return nil }
        }).first {
            let expectedField = fourOctet > 0xffff ? UInt16(asTrans) : UInt16(fourOctet)
            guard open.myAS == expectedField, fourOctet != asTrans else { return refuse(.badPeerAS, asBytes(open.myAS)) }
            claimedAS = fourOctet
        } else {
            guard UInt32(open.myAS) != asTrans else { return refuse(.badPeerAS, asBytes(open.myAS)) }
            claimedAS = UInt32(open.myAS)
        }
        guard claimedAS == remoteAS else { return refuse(.badPeerAS, asBytes(open.myAS)) }

        // Hold time 1 and 2 are forbidden (§4.2); zero means no keepalives at all.
        guard open.holdTime == 0 || open.holdTime >= 3 else { return refuse(.unacceptableHoldTime) }

        // BGP Identifier: a non-zero unicast-looking value; within one AS it must differ from ours (RFC 6286 §2.2).
        let id = open.bgpIdentifier
        guard id != .zero, id.value != .max, !(id.value >> 28 == 0xe) else { return refuse(.badBGPIdentifier) }
        guard !(isInternal && id == routerID) else { return refuse(.badBGPIdentifier) }

        let hold = min(holdTime, open.holdTime)
        let keepalive: UInt16
        if hold == 0 { keepalive = 0 } else if keepaliveTime == 0 { keepalive = max(1, hold / 3) } else {
            keepalive = max(1, min(keepaliveTime, hold / 3))
        }

        // Families: a speaker that sends no multiprotocol capability speaks IPv4 unicast only (RFC 4760 §8).
        let theirs = open.families.isEmpty ? Set([AddressFamily.ipv4Unicast]) : Set(open.families)
        let shared = families.intersection(theirs)
        if shared.isEmpty && capabilityPolicy == .requireCommonFamily {
            let data = families.sorted { ($0.afi.rawValue, $0.safi.rawValue) < ($1.afi.rawValue, $1.safi.rawValue) }
                .flatMap { f -> [UInt8] in [1, 4, UInt8(f.afi.rawValue >> 8), UInt8(f.afi.rawValue & 0xff), 0, f.safi.rawValue] }
            return refuse(.unsupportedCapability, data)
        }

        return .success(Negotiation(
            holdTime: hold, keepaliveTime: keepalive, remoteAS: claimedAS, remoteRouterID: id,
            fourOctetAS: open.supportsFourOctetAS, families: shared,
            peerGracefulRestart: gracefulRestartTime == nil ? nil : open.gracefulRestart,
            routeRefresh: open.supportsRouteRefresh, peerHoldTime: open.holdTime))
    }

    private func asBytes(_ asn: UInt16) -> [UInt8] { [UInt8(asn >> 8), UInt8(asn & 0xff)] }
}
