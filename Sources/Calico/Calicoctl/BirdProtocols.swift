import Foundation

/// What an emulated BIRD control socket answers to `show protocols` (spec §3.2), so the node agent can
/// serve `/var/run/calico/bird.ctl` and `calicoctl node status` can parse it back.
public enum BirdControl {
    public static let greeting = "0001 BIRD v0.3.3+birdv1.6.8 ready.\n"
    public static let noProtocols = "8003 No protocols match\n"

    /// One line of `show protocols`.
    public struct ProtocolLine: Hashable, Sendable {
        public var name: String
        public var proto: String
        public var state: String
        public var since: String
        public var info: String
        public init(name: String, proto: String, state: String, since: String, info: String) {
            self.name = name; self.proto = proto; self.state = state; self.since = since; self.info = info
        }
    }

    /// The BGP session states BIRD reports in the info column.
    public enum SessionState: String, Sendable {
        case idle = "Idle", connect = "Connect", active = "Active", openSent = "OpenSent"
        case openConfirm = "OpenConfirm", established = "Established", close = "Close", passive = "Passive"
    }

    /// The reply to `show protocols`: `2002-` heading, `1002-` first row, continuation rows, `0000`.
    public static func showProtocols(_ lines: [ProtocolLine]) -> String {
        guard !lines.isEmpty else { return noProtocols }
        var out = "2002-" + format("name", "proto", "state", "since", "info", table: "table") + "\n"
        for (i, l) in lines.enumerated() {
            out += (i == 0 ? "1002-" : " ") + format(l.name, l.proto, l.state, l.since, l.info) + "\n"
        }
        return out + "0000\n"
    }

    /// `"%-8s %-8s %-8s %-5s  %-10s  %s"`
    static func format(_ name: String, _ proto: String, _ state: String, _ since: String, _ info: String, table: String = "master") -> String {
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        return "\(pad(name, 8)) \(pad(proto, 8)) \(pad(table, 8)) \(pad(state, 5))  \(pad(since, 10))  \(info)"
    }

    /// The line for one computed peer. `lastError` is the BIRD text with its prefix
    /// (`Socket: Connection refused`, `BGP Error: Bad peer AS`); `down` renders a disabled protocol.
    public static func line(for peer: PeerDescription, session: SessionState, lastError: String? = nil,
                            down: Bool = false, since: String) -> ProtocolLine {
        if down { return ProtocolLine(name: peer.protocolName, proto: "BGP", state: "down", since: since, info: lastError ?? "") }
        let info = session.rawValue.padding(toLength: max(14, session.rawValue.count), withPad: " ", startingAt: 0) + (lastError ?? "")
        return ProtocolLine(name: peer.protocolName, proto: "BGP", state: session == .established ? "up" : "start", since: since, info: info)
    }

    /// BIRD's `iso short` protocol time: `HH:MM:SS` within 20 hours, else `YYYY-MM-DD` (UTC here).
    public static func sinceText(changed: Date, now: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = now.timeIntervalSince(changed) < 20 * 3600 ? "HH:mm:ss" : "yyyy-MM-dd"
        return f.string(from: changed)
    }
}
