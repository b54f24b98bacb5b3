import Foundation

/// One FRR neighbor statement set.
struct FRRNeighbor {
    var address: String
    var remoteAS: UInt32
    var password: String? = nil
    /// Families to activate for this neighbor (`ipv4`, `ipv6`).
    var families: [String] = ["ipv4"]
    var routeReflectorClient = false
}

/// What an FRR instance runs: one `router bgp` with neighbors and `network` statements.
struct FRRConfig {
    var asn: UInt32
    var routerID: String
    var neighbors: [FRRNeighbor]
    var networks: [String] = []
    /// Set to act as a route reflector (`bgp cluster-id`).
    var clusterID: String? = nil

    func render(hostname: String, logFile: String) -> String {
        var lines = ["frr defaults traditional", "hostname \(hostname)", "log file \(logFile)", "!",
                     "router bgp \(asn)", " bgp router-id \(routerID)",
                     " no bgp ebgp-requires-policy", " no bgp network import-check", " no bgp default ipv4-unicast"]
        if let cluster = clusterID { lines.append(" bgp cluster-id \(cluster)") }
        for n in neighbors {
            lines.append(" neighbor \(n.address) remote-as \(n.remoteAS)")
            lines.append(" neighbor \(n.address) timers connect 5")
            lines.append(" neighbor \(n.address) advertisement-interval 0")
            if let password = n.password { lines.append(" neighbor \(n.address) password \(password)") }
        }
        for family in ["ipv4", "ipv6"] {
            let members = neighbors.filter { $0.families.contains(family) }
            let nets = networks.filter { $0.contains(":") == (family == "ipv6") }
            if members.isEmpty && nets.isEmpty { continue }
            lines.append(" address-family \(family) unicast")
            for net in nets { lines.append("  network \(net)") }
            for n in members {
                lines.append("  neighbor \(n.address) activate")
                if n.routeReflectorClient { lines.append("  neighbor \(n.address) route-reflector-client") }
            }
            lines.append(" exit-address-family")
        }
        lines.append("!")
        return lines.joined(separator: "\n") + "\n"
    }
}

/// An FRR zebra + bgpd pair inside one namespace, with every path (vty sockets, zserv socket, pid
/// files, config) in the test's own directory so nothing touches /etc/frr or another instance.
final class FRRInstance {
    let namespace: Namespace
    let directory: URL
    let zebra: Daemon
    let bgpd: Daemon

    init(_ config: FRRConfig, in ns: Namespace, network: TestNetwork) throws {
        namespace = ns
        directory = try network.directory("frr-\(ns.name.split(separator: "-").last ?? "")")
        let dir = directory.path
        let pathspace = "\(network.prefix)-\(ns.name.split(separator: "-").last ?? "")"
        let conf = directory.appendingPathComponent("frr.conf")
        try config.render(hostname: ns.role, logFile: "\(dir)/frr.log").write(to: conf, atomically: false, encoding: .utf8)
        // FRR drops to user frr: its run directory and files must be frr's.
        try Command.run(["chown", "-R", "frr:frr", dir])
        network.onTeardown { try? FileManager.default.removeItem(atPath: "/var/run/frr/\(pathspace)") }
        let common = ["-N", pathspace, "--vty_socket", dir, "-z", "\(dir)/zserv.api", "--config_file", conf.path]
        let zebra = try network.start("zebra", ["/usr/lib/frr/zebra"] + common + ["-i", "\(dir)/zebra.pid", "--log", "file:\(dir)/zebra.log"],
                                  in: ns, log: directory.appendingPathComponent("zebra.out"))
        try waitUntil("FRR zebra's zserv socket in \(ns)", timeout: 20) {
            guard zebra.isRunning else { throw DaemonExited(daemon: "zebra", status: zebra.process.terminationStatus, log: zebra.logTail()) }
            return FileManager.default.fileExists(atPath: "\(dir)/zserv.api")
        }
        self.zebra = zebra
        let bgpd = try network.start("bgpd", ["/usr/lib/frr/bgpd"] + common + ["-i", "\(dir)/bgpd.pid", "--log", "file:\(dir)/bgpd.log"],
                                 in: ns, log: directory.appendingPathComponent("bgpd.out"))
        try waitUntil("FRR bgpd's vty socket in \(ns)", timeout: 20) {
            guard bgpd.isRunning else { throw DaemonExited(daemon: "bgpd", status: bgpd.process.terminationStatus, log: bgpd.logTail()) }
            return FileManager.default.fileExists(atPath: "\(dir)/bgpd.vty")
        }
        self.bgpd = bgpd
    }

    /// Runs one vtysh command against this instance's sockets.
    func vtysh(_ command: String) throws -> String {
        try Command.run(namespace.exec(["vtysh", "--vty_socket", directory.path, "-c", command]))
    }

    /// Applies configuration lines in one vtysh session (`configure terminal` is added).
    func configure(_ lines: [String]) throws {
        let args = (["configure terminal"] + lines).flatMap { ["-c", $0] }
        try Command.run(namespace.exec(["vtysh", "--vty_socket", directory.path] + args))
    }

    func json(_ command: String) throws -> Any {
        let text = try vtysh(command)
        return try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    /// Session state per neighbor address, over every address family `show bgp summary json` lists.
    func sessionStates() throws -> [String: String] {
        guard let top = try json("show bgp summary json") as? [String: Any] else { return [:] }
        var states: [String: String] = [:]
        for (_, family) in top {
            guard let peers = (family as? [String: Any])?["peers"] as? [String: Any] else { continue }
            for (address, info) in peers {
                if let state = (info as? [String: Any])?["state"] as? String { states[address] = state }
            }
        }
        return states
    }

    func isEstablished(_ neighbor: String) throws -> Bool { try sessionStates()[neighbor] == "Established" }

    /// Prefixes in FRR's BGP table for a family, with their paths.
    func bgpTable(ipv6: Bool = false) throws -> [String: [[String: Any]]] {
        let top = try json("show bgp \(ipv6 ? "ipv6" : "ipv4") unicast json") as? [String: Any]
        return (top?["routes"] as? [String: [[String: Any]]]) ?? [:]
    }

    /// Paths of one prefix from `show bgp ipv4 unicast PREFIX json` (originatorId, clusterList, …).
    func paths(for prefix: String) throws -> [[String: Any]] {
        let family = prefix.contains(":") ? "ipv6" : "ipv4"
        let top = try json("show bgp \(family) unicast \(prefix) json") as? [String: Any]
        return (top?["paths"] as? [[String: Any]]) ?? []
    }

    /// Prefixes zebra reports installed in the FIB (`show ip route json`).
    func zebraInstalled(ipv6: Bool = false) throws -> Set<String> {
        let top = try json("show \(ipv6 ? "ipv6" : "ip") route json") as? [String: [[String: Any]]] ?? [:]
        return Set(top.filter { $0.value.contains { ($0["installed"] as? Bool) == true } }.keys)
    }

    func describe() -> String {
        let states = (try? sessionStates()).map { "\($0)" } ?? "?"
        let table = (try? bgpTable()).map { $0.keys.sorted().joined(separator: ",") } ?? "?"
        return "FRR \(namespace): sessions \(states); ipv4 table [\(table)]; bgpd log: \(tailOfFile(directory.appendingPathComponent("bgpd.log")))"
    }
}
