import Foundation
import Glibc

/// How a device's daemon is doing, as `peerlab inspect` shows it. A crashed daemon is reported, never
/// restarted behind the user's back: the log says why it died.
public enum DaemonHealth: String, Codable, Sendable {
    case running
    /// Gone after an orderly exit: it removed its control socket on the way out.
    case exited
    /// Gone without cleaning up (killed, or died on an error): its control socket is still on disk.
    case crashed
    /// The kind runs no daemon (hosts, bridges, calico nodes for now).
    case none

    /// Judges a recorded device: alive when its PID still runs the recorded command line.
    public static func of(_ device: LabState.Device) -> DaemonHealth {
        guard let pid = device.pid else { return device.socket == nil ? .none : .crashed }
        if DaemonHealth.isRunning(pid: pid, arguments: device.arguments ?? []) { return .running }
        if let socket = device.socket, FileManager.default.fileExists(atPath: socket) { return .crashed }
        return .exited
    }

    /// Whether `pid` is alive (not a zombie) and its command line ends with `arguments`.
    public static func isRunning(pid: Int32, arguments: [String]) -> Bool {
        guard !ProcessLauncher.isGone(pid) else { return false }
        return arguments.isEmpty || ProcessLauncher.isDaemon(pid: pid, arguments: arguments)
    }
}

/// One row of `peerlab inspect`: what the state file says, what the kernel shows, and what the device
/// says about its BGP sessions.
public struct DeviceReport: Codable, Hashable, Sendable {
    public var node: String
    public var kind: String
    public var namespace: String
    public var state: DaemonHealth
    public var pid: Int32?
    /// Global-scope addresses as `interface address/len`.
    public var addresses: [String]
    /// Established sessions, or nil when the device could not be asked (no daemon, not running).
    public var sessionsUp: Int?
    public var sessionsTotal: Int?

    public init(node: String, kind: String, namespace: String, state: DaemonHealth, pid: Int32?,
                addresses: [String], sessionsUp: Int? = nil, sessionsTotal: Int? = nil) {
        self.node = node
        self.kind = kind
        self.namespace = namespace
        self.state = state
        self.pid = pid
        self.addresses = addresses
        self.sessionsUp = sessionsUp
        self.sessionsTotal = sessionsTotal
    }
}

extension LabTables {
    /// `peerlab inspect`: one row per device; addresses joined with commas.
    public static func inspect(_ reports: [DeviceReport]) -> String {
        var rows = [["NODE", "KIND", "STATE", "PID", "SESSIONS", "ADDRESSES"]]
        for report in reports {
            let sessions = report.sessionsTotal.map { "\(report.sessionsUp ?? 0)/\($0)" } ?? "-"
            rows.append([report.node, report.kind, report.state.rawValue, report.pid.map(String.init) ?? "-", sessions,
                         report.addresses.isEmpty ? "-" : report.addresses.joined(separator: ", ")])
        }
        return render(rows)
    }
}
