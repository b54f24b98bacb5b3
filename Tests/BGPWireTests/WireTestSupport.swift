import XCTest
@testable import BGPWire

/// XCTest brings in Foundation, whose `Notification` would otherwise shadow the BGP one.
typealias Notification = BGPWire.Notification

/// Byte-level builders for hand-assembled messages, laid out as the RFC figures draw them.
enum Wire {
    static let marker = [UInt8](repeating: 0xff, count: 16)

    static func be16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }
    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }

    /// Header (marker, length, type) + body.
    static func message(_ type: UInt8, _ body: [UInt8]) -> [UInt8] { marker + be16(19 + body.count) + [type] + body }

    /// UPDATE: withdrawn length, withdrawn, total attribute length, attributes, NLRI.
    static func update(withdrawn: [UInt8] = [], attributes: [UInt8] = [], nlri: [UInt8] = []) -> [UInt8] {
        message(2, be16(withdrawn.count) + withdrawn + be16(attributes.count) + attributes + nlri)
    }

    /// One path attribute; the extended-length form when asked or when the value needs it.
    static func attribute(_ flags: UInt8, _ code: UInt8, _ value: [UInt8], extended: Bool = false) -> [UInt8] {
        if extended || value.count > 255 { return [flags | 0x10, code] + be16(value.count) + value }
        return [flags, code, UInt8(value.count)] + value
    }

    static let originIGP = attribute(0x40, 1, [0])
    static func asPath4(_ asns: [UInt32], type: UInt8 = 2) -> [UInt8] {
        attribute(0x40, 2, asns.isEmpty ? [] : [type, UInt8(asns.count)] + asns.flatMap(be32))
    }
    static func asPath2(_ asns: [UInt16]) -> [UInt8] {
        attribute(0x40, 2, asns.isEmpty ? [] : [2, UInt8(asns.count)] + asns.flatMap { be16(Int($0)) })
    }
    static func nextHop(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> [UInt8] { attribute(0x40, 3, [a, b, c, d]) }
    /// ORIGIN IGP, AS_PATH 65001, NEXT_HOP 10.0.0.1: the mandatory set for classic NLRI.
    static let mandatory = originIGP + asPath4([65001]) + nextHop(10, 0, 0, 1)
    /// 10.1.0.0/16 and 192.168.1.0/24 in NLRI encoding.
    static let twoPrefixes: [UInt8] = [16, 10, 1, 24, 192, 168, 1]
}

let four = CodecOptions(fourOctetAS: true)
let two = CodecOptions(fourOctetAS: false)

func decode(_ bytes: [UInt8], _ options: CodecOptions = four) throws(Notification) -> BGPMessage {
    try BGPMessage.decode(bytes[...], options: options)
}

/// Decodes bytes that must be an UPDATE (possibly with treat-as-withdraw set).
func decodeUpdate(_ bytes: [UInt8], _ options: CodecOptions = four, file: StaticString = #filePath, line: UInt = #line) -> Update? {
    do {
        let m = try decode(bytes, options)
        guard case .update(let u) = m else { XCTFail("not an UPDATE: \(m)", file: file, line: line); return nil }
        return u
    } catch {
        XCTFail("unexpected \(error) data \(error.data)", file: file, line: line)
        return nil
    }
}

/// Asserts that decoding throws exactly this NOTIFICATION.
func assertNotification(_ bytes: [UInt8], _ options: CodecOptions = four, code: UInt8, subcode: UInt8, data: [UInt8]? = nil,
                        file: StaticString = #filePath, line: UInt = #line) {
    do {
        let m = try decode(bytes, options)
        XCTFail("decoded \(m), expected \(code)/\(subcode)", file: file, line: line)
    } catch {
        XCTAssertEqual(error.code, code, "code", file: file, line: line)
        XCTAssertEqual(error.subcode, subcode, "subcode", file: file, line: line)
        if let data { XCTAssertEqual(error.data, data, "data", file: file, line: line) }
    }
}

/// Encodes and decodes again with the same options.
func roundTrip(_ m: BGPMessage, _ options: CodecOptions = four, file: StaticString = #filePath, line: UInt = #line) -> BGPMessage? {
    let bytes = m.encode(options: options)
    XCTAssertEqual(Int(bytes[16]) << 8 | Int(bytes[17]), bytes.count, "length field", file: file, line: line)
    do { return try decode(bytes, options) } catch {
        XCTFail("re-decode failed: \(error) \(error.data)", file: file, line: line)
        return nil
    }
}

func p4(_ s: String) -> IPv4Prefix { IPv4Prefix(s)! }
func p(_ s: String) -> Prefix { Prefix(s)! }
func ip4(_ s: String) -> IPv4Address { IPv4Address(s)! }
func ip6(_ s: String) -> IPv6Address { IPv6Address(s)! }
