import BGPWire
import Calico
import CalicoNode
import Device
import Foundation
import Lab

/// Asks a device, over its console socket, how its BGP sessions stand: runs the kind's peer summary in a
/// fresh session and counts the peer rows. (The console protocol has no status request of its own yet.)
enum DeviceSessions {
    struct Count: Hashable {
        var sessions: [ReportedSession] = []
        var established: Int { sessions.filter(\.established).count }
        var total: Int { sessions.count }
        /// Peers not Established, as `node→peer (state)`.
        var down: [String] { sessions.filter { !$0.established }.map(\.label) }
    }

    /// The summary command per kind and how to read a peer row's state.
    static func summaryCommand(kind: String) -> String? {
        switch kind {
        case Kind.huaweiVRP.name: return "display bgp peer"
        case Kind.h3cComware.name: return "display bgp peer ipv4"
        case Kind.quagga.name: return "show ip bgp summary"
        default: return nil
        }
    }

    /// Whether `count(device:labDirectory:)` can report sessions for this kind.
    static func reportsSessions(kind: String) -> Bool {
        kind == Kind.calicoNode.name || summaryCommand(kind: kind) != nil
    }

    /// Sessions of one running device: calico nodes from their published BIRD status, the others over
    /// their console. Nil when the device cannot say.
    static func count(device: LabState.Device, labDirectory: String) -> Count? {
        if device.kind == Kind.calicoNode.name { return calicoCount(node: device.node, labDirectory: labDirectory) }
        guard let socket = device.socket else { return nil }
        return count(node: device.node, kind: device.kind, socket: socket)
    }

    /// A calico node's BGP protocols as `calicoctl node status` reads them (both families); nil while the
    /// agent has not published them or they do not parse.
    static func calicoCount(node: String, labDirectory: String) -> Count? {
        let files = NodeStatusFiles(datastoreDirectory: CalicoLabEnvironment.datastoreDirectory(labDirectory: labDirectory), node: node)
        var rows: [NodeStatus.Row] = []
        for afi in [AFI.ipv4, .ipv6] {
            guard case .peers(let found) = files.family(afi) else { return nil }
            rows += found
        }
        return calicoCount(rows, node: node)
    }

    /// BIRD shows a BGP session's state as the first word of the info column.
    static func calicoCount(_ rows: [NodeStatus.Row], node: String) -> Count {
        var count = Count()
        for row in rows {
            let state = row.info.split(separator: " ").first.map(String.init) ?? row.state
            count.sessions.append(ReportedSession(node: node, peer: row.peerAddress,
                                                  established: state == BirdControl.SessionState.established.rawValue, state: state))
        }
        return count
    }

    /// Sessions of one device; nil when it has no console or no summary command.
    static func count(node: String, kind: String, socket: String) -> Count? {
        guard let command = summaryCommand(kind: kind), let client = try? ConsoleClient(socketPath: socket) else { return nil }
        defer { client.close() }
        guard (try? client.open()) != nil, let reply = try? client.send(command) else { return nil }
        return parse(reply.output, node: node, kind: kind)
    }

    /// Peer rows start with an address; VRP and Comware name the state (`Established`), Quagga shows the
    /// received-prefix count in the state column once a session is up.
    static func parse(_ lines: [String], node: String, kind: String) -> Count {
        var count = Count()
        for line in lines {
            let words = line.split(separator: " ").map(String.init)
            guard let first = words.first, isAddress(first) else { continue }
            let up: Bool
            if kind == Kind.quagga.name { up = words.last.flatMap { Int($0) } != nil } else { up = words.contains("Established") }
            let state = up ? "Established" : kind == Kind.quagga.name ? words.last ?? "?"
                : words.first { ["Idle", "Connect", "Active", "OpenSent", "OpenConfirm", "No neg"].contains($0) } ?? "not Established"
            count.sessions.append(ReportedSession(node: node, peer: first, established: up, state: state))
        }
        return count
    }

    static func isAddress(_ text: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}

/// `up --wait`: polls every device daemon until every session the lab can bring up by itself is
/// Established. Sessions configured on one end only (see `SessionPairing`) are left out and named.
struct SessionWaiter {
    enum Outcome {
        case established(total: Int, oneSided: [String])
        case timedOut(missing: [String])
    }

    var lab: String
    static let settle = 5.0

    static func key(_ session: ReportedSession) -> String { "\(session.node)→\(session.peer)" }

    func wait(timeout: Double, onChange: (Int, Int) -> Void) -> Outcome {
        let deadline = Date().addingTimeInterval(timeout)
        let backend = KernelBackend()
        var oneSidedSince: [String: Date] = [:]
        var last: (Int, Int)?
        while true {
            let state = try? LabEnvironment.store.read(lab: lab).get()
            var missing: [String] = []
            var sessions: [ReportedSession] = []
            var reporting = Set<String>()
            var addresses: [String: [String]] = [:]
            let directory = LabEnvironment.store.paths(for: lab).directory
            for device in state?.devices ?? [] {
                // "eth0 10.0.0.1/24" → "10.0.0.1/24"
                addresses[device.node] = backend.addresses(in: device.namespace).compactMap { $0.split(separator: " ").last.map(String.init) }
                guard device.socket != nil, DeviceSessions.reportsSessions(kind: device.kind) else { continue }
                guard DaemonHealth.of(device) == .running else { missing.append("\(device.node) (daemon \(DaemonHealth.of(device).rawValue))"); continue }
                guard let count = DeviceSessions.count(device: device, labDirectory: directory) else {
                    missing.append("\(device.node) (\(device.kind == Kind.calicoNode.name ? "BGP status not published" : "console not answering"))")
                    continue
                }
                reporting.insert(device.node)
                sessions += count.sessions
            }
            // A device still computing its peers looks one-sided for a moment: only a pairing that stays
            // one-sided for `settle` seconds is left out.
            let now = Date()
            let candidates = SessionPairing.oneSided(sessions, addresses: addresses, reporting: reporting)
            oneSidedSince = oneSidedSince.filter { key, _ in candidates.contains { Self.key($0) == key } }
            for session in candidates where oneSidedSince[Self.key(session)] == nil { oneSidedSince[Self.key(session)] = now }
            let oneSided = Set(candidates.filter { now.timeIntervalSince(oneSidedSince[Self.key($0)] ?? now) >= Self.settle })
            let awaited = sessions.filter { !oneSided.contains($0) }
            missing += awaited.filter { !$0.established }.map(\.label)
            let up = awaited.filter(\.established).count
            if last.map({ $0 != (up, awaited.count) }) ?? true { onChange(up, awaited.count); last = (up, awaited.count) }
            if missing.isEmpty {
                return .established(total: awaited.count, oneSided: sessions.filter { oneSided.contains($0) }.map(\.label))
            }
            if Date() >= deadline { return .timedOut(missing: missing) }
            usleep(250_000)
        }
    }
}
