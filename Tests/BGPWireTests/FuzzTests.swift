import XCTest
@testable import BGPWire

/// ~100 000 seeded-random and mutated-valid inputs: nothing traps, every error is a real NOTIFICATION code, and
/// whatever decodes re-encodes to bytes that decode again and are stable.
final class FuzzTests: XCTestCase {
    /// SplitMix64: small, deterministic, good enough to pick mutations.
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
        mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
    }

    /// Valid messages of every kind to mutate.
    static let corpus: [[UInt8]] = {
        var c: [[UInt8]] = [
            BGPMessage.keepalive.encode(options: four),
            BGPMessage.notification(Notification(.cease, 2, data: [1, 2, 3])).encode(options: four),
            BGPMessage.routeRefresh(RouteRefresh(family: .ipv6Unicast, subtype: 1)).encode(options: four),
            BGPMessage.open(Open(asn: 4_200_000_000, holdTime: 90, bgpIdentifier: IPv4Address(1, 2, 3, 4), capabilities: [
                .multiprotocol(.ipv4Unicast), .multiprotocol(.ipv6Unicast), .routeRefresh, .enhancedRouteRefresh,
                .gracefulRestart(GracefulRestart(restarting: true, restartTime: 120, families: [.init(family: .ipv4Unicast, forwardingStatePreserved: true)])),
                .unknown(code: 73, value: [1, 2, 3]),
            ])).encode(options: four),
            Wire.update(withdrawn: [8, 10, 24, 10, 1, 2], attributes: Wire.mandatory, nlri: Wire.twoPrefixes),
            Wire.update(attributes: [0x80, 15, 3, 0, 2, 1]),
        ]
        for options in [four, two] {
            c.append(BGPMessage.update(Update(withdrawn: [IPv4Prefix("10.9.0.0/16")!], attributes: RoundTripTests.everything,
                                              nlri: [IPv4Prefix("10.1.0.0/16")!])).encode(options: options))
            c += UpdatePacker.updates(attributes: RoundTripTests.everything.pathOnly, nextHop: .v6(IPv6Address("2001:db8::1")!),
                                      linkLocalNextHop: IPv6Address("fe80::1"),
                                      announce: (0..<40).map { .v6(IPv6Prefix(IPv6Address(high: UInt64($0) << 40, low: 0), length: UInt8(24 + $0))) },
                                      withdraw: [Prefix("10.0.0.0/8")!], options: options)
        }
        return c
    }()

    func mutate(_ input: [UInt8], _ rng: inout Rng) -> [UInt8] {
        var b = input
        for _ in 0...rng.below(3) {
            guard !b.isEmpty else { break }
            switch rng.below(7) {
            case 0: // bit flips
                for _ in 0...rng.below(4) { let i = rng.below(b.count); b[i] ^= 1 << UInt8(rng.below(8)) }
            case 1: // truncation, with the header length left as it was or fixed up
                b = Array(b.prefix(rng.below(b.count)))
                if b.count >= 19, rng.below(2) == 0 { b[16] = UInt8(b.count >> 8); b[17] = UInt8(b.count & 0xff) }
            case 2: // header length corruption
                if b.count >= 18 { b[16 + rng.below(2)] = rng.byte() }
            case 3: // inner length fields: any byte after the header set to something near a boundary
                if b.count > 19 { b[19 + rng.below(b.count - 19)] = [0, 1, 2, 3, 4, 0x7f, 0x80, 0xff, 0x10, 32, 33, 128, 129][rng.below(13)] }
            case 4: // random bytes inserted, then the header length made consistent
                let at = min(b.count, 19 + rng.below(max(1, b.count - 18)))
                b.insert(contentsOf: (0..<rng.below(16)).map { _ in rng.byte() }, at: at)
                if b.count >= 19 { b[16] = UInt8(truncatingIfNeeded: b.count >> 8); b[17] = UInt8(b.count & 0xff) }
            case 5: // random overwrite of a run
                let at = rng.below(b.count)
                for i in at..<min(b.count, at + rng.below(8)) { b[i] = rng.byte() }
            default: // splice two messages (framer sees a stream)
                b += Self.corpus[rng.below(Self.corpus.count)]
            }
        }
        return b
    }

    func randomMessage(_ rng: inout Rng) -> [UInt8] {
        let body = (0..<rng.below(120)).map { _ in rng.byte() }
        let type = UInt8(1 + rng.below(5))
        return Wire.message(type, body)
    }

    func check(_ bytes: [UInt8], _ failures: inout Int) {
        for options in [four, two] {
            do {
                let m = try BGPMessage.decode(bytes[...], options: options)
                if case .update(let u) = m, u.treatAsWithdraw != nil { _ = m.encode(options: options); continue }
                let once = m.encode(options: options)
                let again = try BGPMessage.decode(once[...], options: options)
                if again.encode(options: options) != once {
                    failures += 1
                    if failures < 5 { XCTFail("re-encoding not stable for \(bytes)") }
                }
            } catch {
                if !(1...7).contains(error.code) {
                    failures += 1
                    if failures < 5 { XCTFail("code \(error.code) for \(bytes)") }
                }
            }
        }
        fuzzDecode(bytes)
    }

    func testHundredThousandInputs() {
        var rng = Rng(state: 0x5eed_b9b0)
        var failures = 0
        var decodedUpdates = 0
        for i in 0..<100_000 {
            let input: [UInt8]
            switch i % 4 {
            case 0: input = randomMessage(&rng)
            case 1: input = (0..<rng.below(64)).map { _ in rng.byte() }
            default: input = mutate(Self.corpus[rng.below(Self.corpus.count)], &rng)
            }
            check(input, &failures)
            if case .update? = try? BGPMessage.decode(input[...], options: four) { decodedUpdates += 1 }
        }
        XCTAssertEqual(failures, 0)
        // The mutations must leave enough valid UPDATEs to exercise the attribute code, not just header errors.
        XCTAssertGreaterThan(decodedUpdates, 2_000)
    }

    func testCorpusIsValid() throws {
        for m in Self.corpus {
            var framer = MessageFramer()
            framer.append(m)
            XCTAssertNotNil(try framer.next())
            XCTAssertNoThrow(try BGPMessage.decode(m[...], options: four))
        }
    }
}
