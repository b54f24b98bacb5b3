import Foundation
import BGPWire
import BGPSpeaker
import BGPDaemon
import Kernel

/// A running switch or router: its configuration and the live state behind it. Every `update` applies at
/// once, as VRP5 and Comware do: BGP through a `SpeakerDaemon` (started by `bgp <as>`, reloaded as a diff,
/// stopped by `undo bgp`), addresses, admin state and static routes through netlink in the device's namespace.
/// Safe to use from several console sessions at once (one lock serialises changes).
public final class NetworkDevice: @unchecked Sendable {
    /// `huawei-vrp`, `h3c-comware`, `quagga`.
    public let kind: String
    public let namespace: NetworkNamespace?
    /// Where `save` writes the startup configuration; nil = `save` reports that nothing is configured.
    public let saveTo: String?
    public let log: Logger
    /// Whether best BGP routes go into the kernel (off for rendering tests without a namespace).
    public let installRoutes: Bool
    /// Whether interface and static-route changes go to the kernel.
    public let appliesKernel: Bool
    /// No network at all: the speaker neither listens nor connects (peers are passive). For tests and tools
    /// that drive the CLI outside a lab namespace.
    public let offline: Bool

    private let lock = NSLock()
    private var _config: RunningConfig
    /// The lab's layer-2 plumbing (hub segments, VLAN interfaces); nil outside a lab and during the startup
    /// replay, whose intermediate states the lab has already skipped by plumbing the startup layout.
    private var portPlumbing: PortPlumbing?
    private var daemon: SpeakerDaemon?
    /// When each peer was configured or last came up or went down, for the Up/Down column.
    private var peerSince: [IPv4Address: (state: SessionState, since: Double)] = [:]
    private let started = NetworkDevice.now()

    public init(kind: String, config: RunningConfig, namespace: NetworkNamespace? = nil, saveTo: String? = nil,
                log: Logger = .standardError, installRoutes: Bool = true, appliesKernel: Bool = true, offline: Bool = false) {
        self.kind = kind
        self._config = RunningConfig(hostname: config.hostname)
        self.namespace = namespace
        self.saveTo = saveTo
        self.log = log
        self.offline = offline
        self.installRoutes = installRoutes && !offline
        self.appliesKernel = appliesKernel && !offline
        try? update { $0 = config }
    }

    deinit { daemon?.shutdown() }

    /// Monotonic seconds.
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Seconds since the device started (`display version` uptime).
    public var uptime: Int { Int(NetworkDevice.now() - started) }

    public var config: RunningConfig { lock.withLock { _config } }

    /// Changes the configuration and applies the difference live. A body that throws changes nothing.
    /// - Returns: problems met while applying (an interface the lab did not create, a kernel refusal);
    ///   the configuration is kept either way, as on a real switch.
    @discardableResult
    public func update(_ body: (inout RunningConfig) throws -> Void) throws -> [String] {
        try lock.withLock {
            var new = _config
            try body(&new)
            let old = _config
            guard new != old else { return [] }
            _config = new
            var problems: [String] = []
            // Ports first: a new VLAN interface must exist before its address goes on it.
            if appliesKernel, let portPlumbing, Self.portLayout(old) != Self.portLayout(new) {
                problems += portPlumbing(new)
            }
            if appliesKernel {
                let plumbing = KernelPlumbing(namespace: namespace, usesLinuxNames: KernelPlumbing.usesLinuxNames(kind: kind))
                problems += plumbing.apply(from: old, to: new)
            }
            problems += applyBGP(old: old, new: new)
            for p in problems { log.error(p) }
            return problems
        }
    }

    /// Re-plumbs the lab's segments for a configuration: which port is in which VLAN or routed, which VLAN
    /// interfaces exist. Returns problems for the log.
    public typealias PortPlumbing = @Sendable (RunningConfig) -> [String]

    /// Installs the lab's port plumbing and runs it once for the configuration as it stands (after the
    /// startup replay); from then on every change of a port's mode or VLAN, or of the VLAN interfaces, runs it.
    @discardableResult
    public func attachPortPlumbing(_ plumbing: @escaping PortPlumbing) -> [String] {
        lock.withLock {
            portPlumbing = plumbing
            guard appliesKernel else { return [] }
            let problems = plumbing(_config)
            for p in problems { log.error(p) }
            return problems
        }
    }

    /// What the port plumbing depends on: each interface with its layer-2 mode.
    static func portLayout(_ config: RunningConfig) -> [String: PortMode] {
        Dictionary(config.interfaces.map { ($0.name, $0.effectiveMode) }, uniquingKeysWith: { _, last in last })
    }

