import Foundation

/// One `peers:` entry of the bgpd YAML (contract B); nil fields are left out so defaults apply.
struct BgpdPeer {
    var address: String
    var remoteAS: UInt32
    var description: String? = nil
    var sourceAddress: String? = nil
    var passive: Bool? = nil
    var password: String? = nil
    var holdTime: Int? = nil
    var keepalive: Int? = nil
    var connectRetry: Int? = nil
    var routeReflectorClient: Bool? = nil
    var nextHopSelf: Bool? = nil
    var families: [String]? = nil
}

/// The bgpd YAML file (contract B).
struct BgpdConfig {
    var routerID: String
    var asn: UInt32
    var clusterID: String? = nil
    var installRoutes = true
    var listenPort: Int? = nil
    var peers: [BgpdPeer]
    var networks: [String] = []

    func renderYAML(controlSocket: String, log: String) -> String {
        var out = ["router-id: \(routerID)", "asn: \(asn)", "control-socket: \(controlSocket)",
                   "install-routes: \(installRoutes)", "log: \(log)"]
        if let port = listenPort { out.append("listen: {address: \"::\", port: \(port)}") }
        if let cluster = clusterID { out.append("cluster-id: \(cluster)") }
        out.append(peers.isEmpty ? "peers: []" : "peers:")
        for p in peers {
            out.append("  - address: \"\(p.address)\"")
            out.append("    remote-as: \(p.remoteAS)")
            if let v = p.description { out.append("    description: \(v)") }
            if let v = p.sourceAddress { out.append("    source-address: \"\(v)\"") }
            if let v = p.passive { out.append("    passive: \(v)") }
            if let v = p.password { out.append("    password: \"\(v)\"") }
            if let v = p.holdTime { out.append("    hold-time: \(v)") }
            if let v = p.keepalive { out.append("    keepalive: \(v)") }
            if let v = p.connectRetry { out.append("    connect-retry: \(v)") }
            if let v = p.routeReflectorClient { out.append("    route-reflector-client: \(v)") }
            if let v = p.nextHopSelf { out.append("    next-hop-self: \(v)") }
            if let v = p.families { out.append("    families: [\(v.joined(separator: ", "))]") }
        }
        if !networks.isEmpty {
            out.append("networks:")
            for n in networks { out.append("  - \"\(n)\"") }
        }
        return out.joined(separator: "\n") + "\n"
    }
}

/// One peer row of `bgpd status --json`.
struct BgpdPeerStatus {
    var address: String
    var state: String
    var received: Int?
    var accepted: Int?
    var advertised: Int?
    var lastError: String?
}

/// One route row of `bgpd status --json`.
struct BgpdRouteStatus {
    var prefix: String
    var nextHop: String?
    var best: Bool
    var peer: String?
    var originatorID: String?
    var clusterList: [String]
    var raw: [String: Any]
}

struct BgpdStatus {
    var routerID: String?
    var asn: Int?
    var peers: [BgpdPeerStatus]
    var routes: [BgpdRouteStatus]

    /// Parses the JSON object contract B specifies; missing optional fields stay nil.
    init(json text: String) throws {
        guard let top = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw CommandError(argv: ["bgpd status --json"], status: 0, output: "not a JSON object: \(text.prefix(200))")
        }
        routerID = top["router-id"] as? String
        asn = top["asn"] as? Int
        peers = (top["peers"] as? [[String: Any]] ?? []).map { p in
            BgpdPeerStatus(address: "\(p["address"] ?? "")", state: "\(p["state"] ?? "")",
                           received: p["received"] as? Int, accepted: p["accepted"] as? Int,
                           advertised: p["advertised"] as? Int, lastError: p["last-error"] as? String)
        }
        routes = (top["routes"] as? [[String: Any]] ?? []).map { r in
            BgpdRouteStatus(prefix: "\(r["prefix"] ?? "")", nextHop: r["next-hop"] as? String,
                            best: r["best"] as? Bool ?? false, peer: r["peer"] as? String,
                            originatorID: r["originator-id"] as? String,
                            clusterList: (r["cluster-list"] as? [Any] ?? []).map { "\($0)" }, raw: r)
        }
    }

    func peer(_ address: String) -> BgpdPeerStatus? { peers.first { $0.address == address } }
    func bestRoute(_ prefix: String) -> BgpdRouteStatus? { routes.first { $0.prefix == prefix && $0.best } }
}

/// `peerlab bgpd --config FILE` inside a namespace, and its `status --json`.
final class PeerLabBgpd {
    let namespace: Namespace
    let directory: URL
    let configFile: URL
    let daemon: Daemon

    /// The `peerlab` built by this `swift test` run: next to the test bundle, unless PEERLAB_BIN says otherwise.
    static func binary() throws -> String {
        if let path = ProcessInfo.processInfo.environment["PEERLAB_BIN"] { return path }
        let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = me.deletingLastPathComponent()
        // On Linux the runner is …/debug/PeerLabPackageTests.xctest; on macOS a bundle inside debug/.
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("peerlab").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        throw CommandError(argv: ["peerlab"], status: 127,
                           output: "no peerlab executable next to \(me.path); build it (swift build --build-tests) or set PEERLAB_BIN")
    }

    init(_ config: BgpdConfig, in ns: Namespace, network: TestNetwork) throws {
        namespace = ns
        directory = try network.directory("bgpd-\(ns.name.split(separator: "-").last ?? "")")
        configFile = directory.appendingPathComponent("bgpd.yaml")
        let yaml = config.renderYAML(controlSocket: directory.appendingPathComponent("bgpd.sock").path,
                                     log: directory.appendingPathComponent("bgpd.log").path)
        try yaml.write(to: configFile, atomically: false, encoding: .utf8)
        let bin = try PeerLabBgpd.binary()
        daemon = try network.start("peerlab bgpd", [bin, "bgpd", "--config", configFile.path], in: ns,
                                   log: directory.appendingPathComponent("bgpd.out"))
        let d = daemon
        try waitUntil("peerlab bgpd to answer status in \(ns)", timeout: 30) {
            guard d.isRunning else {
                throw DaemonExited(daemon: "peerlab bgpd", status: d.process.terminationStatus, log: d.logTail())
            }
            _ = try self.status()
            return true
        }
    }

    func status() throws -> BgpdStatus {
        let bin = try PeerLabBgpd.binary()
        return try BgpdStatus(json: Command.run(namespace.exec([bin, "bgpd", "status", "--config", configFile.path, "--json"])))
    }

    func isEstablished(_ peer: String) throws -> Bool { try status().peer(peer)?.state == "Established" }

    func describe() -> String {
        var text = "peerlab bgpd \(namespace): "
        if let s = try? status() {
            text += "peers " + s.peers.map { "\($0.address)=\($0.state)\($0.lastError.map { " (\($0))" } ?? "")" }.joined(separator: ", ")
            text += "; routes " + s.routes.map { "\($0.prefix)\($0.best ? "*" : "") via \($0.nextHop ?? "?")" }.joined(separator: ", ")
        } else {
            text += "status unavailable"
        }
        let log = (try? String(contentsOf: directory.appendingPathComponent("bgpd.log"), encoding: .utf8)) ?? ""
        return text + "; stdout: \(daemon.logTail(6)); log: \(log.split(separator: "\n").suffix(8).joined(separator: " / "))"
    }
}
