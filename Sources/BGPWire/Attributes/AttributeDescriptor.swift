/// What RFC 7606 §2 says to do with an UPDATE whose attribute is malformed, from mildest to harshest.
enum ErrorAction: Int, Hashable, Comparable, Sendable {
    /// Drop the attribute, keep the routes (RFC 7606 §2 "attribute discard").
    case attributeDiscard
    /// Keep the session, withdraw every route in the message (RFC 7606 §2 "treat-as-withdraw").
    case treatAsWithdraw
    /// Send the NOTIFICATION and close the session (RFC 4271 §6).
    case sessionReset
    static func < (a: ErrorAction, b: ErrorAction) -> Bool { a.rawValue < b.rawValue }
}

/// Working state while the attribute loop decodes one UPDATE.
struct AttributeDecodeState {
    var attributes = PathAttributes()
    let options: CodecOptions
    /// AS4_PATH and AS4_AGGREGATOR as received from a 2-octet speaker, merged when the loop ends.
    var as4Path: ASPath?
    var as4Aggregator: Aggregator?
    init(options: CodecOptions) { self.options = options }
}

/// Everything about one path attribute in one place: how it is flagged, what a malformed copy costs, and how it
/// is read and written. The attribute loops in `Update+Decode` and `Update+Encode` are generic over this table.
struct AttributeDescriptor {
    typealias Decode = (ArraySlice<UInt8>, inout AttributeDecodeState) throws(Notification) -> Void
    /// Appends the value; returns false (having written nothing) when these attributes do not carry it.
    typealias Encode = (PathAttributes, CodecOptions, inout [UInt8]) -> Bool

    let code: AttributeCode
    let name: String
    /// The Optional and Transitive bits the attribute must carry.
    let flags: UInt8
    /// RFC 7606 §7: what a malformed copy (bad flags, length or value) costs.
    let onError: ErrorAction
    /// Reads a value; throws the 3/x NOTIFICATION (without data: the loop adds the attribute triple) when malformed.
    let decode: Decode
    let encode: Encode

    static let wellKnown: UInt8 = RawAttribute.transitive
    static let optionalTransitive: UInt8 = RawAttribute.optional | RawAttribute.transitive
    static let optionalNonTransitive: UInt8 = RawAttribute.optional

    /// Every attribute this speaker understands, in type-code order (the order they are written in).
    static let all: [AttributeDescriptor] = [
        .origin, .asPath, .nextHop, .med, .localPref, .atomicAggregate, .aggregator, .communities,
        .originatorID, .clusterList, .mpReach, .mpUnreach, .as4Path, .as4Aggregator, .largeCommunities,
    ]

    /// Index into `all` by type code, -1 for codes this speaker does not know.
    static let indexByCode: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (i, d) in all.enumerated() { table[Int(d.code.rawValue)] = Int8(i) }
        return table
    }()

    static func lookup(_ code: UInt8) -> AttributeDescriptor? {
        let i = indexByCode[Int(code)]
        return i < 0 ? nil : all[Int(i)]
    }

    /// RFC 4271 name of a type code, for logs; "attribute N" for unknown codes.
    static func name(of code: UInt8) -> String { lookup(code)?.name ?? "attribute \(code)" }

    static func error(_ subcode: Notification.UpdateSubcode) -> Notification {
        Notification(.updateMessage, subcode.rawValue)
    }
    static let lengthError = error(.attributeLengthError)
}

extension PathAttributes {
    /// The RFC name of an attribute type code ("AS_PATH", "COMMUNITIES", …), for logs and `display` output.
    public static func attributeName(_ code: UInt8) -> String { AttributeDescriptor.name(of: code) }
}
