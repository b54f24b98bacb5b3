/// An address assigned to an interface, as `ip addr` shows it.
public struct InterfaceAddress: Hashable, Sendable, CustomStringConvertible {
    public var linkIndex: Int32
    public var address: InetAddress
    public var prefixLength: UInt8
    /// RT_SCOPE_*: 0 global, 253 link, 254 host.
    public var scope: UInt8
    /// IFA_F_* flags (IFA_FLAGS when present, else the 8-bit header field).
    public var flags: UInt32
    /// IPv4 label ("eth0:1"); nil for IPv6.
    public var label: String?

    /// "10.0.0.1/24".
    public var description: String { "\(address)/\(prefixLength)" }
    /// The subnet the address sits in.
    public var network: InetPrefix { InetPrefix(address, length: prefixLength) }
    /// IFA_F_TENTATIVE: IPv6 duplicate address detection still running.
    public var isTentative: Bool { flags & 0x40 != 0 }

    static func decode(_ message: NetlinkMessage) -> InterfaceAddress? {
        let payload = message.payload
        guard payload.count >= NL.ifaddrmsgSize,
              let prefixLength = payload.readInteger(at: 1, as: UInt8.self),
              let shortFlags = payload.readInteger(at: 2, as: UInt8.self),
              let scope = payload.readInteger(at: 3, as: UInt8.self),
              let index = payload.readInteger(at: 4, as: Int32.self) else { return nil }
        let attributes = NetlinkAttributes(payload.dropFirst(NL.ifaddrmsgSize))
        // IFA_LOCAL is the interface's own address on point-to-point links; IFA_ADDRESS otherwise.
        guard let address = attributes.address(NL.IFA_LOCAL) ?? attributes.address(NL.IFA_ADDRESS) else { return nil }
        return InterfaceAddress(linkIndex: index, address: address, prefixLength: prefixLength, scope: scope,
                                flags: attributes.integer(NL.IFA_FLAGS, as: UInt32.self) ?? UInt32(shortFlags),
                                label: attributes.string(NL.IFA_LABEL))
    }
}

/// Interface addresses, like `ip addr add/del/show`.
extension NetlinkSocket {
    /// `ip addr add ADDRESS/LEN dev LINK [nodad]`.
    /// - Parameter skipDAD: IPv6 only: IFA_F_NODAD, so the address is usable at once instead of after
    ///   duplicate address detection (about two seconds). On by default: lab links have no duplicates.
    public func addAddress(_ address: InetAddress, prefixLength: UInt8, to link: LinkID, skipDAD: Bool = true) throws {
        let doing = "adding address \(address)/\(prefixLength) to \(link)"
        let request = try addressRequest(NL.RTM_NEWADDR, flags: NL.NLM_F_CREATE | NL.NLM_F_EXCL, address,
                                         prefixLength: prefixLength, link: link,
                                         extraFlags: skipDAD && address.isIPv6 ? NL.IFA_F_NODAD : 0, doing: doing)
        try perform(request, doing: doing)
    }

    /// `ip addr del ADDRESS/LEN dev LINK`.
    public func deleteAddress(_ address: InetAddress, prefixLength: UInt8, from link: LinkID) throws {
        let doing = "deleting address \(address)/\(prefixLength) from \(link)"
        let request = try addressRequest(NL.RTM_DELADDR, flags: 0, address, prefixLength: prefixLength,
                                         link: link, extraFlags: 0, doing: doing)
        try perform(request, doing: doing)
    }

    /// Addresses in the namespace, optionally of one link and/or one family (AF_INET / AF_INET6).
    public func addresses(on link: LinkID? = nil, family: UInt8 = 0) throws -> [InterfaceAddress] {
        let index = try link.map { try linkIndex($0) }
        var request = NetlinkRequest(type: NL.RTM_GETADDR)
        request.append(family)
        request.append(bytes: [0, 0, 0])
        request.append(Int32(0))
        return try dump(request, doing: "listing addresses").compactMap { message in
            guard message.type == NL.RTM_NEWADDR, let address = InterfaceAddress.decode(message) else { return nil }
            if let index, address.linkIndex != index { return nil }
            if family != 0, address.address.family != family { return nil }
            return address
        }
    }

    private func addressRequest(_ type: UInt16, flags: UInt16, _ address: InetAddress, prefixLength: UInt8,
                                link: LinkID, extraFlags: UInt32, doing: String) throws -> NetlinkRequest {
        guard Int(prefixLength) <= address.bytes.count * 8 else {
            throw KernelError.invalid(doing, "prefix length \(prefixLength) is too long for \(address)")
        }
        let index = try linkIndex(link)
        var request = NetlinkRequest(type: type, flags: flags)
        request.append(address.family)
        request.append(prefixLength)
        request.append(UInt8(truncatingIfNeeded: extraFlags))
        request.append(UInt8(0)) // scope: global
        request.append(index)
        request.addAttribute(NL.IFA_LOCAL, address: address)
        request.addAttribute(NL.IFA_ADDRESS, address: address)
        if extraFlags != 0 { request.addAttribute(NL.IFA_FLAGS, extraFlags) }
        return request
    }
}
