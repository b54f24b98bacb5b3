// UPDATE decoding (RFC 4271 §4.3, §6.3) with the revised error handling of RFC 7606.

extension Update {
    /// Decodes the UPDATE body (after the header). Throws only for errors that reset the session.
    static func decode(body: ArraySlice<UInt8>, options: CodecOptions) throws(Notification) -> Update {
        let s = body.startIndex, end = body.endIndex
        let withdrawnLength = Int(body.u16(at: s))
        guard body.count >= 4 + withdrawnLength else { throw AttributeDescriptor.error(.malformedAttributeList) }
        let attributesStart = s + 4 + withdrawnLength
        let attributesLength = Int(body.u16(at: attributesStart - 2))
        guard end - attributesStart >= attributesLength else { throw AttributeDescriptor.error(.malformedAttributeList) }
        let nlriStart = attributesStart + attributesLength

        var withdrawn: [IPv4Prefix] = []
        var nlri: [IPv4Prefix] = []
        guard NLRI.decodeIPv4(body[(s + 2)..<attributesStart - 2], into: &withdrawn),
              NLRI.decodeIPv4(body[nlriStart..<end], into: &nlri)
        else { throw AttributeDescriptor.error(.invalidNetworkField) }

        var walk = AttributeWalk(options: options)
        try walk.run(body[attributesStart..<nlriStart])
        walk.checkMandatory(classicNLRI: !nlri.isEmpty)
        if !options.fourOctetAS { walk.state.mergeAS4() }
        // Moved out of the walk, not copied.
        var attributes = PathAttributes()
        swap(&attributes, &walk.state.attributes)
        return Update(withdrawn: withdrawn, attributes: attributes, nlri: nlri, treatAsWithdraw: walk.withdrawReason)
    }
}

/// The one generic attribute loop: framing, flags, duplicates, unknown attributes and RFC 7606 actions.
struct AttributeWalk {
    var state: AttributeDecodeState
    /// The first error that calls for treat-as-withdraw; later ones change nothing.
    var withdrawReason: Notification?
    /// Type codes already seen (256 bits): later copies are discarded (RFC 7606 §3 g).
    private var seen: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    init(options: CodecOptions) { state = AttributeDecodeState(options: options) }

    mutating func run(_ bytes: ArraySlice<UInt8>) throws(Notification) {
        var i = bytes.startIndex
        let end = bytes.endIndex
        while i < end {
            // RFC 7606 §4: an attribute that does not fit in the Total Path Attribute Length means the rest cannot
            // be parsed; the NLRI field is still found from that total, so withdraw — unless the cut-off attribute
            // is an MP one, whose routes would then be neither announced nor withdrawn.
            let flags = bytes[i]
            let headerLength = flags & RawAttribute.extendedLength != 0 ? 4 : 3
            guard end - i >= headerLength else { return try overrun(end - i >= 2 ? bytes[i + 1] : 0) }
            let code = bytes[i + 1]
            let length = headerLength == 4 ? Int(bytes.u16(at: i + 2)) : Int(bytes[i + 2])
            guard end - i - headerLength >= length else { return try overrun(code) }
            // The whole attribute (flags, type, length, value) is the data of most 3/x NOTIFICATIONs.
            let wholeRange = i..<(i + headerLength + length)
            let value = bytes[(i + headerLength)..<wholeRange.upperBound]
            i = wholeRange.upperBound

            if markSeen(code) {
                if code == AttributeCode.mpReach.rawValue || code == AttributeCode.mpUnreach.rawValue {
                    throw AttributeDescriptor.error(.malformedAttributeList)
                }
                continue
            }
            let index = Int(AttributeDescriptor.indexByCode[Int(code)])
            guard index >= 0 else {
                try keepUnknown(flags: flags, code: code, value: value, whole: bytes[wholeRange])
                continue
            }
            let expected = AttributeDescriptor.all[index].flags
            let partialNotAllowed = expected != AttributeDescriptor.optionalTransitive
            if flags & 0xc0 != expected || (partialNotAllowed && flags & RawAttribute.partial != 0) {
                try fail(index, AttributeDescriptor.error(.attributeFlagsError), bytes[wholeRange])
                continue
            }
            do {
                try AttributeDescriptor.all[index].decode(value, &state)
            } catch {
                try fail(index, error, bytes[wholeRange])
            }
        }
    }

