import Glibc

/// The rtmsg + RTA_* encoding of routes, both ways.
extension Route {
    /// Builds RTM_NEWROUTE / RTM_DELROUTE. Interface names in next hops are turned into indexes by `index`.
    func request(_ type: UInt16, flags: UInt16, index: (LinkID) throws -> Int32) throws -> NetlinkRequest {
        let deleting = type == NL.RTM_DELROUTE
        var request = NetlinkRequest(type: type, flags: flags)
        request.append(destination.family)
        request.append(destination.length)
        request.append(UInt8(0)) // src_len
        request.append(UInt8(0)) // tos
        request.append(table < 256 ? UInt8(table) : UInt8(0))
        request.append(self.protocol.rawValue)
        // For deletes, scope "nowhere" means "any scope", as iproute2 sends it.
        request.append(deleting ? RouteScope.nowhere.rawValue : effectiveScope.rawValue)
        request.append(self.type.rawValue)
        let singleOnlink = nextHops.count == 1 && nextHops[0].onlink
        request.append(UInt32(singleOnlink ? UInt32(NL.RTNH_F_ONLINK) : 0))

        request.addAttribute(NL.RTA_TABLE, table)
        if destination.length > 0 { request.addAttribute(NL.RTA_DST, address: destination.address) }
        if let metric { request.addAttribute(NL.RTA_PRIORITY, metric) }
        if let preferredSource { request.addAttribute(NL.RTA_PREFSRC, address: preferredSource) }
        if nextHops.count == 1 {
            let hop = nextHops[0]
            if let gateway = hop.gateway { Route.addGateway(gateway, for: destination, to: &request) }
            if let interface = hop.interface { request.addAttribute(NL.RTA_OIF, try index(interface)) }
        } else if nextHops.count > 1 {
            var blob: [UInt8] = []
            for hop in nextHops {
                var entry = NetlinkRequest(type: 0)
                entry.append(UInt16(0)) // rtnh_len, patched below
                entry.append(hop.onlink ? NL.RTNH_F_ONLINK : UInt8(0))
                entry.append(UInt8(clamping: max(1, min(hop.weight, 256)) - 1))
                entry.append(try hop.interface.map(index) ?? Int32(0))
                if let gateway = hop.gateway { Route.addGateway(gateway, for: destination, to: &entry) }
                var bytes = entry.payload
                withUnsafeBytes(of: UInt16(bytes.count)) { bytes[0] = $0[0]; bytes[1] = $0[1] }
                blob += bytes
            }
            request.addAttribute(NL.RTA_MULTIPATH, bytes: blob)
        }
        return request
    }

    /// RTA_GATEWAY for a same-family gateway; RTA_VIA for an IPv6 gateway of an IPv4 route (RFC 5549).
    private static func addGateway(_ gateway: InetAddress, for destination: InetPrefix, to request: inout NetlinkRequest) {
        if gateway.family == destination.family {
            request.addAttribute(NL.RTA_GATEWAY, address: gateway)
        } else {
            var via: [UInt8] = []
            withUnsafeBytes(of: UInt16(gateway.family)) { via.append(contentsOf: $0) }
            request.addAttribute(NL.RTA_VIA, bytes: via + gateway.bytes)
        }
    }

    /// Decodes RTM_NEWROUTE / RTM_DELROUTE; nil for messages too short or of another family.
    static func decode(_ message: NetlinkMessage) -> Route? {
        let payload = message.payload
        guard payload.count >= NL.rtmsgSize,
              let family = payload.readInteger(at: 0, as: UInt8.self),
              family == UInt8(AF_INET) || family == UInt8(AF_INET6),
              let length = payload.readInteger(at: 1, as: UInt8.self),
              let headerTable = payload.readInteger(at: 4, as: UInt8.self),
              let proto = payload.readInteger(at: 5, as: UInt8.self),
              let scope = payload.readInteger(at: 6, as: UInt8.self),
              let type = payload.readInteger(at: 7, as: UInt8.self),
              let flags = payload.readInteger(at: 8, as: UInt32.self) else { return nil }
        let attributes = NetlinkAttributes(payload.dropFirst(NL.rtmsgSize))
        let zero = family == UInt8(AF_INET) ? InetAddress.ipv4Any : InetAddress.ipv6Any
        let address = attributes.address(NL.RTA_DST) ?? zero
        guard address.family == family else { return nil }

        var hops: [NextHop] = []
        if let multipath = attributes[NL.RTA_MULTIPATH] {
            var offset = 0
            while let hopLength = multipath.readInteger(at: offset, as: UInt16.self),
                  Int(hopLength) >= NL.rtnexthopSize, offset + Int(hopLength) <= multipath.count,
                  let hopFlags = multipath.readInteger(at: offset + 2, as: UInt8.self),
                  let weight = multipath.readInteger(at: offset + 3, as: UInt8.self),
                  let interface = multipath.readInteger(at: offset + 4, as: Int32.self) {
                let start = multipath.startIndex + offset
                let hopAttributes = NetlinkAttributes(multipath[(start + NL.rtnexthopSize)..<(start + Int(hopLength))])
                hops.append(NextHop(gateway: gateway(in: hopAttributes), interface: interface == 0 ? nil : .index(interface),
                                    weight: Int(weight) + 1, onlink: hopFlags & NL.RTNH_F_ONLINK != 0))
                offset += netlinkAlign(Int(hopLength))
            }
        } else {
            let gateway = gateway(in: attributes)
            let interface = attributes.integer(NL.RTA_OIF, as: Int32.self)
            if gateway != nil || interface != nil {
                hops.append(NextHop(gateway: gateway, interface: interface.map { .index($0) },
                                    onlink: flags & UInt32(NL.RTNH_F_ONLINK) != 0))
            }
        }
        return Route(InetPrefix(address, length: length), type: RouteType(rawValue: type), nextHops: hops,
                     protocol: RouteProtocol(rawValue: proto),
                     metric: attributes.integer(NL.RTA_PRIORITY, as: UInt32.self),
                     table: attributes.integer(NL.RTA_TABLE, as: UInt32.self) ?? UInt32(headerTable),
                     scope: RouteScope(rawValue: scope),
                     preferredSource: attributes.address(NL.RTA_PREFSRC))
    }

    private static func gateway(in attributes: NetlinkAttributes) -> InetAddress? {
        if let gateway = attributes.address(NL.RTA_GATEWAY) { return gateway }
        if let via = attributes[NL.RTA_VIA], via.count > 2 { return InetAddress(bytes: via.dropFirst(2)) }
        return nil
    }

    /// RTM_F_CLONED: a cache entry, not a configured route.
    static func isCloned(_ message: NetlinkMessage) -> Bool {
        (message.payload.readInteger(at: 8, as: UInt32.self) ?? 0) & NL.RTM_F_CLONED != 0
    }
}