    private func applyBGP(old: RunningConfig, new: RunningConfig) -> [String] {
        let now = NetworkDevice.now()
        let known = Set(new.bgp?.peers.map(\.address) ?? [])
        peerSince = peerSince.filter { known.contains($0.key) }
        for a in known where peerSince[a] == nil { peerSince[a] = (.idle, now) }
        guard var wanted = new.bgpdConfig(installRoutes: installRoutes,
                                          timerChangeResetsSession: RunningConfig.timerChangeResetsSession(kind: kind)) else {
            if let d = daemon { d.shutdown(); daemon = nil }
            return []
        }
        if offline {
            wanted.listenPort = nil
            for i in wanted.peers.indices { wanted.peers[i].passive = true }
        }
        if let d = daemon, old.bgp?.asn == new.bgp?.asn {
            d.reload(wanted)
            return []
        }
        daemon?.shutdown()
        daemon = nil
        do {
            let d = try SpeakerDaemon(config: wanted, log: log, namespace: namespace)
            try d.start()
            daemon = d
            return []
        } catch {
            return ["bgp \(wanted.speaker.asn): the speaker did not start: \(error)"]
        }
    }

    /// Writes `text` (the personality's `display current-configuration`) where the lab keeps this device's
    /// startup configuration.
    public func save(text: String) throws {
        guard let saveTo else { throw DeviceError("no startup configuration file is set for this device") }
        let temporary = saveTo + ".tmp"
        try text.write(toFile: temporary, atomically: false, encoding: .utf8)
        guard rename(temporary, saveTo) == 0 else { throw DeviceError("cannot write \(saveTo): \(String(cString: strerror(errno)))") }
    }

    /// Stops the speaker (sessions end with Cease). The kernel state stays with the namespace.
    public func shutdown() {
        lock.withLock {
            daemon?.shutdown()
            daemon = nil
        }
    }

    // MARK: - Queries for the displays

    /// A snapshot of the speaker, or nil while BGP is not configured.
    public func bgpStatus() -> BgpdStatus? {
        let d = lock.withLock { daemon }
        return d?.status()
    }

    /// Runs `body` on the speaker's loop thread; nil while BGP is not configured.
    public func withSpeaker<T>(_ body: @escaping (Speaker) -> T) -> T? {
        let d = lock.withLock { daemon }
        return d?.withSpeaker(body)
    }

    /// One row per configured peer, in configuration order, with live counters.
    public func peerSummaries() -> [BGPPeerSummary] {
        let cfg = config
        guard let bgp = cfg.bgp else { return [] }
        let status = bgpStatus()
        let now = NetworkDevice.now()
        return lock.withLock {
            bgp.peers.map { p in
                let live = status?.peers.first { $0.address == .v4(p.address) }
                let state = live?.state ?? .idle
                // The clock restarts when the session comes up or goes down, not on Connect/Active flaps.
                var since = peerSince[p.address] ?? (state, now)
                if (since.state == .established) != (state == .established) { since.since = now }
                since.state = state
                peerSince[p.address] = since
                let upDown = state == .established ? (live?.uptimeSeconds ?? 0) : Int(now - since.since)
                return BGPPeerSummary(address: p.address, remoteAS: bgp.remoteAS(of: p) ?? 0, state: state,
                                      upDownSeconds: max(0, upDown), messagesIn: live?.messagesIn ?? 0,
                                      messagesOut: live?.messagesOut ?? 0, prefixesReceived: live?.accepted ?? 0,
                                      prefixesAdvertised: live?.advertised ?? 0, description: p.description,
                                      session: live?.session, lastError: live?.lastError)
            }
        }
    }

    /// The Loc-RIB (IPv4 unicast): every path, best first per prefix.
    public func bgpRoutes() -> [RIBEntry] {
        withSpeaker { $0.locRIB(family: .ipv4Unicast) } ?? []
    }

    /// Peers a prefix's best path went to.
    public func advertisedTo(_ prefix: Prefix) -> [IPAddress] {
        withSpeaker { $0.advertisedTo(prefix) } ?? []
    }
}

/// A device-level failure with a message a user can act on.
public struct DeviceError: Error, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// One row of `display bgp peer`: the peer's configured AS and its live session counters.
public struct BGPPeerSummary: Hashable, Sendable {
    public var address: IPv4Address
    public var remoteAS: UInt32
    public var state: SessionState
    /// Seconds Established, or since the last state change for other states.
    public var upDownSeconds: Int
    public var messagesIn: Int
    public var messagesOut: Int
    public var prefixesReceived: Int
    public var prefixesAdvertised: Int
    public var description: String?
    public var session: BgpdStatus.Session?
    public var lastError: String?

    public init(address: IPv4Address, remoteAS: UInt32, state: SessionState, upDownSeconds: Int, messagesIn: Int = 0,
                messagesOut: Int = 0, prefixesReceived: Int = 0, prefixesAdvertised: Int = 0, description: String? = nil,
                session: BgpdStatus.Session? = nil, lastError: String? = nil) {
        self.address = address; self.remoteAS = remoteAS; self.state = state; self.upDownSeconds = upDownSeconds
        self.messagesIn = messagesIn; self.messagesOut = messagesOut; self.prefixesReceived = prefixesReceived
        self.prefixesAdvertised = prefixesAdvertised; self.description = description; self.session = session
        self.lastError = lastError
    }
}
