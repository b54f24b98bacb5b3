import Foundation
import BGPWire
import BGPSpeaker

/// `show ip bgp` and `show ip bgp <prefix>`, Quagga 1.2.x layout (vendor-cli.md §C.4).
public enum BGPTableView {
    static func header(_ routerID: IPv4Address) -> [String] {
        [
            "BGP table version is 0, local router ID is \(routerID)",
            "Status codes: s suppressed, d damped, h history, * valid, > best, = multipath,",
            "              i internal, r RIB-failure, S Stale, R Removed",
            "Origin codes: i - IGP, e - EGP, ? - incomplete",
            "",
            "   Network          Next Hop            Metric LocPrf Weight Path",
        ]
    }

    /// The whole IPv4 table, or (`show ip bgp neighbors X routes`) only the paths learned from one peer;
    /// the footer counts every path of the table either way, as Quagga does.
    public static func render(_ bgp: BGPState, from peer: IPAddress? = nil) -> [String] {
        var out = header(bgp.routerID)
        var previous: Prefix?
        var prefixes = 0
        for entry in bgp.entries {
            if let peer {
                guard case .peer(let a, _, _) = entry.source, a == peer else { continue }
            }
            let first = entry.prefix != previous
            if first { prefixes += 1 }
            out += row(entry, showPrefix: first)
            previous = entry.prefix
        }
        if prefixes == 0 { return Array(out.prefix(4)) + ["No BGP prefixes displayed, 0 exist"] }
        out += ["", "Displayed  \(prefixes) out of \(bgp.entries.count) total prefixes"]
        return out
    }

    /// `show ip bgp neighbors X advertised-routes`: what the peer is sent, as it will see it; nothing at all
    /// when nothing is advertised.
    public static func advertised(_ routerID: IPv4Address, _ entries: [RIBEntry]) -> [String] {
        guard !entries.isEmpty else { return [] }
        var out = header(routerID)
        for e in entries {
            var line = row(e, showPrefix: true)
            line[0] = "*> " + line[0].dropFirst(3)
            out += line
        }
        return out + ["", "Total number of prefixes \(entries.count)"]
    }

    /// One path: status, network (blank for a second path of the same prefix), next hop, metric, local
    /// preference, weight, AS path and origin.
    static func row(_ entry: RIBEntry, showPrefix: Bool) -> [String] {
        var lines: [String] = []
        var line = status(entry)
        if showPrefix {
            let network = networkText(entry.prefix)
            if network.count >= 17 {
                lines.append(line + network)
                line = String(repeating: " ", count: 20)
            } else {
                line += Pad.left(network, 17)
            }
        } else {
            line += String(repeating: " ", count: 17)
        }
        let a = entry.attributes
        line += Pad.left(entry.nextHop.description, 16)
        let med = a.med ?? (isLocal(entry) ? 0 : nil)
        line += med.map { Pad.right($0, 10) } ?? String(repeating: " ", count: 10)
        let localPref = isInternal(entry) ? a.localPref : nil
        line += localPref.map { Pad.right($0, 7) } ?? String(repeating: " ", count: 7)
        line += Pad.right(weight(entry), 7) + " "
        let path = a.asPath.description
        if !path.isEmpty { line += path + " " }
        line += originCode(a.origin ?? .incomplete)
        lines.append(line)
        return lines
    }

    /// The three status characters: valid/stale, best/multipath, internal.
    static func status(_ e: RIBEntry) -> String {
        let first: Character = e.isStale ? "S" : (e.isValid ? "*" : " ")
        let second: Character = e.isBest ? ">" : (e.isMultipath ? "=" : " ")
        let third: Character = isInternal(e) ? "i" : " "
        return String([first, second, third])
    }

    /// Quagga leaves out `/len` when it is the classful natural mask, and for 0.0.0.0.
    static func networkText(_ prefix: Prefix) -> String {
        guard case .v4(let p) = prefix else { return prefix.description }
        let top = p.address.value >> 24
        let natural = (top < 128 && p.length == 8) || (top >= 128 && top < 192 && p.length == 16)
            || (top >= 192 && top < 224 && p.length == 24) || p.address.value == 0
        return natural ? p.address.description : p.description
    }

