/// The BGP message header type codes (RFC 4271 §4.1, RFC 2918).
public enum MessageType: UInt8, Sendable {
    case open = 1, update = 2, notification = 3, keepalive = 4, routeRefresh = 5
}

/// One BGP message. Encoding and decoding live in the codec files (`BGPMessage+Decode`, `BGPMessage+Encode`).
public enum BGPMessage: Hashable, Sendable {
    case open(Open)
    case update(Update)
    case notification(Notification)
    case keepalive
    case routeRefresh(RouteRefresh)

    public var type: MessageType {
        switch self {
        case .open: .open
        case .update: .update
        case .notification: .notification
        case .keepalive: .keepalive
        case .routeRefresh: .routeRefresh
        }
    }
}

/// Facts negotiated for a session that change how messages are encoded (GoBGP's MarshallingOption).
public struct CodecOptions: Hashable, Sendable {
    /// Both sides advertised the 4-octet AS capability (RFC 6793): AS_PATH carries 4-byte ASNs.
    public var fourOctetAS: Bool
    public init(fourOctetAS: Bool = true) { self.fourOctetAS = fourOctetAS }
}

/// AS_TRANS (RFC 6793): stands in for a 4-byte ASN towards a 2-byte speaker.
public let asTrans: UInt32 = 23456

/// OPEN (RFC 4271 §4.2) with its capabilities (RFC 5492).
public struct Open: Hashable, Sendable {
    public var version: UInt8
    /// The 2-octet "My Autonomous System" field; AS_TRANS when the real ASN needs 4 octets.
    public var myAS: UInt16
    public var holdTime: UInt16
    public var bgpIdentifier: IPv4Address
    public var capabilities: [Capability]
    public init(version: UInt8 = 4, myAS: UInt16, holdTime: UInt16, bgpIdentifier: IPv4Address, capabilities: [Capability]) {
        self.version = version; self.myAS = myAS; self.holdTime = holdTime
        self.bgpIdentifier = bgpIdentifier; self.capabilities = capabilities
    }
    /// Builds an OPEN for a speaker in `asn`, filling myAS with AS_TRANS and adding the 4-octet capability as needed.
    public init(asn: UInt32, holdTime: UInt16, bgpIdentifier: IPv4Address, capabilities: [Capability]) {
        var caps = capabilities
        if !caps.contains(where: { if case .fourOctetAS = $0 { return true } else { return false } }) {
            caps.append(.fourOctetAS(asn))
        }
        self.init(myAS: asn > 0xffff ? UInt16(asTrans) : UInt16(asn), holdTime: holdTime, bgpIdentifier: bgpIdentifier, capabilities: caps)
    }
    /// The speaker's real ASN: from the 4-octet capability when present, else the 2-octet field.
    public var asNumber: UInt32 {
        for c in capabilities { if case .fourOctetAS(let asn) = c { return asn } }
        return UInt32(myAS)
    }
    public var supportsFourOctetAS: Bool { capabilities.contains { if case .fourOctetAS = $0 { return true } else { return false } } }
    public var supportsRouteRefresh: Bool { capabilities.contains { if case .routeRefresh = $0 { return true } else { return false } } }
    public var families: [AddressFamily] {
        capabilities.compactMap { if case .multiprotocol(let f) = $0 { return f } else { return nil } }
    }
    public var gracefulRestart: GracefulRestart? {
        for c in capabilities { if case .gracefulRestart(let g) = c { return g } }
        return nil
    }
}

/// A capability advertised in OPEN's optional parameter 2.
public enum Capability: Hashable, Sendable {
    case multiprotocol(AddressFamily)          // code 1, RFC 4760
    case routeRefresh                          // code 2, RFC 2918
    case gracefulRestart(GracefulRestart)      // code 64, RFC 4724
    case fourOctetAS(UInt32)                   // code 65, RFC 6793
    case enhancedRouteRefresh                  // code 70, RFC 7313
    case unknown(code: UInt8, value: [UInt8])  // kept verbatim, never interpreted

    public var code: UInt8 {
        switch self {
        case .multiprotocol: 1
        case .routeRefresh: 2
        case .gracefulRestart: 64
        case .fourOctetAS: 65
        case .enhancedRouteRefresh: 70
        case .unknown(let code, _): code
        }
    }
}

/// The graceful-restart capability (RFC 4724 §3).
public struct GracefulRestart: Hashable, Sendable {
    public struct Family: Hashable, Sendable {
        public var family: AddressFamily
        public var forwardingStatePreserved: Bool
        public init(family: AddressFamily, forwardingStatePreserved: Bool) {
            self.family = family; self.forwardingStatePreserved = forwardingStatePreserved
        }
    }
    /// The R bit: the sender has restarted.
    public var restarting: Bool
    /// Seconds, 12 bits.
    public var restartTime: UInt16
    public var families: [Family]
    public init(restarting: Bool, restartTime: UInt16, families: [Family]) {
        self.restarting = restarting; self.restartTime = restartTime; self.families = families
    }
}

/// ROUTE-REFRESH (RFC 2918; subtype from RFC 7313).
public struct RouteRefresh: Hashable, Sendable {
    public var family: AddressFamily
    /// 0 = normal request, 1 = BoRR, 2 = EoRR.
    public var subtype: UInt8
    public init(family: AddressFamily, subtype: UInt8 = 0) { self.family = family; self.subtype = subtype }
}

/// UPDATE (RFC 4271 §4.3). IPv6 (and IPv4 via MP) reachability rides in `attributes.mpReach/mpUnreach`.
public struct Update: Hashable, Sendable {
    public var withdrawn: [IPv4Prefix]
    public var attributes: PathAttributes
    public var nlri: [IPv4Prefix]
    /// Set by the decoder when RFC 7606 says "treat-as-withdraw": every NLRI in this message is to be
    /// withdrawn, and this is why (for logs and `display bgp peer verbose`).
    public var treatAsWithdraw: Notification?
    public init(withdrawn: [IPv4Prefix] = [], attributes: PathAttributes = PathAttributes(), nlri: [IPv4Prefix] = [], treatAsWithdraw: Notification? = nil) {
        self.withdrawn = withdrawn; self.attributes = attributes; self.nlri = nlri; self.treatAsWithdraw = treatAsWithdraw
    }
    /// An UPDATE with nothing in it is the End-of-RIB marker for IPv4 unicast (RFC 4724 §2).
    public var isEndOfRIB: Bool {
        withdrawn.isEmpty && nlri.isEmpty && attributes == PathAttributes()
            || (withdrawn.isEmpty && nlri.isEmpty && attributes.mpUnreach?.withdrawn.isEmpty == true
                && attributes.onlyMPUnreach)
    }
}
