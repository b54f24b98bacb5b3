import Foundation

/// One GoBGP neighbor. GoBGP waits 5–9 s before its first connect, so it is passive by default
/// and the other side opens the session.
struct GoBGPNeighbor {
    var address: String
    var remoteAS: UInt32
    var passive = true
    var families: [String] = ["ipv4-unicast"]
}

struct GoBGPConfig {
    var asn: UInt32
    var routerID: String
    var listenAddress: String
    var neighbors: [GoBGPNeighbor]
    /// Announced with `gobgp global rib add` once the daemon is up.
    var networks: [String] = []

    func renderYAML() -> String {
        var out = """
        global:
          config:
            as: \(asn)
            router-id: \(routerID)
            port: 179
            local-address-list: ["\(listenAddress)"]
        neighbors:

        """
        for n in neighbors {
            out += """
              - config:
                  neighbor-address: \(n.address)
                  peer-as: \(n.remoteAS)
                transport:
                  config:
                    passive-mode: \(n.passive)
                timers:
                  config:
                    connect-retry: 5
                afi-safis:

            """
            for f in n.families {
                out += "      - config:\n          afi-safi-name: \(f)\n"
            }
        }
        return out
    }
}

/// A gobgpd inside one namespace; its gRPC API listens on that namespace's loopback only.
final class GoBGPInstance {
    let namespace: Namespace
    let directory: URL
    let daemon: Daemon
    let apiPort = 50051

    init(_ config: GoBGPConfig, in ns: Namespace, network: TestNetwork) throws {
        namespace = ns
        directory = try network.directory("gobgp-\(ns.name.split(separator: "-").last ?? "")")
        let conf = directory.appendingPathComponent("gobgpd.yaml")
        try config.renderYAML().write(to: conf, atomically: false, encoding: .utf8)
        daemon = try network.start("gobgpd", ["gobgpd", "-f", conf.path, "-t", "yaml",
                                              "--api-hosts", "127.0.0.1:\(apiPort)", "--log-level", "info"],
                                   in: ns, log: directory.appendingPathComponent("gobgpd.log"))
        let d = daemon
        try waitUntil("GoBGP API in \(ns)", timeout: 30) {
            guard d.isRunning else { throw DaemonExited(daemon: "gobgpd", status: d.process.terminationStatus, log: d.logTail()) }
            _ = try self.gobgp(["global"])
            return true
        }
        for prefix in config.networks {
            try gobgp(["global", "rib", "add", prefix, "-a", prefix.contains(":") ? "ipv6" : "ipv4"])
        }
    }

    @discardableResult
    func gobgp(_ args: [String]) throws -> String {
        try Command.run(namespace.exec(["gobgp", "-u", "127.0.0.1", "-p", "\(apiPort)"] + args))
    }

    /// Session state per neighbor address from `gobgp neighbor -j` (e.g. "established").
    func sessionStates() throws -> [String: String] {
        let text = try gobgp(["neighbor", "-j"])
        guard let list = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] else { return [:] }
        var states: [String: String] = [:]
        for peer in list {
            let conf = peer["conf"] as? [String: Any]
            let state = peer["state"] as? [String: Any]
            guard let address = conf?["neighbor_address"] as? String else { continue }
            states[address] = "\(state?["session_state"] ?? "?")".lowercased()
        }
        return states
    }

    func isEstablished(_ neighbor: String) throws -> Bool {
        let state = try sessionStates()[neighbor]
        return state == "established" || state == "6"
    }

    /// Prefixes in GoBGP's global RIB for a family.
    func ribPrefixes(ipv6: Bool = false) throws -> Set<String> {
        let text = try gobgp(["global", "rib", "-a", ipv6 ? "ipv6" : "ipv4", "-j"])
        guard let top = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return [] }
        return Set(top.keys)
    }

    /// Raw paths of one prefix in the global RIB.
    func paths(for prefix: String) throws -> [[String: Any]] {
        let text = try gobgp(["global", "rib", "-a", prefix.contains(":") ? "ipv6" : "ipv4", "-j"])
        let top = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        return top?[prefix] as? [[String: Any]] ?? []
    }

    func describe() -> String {
        "GoBGP \(namespace): sessions \((try? sessionStates()) ?? [:]); rib \((try? ribPrefixes().sorted()) ?? []); log: \(daemon.logTail(6))"
    }
}
