import Glibc

/// Links: create (veth, bridge, VLAN, dummy), change, move, delete and list, like `ip link`.
extension NetlinkSocket {
    // MARK: List

    /// Every link in the socket's namespace, sorted by index.
    public func links() throws -> [Link] {
        let request = NetlinkSocket.linkRequest(NL.RTM_GETLINK)
        return try dump(request, doing: "listing links").compactMap { message in
            message.type == NL.RTM_NEWLINK ? Link.decode(message) : nil
        }.sorted { $0.index < $1.index }
    }

    /// One link. - Throws: `KernelError` with ENODEV when there is no such link.
    public func link(_ id: LinkID) throws -> Link {
        let request = NetlinkSocket.linkRequest(NL.RTM_GETLINK, link: id)
        let replies = try query(request, doing: "looking up link \(id)")
        guard let link = replies.lazy.compactMap(Link.decode).first else {
            throw KernelError.invalid("looking up link \(id)", "no RTM_NEWLINK in the reply")
        }
        return link
    }

    /// The interface index of `id`, asking the kernel only for names.
    public func linkIndex(_ id: LinkID) throws -> Int32 {
        switch id {
        case .index(let index): return index
        case .name: return try link(id).index
        }
    }

    // MARK: Create

    /// Creates a veth pair `name` ⇄ `peer`, like `ip link add NAME type veth peer name PEER [netns NS]`.
    /// - Parameters:
    ///   - peerNamespace: where the peer end goes; it is created there directly, under the name `peer`,
    ///     so a name used in this namespace never clashes. nil keeps both ends here.
    ///   - mtu: for both ends; nil = kernel default.
    public func createVeth(_ name: String, peer: String, peerNamespace: NetworkNamespace? = nil, mtu: UInt32? = nil) throws {
        if let peerNamespace {
            let fd = try peerNamespace.openDescriptor()
            defer { close(fd) }
            try createVeth(name, peer: peer, peerNamespaceDescriptor: fd, mtu: mtu,
                           where: " with peer in namespace \(peerNamespace.name)")
        } else {
            try createVeth(name, peer: peer, peerNamespaceDescriptor: nil, mtu: mtu, where: "")
        }
    }

    /// As `createVeth(_:peer:peerNamespace:mtu:)`, with the peer's namespace given as an open descriptor.
    public func createVeth(_ name: String, peer: String, peerNamespaceDescriptor: Int32?, mtu: UInt32? = nil) throws {
        try createVeth(name, peer: peer, peerNamespaceDescriptor: peerNamespaceDescriptor, mtu: mtu, where: "")
    }

    private func createVeth(_ name: String, peer: String, peerNamespaceDescriptor: Int32?, mtu: UInt32?, where place: String) throws {
        var request = NetlinkSocket.linkRequest(NL.RTM_NEWLINK, flags: NL.NLM_F_CREATE | NL.NLM_F_EXCL)
        request.addAttribute(NL.IFLA_IFNAME, string: name)
        if let mtu { request.addAttribute(NL.IFLA_MTU, mtu) }
        request.nest(NL.IFLA_LINKINFO) { info in
            info.addAttribute(NL.IFLA_INFO_KIND, string: "veth")
            info.nest(NL.IFLA_INFO_DATA) { data in
                data.nest(NL.VETH_INFO_PEER) { peerInfo in
                    NetlinkSocket.appendIfinfomsg(&peerInfo)
                    peerInfo.addAttribute(NL.IFLA_IFNAME, string: peer)
                    if let mtu { peerInfo.addAttribute(NL.IFLA_MTU, mtu) }
                    if let fd = peerNamespaceDescriptor { peerInfo.addAttribute(NL.IFLA_NET_NS_FD, UInt32(bitPattern: fd)) }
                }
            }
        }
        try perform(request, doing: "creating veth pair \(name)/\(peer)\(place)")
    }

