import BGPWire

/// `calicoctl node status` (calicoctl/commands/node/status.go, tablewriter layout up to v3.32).
public enum NodeStatus {
    /// One table row: PEER ADDRESS, PEER TYPE, STATE, SINCE, INFO.
    public struct Row: Hashable, Sendable {
        public var peerAddress: String
        public var peerType: String
        public var state: String
        public var since: String
        public var info: String
        public init(peerAddress: String, peerType: String, state: String, since: String, info: String) {
            self.peerAddress = peerAddress; self.peerType = peerType; self.state = state; self.since = since; self.info = info
        }
    }

    /// What calicoctl learnt for one address family.
    public enum Family: Hashable, Sendable {
        /// The BIRD process runs and answered with these BGP protocols (possibly none).
        case peers([Row])
        /// No `bird`/`bird6` process.
        case birdNotRunning
        /// The control socket could not be used; the text follows `unable to connect to BIRDv4 socket: `.
        case socketError(String)
    }

    public static let notRunning = "Calico process is not running."
    public static let needRoot = "Need super user privileges: Operation not permitted"

    /// The full stdout for a running node. Pass `.birdNotRunning` for both to get the "BGP backend
    /// process (BIRD) is not running" variant.
    public static func render(ipv4: Family, ipv6: Family) -> String {
        var out = "Calico process is running.\n"
        if ipv4 == .birdNotRunning && ipv6 == .birdNotRunning {
            out += "\nThe BGP backend process (BIRD) is not running.\n"
        } else {
            out += section("4", ipv4)
            out += section("6", ipv6)
        }
        return out + "\n"
    }

    /// The whole command: root check, process check (felix/calico-node argv), then the report.
    public static func command(isRoot: Bool, calicoRunning: Bool, ipv4: Family, ipv6: Family) -> CommandOutput {
        if !isRoot { return CommandOutput(stdout: needRoot + "\n", exitCode: 1) }
        if !calicoRunning { return CommandOutput(stderr: notRunning + "\n", exitCode: 1) }
        return CommandOutput(stdout: render(ipv4: ipv4, ipv6: ipv6))
    }

    /// calicoctl's process detection: argv[0] is `calico-felix` or `calico-node`, or argv[1] is `-felix`.
    public static func isCalicoProcess(_ argv: [String]) -> Bool {
        argv.first == "calico-felix" || argv.first == "calico-node" || (argv.count > 1 && argv[1] == "-felix")
    }

    static func section(_ v: String, _ family: Family) -> String {
        switch family {
        case .birdNotRunning:
            return "\nINFO: BIRDv\(v) process: '\(v == "4" ? "bird" : "bird6")' is not running.\n"
        case .socketError(let err):
            return "\nIPv\(v) BGP status\nError querying BIRD: unable to connect to BIRDv\(v) socket: \(err)"
        case .peers(let rows):
            if rows.isEmpty { return "\nIPv\(v) BGP status\nNo IPv\(v) peers found.\n" }
            return "\nIPv\(v) BGP status\n" + table(rows)
        }
    }

    public static func table(_ rows: [Row]) -> String {
        BoxTable.render(header: ["Peer address", "Peer type", "State", "Since", "Info"],
                        rows: rows.map { [$0.peerAddress, $0.peerType, $0.state, $0.since, $0.info] })
    }

    /// Parses BIRD's `show protocols` reply (the `2002-` heading, `1002-` first row, continuation rows,
    /// `0000` end) into rows, keeping only BGP protocols named `Global_`, `Node_` or `Mesh_`.
    public static func parseShowProtocols(_ reply: String, family: AFI) throws -> [Row] {
        var rows: [Row] = []
        for rawLine in reply.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if line.isEmpty { continue }
            if line.hasPrefix("0000") { break }
            if line.hasPrefix("0001") || line.hasPrefix("8003") { continue }
            if line.hasPrefix("2002-") {
                let heading = line.dropFirst(5).split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard heading == ["name", "proto", "table", "state", "since", "info"] else {
                    throw CalicoError("unknown BIRD table output format")
                }
                continue
            }
            let body: Substring
            if line.hasPrefix("1002-") { body = line.dropFirst(5) } else if line.hasPrefix(" ") { body = line.dropFirst() } else {
                throw CalicoError("unexpected output line from BIRD")
            }
            let f = body.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard f.count >= 6, f[1] == "BGP", let (kind, rest) = splitName(f[0]) else { continue }
            let sep = family == .ipv4 ? "." : ":"
            rows.append(Row(peerAddress: rest.replacingUnderscores(with: sep), peerType: kind.rawValue,
                            state: f[3], since: f[4], info: f[5...].joined(separator: " ")))
        }
        return rows
    }

    static func splitName(_ name: String) -> (PeerDescription.Kind, String)? {
        for k in [PeerDescription.Kind.global, .nodeSpecific, .mesh] {
            let p = k.protocolPrefix + "_"
            if name.hasPrefix(p), name.count > p.count { return (k, String(name.dropFirst(p.count))) }
        }
        return nil
    }
}

extension String {
    func replacingUnderscores(with s: String) -> String { map { $0 == "_" ? s : String($0) }.joined() }
}
