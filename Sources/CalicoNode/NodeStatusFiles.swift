import Foundation
import BGPWire
import Calico

/// Where a node agent publishes what its emulated BIRD control sockets would answer to `show protocols`
/// (`bird.ctl` for IPv4, `bird6.ctl` for IPv6, as text files), and its PID, so `calicoctl node status` in
/// another process can render the real session states.
public struct NodeStatusFiles: Sendable {
    public let directory: URL
    public init(directory: URL) { self.directory = directory }

    /// `<datastore>/status/<node>`: the default the agent and the calicoctl front end agree on.
    public init(datastoreDirectory: URL, node: String) {
        self.init(directory: datastoreDirectory.appendingPathComponent("status").appendingPathComponent(node))
    }

    var ipv4File: URL { directory.appendingPathComponent("bird.ctl.txt") }
    var ipv6File: URL { directory.appendingPathComponent("bird6.ctl.txt") }
    var pidFile: URL { directory.appendingPathComponent("calico-node.pid") }

    func prepare() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func markRunning(pid: Int32) throws {
        try TextFile.replace(pidFile.path, with: "\(pid)\n")
    }

    func write(ipv4: String, ipv6: String) throws {
        try TextFile.replace(ipv4File.path, with: ipv4)
        try TextFile.replace(ipv6File.path, with: ipv6)
    }

    func remove() {
        for f in [ipv4File, ipv6File, pidFile] { try? FileManager.default.removeItem(at: f) }
    }

    /// The published `show protocols` reply for one family (`8003 No protocols match` before the first write).
    public func showProtocolsReply(_ afi: AFI) -> String {
        (try? String(contentsOf: afi == .ipv4 ? ipv4File : ipv6File, encoding: .utf8)) ?? BirdControl.noProtocols
    }

    /// Whether the agent that wrote the PID file is still alive.
    public var isRunning: Bool {
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8),
              let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// One family as `calicoctl node status` sees it: parsed from the published reply, or BIRD not running.
    public func family(_ afi: AFI) -> NodeStatus.Family {
        guard isRunning, let text = try? String(contentsOf: afi == .ipv4 ? ipv4File : ipv6File, encoding: .utf8) else {
            return .birdNotRunning
        }
        do { return .peers(try NodeStatus.parseShowProtocols(text, family: afi)) } catch {
            return .socketError("\(error)")
        }
    }

    /// The whole `calicoctl node status` output for this node.
    public func nodeStatus(isRoot: Bool = getuid() == 0) -> CommandOutput {
        NodeStatus.command(isRoot: isRoot, calicoRunning: isRunning, ipv4: family(.ipv4), ipv6: family(.ipv6))
    }
}
