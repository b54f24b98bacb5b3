import Foundation

/// One BIRD `protocol bgp`.
struct BIRDNeighbor {
    /// Protocol name in `show protocols` (letters, digits, underscore).
    var name: String
    var address: String
    var remoteAS: UInt32
    var localAddress: String
    /// `ipv4`, `ipv6`.
    var families: [String] = ["ipv4"]
    var passive = false
    /// Resolve next hops through the routing table (route-reflected iBGP routes whose next hop is not
    /// on a shared link) instead of requiring them to be directly connected.
    var recursiveNextHop = false
}

/// A BIRD 2 configuration: static routes to announce, BGP neighbors, and a kernel protocol that
/// exports BGP routes to the namespace's FIB (off for the benchmark).
struct BIRDConfig {
    var asn: UInt32
    var routerID: String
    var neighbors: [BIRDNeighbor]
    /// Announced via `protocol static` (blackhole routes, not exported to the kernel).
    var networks: [String] = []
    var exportToKernel = true
    /// Static routes toward other test links (prefix, gateway), used only to resolve next hops; not announced.
    var igpRoutes: [(prefix: String, via: String)] = []

    func render(logFile: String) -> String {
        var out = """
        router id \(routerID);
        log "\(logFile)" all;
        protocol device { scan time 5; }
        protocol direct { ipv4; ipv6; }

        """
        if exportToKernel {
            out += """
            protocol kernel k4 { ipv4 { import none; export where source = RTS_BGP; }; learn off; }
            protocol kernel k6 { ipv6 { import none; export where source = RTS_BGP; }; learn off; }

            """
        }
        let v4 = networks.filter { !$0.contains(":") }, v6 = networks.filter { $0.contains(":") }
        if !v4.isEmpty { out += "protocol static s4 { ipv4; \(v4.map { "route \($0) blackhole;" }.joined(separator: " ")) }\n" }
        if !v6.isEmpty { out += "protocol static s6 { ipv6; \(v6.map { "route \($0) blackhole;" }.joined(separator: " ")) }\n" }
        if !igpRoutes.isEmpty {
            out += "protocol static igp4 { ipv4; \(igpRoutes.map { "route \($0.prefix) via \($0.via);" }.joined(separator: " ")) }\n"
        }
        for n in neighbors {
            let isInternal = n.remoteAS == asn
            out += "protocol bgp \(n.name) {\n"
            out += "  local \(n.localAddress) as \(asn);\n"
            out += "  neighbor \(n.address) as \(n.remoteAS);\n"
            out += "  connect retry time 3;\n"
            if n.passive { out += "  passive on;\n" }
            // iBGP next hops are taken as directly connected on the shared link.
            if isInternal && !n.recursiveNextHop { out += "  direct;\n" }
            for family in n.families {
                out += "  \(family) { import all; export where proto = \"s\(family.dropFirst(3))\";"
                if isInternal { out += n.recursiveNextHop ? " gateway recursive;" : " gateway direct;" }
                out += " };\n"
            }
            out += "}\n"
        }
        return out
    }
}

/// One route alternative from `birdc show route all`.
struct BIRDRoute {
    var prefix: String
    var protocolName: String
    var isBest: Bool
    /// `BGP.origin`, `BGP.as_path`, `BGP.originator_id`, `BGP.cluster_list`, …
    var attributes: [String: String]
}

/// A BIRD 2 daemon inside one namespace with its own config, control socket and pid file.
final class BIRDInstance {
    let namespace: Namespace
    let directory: URL
    let daemon: Daemon
    var socket: String { directory.appendingPathComponent("bird.ctl").path }

    init(_ config: BIRDConfig, in ns: Namespace, network: TestNetwork, role: String = "bird") throws {
        namespace = ns
        directory = try network.directory("\(role)-\(ns.name.split(separator: "-").last ?? "")")
        let conf = directory.appendingPathComponent("bird.conf")
        try config.render(logFile: directory.appendingPathComponent("bird.log").path).write(to: conf, atomically: false, encoding: .utf8)
        let sock = directory.appendingPathComponent("bird.ctl").path
        daemon = try network.start("bird", ["bird", "-f", "-c", conf.path, "-s", sock,
                                            "-P", directory.appendingPathComponent("bird.pid").path],
                                   in: ns, log: directory.appendingPathComponent("bird.out"))
        let d = daemon
        try waitUntil("BIRD control socket in \(ns)", timeout: 20) {
            guard d.isRunning else { throw DaemonExited(daemon: "bird", status: d.process.terminationStatus, log: d.logTail()) }
            return FileManager.default.fileExists(atPath: sock)
        }
    }

    func birdc(_ command: String) throws -> String {
        try Command.run(namespace.exec(["birdc", "-s", socket] + command.split(separator: " ").map(String.init)))
    }

    /// `BGP state:` of one protocol from `show protocols all NAME`.
    func bgpState(_ protocolName: String) throws -> String? {
        let out = try birdc("show protocols all \(protocolName)")
        for line in out.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("BGP state:") {
                return trimmed.dropFirst("BGP state:".count).trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    func isEstablished(_ protocolName: String) throws -> Bool { try bgpState(protocolName) == "Established" }

    /// Every route alternative `show route all` lists, across tables.
    func routes() throws -> [BIRDRoute] {
        try BIRDInstance.parseRoutes(try birdc("show route all"))
    }

    /// Routes learned from a given BGP protocol.
    func routes(from protocolName: String) throws -> [BIRDRoute] {
        try routes().filter { $0.protocolName == protocolName }
    }

    /// Total routes, from `show route count`.
    func routeCount() throws -> Int? {
        let out = try birdc("show route count")
        for line in out.split(separator: "\n") where line.contains("routes for") || line.contains("of ") {
            if let first = line.split(separator: " ").first, let n = Int(first) { return n }
        }
        return nil
    }

    /// Parses BIRD's route listing: a prefix line starts a destination, an indented
    /// "unicast [proto …]" line starts another alternative, tab-indented `KEY: value` lines are attributes.
    static func parseRoutes(_ text: String) throws -> [BIRDRoute] {
        var routes: [BIRDRoute] = []
        var currentPrefix: String?
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = String(raw)
            if line.hasPrefix("BIRD ") || line.hasPrefix("Table ") { continue }
            if line.hasPrefix("\t") {
                let body = line.trimmingCharacters(in: .whitespaces)
                if let colon = body.firstIndex(of: ":"), !routes.isEmpty {
                    let key = String(body[..<colon])
                    let value = body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                    routes[routes.count - 1].attributes[key] = value
                }
                continue
            }
            let tokens = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard !tokens.isEmpty else { continue }
            var rest = tokens[...]
            if !line.hasPrefix(" ") {
                currentPrefix = tokens[0]
                rest = tokens.dropFirst()
            }
            guard let prefix = currentPrefix,
                  let bracket = rest.first(where: { $0.hasPrefix("[") }) else { continue }
            routes.append(BIRDRoute(prefix: prefix, protocolName: String(bracket.dropFirst()),
                                    isBest: rest.contains("*"), attributes: [:]))
        }
        return routes
    }

    func describe() -> String {
        let r = ((try? routes()) ?? []).map { "\($0.prefix)[\($0.protocolName)]" }.joined(separator: ",")
        return "BIRD \(namespace): routes [\(r)]; log: \(tailOfFile(directory.appendingPathComponent("bird.log")))"
    }
}