    /// RFC 7606 §3 d: a route without ORIGIN, AS_PATH or (for classic NLRI) NEXT_HOP is withdrawn. Data: the
    /// missing type code (RFC 4271 §6.3).
    mutating func checkMandatory(classicNLRI: Bool) {
        let mpNLRI = state.attributes.mpReach.map { !$0.nlri.isEmpty } ?? false
        guard classicNLRI || mpNLRI else { return }
        // In RFC order, without building a list per UPDATE.
        let missing: AttributeCode? = !isSeen(AttributeCode.origin.rawValue) ? .origin
            : !isSeen(AttributeCode.asPath.rawValue) ? .asPath
            : classicNLRI && !isSeen(AttributeCode.nextHop.rawValue) ? .nextHop : nil
        if let code = missing {
            noteWithdraw(Notification(.updateMessage, Notification.UpdateSubcode.missingWellKnownAttribute.rawValue, data: [code.rawValue]))
        }
    }

    private mutating func keepUnknown(flags: UInt8, code: UInt8, value: ArraySlice<UInt8>, whole: ArraySlice<UInt8>) throws(Notification) {
        if flags & RawAttribute.optional == 0 {
            throw Notification(.updateMessage, Notification.UpdateSubcode.unrecognizedWellKnownAttribute.rawValue, data: Array(whole))
        }
        // Optional non-transitive: quietly ignored. Optional transitive: passed on (RFC 4271 §5).
        if flags & RawAttribute.transitive != 0 {
            state.attributes.unknown.append(RawAttribute(flags: flags & 0xf0 & ~RawAttribute.extendedLength, code: code, value: Array(value)))
        }
    }

    /// Applies the descriptor's RFC 7606 action. RFC 4271 §6.3 puts the whole attribute in the data of flag,
    /// length, ORIGIN, NEXT_HOP and optional-attribute errors.
    private mutating func fail(_ index: Int, _ error: Notification, _ whole: ArraySlice<UInt8>) throws(Notification) {
        var n = error
        if n.code == Notification.ErrorCode.updateMessage.rawValue, n.data.isEmpty, n.subcode < 16, (1 << n.subcode) & 0b11_0111_0000 != 0 {
            n.data = Array(whole)
        }
        switch AttributeDescriptor.all[index].onError {
        case .sessionReset: throw n
        case .treatAsWithdraw: noteWithdraw(n)
        case .attributeDiscard: break
        }
    }

    private mutating func overrun(_ code: UInt8) throws(Notification) {
        if code == AttributeCode.mpReach.rawValue || code == AttributeCode.mpUnreach.rawValue {
            throw AttributeDescriptor.error(.malformedAttributeList)
        }
        noteWithdraw(AttributeDescriptor.error(.malformedAttributeList))
    }

    private mutating func noteWithdraw(_ n: Notification) {
        if withdrawReason == nil { withdrawReason = n }
    }

    /// Marks `code` seen; true if it already was.
    private mutating func markSeen(_ code: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(code & 63)
        let was: Bool
        switch code >> 6 {
        case 0: was = seen.0 & bit != 0; seen.0 |= bit
        case 1: was = seen.1 & bit != 0; seen.1 |= bit
        case 2: was = seen.2 & bit != 0; seen.2 |= bit
        default: was = seen.3 & bit != 0; seen.3 |= bit
        }
        return was
    }

    private func isSeen(_ code: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(code & 63)
        switch code >> 6 {
        case 0: return seen.0 & bit != 0
        case 1: return seen.1 & bit != 0
        case 2: return seen.2 & bit != 0
        default: return seen.3 & bit != 0
        }
    }
}
