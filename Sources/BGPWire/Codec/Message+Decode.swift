// Decoding a whole message: the RFC 4271 §6.1 header checks, then the body by type.

extension BGPMessage {
    /// Decodes one whole message, header included, as `MessageFramer.next()` returns it.
    /// - Parameters:
    ///   - bytes: exactly one message.
    ///   - options: what the session negotiated (4-octet AS changes AS_PATH and AGGREGATOR).
    /// - Returns: the message. An UPDATE that RFC 7606 lets the session survive comes back with
    ///   `treatAsWithdraw` set, or without the attribute that had to be discarded.
    /// - Throws: the NOTIFICATION to send before closing the session.
    public static func decode(_ bytes: ArraySlice<UInt8>, options: CodecOptions) throws(Notification) -> BGPMessage {
        let length = try checkHeader(bytes)
        let s = bytes.startIndex
        guard bytes.count == length else { throw badLength(bytes) }
        let typeCode = bytes[s + 18]
        guard let type = MessageType(rawValue: typeCode) else {
            throw Notification(.messageHeader, Notification.HeaderSubcode.badMessageType.rawValue, data: [typeCode])
        }
        let body = bytes[(s + WireFormat.headerLength)...]
        switch type {
        case .open:
            guard length >= 29 else { throw badLength(bytes) }
            return .open(try Open.decode(body: body))
        case .update:
            guard length >= 23 else { throw badLength(bytes) }
            return .update(try Update.decode(body: body, options: options))
        case .notification:
            guard length >= 21 else { throw badLength(bytes) }
            return .notification(Notification(code: body[body.startIndex], subcode: body[body.startIndex + 1],
                                              data: Array(body.dropFirst(2))))
        case .keepalive:
            guard length == 19 else { throw badLength(bytes) }
            return .keepalive
        case .routeRefresh:
            guard length >= 23 else { throw badLength(bytes) }
            return .routeRefresh(try RouteRefresh.decode(message: bytes))
        }
    }

    /// Checks the marker and the length field of a header (at least 19 bytes) and returns the length.
    static func checkHeader(_ bytes: ArraySlice<UInt8>) throws(Notification) -> Int {
        guard bytes.count >= WireFormat.headerLength else { throw badLength(bytes) }
        let s = bytes.startIndex
        for i in s..<s + 16 where bytes[i] != 0xff {
            throw Notification(.messageHeader, Notification.HeaderSubcode.connectionNotSynchronized.rawValue)
        }
        let length = Int(bytes.u16(at: s + 16))
        guard length >= WireFormat.headerLength && length <= WireFormat.maxMessageLength else { throw badLength(bytes) }
        return length
    }

    /// 1/2 with the erroneous length field as data (RFC 4271 §6.1).
    static func badLength(_ bytes: ArraySlice<UInt8>) -> Notification {
        let s = bytes.startIndex
        let field: [UInt8] = bytes.count >= 18 ? [bytes[s + 16], bytes[s + 17]] : []
        return Notification(.messageHeader, Notification.HeaderSubcode.badMessageLength.rawValue, data: field)
    }
}

extension Notification {
    /// ROUTE-REFRESH (code 7) subcode 1, RFC 7313 §5.
    public static let invalidRouteRefreshLength: UInt8 = 1

    /// True for the error `decode` throws for a ROUTE-REFRESH naming an AFI/SAFI or subtype this speaker does not
    /// know: RFC 2918 §4 and RFC 7313 §5 say to ignore that message, not to send anything.
    public var isIgnorableRouteRefresh: Bool { code == ErrorCode.routeRefresh.rawValue && subcode == 0 }
}

extension RouteRefresh {
    /// AFI (2), subtype (1, formerly reserved), SAFI (1).
    static func decode(message: ArraySlice<UInt8>) throws(Notification) -> RouteRefresh {
        guard message.count == 23 else {
            throw Notification(.routeRefresh, Notification.invalidRouteRefreshLength, data: Array(message))
        }
        let b = message.startIndex + WireFormat.headerLength
        let subtype = message[b + 2]
        guard let afi = AFI(rawValue: message.u16(at: b)), let safi = SAFI(rawValue: message[b + 3]), subtype <= 2 else {
            throw Notification(.routeRefresh, 0, data: Array(message[b...]))
        }
        return RouteRefresh(family: AddressFamily(afi: afi, safi: safi), subtype: subtype)
    }
}
