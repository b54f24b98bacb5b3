import Foundation

/// `calicoctl ipam show [--show-blocks]`: a tablewriter table of pools (and their blocks).
public enum IPAMShow {
    public static func render(_ usage: [(pool: IPAM.Usage, blocks: [IPAM.Usage])], showBlocks: Bool) -> String {
        var rows: [[String]] = []
        for (pool, blocks) in usage {
            rows.append(row("IP Pool", pool))
            if showBlocks { rows += blocks.map { row("Block", $0) } }
        }
        return BoxTable.render(header: ["GROUPING", "CIDR", "IPS TOTAL", "IPS IN USE", "IPS FREE"], rows: rows)
    }

    /// Figures use Go's `%.5g` (so a /8 pool reads `1.6777e+07`) and percentages `%.0f%%`.
    static func row(_ grouping: String, _ u: IPAM.Usage) -> [String] {
        let used = Double(u.inUse)
        let free = u.total - used
        return [grouping, u.cidr, g5(u.total), "\(g5(used)) (\(percent(used, u.total)))", "\(g5(free)) (\(percent(free, u.total)))"]
    }

    static func percent(_ part: Double, _ total: Double) -> String {
        total > 0 ? String(format: "%.0f%%", 100 * part / total) : "0%"
    }

    /// Go `%.5g`: shortest of %e/%f with 5 significant digits, trailing zeros removed.
    static func g5(_ v: Double) -> String {
        if v == 0 { return "0" }
        let exp = Int(floor(log10(abs(v))))
        if exp < -4 || exp >= 5 {
            var mantissa = String(format: "%.4e", v)
            // Strip trailing zeros of the mantissa, keep Go's two-digit exponent.
            if let e = mantissa.firstIndex(of: "e") {
                var m = String(mantissa[..<e])
                let rest = String(mantissa[e...])
                if m.contains(".") { while m.hasSuffix("0") { m.removeLast() }; if m.hasSuffix(".") { m.removeLast() } }
                mantissa = m + rest
            }
            return mantissa
        }
        var s = String(format: "%.\(max(0, 4 - exp))f", v)
        if s.contains(".") { while s.hasSuffix("0") { s.removeLast() }; if s.hasSuffix(".") { s.removeLast() } }
        return s
    }
}
