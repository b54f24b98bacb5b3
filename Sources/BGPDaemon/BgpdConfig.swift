import Foundation
import BGPWire
import BGPSpeaker
import Yams

/// The bgpd configuration file (YAML, kebab-case keys). Parsing is strict: an unknown key or a value of the wrong
/// kind is an error that names the file, the key path and the line.
public struct BgpdConfig: Hashable, Sendable {
    /// A `networks:` entry: a prefix to originate, or to hold as a blackhole (RTN_BLACKHOLE in the FIB).
    public struct Network: Hashable, Sendable {
        public var prefix: Prefix
        public var blackhole: Bool
        public init(prefix: Prefix, blackhole: Bool = false) { self.prefix = prefix; self.blackhole = blackhole }
        var source: OriginSource { blackhole ? .blackhole : .network }
    }

    /// Route sources read from the namespace's kernel tables and originated into BGP.
    public enum Redistribution: String, Hashable, Sendable, CaseIterable { case connected, `static` }

    public var speaker: SpeakerConfig
    /// nil port = do not listen (`port: 0`).
    public var listenAddress: IPAddress
    public var listenPort: UInt16?
    public var controlSocket: String?
    public var installRoutes: Bool
    public var logPath: String?
    public var peers: [PeerConfig]
    public var networks: [Network]
    public var redistribute: Set<Redistribution>

    public init(speaker: SpeakerConfig, listenAddress: IPAddress = .v6(.zero), listenPort: UInt16? = 179,
                controlSocket: String? = nil, installRoutes: Bool = false, logPath: String? = nil,
                peers: [PeerConfig] = [], networks: [Network] = [], redistribute: Set<Redistribution> = []) {
        self.speaker = speaker; self.listenAddress = listenAddress; self.listenPort = listenPort
        self.controlSocket = controlSocket; self.installRoutes = installRoutes; self.logPath = logPath
        self.peers = peers; self.networks = networks; self.redistribute = redistribute
    }

    /// Reads and parses a configuration file.
    public static func load(path: String) throws -> BgpdConfig {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw BgpdError("\(path): cannot read the file")
        }
        return try parse(text, file: path)
    }

    /// Parses YAML text; `file` only names the source in error messages.
    public static func parse(_ yaml: String, file: String = "<config>") throws -> BgpdConfig {
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch { throw BgpdError("\(file): not valid YAML: \(error)") }
        guard let root else { throw BgpdError("\(file): the file is empty") }
        return try ConfigReader(file: file).config(root)
    }
}

extension BgpdConfig {
    /// Parses one `peers:` entry on its own (YAML or JSON text), as the control socket's add-peer sends it.
    public static func parsePeer(_ text: String, file: String) throws -> PeerConfig {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch { throw BgpdError("\(file): not valid YAML/JSON: \(error)") }
        guard let node else { throw BgpdError("\(file): empty peer") }
        return try ConfigReader(file: file).peer(node, "peer")
    }
}

/// Walks the YAML node tree, checking every key against the ones it knows.
private struct ConfigReader {
    let file: String

    func fail(_ node: Node?, _ path: String, _ message: String) -> BgpdError {
        let line = node?.mark.map { " (line \($0.line))" } ?? ""
        return BgpdError("\(file): \(path)\(line): \(message)")
    }

    /// The mapping's entries by key, rejecting keys outside `known` and duplicates.
    func mapping(_ node: Node, _ path: String, known: [String]) throws -> [String: Node] {
        guard let m = node.mapping else { throw fail(node, path, "expected a mapping") }
        var out: [String: Node] = [:]
        for (k, v) in m {
            guard let key = k.string else { throw fail(k, path, "keys must be strings") }
            let keyPath = path.isEmpty ? key : "\(path).\(key)"
            guard known.contains(key) else {
                throw fail(k, keyPath, "unknown key '\(key)' (known: \(known.joined(separator: ", ")))")
            }
            guard out[key] == nil else { throw fail(k, keyPath, "duplicate key '\(key)'") }
            out[key] = v
        }
        return out
    }

