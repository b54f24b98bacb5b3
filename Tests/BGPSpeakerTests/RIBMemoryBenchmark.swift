import XCTest
import BGPWire
import BGPSpeaker
#if canImport(Glibc)
import Glibc
#endif

/// Bytes per route for 10 peers × 20 000 prefixes: a benchmark run by hand, not part of the suite.
///
///     PEERLAB_RIB_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter RIBMemoryBenchmark
///
/// Each peer sends the same 20 000 /24s (as a full-mesh fabric would), 100 distinct AS paths per peer,
/// 250 prefixes per UPDATE. Measured: heap in use (glibc mallinfo: arena + mmapped blocks) with the speaker holding every
/// Adj-RIB-In, the Loc-RIB and every Adj-RIB-Out, after all output has been drained.
final class RIBMemoryBenchmark: XCTestCase {
    func testBytesPerRoute() throws {
        guard ProcessInfo.processInfo.environment["PEERLAB_RIB_BENCH"] != nil else {
            throw XCTSkip("set PEERLAB_RIB_BENCH=1 to measure")
        }
        let peerCount = 10, prefixCount = 20_000, pathsPerPeer = 100, perUpdate = 250
        let prefixes = (0..<prefixCount).map { i in IPv4Prefix(IPv4Address(10, UInt8(i >> 8 & 0xff), UInt8(i & 0xff), 0), length: 24) }
        let peers = (0..<peerCount).map { IPAddress.v4(IPv4Address(172, 16, UInt8($0), 2)) }
        // Build the input first so it is not counted.
        var updates: [[Update]] = []
        for (p, address) in peers.enumerated() {
            let asn = UInt32(65101 + p)
            var list: [Update] = []
            for group in 0..<pathsPerPeer {
                let members = stride(from: group, to: prefixCount, by: pathsPerPeer).map { prefixes[$0] }
                let attributes = PathAttributes(origin: .igp, asPath: ASPath(sequence: [asn, 64512 + UInt32(group)]),
                                                nextHop: address.ipv4!, med: 0)
                for chunk in stride(from: 0, to: members.count, by: perUpdate) {
                    list.append(Update(attributes: attributes, nlri: Array(members[chunk..<min(chunk + perUpdate, members.count)])))
                }
            }
            updates.append(list)
        }

        let before = heapInUse()
        let start = DispatchTime.now().uptimeNanoseconds
        let cpuStart = clock()
        let speaker = Speaker(config: SpeakerConfig(asn: 65000, routerID: IPv4Address(10, 255, 0, 1), maxPaths: 4))
        for (p, address) in peers.enumerated() {
            speaker.addPeer(PeerConfig(address: address, remoteAS: UInt32(65101 + p)))
            speaker.sessionEstablished(address, NegotiatedSession(localAddress: .v4(IPv4Address(172, 16, UInt8(p), 1)),
                                                                  remoteRouterID: IPv4Address(10, 255, 1, UInt8(p)),
                                                                  remoteAS: UInt32(65101 + p)))
        }
        var receiveTime: UInt64 = 0, processTime: UInt64 = 0
        for (p, address) in peers.enumerated() {
            let t0 = DispatchTime.now().uptimeNanoseconds
            for update in updates[p] { speaker.received(update, from: address) }
            let t1 = DispatchTime.now().uptimeNanoseconds
            speaker.process()
            receiveTime += t1 - t0
            processTime += DispatchTime.now().uptimeNanoseconds - t1
        }
        var outboundBatches = 0
        for address in peers { outboundBatches += speaker.takeOutbound(for: address).count }
        let fib = speaker.takeFIBChanges().count
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let cpu = Double(clock() - cpuStart) / Double(CLOCKS_PER_SEC)
        let after = heapInUse()

        let routes = peerCount * prefixCount
        let advertised = peers.reduce(0) { $0 + speaker.peerRouteCounts($1).advertised }
        let bytes = after - before
        print(String(format: "RIB: %d peers x %d prefixes = %d routes in, %d Adj-RIB-Out entries, %d attribute sets, %d FIB changes, %d batches",
                     peerCount, prefixCount, routes, advertised, speaker.attributeSetCount, fib, outboundBatches))
        print(String(format: "RIB: heap %.1f MB = %.1f bytes per route received (%.1f per route held incl. Adj-RIB-Out); load %.2f s wall, %.2f s CPU (wall: received %.2f s, process %.2f s)",
                     Double(bytes) / 1e6, Double(bytes) / Double(routes), Double(bytes) / Double(routes + advertised), elapsed, cpu,
                     Double(receiveTime) / 1e9, Double(processTime) / 1e9))
        XCTAssertEqual(speaker.locRIBSize(family: .ipv4Unicast).paths, routes)
        withExtendedLifetime(speaker) {}
    }

    /// Bytes the heap has handed out: glibc's `mallinfo2().uordblks + hblkhd`. malloc.h is not in the Glibc
    /// module, so the symbol is looked up; on x86-64 System V the 80-byte struct comes back through a hidden
    /// first-argument pointer, which is how it is called here. Elsewhere: resident set size.
    private func heapInUse() -> Int {
        #if os(Linux) && arch(x86_64)
        typealias StructReturn = @convention(c) (UnsafeMutableRawPointer) -> UnsafeMutableRawPointer
        if let symbol = dlsym(nil, "mallinfo2") {   // nil = RTLD_DEFAULT
            let info = UnsafeMutablePointer<Int>.allocate(capacity: 10)
            defer { info.deallocate() }
            _ = unsafeBitCast(symbol, to: StructReturn.self)(UnsafeMutableRawPointer(info))
            return info[7] + info[4]   // uordblks + hblkhd
        }
        #endif
        let statm = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? ""
        let pages = statm.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
