/// One outgoing netlink message: the type, the flags, and a payload built from a fixed header
/// (ifinfomsg, rtmsg, …) followed by attributes. `NetlinkSocket` adds the nlmsghdr and the sequence number.
public struct NetlinkRequest: Sendable {
    public var type: UInt16
    public var flags: UInt16
    public private(set) var payload: [UInt8] = []

    /// - Parameters:
    ///   - type: RTM_* message type.
    ///   - flags: NLM_F_* flags beyond NLM_F_REQUEST and NLM_F_ACK, which the socket adds itself.
    public init(type: UInt16, flags: UInt16 = 0) {
        self.type = type
        self.flags = flags
        payload.reserveCapacity(128)
    }

    /// Appends an integer in host byte order (netlink's order for everything but addresses).
    public mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value) { payload.append(contentsOf: $0) }
    }

    /// Appends raw bytes, unpadded.
    public mutating func append(bytes: some Sequence<UInt8>) {
        payload.append(contentsOf: bytes)
    }

    /// Pads the payload to the next 4-byte boundary.
    public mutating func align() {
        while payload.count % 4 != 0 { payload.append(0) }
    }

    /// Appends one rtattr (length, type, value, padding).
    public mutating func addAttribute(_ type: UInt16, bytes: some Collection<UInt8>) {
        align()
        append(UInt16(4 + bytes.count))
        append(type)
        payload.append(contentsOf: bytes)
        align()
    }

    /// Appends an integer attribute in host byte order.
    public mutating func addAttribute<T: FixedWidthInteger>(_ type: UInt16, _ value: T) {
        withUnsafeBytes(of: value) { addAttribute(type, bytes: Array($0)) }
    }

    /// Appends a NUL-terminated string attribute (interface names, kinds).
    public mutating func addAttribute(_ type: UInt16, string: String) {
        addAttribute(type, bytes: Array(string.utf8) + [0])
    }

    /// Appends an address attribute (4 or 16 bytes, network order).
    public mutating func addAttribute(_ type: UInt16, address: InetAddress) {
        addAttribute(type, bytes: address.bytes)
    }

    /// Appends a nested attribute whose value is whatever `body` appends.
    public mutating func nest(_ type: UInt16, _ body: (inout NetlinkRequest) -> Void) {
        align()
        let start = payload.count
        append(UInt16(0))
        append(type)
        body(&self)
        align()
        let length = UInt16(payload.count - start)
        withUnsafeBytes(of: length) { raw in
            payload[start] = raw[0]
            payload[start + 1] = raw[1]
        }
    }

    /// The whole message with its nlmsghdr.
    func encoded(sequence: UInt32, extraFlags: UInt16) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(NL.headerSize + payload.count)
        func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v) { out.append(contentsOf: $0) } }
        put(UInt32(NL.headerSize + payload.count))
        put(type)
        put(flags | extraFlags)
        put(sequence)
        put(UInt32(0))
        out.append(contentsOf: payload)
        return out
    }
}

/// One incoming netlink message, its payload still undecoded.
public struct NetlinkMessage: Sendable {
    public var type: UInt16
    public var flags: UInt16
    public var sequence: UInt32
    public var portID: UInt32
    /// Everything after the nlmsghdr.
    public var payload: ArraySlice<UInt8>

    /// Splits a datagram into messages; a truncated or malformed tail is dropped, never trapped on.
    public static func split(_ buffer: ArraySlice<UInt8>) -> [NetlinkMessage] {
        var out: [NetlinkMessage] = []
        var offset = buffer.startIndex
        while buffer.endIndex - offset >= NL.headerSize {
            let header = buffer[offset..<(offset + NL.headerSize)]
            guard let length = header.readInteger(at: 0, as: UInt32.self),
                  length >= UInt32(NL.headerSize), Int(length) <= buffer.endIndex - offset,
                  let type = header.readInteger(at: 4, as: UInt16.self),
                  let flags = header.readInteger(at: 6, as: UInt16.self),
                  let sequence = header.readInteger(at: 8, as: UInt32.self),
                  let port = header.readInteger(at: 12, as: UInt32.self) else { break }
            let end = offset + Int(length)
            out.append(NetlinkMessage(type: type, flags: flags, sequence: sequence, portID: port,
                                      payload: buffer[(offset + NL.headerSize)..<end]))
            offset += netlinkAlign(Int(length))
        }
        return out
    }
}

/// Attributes (rtattr / nlattr TLVs) decoded from a payload; lookups by type, nested ones on demand.
public struct NetlinkAttributes: Sendable {
    /// Each attribute's type (flag bits removed) and value.
    public private(set) var entries: [(type: UInt16, value: ArraySlice<UInt8>)] = []

    /// Decodes TLVs until the bytes run out; a malformed attribute ends the walk.
    public init(_ bytes: ArraySlice<UInt8>) {
        var offset = bytes.startIndex
        while bytes.endIndex - offset >= 4 {
            guard let length = bytes.readInteger(at: offset - bytes.startIndex, as: UInt16.self),
                  let rawType = bytes.readInteger(at: offset - bytes.startIndex + 2, as: UInt16.self),
                  length >= 4, Int(length) <= bytes.endIndex - offset else { break }
            entries.append((rawType & 0x3fff, bytes[(offset + 4)..<(offset + Int(length))]))
            offset += netlinkAlign(Int(length))
        }
    }

    /// The first attribute of this type.
    public subscript(type: UInt16) -> ArraySlice<UInt8>? {
        entries.first { $0.type == type }?.value
    }

    /// Every attribute of this type, in order (repeated IFLA_BRIDGE_VLAN_INFO, say).
    public func all(_ type: UInt16) -> [ArraySlice<UInt8>] {
        entries.filter { $0.type == type }.map(\.value)
    }

    public func integer<T: FixedWidthInteger>(_ type: UInt16, as: T.Type = T.self) -> T? {
        self[type]?.readInteger(at: 0, as: T.self)
    }

    /// A NUL-terminated (or unterminated) string attribute.
    public func string(_ type: UInt16) -> String? {
        guard let value = self[type] else { return nil }
        let bytes = value.prefix { $0 != 0 }
        return String(decoding: bytes, as: UTF8.self)
    }

    public func address(_ type: UInt16) -> InetAddress? {
        self[type].flatMap { InetAddress(bytes: $0) }
    }

    public func nested(_ type: UInt16) -> NetlinkAttributes? {
        self[type].map { NetlinkAttributes($0) }
    }
}

extension ArraySlice where Element == UInt8 {
    /// Reads a host-order integer at `offset` from the slice's start; nil when it does not fit.
    func readInteger<T: FixedWidthInteger>(at offset: Int, as: T.Type) -> T? {
        guard offset >= 0, offset + MemoryLayout<T>.size <= count else { return nil }
        return withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) }
    }
}
