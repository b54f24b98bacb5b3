import XCTest
import BGPWire
@testable import BGPSpeaker

// Small builders so each test reads as the scenario it checks.

func ip(_ text: String) -> IPAddress { IPAddress(text)! }
func v4(_ text: String) -> IPv4Address { IPv4Address(text)! }
func pfx(_ text: String) -> Prefix { Prefix(text)! }

/// An UPDATE announcing IPv4 `prefixes` (IPv6 ones go into MP_REACH).
func announcement(_ prefixes: [String], nextHop: String, asPath: [UInt32] = [], origin: Origin = .igp,
                  med: UInt32? = nil, localPref: UInt32? = nil, communities: [Community] = [],
                  originatorID: String? = nil, clusterList: [String] = [], asPathSegments: [ASPathSegment]? = nil) -> Update {
    var attributes = PathAttributes(origin: origin, asPath: asPathSegments.map(ASPath.init) ?? ASPath(sequence: asPath),
                                    med: med, localPref: localPref, communities: communities,
                                    originatorID: originatorID.map(v4), clusterList: clusterList.map(v4))
    let parsed = prefixes.map(pfx)
    let v4Prefixes = parsed.compactMap { if case .v4(let p) = $0 { return p } else { return nil } }
    let v6Prefixes = parsed.filter { $0.family == .ipv6Unicast }
    if !v4Prefixes.isEmpty { attributes.nextHop = v4(nextHop) }
    if !v6Prefixes.isEmpty { attributes.mpReach = MPReach(family: .ipv6Unicast, nextHops: [ip(nextHop)], nlri: v6Prefixes) }
    return Update(attributes: attributes, nlri: v4Prefixes)
}

func withdrawal(_ prefixes: [String]) -> Update {
    let parsed = prefixes.map(pfx)
    var attributes = PathAttributes()
    let v6 = parsed.filter { $0.family == .ipv6Unicast }
    if !v6.isEmpty { attributes.mpUnreach = MPUnreach(family: .ipv6Unicast, withdrawn: v6) }
    return Update(withdrawn: parsed.compactMap { if case .v4(let p) = $0 { return p } else { return nil } },
                  attributes: attributes)
}

let endOfRIBv4 = Update()

/// What one peer was told, accumulated over `takeOutbound` calls like a receiving Adj-RIB-In.
struct Received {
    var routes: [Prefix: (attributes: PathAttributes, nextHop: IPAddress)] = [:]
    var announced: [Prefix] = []
    var withdrawn: [Prefix] = []
    var endOfRIB: [AddressFamily] = []
    var batches: [OutboundBatch] = []

    mutating func apply(_ batches: [OutboundBatch]) {
        self.batches += batches
        for batch in batches {
            if let family = batch.endOfRIB { endOfRIB.append(family) }
            for p in batch.withdraw { routes[p] = nil; withdrawn.append(p) }
            for p in batch.announce { routes[p] = (batch.attributes, batch.nextHop); announced.append(p) }
        }
    }

    subscript(_ prefix: String) -> (attributes: PathAttributes, nextHop: IPAddress)? { routes[pfx(prefix)] }
}

/// A speaker under test with helpers to bring peers up and read what they were sent.
final class Harness {
    let speaker: Speaker
    var received: [IPAddress: Received] = [:]

    init(asn: UInt32 = 65001, routerID: String = "1.1.1.1", clusterID: String? = nil, maxPaths: Int = 1,
         compareMEDAcrossAS: Bool = false) {
        speaker = Speaker(config: SpeakerConfig(asn: asn, routerID: v4(routerID), clusterID: clusterID.map(v4),
                                                compareMEDAcrossAS: compareMEDAcrossAS, maxPaths: maxPaths))
    }

    /// Adds an Established peer. `local` is our address on the session.
    @discardableResult
    func peer(_ address: String, as remoteAS: UInt32, routerID: String? = nil, local: String = "10.0.0.1",
              families: Set<AddressFamily> = [.ipv4Unicast], gr: GracefulRestart? = nil,
              configure: (inout PeerConfig) -> Void = { _ in }) -> IPAddress {
        var config = PeerConfig(address: ip(address), remoteAS: remoteAS, families: families)
        configure(&config)
        speaker.addPeer(config)
        establish(address, as: remoteAS, routerID: routerID ?? address, local: local, families: families, gr: gr)
        return ip(address)
    }

    func establish(_ address: String, as remoteAS: UInt32, routerID: String, local: String = "10.0.0.1",
                   families: Set<AddressFamily> = [.ipv4Unicast], gr: GracefulRestart? = nil, v6NextHop: String? = nil) {
        speaker.sessionEstablished(ip(address), NegotiatedSession(
            localAddress: ip(local), remoteRouterID: v4(routerID), remoteAS: remoteAS, families: families,
            peerGracefulRestart: gr, localIPv6NextHop: v6NextHop.map { IPv6Address($0)! }))
    }

    func receive(_ update: Update, from address: String) {
        speaker.received(update, from: ip(address))
    }

    /// Runs `process()` and files every peer's outbound batches.
    func process() {
        speaker.process()
        drain()
    }

    func drain() {
        for address in speaker.peersWithOutbound {
            received[address, default: Received()].apply(speaker.takeOutbound(for: address))
        }
    }

    func sent(to address: String) -> Received { received[ip(address)] ?? Received() }

    func clearSent() { received = [:] }

    func best(_ prefix: String) -> RIBEntry? { speaker.routes(for: pfx(prefix)).first { $0.isBest } }

    func bestPeer(_ prefix: String) -> IPAddress? {
        guard case .peer(let address, _, _)? = best(prefix)?.source else { return nil }
        return address
    }
}
