// The speaker's share of route ingest, without sockets, feeder or event loop: the same feed as
// scripts/bench/feed.py (10 iBGP peers × 20 000 distinct /24s, 100 per UPDATE, a different AS_PATH and MED per
// UPDATE) is encoded once, then decoded and handed to a fresh `Speaker` several times over. Prints CPU time per
// route for each run and the best; the best is the figure to compare between builds on a noisy machine.
//
//     swift build -c release --product bgp-ingest-bench && .build/release/bgp-ingest-bench [PEERS PREFIXES RUNS]
import BGPSpeaker
import BGPWire
#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let peerCount = arguments.count > 0 ? arguments[0] : 10
let prefixCount = arguments.count > 1 ? arguments[1] : 20_000
let runs = arguments.count > 2 ? arguments[2] : 7
let perUpdate = 100
let asn: UInt32 = 65000
let options = CodecOptions(fourOctetAS: true)

func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func milliseconds(_ seconds: Double) -> Int { Int((seconds * 1000).rounded()) }

let peers = (0..<peerCount).map { IPAddress.v4(IPv4Address(10, 201, 0, UInt8(11 + $0))) }

/// One peer's UPDATEs as framed wire messages, the way feed.py builds them.
func wireUpdates(peer index: Int) -> [[UInt8]] {
    guard case .v4(let nextHop) = peers[index] else { return [] }
    var messages: [[UInt8]] = []
    for (u, start) in stride(from: 0, to: prefixCount, by: perUpdate).enumerated() {
        let path: [UInt32] = [64600 + UInt32(u % 300), 65100 + UInt32((u * 7 + index) % 400), 4_200_000_000 + UInt32(u)]
        let attributes = PathAttributes(origin: .igp, asPath: ASPath(sequence: path), nextHop: nextHop,
                                        med: UInt32(u % 50), localPref: 100)
        let nlri = (start..<min(start + perUpdate, prefixCount)).map { k in
            IPv4Prefix(IPv4Address(UInt32(11 << 24) + UInt32((index * prefixCount + k) << 8)), length: 24)
        }
        messages.append(BGPMessage.update(Update(attributes: attributes, nlri: nlri)).encode(options: options))
    }
    return messages
}

let feed = (0..<peerCount).map(wireUpdates)
let routes = peerCount * prefixCount
print("bgp-ingest-bench: \(peerCount) iBGP peers × \(prefixCount) prefixes = \(routes) routes, \(perUpdate) per UPDATE, \(runs) runs")

var best = Double.infinity
for run in 1...runs {
    let speaker = Speaker(config: SpeakerConfig(asn: asn, routerID: IPv4Address(10, 201, 0, 1)))
    speaker.recordsFIBChanges = false
    for (p, address) in peers.enumerated() {
        speaker.addPeer(PeerConfig(address: address, remoteAS: asn))
        speaker.sessionEstablished(address, NegotiatedSession(localAddress: .v4(IPv4Address(10, 201, 0, 1)),
                                                              remoteRouterID: IPv4Address(10, 201, 0, UInt8(11 + p)),
                                                              remoteAS: asn))
    }
    let decodeStart = cpuSeconds()
    var decoded = 0
    for messages in feed {
        for bytes in messages {
            if case .update(let update) = try BGPMessage.decode(bytes[...], options: options) { decoded += update.nlri.count }
        }
    }
    let decodeTime = cpuSeconds() - decodeStart
    guard decoded == routes else { fatalError("decoded \(decoded) of \(routes) prefixes") }
    let start = cpuSeconds()
    // Round-robin over the peers, one UPDATE each, deciding after every round as the daemon does after a poll.
    for u in 0..<feed[0].count {
        for p in 0..<peerCount {
            guard case .update(let update) = try BGPMessage.decode(feed[p][u][...], options: options) else {
                fatalError("not an UPDATE")
            }
            speaker.received(update, from: peers[p])
        }
        speaker.process()
    }
    let total = cpuSeconds() - start
    let held = speaker.locRIBSize(family: .ipv4Unicast).prefixes
    guard held == routes else { fatalError("Loc-RIB holds \(held) of \(routes) prefixes") }
    best = min(best, total)
    let perRoute = total / Double(routes) * 1e9, decodePerRoute = decodeTime / Double(routes) * 1e9
    print("run \(run): \(milliseconds(total)) ms CPU, \(Int(perRoute.rounded())) ns/route (of which decoding alone takes \(Int(decodePerRoute.rounded())) ns/route)")
    withExtendedLifetime(speaker) {}
}
let bestPerRoute = best / Double(routes) * 1e9
print("best: \(milliseconds(best)) ms CPU, \(Int(bestPerRoute.rounded())) ns/route")