    func string(_ node: Node, _ path: String) throws -> String {
        guard let s = node.scalar?.string else { throw fail(node, path, "expected a string") }
        return s
    }
    func bool(_ node: Node, _ path: String) throws -> Bool {
        guard let b = node.bool else { throw fail(node, path, "expected true or false") }
        return b
    }
    func integer<T: FixedWidthInteger>(_ node: Node, _ path: String, _: T.Type = T.self) throws -> T {
        guard let s = node.scalar?.string, let v = T(s) else {
            throw fail(node, path, "expected an integer from \(T.min) to \(T.max)")
        }
        return v
    }
    func address(_ node: Node, _ path: String) throws -> IPAddress {
        guard let a = IPAddress(try string(node, path)) else { throw fail(node, path, "expected an IPv4 or IPv6 address") }
        return a
    }
    func ipv4(_ node: Node, _ path: String) throws -> IPv4Address {
        guard let a = IPv4Address(try string(node, path)) else { throw fail(node, path, "expected an IPv4 address") }
        return a
    }
    func prefix(_ node: Node, _ path: String) throws -> Prefix {
        guard let p = Prefix(try string(node, path)) else { throw fail(node, path, "expected a prefix like 10.1.0.0/24") }
        return p
    }
    func list(_ node: Node, _ path: String) throws -> [Node] {
        guard let s = node.sequence else { throw fail(node, path, "expected a list") }
        return Array(s)
    }

    func config(_ root: Node) throws -> BgpdConfig {
        let top = try mapping(root, "", known: ["router-id", "asn", "listen", "control-socket", "install-routes", "cluster-id",
                                                "compare-med-across-as", "max-paths", "log", "peers", "networks", "redistribute"])
        guard let idNode = top["router-id"] else { throw fail(root, "router-id", "missing (the speaker's BGP Identifier)") }
        guard let asnNode = top["asn"] else { throw fail(root, "asn", "missing (the local AS number)") }
        var speaker = SpeakerConfig(asn: try integer(asnNode, "asn"), routerID: try ipv4(idNode, "router-id"))
        if let n = top["cluster-id"] { speaker.clusterID = try ipv4(n, "cluster-id") }
        if let n = top["compare-med-across-as"] { speaker.compareMEDAcrossAS = try bool(n, "compare-med-across-as") }
        if let n = top["max-paths"] {
            let v: Int = try integer(n, "max-paths")
            guard v >= 1 else { throw fail(n, "max-paths", "must be at least 1") }
            speaker.maxPaths = v
        }
        var config = BgpdConfig(speaker: speaker)
        if let n = top["listen"] {
            let l = try mapping(n, "listen", known: ["address", "port"])
            if let a = l["address"] { config.listenAddress = try address(a, "listen.address") }
            if let p = l["port"] {
                let port: UInt16 = try integer(p, "listen.port")
                config.listenPort = port == 0 ? nil : port
            }
        }
        if let n = top["control-socket"] { config.controlSocket = try string(n, "control-socket") }
        if let n = top["install-routes"] { config.installRoutes = try bool(n, "install-routes") }
        if let n = top["log"] { config.logPath = try string(n, "log") }
        if let n = top["peers"] {
            for (i, p) in try list(n, "peers").enumerated() { config.peers.append(try peer(p, "peers[\(i)]")) }
            var seen: Set<IPAddress> = []
            for p in config.peers where !seen.insert(p.address).inserted {
                throw fail(n, "peers", "peer \(p.address) is configured twice")
            }
        }
        if let n = top["networks"] {
            for (i, entry) in try list(n, "networks").enumerated() {
                let path = "networks[\(i)]"
                if entry.scalar != nil {
                    config.networks.append(.init(prefix: try prefix(entry, path)))
                } else {
                    let m = try mapping(entry, path, known: ["prefix", "blackhole"])
                    guard let p = m["prefix"] else { throw fail(entry, "\(path).prefix", "missing") }
                    config.networks.append(.init(prefix: try prefix(p, "\(path).prefix"),
                                                 blackhole: try m["blackhole"].map { try bool($0, "\(path).blackhole") } ?? false))
                }
            }
        }
        if let n = top["redistribute"] {
            for (i, entry) in try list(n, "redistribute").enumerated() {
                let s = try string(entry, "redistribute[\(i)]")
                guard let r = BgpdConfig.Redistribution(rawValue: s) else {
                    throw fail(entry, "redistribute[\(i)]", "unknown source '\(s)' (known: connected, static)")
                }
                config.redistribute.insert(r)
            }
        }
        return config
    }