    /// Creates a bridge, like `ip link add NAME type bridge vlan_filtering 0|1`.
    /// - Parameter defaultPVID: the bridge's default PVID for new ports; nil = kernel default (1), 0 = none.
    public func createBridge(_ name: String, vlanFiltering: Bool = false, defaultPVID: UInt16? = nil) throws {
        var request = NetlinkSocket.linkRequest(NL.RTM_NEWLINK, flags: NL.NLM_F_CREATE | NL.NLM_F_EXCL)
        request.addAttribute(NL.IFLA_IFNAME, string: name)
        request.nest(NL.IFLA_LINKINFO) { info in
            info.addAttribute(NL.IFLA_INFO_KIND, string: "bridge")
            info.nest(NL.IFLA_INFO_DATA) { data in
                // Sent only when wanted: kernels without CONFIG_BRIDGE_VLAN_FILTERING refuse the attribute.
                if vlanFiltering { data.addAttribute(NL.IFLA_BR_VLAN_FILTERING, UInt8(1)) }
                if let defaultPVID { data.addAttribute(NL.IFLA_BR_VLAN_DEFAULT_PVID, defaultPVID) }
            }
        }
        try explainingVLANSupport { try perform(request, doing: "creating bridge \(name)\(vlanFiltering ? " with VLAN filtering" : "")") }
    }

    /// Adds a hint to the kernel's bare EOPNOTSUPP when bridge VLAN support is compiled out.
    func explainingVLANSupport(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch var error as KernelError where error.code == EOPNOTSUPP && error.kernelMessage == nil {
            error.hint = "this kernel has no bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING)"
            throw error
        }
    }

    /// Turns VLAN filtering on or off on an existing bridge (`ip link set NAME type bridge vlan_filtering X`).
    public func setBridgeVLANFiltering(_ bridge: LinkID, _ enabled: Bool) throws {
        var request = NetlinkSocket.linkRequest(NL.RTM_NEWLINK, link: bridge)
        request.nest(NL.IFLA_LINKINFO) { info in
            info.addAttribute(NL.IFLA_INFO_KIND, string: "bridge")
            info.nest(NL.IFLA_INFO_DATA) { data in
                data.addAttribute(NL.IFLA_BR_VLAN_FILTERING, UInt8(enabled ? 1 : 0))
            }
        }
        try explainingVLANSupport { try perform(request, doing: "setting vlan_filtering \(enabled ? 1 : 0) on bridge \(bridge)") }
    }

    /// Creates an 802.1Q sub-interface, like `ip link add NAME link PARENT type vlan id ID`.
    public func createVLAN(_ name: String, parent: LinkID, id: UInt16) throws {
        let doing = "creating VLAN interface \(name) (id \(id) on \(parent))"
        guard (1...4094).contains(id) else { throw KernelError.invalid(doing, "VLAN id must be 1-4094") }
        let parentIndex = try linkIndex(parent)
        var request = NetlinkSocket.linkRequest(NL.RTM_NEWLINK, flags: NL.NLM_F_CREATE | NL.NLM_F_EXCL)
        request.addAttribute(NL.IFLA_IFNAME, string: name)
        request.addAttribute(NL.IFLA_LINK, parentIndex)
        request.nest(NL.IFLA_LINKINFO) { info in
            info.addAttribute(NL.IFLA_INFO_KIND, string: "vlan")
            info.nest(NL.IFLA_INFO_DATA) { data in data.addAttribute(NL.IFLA_VLAN_ID, id) }
        }
        try perform(request, doing: doing)
    }

    /// Creates a dummy interface (a loopback-like home for addresses, e.g. a router's loopback /32).
    public func createDummy(_ name: String) throws {
        var request = NetlinkSocket.linkRequest(NL.RTM_NEWLINK, flags: NL.NLM_F_CREATE | NL.NLM_F_EXCL)
        request.addAttribute(NL.IFLA_IFNAME, string: name)
        request.nest(NL.IFLA_LINKINFO) { info in info.addAttribute(NL.IFLA_INFO_KIND, string: "dummy") }
        try perform(request, doing: "creating dummy interface \(name)")
    }

    // MARK: Change

    /// `ip link set LINK up`.
    public func setLinkUp(_ id: LinkID) throws { try setLink(id, up: true) }
    /// `ip link set LINK down`.
    public func setLinkDown(_ id: LinkID) throws { try setLink(id, up: false) }

    public func setLink(_ id: LinkID, up: Bool) throws {
        let request = NetlinkSocket.linkRequest(NL.RTM_NEWLINK, link: id,
                                                 ifFlags: up ? NL.IFF_UP : 0, change: NL.IFF_UP)
        try perform(request, doing: "setting link \(id) \(up ? "up" : "down")")
    }

    /// `ip link set LINK mtu MTU`.
    public func setMTU(_ id: LinkID, _ mtu: UInt32) throws {
        var request = NetlinkSocket.linkRequest(NL.RTM_NEWLINK, link: id)
        request.addAttribute(NL.IFLA_MTU, mtu)
        try perform(request, doing: "setting MTU \(mtu) on \(id)")
    }

