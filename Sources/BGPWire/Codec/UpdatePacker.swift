/// Turns "these attributes for these prefixes" into the fewest UPDATE messages that each fit the size limit.
///
/// IPv4 prefixes ride in the classic withdrawn-routes and NLRI fields (with a NEXT_HOP attribute); IPv6 prefixes
/// ride in MP_UNREACH_NLRI and MP_REACH_NLRI. Prefixes are packed greedily in the order withdrawn IPv4, withdrawn
/// IPv6, announced IPv4, announced IPv6, so a message that ends the withdrawals starts the announcements. The size
/// of each message is computed exactly before it is written, so every message is full except the last.
public enum UpdatePacker {
    /// - Parameters:
    ///   - attributes: the path attributes of the announced routes (its nextHop, mpReach and mpUnreach are replaced).
    ///   - nextHop: IPv4 next hop for IPv4 routes, global IPv6 next hop for IPv6 routes. An IPv4 next hop for IPv6
    ///     routes is sent IPv4-mapped (::ffff:a.b.c.d). nil: `attributes.nextHop` for IPv4, "::" for IPv6.
    ///   - linkLocalNextHop: the second, link-local IPv6 next hop of RFC 2545.
    ///   - announce: prefixes to announce with `attributes`.
    ///   - withdraw: prefixes to withdraw.
    ///   - options: the session's codec options.
    ///   - maxSize: the largest message to produce (4096 without the extended-message capability).
    /// - Returns: encoded UPDATEs, each at most `maxSize` bytes unless the attributes alone do not fit.
    public static func updates(attributes: PathAttributes, nextHop: IPAddress?, linkLocalNextHop: IPv6Address? = nil,
                               announce: [Prefix], withdraw: [Prefix], options: CodecOptions,
                               maxSize: Int = WireFormat.maxMessageLength) -> [[UInt8]] {
        var plan = Plan(attributes: attributes, nextHop: nextHop, linkLocal: linkLocalNextHop, options: options)
        for p in withdraw { if case .v4(let v4) = p { plan.withdraw4.append(v4) } else { plan.withdraw6.append(p) } }
        for p in announce { if case .v4(let v4) = p { plan.announce4.append(v4) } else { plan.announce6.append(p) } }
        return plan.pack(maxSize: maxSize)
    }

    /// The End-of-RIB marker (RFC 4724 §2): an empty UPDATE for IPv4 unicast, an empty MP_UNREACH otherwise.
    public static func endOfRIB(_ family: AddressFamily) -> [UInt8] {
        let update = family == .ipv4Unicast ? Update()
            : Update(attributes: PathAttributes(mpUnreach: MPUnreach(family: family, withdrawn: [])))
        return BGPMessage.update(update).encode(options: CodecOptions())
    }

    /// One message's share of each list, as index ranges, plus the byte counts that decide its size.
    private struct Slot {
        var w4 = 0..<0, w6 = 0..<0, a4 = 0..<0, a6 = 0..<0
        var w4Bytes = 0, w6Bytes = 0, a4Bytes = 0, a6Bytes = 0
        var isEmpty: Bool { w4.isEmpty && w6.isEmpty && a4.isEmpty && a6.isEmpty }
    }

    private struct Plan {
        var withdraw4: [IPv4Prefix] = [], withdraw6: [Prefix] = [], announce4: [IPv4Prefix] = [], announce6: [Prefix] = []
        let base: PathAttributes
        let baseSize: Int
        let nextHop4: IPv4Address?
        let nextHops6: [IPAddress]
        let options: CodecOptions

        init(attributes: PathAttributes, nextHop: IPAddress?, linkLocal: IPv6Address?, options: CodecOptions) {
            var base = attributes
            base.nextHop = nil; base.mpReach = nil; base.mpUnreach = nil
            var bytes: [UInt8] = []
            base.encode(into: &bytes, options: options)
            self.base = base
            self.baseSize = bytes.count
            self.options = options
            nextHop4 = nextHop?.ipv4 ?? attributes.nextHop
            var hops: [IPAddress]
            switch nextHop {
            case .v6(let a)?: hops = [.v6(a)]
            case .v4(let a)?: hops = [.v6(IPv6Address(high: 0, low: 0xffff_0000_0000 | UInt64(a.value)))]
            case nil: hops = [.v6(.zero)]
            }
            if let ll = linkLocal { hops.append(.v6(ll)) }
            nextHops6 = hops
        }

        private static func attributeHeader(_ valueLength: Int) -> Int { valueLength > 255 ? 4 : 3 }

        func size(_ s: Slot) -> Int {
            var n = WireFormat.headerLength + 4 + s.w4Bytes + s.a4Bytes
            if !s.w6.isEmpty { n += Plan.attributeHeader(3 + s.w6Bytes) + 3 + s.w6Bytes }
            if !s.a4.isEmpty || !s.a6.isEmpty { n += baseSize }
            if !s.a4.isEmpty, nextHop4 != nil { n += 7 }
            if !s.a6.isEmpty {
                let v = 5 + 16 * nextHops6.count + s.a6Bytes
                n += Plan.attributeHeader(v) + v
            }
            return n
        }

        func pack(maxSize: Int) -> [[UInt8]] {
            var slots: [Slot] = []
            var current = Slot()
            // Adds item `i` of one list; closes the current message first when the item would overflow it.
            func add(_ i: Int, bytes: Int, _ range: WritableKeyPath<Slot, Range<Int>>, _ count: WritableKeyPath<Slot, Int>) {
                var trial = current
                if trial[keyPath: range].isEmpty { trial[keyPath: range] = i..<i }
                trial[keyPath: range] = trial[keyPath: range].lowerBound..<(i + 1)
                trial[keyPath: count] += bytes
                if size(trial) > maxSize && !current.isEmpty {
                    slots.append(current)
                    current = Slot()
                    current[keyPath: range] = i..<(i + 1)
                    current[keyPath: count] = bytes
                } else {
                    current = trial
                }
            }
            for (i, p) in withdraw4.enumerated() { add(i, bytes: NLRI.encodedSize(p), \.w4, \.w4Bytes) }
            for (i, p) in withdraw6.enumerated() { add(i, bytes: NLRI.encodedSize(p), \.w6, \.w6Bytes) }
            for (i, p) in announce4.enumerated() { add(i, bytes: NLRI.encodedSize(p), \.a4, \.a4Bytes) }
            for (i, p) in announce6.enumerated() { add(i, bytes: NLRI.encodedSize(p), \.a6, \.a6Bytes) }
            if !current.isEmpty { slots.append(current) }
            return slots.map(encode)
        }

        func encode(_ s: Slot) -> [UInt8] {
            var attributes = s.a4.isEmpty && s.a6.isEmpty ? PathAttributes() : base
            if !s.a4.isEmpty { attributes.nextHop = nextHop4 }
            if !s.a6.isEmpty {
                attributes.mpReach = MPReach(family: .ipv6Unicast, nextHops: nextHops6, nlri: Array(announce6[s.a6]))
            }
            if !s.w6.isEmpty { attributes.mpUnreach = MPUnreach(family: .ipv6Unicast, withdrawn: Array(withdraw6[s.w6])) }
            let update = Update(withdrawn: Array(withdraw4[s.w4]), attributes: attributes, nlri: Array(announce4[s.a4]))
            return BGPMessage.update(update).encode(options: options)
        }
    }
}