    static let peerKeys = ["address", "remote-as", "local-as", "description", "port", "source-address", "passive", "ebgp-multihop",
                           "password", "hold-time", "keepalive", "connect-retry", "route-reflector-client", "next-hop-self",
                           "keep-next-hop", "allow-own-as", "families", "graceful-restart", "import-policy", "export-policy",
                           "shutdown"]

    func peer(_ node: Node, _ path: String) throws -> PeerConfig {
        let m = try mapping(node, path, known: Self.peerKeys)
        guard let a = m["address"] else { throw fail(node, "\(path).address", "missing") }
        guard let r = m["remote-as"] else { throw fail(node, "\(path).remote-as", "missing") }
        var p = PeerConfig(address: try address(a, "\(path).address"), remoteAS: try integer(r, "\(path).remote-as"))
        func key(_ k: String) -> (Node, String)? { m[k].map { ($0, "\(path).\(k)") } }
        if let (n, kp) = key("local-as") { p.localAS = try integer(n, kp) }
        if let (n, kp) = key("description") { p.description = try string(n, kp) }
        if let (n, kp) = key("port") { p.port = try integer(n, kp) }
        if let (n, kp) = key("source-address") { p.sourceAddress = try address(n, kp) }
        if let (n, kp) = key("passive") { p.passive = try bool(n, kp) }
        if let (n, kp) = key("ebgp-multihop") {
            let ttl: UInt8 = try integer(n, kp)
            guard ttl >= 1 else { throw fail(n, kp, "must be from 1 to 255") }
            p.ebgpMultihop = ttl
        }
        if let (n, kp) = key("password") { p.password = try string(n, kp) }
        if let (n, kp) = key("hold-time") {
            let v: UInt16 = try integer(n, kp)
            guard v == 0 || v >= 3 else { throw fail(n, kp, "must be 0 or at least 3 seconds") }
            p.holdTime = v
        }
        if let (n, kp) = key("keepalive") { p.keepaliveTime = try integer(n, kp) }
        if let (n, kp) = key("connect-retry") { p.connectRetryTime = try integer(n, kp) }
        if let (n, kp) = key("route-reflector-client") { p.routeReflectorClient = try bool(n, kp) }
        if let (n, kp) = key("next-hop-self") { p.nextHopSelf = try bool(n, kp) }
        if let (n, kp) = key("keep-next-hop") { p.keepNextHop = try bool(n, kp) }
        if let (n, kp) = key("allow-own-as") { p.allowOwnAS = try integer(n, kp) }
        if let (n, kp) = key("families") {
            var families: Set<AddressFamily> = []
            for (i, f) in try list(n, kp).enumerated() {
                switch try string(f, "\(kp)[\(i)]") {
                case "ipv4-unicast": families.insert(.ipv4Unicast)
                case "ipv6-unicast": families.insert(.ipv6Unicast)
                case let other: throw fail(f, "\(kp)[\(i)]", "unknown family '\(other)' (known: ipv4-unicast, ipv6-unicast)")
                }
            }
            guard !families.isEmpty else { throw fail(n, kp, "needs at least one family") }
            p.families = families
        }
        if let (n, kp) = key("graceful-restart") {
            let t: UInt16 = try integer(n, kp)
            guard t <= 4095 else { throw fail(n, kp, "restart time must be at most 4095 seconds") }
            p.gracefulRestartTime = t
        }
        if let (n, kp) = key("import-policy") { p.importPolicy = try string(n, kp) }
        if let (n, kp) = key("export-policy") { p.exportPolicy = try string(n, kp) }
        if let (n, kp) = key("shutdown") { p.shutdown = try bool(n, kp) }
        return p
    }
}
