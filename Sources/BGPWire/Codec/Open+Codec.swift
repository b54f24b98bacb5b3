// OPEN (RFC 4271 §4.2, §6.2) and its capabilities (RFC 5492).

extension Open {
    /// Capabilities optional parameter (RFC 5492); the only one this speaker understands.
    static let capabilitiesParameter: UInt8 = 2

    /// Decodes the OPEN body. Bad peer AS is not checked here: only the FSM knows which AS to expect.
    static func decode(body: ArraySlice<UInt8>) throws(Notification) -> Open {
        let s = body.startIndex
        let version = body[s]
        guard version == 4 else {
            // Data: the largest version we support (RFC 4271 §6.2).
            throw Notification(.openMessage, Notification.OpenSubcode.unsupportedVersion.rawValue, data: [0, 4])
        }
        let myAS = body.u16(at: s + 1)
        let holdTime = body.u16(at: s + 3)
        guard holdTime == 0 || holdTime >= 3 else {
            throw Notification(.openMessage, Notification.OpenSubcode.unacceptableHoldTime.rawValue)
        }
        let identifier = body.u32(at: s + 5)
        guard identifier != 0 else {
            throw Notification(.openMessage, Notification.OpenSubcode.badBGPIdentifier.rawValue)
        }
        let parametersLength = Int(body[s + 9])
        guard body.count == 10 + parametersLength else { throw Notification(.openMessage, 0) }
        var capabilities: [Capability] = []
        var i = s + 10
        let end = body.endIndex
        while i < end {
            guard end - i >= 2, end - i - 2 >= Int(body[i + 1]) else { throw Notification(.openMessage, 0) }
            let type = body[i], length = Int(body[i + 1])
            guard type == capabilitiesParameter else {
                throw Notification(.openMessage, Notification.OpenSubcode.unsupportedOptionalParameter.rawValue)
            }
            try Capability.decodeAll(body[(i + 2)..<(i + 2 + length)], into: &capabilities)
            i += 2 + length
        }
        return Open(version: version, myAS: myAS, holdTime: holdTime, bgpIdentifier: IPv4Address(identifier),
                    capabilities: capabilities)
    }

    /// Writes the OPEN body: one capabilities parameter when they fit in 255 bytes, else one parameter each.
    func encodeBody(into out: inout [UInt8]) {
        out.append(version)
        out.appendU16(myAS)
        out.appendU16(holdTime)
        out.appendU32(bgpIdentifier.value)
        let lengthIndex = out.count
        out.append(0)
        var all: [UInt8] = []
        for c in capabilities { c.encode(into: &all) }
        if all.count <= 255 {
            if !all.isEmpty {
                out.append(Open.capabilitiesParameter)
                out.append(UInt8(all.count))
                out.append(contentsOf: all)
            }
        } else {
            for c in capabilities {
                var one: [UInt8] = []
                c.encode(into: &one)
                out.append(Open.capabilitiesParameter)
                out.append(UInt8(truncatingIfNeeded: one.count))
                out.append(contentsOf: one)
            }
        }
        out[lengthIndex] = UInt8(truncatingIfNeeded: out.count - lengthIndex - 1)
    }
}

extension Capability {
    /// Decodes the capabilities in one optional parameter. A known capability with a malformed value is kept as
    /// `.unknown`, as RFC 5492 keeps what it does not understand; only a value running past the parameter is an error.
    static func decodeAll(_ bytes: ArraySlice<UInt8>, into out: inout [Capability]) throws(Notification) {
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            guard end - i >= 2, end - i - 2 >= Int(bytes[i + 1]) else { throw Notification(.openMessage, 0) }
            let code = bytes[i], length = Int(bytes[i + 1])
            out.append(decode(code: code, value: bytes[(i + 2)..<(i + 2 + length)]))
            i += 2 + length
        }
    }

    static func decode(code: UInt8, value: ArraySlice<UInt8>) -> Capability {
        let s = value.startIndex
        switch (code, value.count) {
        case (1, 4):
            if let afi = AFI(rawValue: value.u16(at: s)), let safi = SAFI(rawValue: value[s + 3]) {
                return .multiprotocol(AddressFamily(afi: afi, safi: safi))
            }
        case (2, 0): return .routeRefresh
        case (64, let n) where n >= 2 && (n - 2) % 4 == 0:
            let head = value.u16(at: s)
            var families: [GracefulRestart.Family] = []
            var i = s + 2
            while i < value.endIndex {
                if let afi = AFI(rawValue: value.u16(at: i)), let safi = SAFI(rawValue: value[i + 2]) {
                    families.append(.init(family: AddressFamily(afi: afi, safi: safi), forwardingStatePreserved: value[i + 3] & 0x80 != 0))
                }
                i += 4
            }
            return .gracefulRestart(GracefulRestart(restarting: head & 0x8000 != 0, restartTime: head & 0x0fff, families: families))
        case (65, 4): return .fourOctetAS(value.u32(at: s))
        case (70, 0): return .enhancedRouteRefresh
        default: break
        }
        return .unknown(code: code, value: Array(value))
    }

    func encode(into out: inout [UInt8]) {
        out.append(code)
        switch self {
        case .multiprotocol(let f):
            out.append(4); out.appendU16(f.afi.rawValue); out.append(0); out.append(f.safi.rawValue)
        case .routeRefresh, .enhancedRouteRefresh:
            out.append(0)
        case .gracefulRestart(let g):
            out.append(UInt8(truncatingIfNeeded: 2 + 4 * g.families.count))
            out.appendU16((g.restarting ? 0x8000 : 0) | g.restartTime & 0x0fff)
            for f in g.families {
                out.appendU16(f.family.afi.rawValue); out.append(f.family.safi.rawValue)
                out.append(f.forwardingStatePreserved ? 0x80 : 0)
            }
        case .fourOctetAS(let asn):
            out.append(4); out.appendU32(asn)
        case .unknown(_, let value):
            out.append(UInt8(min(value.count, 255))); out.append(contentsOf: value.prefix(255))
        }
    }
}