    static func originCode(_ o: Origin) -> String {
        switch o {
        case .igp: return "i"
        case .egp: return "e"
        case .incomplete: return "?"
        }
    }

    static func isLocal(_ e: RIBEntry) -> Bool { if case .local = e.source { return true } else { return false } }
    static func isInternal(_ e: RIBEntry) -> Bool {
        if case .peer(_, _, let external) = e.source { return !external } else { return false }
    }
    static func weight(_ e: RIBEntry) -> Int { isLocal(e) ? 32768 : 0 }

    /// The most specific prefix holding `address` (`show ip bgp A.B.C.D`).
    public static func longestMatch(_ bgp: BGPState, _ address: IPv4Address) -> Prefix? {
        var found: IPv4Prefix?
        for e in bgp.entries {
            guard case .v4(let p) = e.prefix, p.contains(address) else { continue }
            if found == nil || p.length > found!.length { found = p }
        }
        return found.map { .v4($0) }
    }

    // MARK: Detail

    /// `show ip bgp <prefix>`: every path of one prefix, or `% Network not in table`.
    /// - Parameter now: wall-clock time, to turn path ages into `Last update:` dates.
    public static func detail(_ bgp: BGPState, prefix: Prefix, now: Date) -> [String] {
        let paths = bgp.entries.filter { $0.prefix == prefix }
        guard !paths.isEmpty else { return ["% Network not in table"] }
        var out = ["BGP routing table entry for \(prefix)"]
        if let best = paths.firstIndex(where: \.isBest) {
            out.append("Paths: (\(paths.count) available, best #\(best + 1), table Default-IP-Routing-Table)")
        } else {
            out.append("Paths: (\(paths.count) available, no best path)")
        }
        let advertised = bgp.advertisedTo[prefix] ?? []
        if advertised.isEmpty {
            out.append("  Not advertised to any peer")
        } else {
            out.append("  Advertised to non peer-group peers:")
            out.append(" " + advertised.map { " \($0)" }.joined())
        }
        for path in paths { out += pathDetail(path, bgp: bgp, now: now) }
        return out
    }

    static func pathDetail(_ e: RIBEntry, bgp: BGPState, now: Date) -> [String] {
        let a = e.attributes
        let path = a.asPath.description
        var out = ["  " + (path.isEmpty ? "Local" : path)]
        switch e.source {
        case .local:
            out.append("    0.0.0.0 from 0.0.0.0 (\(bgp.routerID))")
        case .peer(let address, let routerID, _):
            out.append("    \(e.nextHop) from \(address) (\(routerID))")
        }
        var facts = "      Origin \(originName(a.origin ?? .incomplete))"
        if let med = a.med ?? (isLocal(e) ? 0 : nil) { facts += ", metric \(med)" }
        facts += ", localpref \(a.localPref ?? 100)"
        if weight(e) != 0 { facts += ", weight \(weight(e))" }
        if e.isValid { facts += ", valid" }
        switch e.source {
        case .peer(_, _, let external): facts += external ? ", external" : ", internal"
        case .local(let origin): facts += origin == .network || origin == .blackhole ? ", sourced, local" : ", sourced"
        }
        if a.atomicAggregate { facts += ", atomic-aggregate" }
        if e.isMultipath { facts += ", multipath" }
        if e.isBest { facts += ", best" }
        out.append(facts)
        if !a.communities.isEmpty { out.append("      Community: " + a.communities.map(\.description).joined(separator: " ")) }
        if let originator = a.originatorID {
            out.append("      Originator: \(originator), Cluster list: " + a.clusterList.map { "\($0) " }.joined())
        }
        let age = TimeInterval(bgp.clock >= e.since ? bgp.clock - e.since : 0)
        out.append("      Last update: " + ctime(now.addingTimeInterval(-age)))
        out.append("")
        return out
    }

    static func originName(_ o: Origin) -> String {
        switch o {
        case .igp: return "IGP"
        case .egp: return "EGP"
        case .incomplete: return "incomplete"
        }
    }

    /// C's ctime() without the newline: `Wed May  1 12:00:00 2024` (UTC).
    static func ctime(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "EEE MMM"
        let day = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date).day ?? 1
        let head = f.string(from: date) + " " + Pad.right(day, 2)
        f.dateFormat = "HH:mm:ss yyyy"
        return head + " " + f.string(from: date)
    }
}
