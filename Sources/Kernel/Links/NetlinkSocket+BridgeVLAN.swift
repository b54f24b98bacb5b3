import Glibc

/// One VLAN on a bridge port (or on the bridge itself), as `bridge vlan` shows it.
public struct BridgeVLAN: Hashable, Sendable, CustomStringConvertible {
    public var vid: UInt16
    /// Untagged frames arriving on the port are classified into this VLAN.
    public var pvid: Bool
    /// Frames of this VLAN leave the port without a tag.
    public var untagged: Bool

    public init(_ vid: UInt16, pvid: Bool = false, untagged: Bool = false) {
        self.vid = vid
        self.pvid = pvid
        self.untagged = untagged
    }

    /// "10 PVID Egress Untagged", like `bridge vlan show`.
    public var description: String {
        var text = "\(vid)"
        if pvid { text += " PVID" }
        if untagged { text += " Egress Untagged" }
        return text
    }

    var flags: UInt16 {
        (pvid ? NL.BRIDGE_VLAN_INFO_PVID : 0) | (untagged ? NL.BRIDGE_VLAN_INFO_UNTAGGED : 0)
    }
}

/// The VLANs of one port (or bridge), from `bridgeVLANs()`.
public struct BridgePortVLANs: Hashable, Sendable {
    public var linkIndex: Int32
    public var name: String
    public var vlans: [BridgeVLAN]
}

/// Bridge VLAN membership (RTM_SETLINK / RTM_DELLINK in family AF_BRIDGE with IFLA_AF_SPEC), like `bridge vlan`.
extension NetlinkSocket {
    /// `bridge vlan add vid VID dev PORT [pvid] [untagged] [self]`.
    /// - Parameters:
    ///   - port: a bridge port, or the bridge itself with `onBridgeItself: true`.
    ///   - onBridgeItself: sets BRIDGE_FLAGS_SELF, so the VLAN applies to the bridge's own (host) port.
    public func addBridgeVLAN(_ vlan: BridgeVLAN, port: LinkID, onBridgeItself: Bool = false) throws {
        try changeBridgeVLAN(NL.RTM_SETLINK, vlan, port: port, onBridgeItself: onBridgeItself,
                             doing: "adding VLAN \(vlan) to \(port)\(onBridgeItself ? " (self)" : "")")
    }

    /// `bridge vlan del vid VID dev PORT [self]`.
    public func removeBridgeVLAN(_ vid: UInt16, port: LinkID, onBridgeItself: Bool = false) throws {
        try changeBridgeVLAN(NL.RTM_DELLINK, BridgeVLAN(vid), port: port, onBridgeItself: onBridgeItself,
                             doing: "removing VLAN \(vid) from \(port)\(onBridgeItself ? " (self)" : "")")
    }

    private func changeBridgeVLAN(_ type: UInt16, _ vlan: BridgeVLAN, port: LinkID, onBridgeItself: Bool, doing: String) throws {
        guard (1...4094).contains(vlan.vid) else { throw KernelError.invalid(doing, "VLAN id must be 1-4094") }
        let request = NetlinkSocket.bridgeVLANRequest(type, vlan, portIndex: try linkIndex(port), onBridgeItself: onBridgeItself)
        try explainingVLANSupport { try perform(request, doing: doing) }
    }

    /// ifinfomsg (AF_BRIDGE, port index) + IFLA_AF_SPEC { [IFLA_BRIDGE_FLAGS = SELF], IFLA_BRIDGE_VLAN_INFO { flags, vid } }.
    static func bridgeVLANRequest(_ type: UInt16, _ vlan: BridgeVLAN, portIndex: Int32, onBridgeItself: Bool) -> NetlinkRequest {
        var request = NetlinkSocket.linkRequest(type, family: NL.AF_BRIDGE, link: .index(portIndex))
        request.nest(NL.IFLA_AF_SPEC) { spec in
            if onBridgeItself { spec.addAttribute(NL.IFLA_BRIDGE_FLAGS, NL.BRIDGE_FLAGS_SELF) }
            var info: [UInt8] = []
            withUnsafeBytes(of: vlan.flags) { info.append(contentsOf: $0) }
            withUnsafeBytes(of: vlan.vid) { info.append(contentsOf: $0) }
            spec.addAttribute(NL.IFLA_BRIDGE_VLAN_INFO, bytes: info)
        }
        return request
    }

    /// Every bridge port's (and bridge's) VLANs in the namespace, like `bridge vlan show`; ports without
    /// VLANs are left out. Ranges the kernel reports compressed are expanded.
    public func bridgeVLANs() throws -> [BridgePortVLANs] {
        var request = NetlinkSocket.linkRequest(NL.RTM_GETLINK, family: NL.AF_BRIDGE)
        request.addAttribute(NL.IFLA_EXT_MASK, NL.RTEXT_FILTER_BRVLAN)
        var out: [BridgePortVLANs] = []
        for message in try dump(request, doing: "listing bridge VLANs") where message.type == NL.RTM_NEWLINK {
            if let port = NetlinkSocket.decodeBridgeVLANs(message) { out.append(port) }
        }
        return out.sorted { $0.linkIndex < $1.linkIndex }
    }

    /// One port's VLAN list from an AF_BRIDGE RTM_NEWLINK; nil when it carries none.
    static func decodeBridgeVLANs(_ message: NetlinkMessage) -> BridgePortVLANs? {
        guard let index = message.payload.readInteger(at: 4, as: Int32.self) else { return nil }
        let attributes = NetlinkAttributes(message.payload.dropFirst(NL.ifinfomsgSize))
        guard let spec = attributes.nested(NL.IFLA_AF_SPEC) else { return nil }
        var vlans: [BridgeVLAN] = []
        var rangeStart: UInt16?
        for info in spec.all(NL.IFLA_BRIDGE_VLAN_INFO) {
            guard let flags = info.readInteger(at: 0, as: UInt16.self),
                  let vid = info.readInteger(at: 2, as: UInt16.self) else { continue }
            let pvid = flags & NL.BRIDGE_VLAN_INFO_PVID != 0
            let untagged = flags & NL.BRIDGE_VLAN_INFO_UNTAGGED != 0
            if flags & NL.BRIDGE_VLAN_INFO_RANGE_BEGIN != 0 {
                rangeStart = vid
            } else if flags & NL.BRIDGE_VLAN_INFO_RANGE_END != 0, let first = rangeStart, first <= vid {
                vlans += (first...vid).map { BridgeVLAN($0, pvid: false, untagged: untagged) }
                rangeStart = nil
            } else {
                vlans.append(BridgeVLAN(vid, pvid: pvid, untagged: untagged))
            }
        }
        guard !vlans.isEmpty else { return nil }
        return BridgePortVLANs(linkIndex: index, name: attributes.string(NL.IFLA_IFNAME) ?? "", vlans: vlans)
    }
}
