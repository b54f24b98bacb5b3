import Glibc

/// One BGP session as a device reports it (its peer table row).
public struct ReportedSession: Hashable, Sendable {
    public var node: String
    /// The peer's address as the device prints it.
    public var peer: String
    public var established: Bool
    /// The state word the device shows (`Active`, `Idle`, `Connect` …).
    public var state: String

    public init(node: String, peer: String, established: Bool, state: String) {
        self.node = node
        self.peer = peer
        self.established = established
        self.state = state
    }

    /// `node→peer (state)`, as `up --wait` lists sessions that are not up.
    public var label: String { "\(node)→\(peer) (\(state))" }
}

/// Which sessions a lab can bring up by itself. A session towards another device of the lab that has no
/// session back (seed 004's border lists the nodes, but the nodes only peer with it once the trainee creates
/// the document's global BGPPeer) waits for the user, so `up --wait` leaves it out instead of timing out.
public enum SessionPairing {
    /// The sessions whose peer address belongs to another device that reports its sessions and has none
    /// towards any address of the session's own device.
    /// - Parameters:
    ///   - addresses: each device's addresses (any textual form; compared after normalising).
    ///   - reporting: the devices whose sessions are in `sessions` (a silent device proves nothing).
    public static func oneSided(_ sessions: [ReportedSession], addresses: [String: [String]], reporting: Set<String>) -> [ReportedSession] {
        var owner: [String: String] = [:]
        var own: [String: Set<String>] = [:]
        for (node, list) in addresses {
            for text in list {
                let address = normalised(text)
                owner[address] = node
                own[node, default: []].insert(address)
            }
        }
        var peersOf: [String: Set<String>] = [:]
        for session in sessions { peersOf[session.node, default: []].insert(normalised(session.peer)) }
        return sessions.filter { session in
            guard let other = owner[normalised(session.peer)], other != session.node, reporting.contains(other) else { return false }
            return (peersOf[other] ?? []).isDisjoint(with: own[session.node] ?? [])
        }
    }

    /// One spelling per address: `fd00:0::1`, `fd00::1` and `fd00::1/64` compare equal.
    static func normalised(_ text: String) -> String {
        let bare = String(text.split(separator: "/").first ?? "")
        var v4 = in_addr(), v6 = in6_addr()
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        if inet_pton(AF_INET, bare, &v4) == 1, inet_ntop(AF_INET, &v4, &buffer, socklen_t(buffer.count)) != nil {
            return String(cString: buffer)
        }
        if inet_pton(AF_INET6, bare, &v6) == 1, inet_ntop(AF_INET6, &v6, &buffer, socklen_t(buffer.count)) != nil {
            return String(cString: buffer)
        }
        return bare
    }
}
