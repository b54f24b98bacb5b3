/// Names a network interface either way netlink accepts: by name or by index (in the socket's namespace).
/// String and integer literals work directly: `try nl.setLinkUp("veth0")`, `try nl.deleteLink(7)`.
public enum LinkID: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case name(String)
    case index(Int32)

    public init(stringLiteral value: String) { self = .name(value) }
    public init(integerLiteral value: Int32) { self = .index(value) }

    public var description: String {
        switch self {
        case .name(let name): name
        case .index(let index): "#\(index)"
        }
    }
}

/// RFC 2863 operational state as the kernel reports it (IFLA_OPERSTATE).
public enum OperationalState: UInt8, Sendable, CustomStringConvertible {
    case unknown = 0, notPresent, down, lowerLayerDown, testing, dormant, up

    /// iproute2's spelling ("UP", "LOWERLAYERDOWN").
    public var description: String {
        switch self {
        case .unknown: "UNKNOWN"
        case .notPresent: "NOTPRESENT"
        case .down: "DOWN"
        case .lowerLayerDown: "LOWERLAYERDOWN"
        case .testing: "TESTING"
        case .dormant: "DORMANT"
        case .up: "UP"
        }
    }
}

/// One network interface as RTM_GETLINK reports it.
public struct Link: Hashable, Sendable {
    public var index: Int32
    public var name: String
    /// "veth", "bridge", "vlan", "dummy", …; nil for kinds without rtnl ops (loopback, physical NICs).
    public var kind: String?
    /// IFF_UP: administratively up.
    public var isUp: Bool
    /// IFF_LOWER_UP: carrier present.
    public var hasCarrier: Bool
    public var operationalState: OperationalState
    /// Hardware address bytes (6 for Ethernet); empty when the link has none.
    public var macAddress: [UInt8]
    /// Index of the bridge (or bond) this link is enslaved to.
    public var masterIndex: Int32?
    /// IFLA_LINK: the parent of a VLAN, or the peer's index of a veth (possibly in another namespace).
    public var parentIndex: Int32?
    public var mtu: UInt32
    /// 802.1Q id for kind "vlan".
    public var vlanID: UInt16?
    /// For kind "bridge": whether VLAN filtering is on.
    public var vlanFiltering: Bool?
    /// IFLA_IFALIAS, the free-text description `ip link set … alias` sets.
    public var alias: String?

    /// "aa:bb:cc:dd:ee:ff", as `ip link` prints it.
    public var macText: String { Link.formatMAC(macAddress) }

    /// Formats hardware address bytes as lower-case colon-separated hex.
    public static func formatMAC(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: ":")
    }

    /// Parses "aa:bb:cc:dd:ee:ff"; nil for anything else.
    public static func parseMAC(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6 else { return nil }
        var out: [UInt8] = []
        for part in parts {
            guard part.count == 2, let byte = UInt8(part, radix: 16) else { return nil }
            out.append(byte)
        }
        return out
    }

    /// Decodes an RTM_NEWLINK message; nil when it is too short to be one.
    static func decode(_ message: NetlinkMessage) -> Link? {
        let payload = message.payload
        guard payload.count >= NL.ifinfomsgSize,
              let index = payload.readInteger(at: 4, as: Int32.self),
              let flags = payload.readInteger(at: 8, as: UInt32.self) else { return nil }
        let attributes = NetlinkAttributes(payload.dropFirst(NL.ifinfomsgSize))
        let info = attributes.nested(NL.IFLA_LINKINFO)
        let kind = info?.string(NL.IFLA_INFO_KIND)
        let data = info?.nested(NL.IFLA_INFO_DATA)
        var link = Link(
            index: index,
            name: attributes.string(NL.IFLA_IFNAME) ?? "",
            kind: kind,
            isUp: flags & NL.IFF_UP != 0,
            hasCarrier: flags & NL.IFF_LOWER_UP != 0,
            operationalState: attributes.integer(NL.IFLA_OPERSTATE, as: UInt8.self).flatMap(OperationalState.init) ?? .unknown,
            macAddress: attributes[NL.IFLA_ADDRESS].map(Array.init) ?? [],
            masterIndex: attributes.integer(NL.IFLA_MASTER, as: Int32.self).flatMap { $0 == 0 ? nil : $0 },
            parentIndex: attributes.integer(NL.IFLA_LINK, as: Int32.self).flatMap { $0 == 0 || $0 == index ? nil : $0 },
            mtu: attributes.integer(NL.IFLA_MTU, as: UInt32.self) ?? 0)
        link.alias = attributes.string(NL.IFLA_IFALIAS).flatMap { $0.isEmpty ? nil : $0 }
        if kind == "vlan" { link.vlanID = data?.integer(NL.IFLA_VLAN_ID, as: UInt16.self) }
        if kind == "bridge" {
            link.vlanFiltering = data?.integer(NL.IFLA_BR_VLAN_FILTERING, as: UInt8.self).map { $0 != 0 }
        }
        return link
    }
}
