import BGPWire
import BGPSpeaker
import Device

/// `show ip bgp summary`, Quagga 1.2.x layout (vendor-cli.md §C.3).
public enum SummaryView {
    /// sizeof(struct bgp_node) and sizeof(struct peer) on a 64-bit Quagga 1.2, for the memory lines.
    static let bytesPerRIBEntry = 112
    static let bytesPerPeer = 8704

    /// - Parameters:
    ///   - adminDown: neighbors configured `shutdown`: `Idle (Admin)`.
    public static func render(_ bgp: BGPState, adminDown: Set<IPv4Address> = []) -> [String] {
        guard !bgp.peers.isEmpty else { return ["No IPv4 neighbor is configured"] }
        let ribEntries = Set(bgp.entries.map(\.prefix)).count
        var out = [
            "BGP router identifier \(bgp.routerID), local AS number \(bgp.asn)",
            "RIB entries \(ribEntries), using \(memory(ribEntries * bytesPerRIBEntry)) of memory",
            "Peers \(bgp.peers.count), using \(memory(bgp.peers.count * bytesPerPeer)) of memory",
            "",
            "Neighbor        V         AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd",
        ]
        var established = 0, received = 0
        for peer in bgp.peers {
            out += row(peer, adminDown: adminDown.contains(peer.address))
            if peer.state == .established { established += 1; received += peer.prefixesReceived }
        }
        out += ["", "Total number of neighbors \(bgp.peers.count)", "",
                "Total num. Established sessions \(established)", "Total num. of routes received     \(received)"]
        return out
    }

    /// One neighbor: an address longer than 15 characters gets a line of its own.
    static func row(_ peer: BGPPeerSummary, adminDown: Bool) -> [String] {
        var lines: [String] = []
        var line = ""
        let name = peer.address.description
        if name.count > 15 {
            lines.append(name)
            line = String(repeating: " ", count: 16)
        } else {
            line = Pad.left(name, 16)
        }
        line += "4 " + Pad.right(peer.remoteAS, 5) + " " + Pad.right(peer.messagesIn, 7) + " " + Pad.right(peer.messagesOut, 7)
            + " " + Pad.right(0, 8) + " " + Pad.right(0, 4) + " " + Pad.right(0, 4) + " "
        line += Pad.right(upDown(peer), 8)
        if adminDown {
            line += " Idle (Admin)"
        } else if peer.state == .established {
            line += " " + Pad.right(peer.prefixesReceived, 8)
        } else {
            line += " " + Pad.left(peer.state.description, 11)
        }
        lines.append(line)
        return lines
    }

    /// Time Established, or since the session last dropped; `never` for a peer that was never up.
    static func upDown(_ peer: BGPPeerSummary) -> String {
        if peer.state != .established && peer.lastError == nil { return "never" }
        return Uptime.age(peer.upDownSeconds)
    }

    /// Quagga's mtype_memstr: bytes, or KiB/MiB/GiB once there are more than ten of them (rounded half up).
    static func memory(_ bytes: Int) -> String {
        for (shift, unit) in [(30, "GiB"), (20, "MiB"), (10, "KiB")] {
            let whole = bytes >> shift
            if whole > 10 { return "\(whole + (bytes >> (shift - 1) & 1)) \(unit)" }
        }
        return "\(bytes) bytes"
    }
}
