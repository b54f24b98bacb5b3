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
        var established: Int
        var total: Int
        /// Peers not Established, as `node→peer (state)`.
        var down: [String]
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
        var count = Count(established: 0, total: rows.count, down: [])
        for row in rows {
            let state = row.info.split(separator: " ").first.map(String.init) ?? row.state
            if state == BirdControl.SessionState.established.rawValue { count.established += 1 } else {
                count.down.append("\(node)→\(row.peerAddress) (\(state))")
            }
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
        var count = Count(established: 0, total: 0, down: [])
        for line in lines {
            let words = line.split(separator: " ").map(String.init)
            guard let first = words.first, isAddress(first) else { continue }
            count.total += 1
            let up: Bool
            if kind == Kind.quagga.name { up = words.last.flatMap { Int($0) } != nil } else { up = words.contains("Established") }
            if up { count.established += 1 } else {
                let state = kind == Kind.quagga.name ? words.last ?? "?" : words.first { ["Idle", "Connect", "Active", "OpenSent", "OpenConfirm", "No neg"].contains($0) } ?? "not Established"
                count.down.append("\(node)→\(first) (\(state))")
            }
        }
        return count
    }

    static func isAddress(_ text: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}

/// `up --wait`: polls every device daemon until all configured sessions are Established.
struct SessionWaiter {
    enum Outcome {
        case established(total: Int)
        case timedOut(missing: [String])
    }

    var lab: String

    func wait(timeout: Double, onChange: (Int, Int) -> Void) -> Outcome {
        let deadline = Date().addingTimeInterval(timeout)
        var last: (Int, Int)?
        var missing: [String] = []
        while true {
            let state = try? LabEnvironment.store.read(lab: lab).get()
            var up = 0, total = 0
            missing = []
            let directory = LabEnvironment.store.paths(for: lab).directory
            for device in state?.devices ?? [] {
                guard device.socket != nil, DeviceSessions.reportsSessions(kind: device.kind) else { continue }
                guard DaemonHealth.of(device) == .running else { missing.append("\(device.node) (daemon \(DaemonHealth.of(device).rawValue))"); continue }
                guard let count = DeviceSessions.count(device: device, labDirectory: directory) else {
                    missing.append("\(device.node) (\(device.kind == Kind.calicoNode.name ? "BGP status not published" : "console not answering"))")
                    continue
                }
                up += count.established
                total += count.total
                missing += count.down
            }
            if last.map({ $0 != (up, total) }) ?? true { onChange(up, total); last = (up, total) }
            if missing.isEmpty { return .established(total: total) }
            if Date() >= deadline { return .timedOut(missing: missing) }
            usleep(250_000)
        }
    }
}