    /// `ip link set LINK address MAC`; `mac` is the raw bytes (see `Link.parseMAC`).
    public func setMAC(_ id: LinkID, _ mac: [UInt8]) throws {
        var request = NetlinkSocket.linkRequest(NL.RTM_NEWLINK, link: id)
        request.addAttribute(NL.IFLA_ADDRESS, bytes: mac)
        try perform(request, doing: "setting MAC \(Link.formatMAC(mac)) on \(id)")
    }

    /// `ip link set LINK alias TEXT` (the interface description; an empty string clears it).
    public func setAlias(_ id: LinkID, _ alias: String) throws {
        var request = NetlinkSocket.linkRequest(NL.RTM_NEWLINK, link: id)
        request.addAttribute(NL.IFLA_IFALIAS, bytes: Array(alias.utf8))
        try perform(request, doing: "setting alias \"\(alias)\" on \(id)")
    }

    /// `ip link set LINK master BRIDGE`.
    public func setMaster(_ id: LinkID, _ master: LinkID) throws {
        let doing = "enslaving \(id) to \(master)"
        let masterIndex = try linkIndex(master)
        var request = NetlinkSocket.linkRequest(NL.RTM_NEWLINK, link: id)
        request.addAttribute(NL.IFLA_MASTER, masterIndex)
        try perform(request, doing: doing)
    }

    /// `ip link set LINK nomaster`.
    public func removeMaster(_ id: LinkID) throws {
        var request = NetlinkSocket.linkRequest(NL.RTM_NEWLINK, link: id)
        request.addAttribute(NL.IFLA_MASTER, Int32(0))
        try perform(request, doing: "releasing \(id) from its master")
    }

    /// `ip link set LINK name NEW` (the link must be down for most kinds).
    public func renameLink(_ id: LinkID, to newName: String) throws {
        let doing = "renaming \(id) to \(newName)"
        let index = try linkIndex(id)
        var request = NetlinkSocket.linkRequest(NL.RTM_NEWLINK, link: .index(index))
        request.addAttribute(NL.IFLA_IFNAME, string: newName)
        try perform(request, doing: doing)
    }

    /// `ip link set LINK netns NS [name NEW]`: moves the link into another namespace, optionally renaming
    /// it there in the same step. The link leaves this socket's view; it arrives down.
    public func moveLink(_ id: LinkID, to namespace: NetworkNamespace, newName: String? = nil) throws {
        let doing = "moving \(id) to namespace \(namespace.name)"
        let fd = try namespace.openDescriptor()
        defer { close(fd) }
        let target: LinkID = newName == nil ? id : .index(try linkIndex(id))
        var request = NetlinkSocket.linkRequest(NL.RTM_NEWLINK, link: target)
        request.addAttribute(NL.IFLA_NET_NS_FD, UInt32(bitPattern: fd))
        if let newName { request.addAttribute(NL.IFLA_IFNAME, string: newName) }
        try perform(request, doing: doing)
    }

    /// `ip link del LINK`; deleting one veth end deletes both.
    public func deleteLink(_ id: LinkID) throws {
        let request = NetlinkSocket.linkRequest(NL.RTM_DELLINK, link: id)
        try perform(request, doing: "deleting link \(id)")
    }

    // MARK: Building

    /// An ifinfomsg request naming `link` by index, or by IFLA_IFNAME when given a name.
    static func linkRequest(_ type: UInt16, flags: UInt16 = 0, family: UInt8 = 0, link: LinkID? = nil,
                            ifFlags: UInt32 = 0, change: UInt32 = 0) -> NetlinkRequest {
        var request = NetlinkRequest(type: type, flags: flags)
        var index: Int32 = 0
        if case .index(let i) = link { index = i }
        appendIfinfomsg(&request, family: family, index: index, flags: ifFlags, change: change)
        if case .name(let name) = link { request.addAttribute(NL.IFLA_IFNAME, string: name) }
        return request
    }

    /// struct ifinfomsg { family, pad, type, index, flags, change }.
    static func appendIfinfomsg(_ request: inout NetlinkRequest, family: UInt8 = 0, index: Int32 = 0,
                                flags: UInt32 = 0, change: UInt32 = 0) {
        request.append(family)
        request.append(UInt8(0))
        request.append(UInt16(0))
        request.append(index)
        request.append(flags)
        request.append(change)
    }
}
