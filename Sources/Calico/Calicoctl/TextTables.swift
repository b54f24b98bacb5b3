/// The two table styles calicoctl prints.
///
/// `TabTable` is Go's `text/tabwriter` as `calicoctl get` configures it (minwidth 5, padding 3, every
/// cell tab-terminated, so every line carries trailing padding). `BoxTable` is olekukonko/tablewriter
/// v0.0.5 with its defaults (bordered, centred upper-case headers, numbers right-aligned, cells wrapped at
/// 30 columns with minimum raggedness), used by `node status` and `ipam show`.
public enum TabTable {
    public static func render(header: [String], rows: [[String]], minWidth: Int = 5, padding: Int = 3) -> String {
        let all = [header] + rows
        let columns = all.map(\.count).max() ?? 0
        var widths = Array(repeating: minWidth, count: columns)
        for row in all {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count + padding) }
        }
        return all.map { row in
            row.enumerated().map { i, cell in cell + String(repeating: " ", count: widths[i] - cell.count) }.joined() + "\n"
        }.joined()
    }
}

public enum BoxTable {
    public static let wrapLimit = 30

    /// Renders header + rows; returns the text including the final border line and newline.
    public static func render(header: [String], rows: [[String]]) -> String {
        let columns = header.count
        let head = header.map { [title($0)] }
        var widths = head.map { $0[0].count }
        var cells: [[[String]]] = []
        for row in rows {
            var wrapped: [[String]] = []
            for c in 0..<columns {
                let text = c < row.count ? row[c] : ""
                let (lines, width) = dimension(text)
                widths[c] = max(widths[c], width)
                wrapped.append(lines)
            }
            cells.append(wrapped)
        }
        let border = "+" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "+\n"
        var out = border
        out += "|" + head.enumerated().map { i, h in " " + center(h[0], widths[i]) + " |" }.joined() + "\n"
        out += border
        for row in cells {
            let height = row.map(\.count).max() ?? 1
            for line in 0..<height {
                out += "|"
                for (i, lines) in row.enumerated() {
                    let text = line < lines.count ? lines[line] : ""
                    out += " " + (isNumeric(text) ? padLeft(text, widths[i]) : padRight(text, widths[i])) + " |"
                }
                out += "\n"
            }
        }
        out += border
        return out
    }

    /// tablewriter `Title`: `_` becomes a space, a `.` next to a non-digit too, then upper case.
    static func title(_ name: String) -> String {
        var rs = Array(name)
        func numOrSpace(_ c: Character) -> Bool { c.isNumber || c == " " }
        for i in rs.indices {
            if rs[i] == "_" { rs[i] = " " } else if rs[i] == "." {
                if (i != 0 && !numOrSpace(rs[i - 1])) || (i != rs.count - 1 && !numOrSpace(rs[i + 1])) { rs[i] = " " }
            }
        }
        let trimmed = String(rs).trimming(" ")
        return (trimmed.isEmpty && !name.isEmpty ? " " : trimmed).uppercased()
    }

    /// `parseDimension` with auto-wrap: the lines of a cell and the width it asks for.
    static func dimension(_ text: String) -> ([String], Int) {
        let raw = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var maxWidth = min(raw.map(\.count).max() ?? 0, wrapLimit)
        var out: [String] = []
        var newMax = maxWidth
        for (i, para) in raw.enumerated() {
            let lines = wrap(para, limit: maxWidth)
            for l in lines { newMax = max(newMax, l.count) }
            if i > 0 { out.append(" ") }
            out += lines
        }
        maxWidth = newMax
        return (out.isEmpty ? [""] : out, maxWidth)
    }

    /// `WrapString`: split on spaces, then minimum-raggedness line breaking.
    static func wrap(_ s: String, limit: Int) -> [String] {
        let words = s.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        var lim = limit
        for w in words where w.count > lim { lim = w.count }
        let n = words.count
        guard n > 0 else { return [""] }
        var length = Array(repeating: Array(repeating: 0, count: n), count: n)
        for i in 0..<n {
            length[i][i] = words[i].count
            for j in (i + 1)..<max(n, i + 1) where j < n { length[i][j] = length[i][j - 1] + 1 + words[j].count }
        }
        var cost = Array(repeating: Int(Int32.max), count: n)
        var next = Array(repeating: n, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            if length[i][n - 1] <= lim {
                cost[i] = 0
                next[i] = n
            } else {
                for j in (i + 1)..<n {
                    let d = lim - length[i][j - 1]
                    var c = d * d + cost[j]
                    if length[i][j - 1] > lim { c += 100_000 }
                    if c < cost[i] { cost[i] = c; next[i] = j }
                }
            }
        }
        var lines: [String] = []
        var i = 0
        while i < n {
            lines.append(words[i..<next[i]].joined(separator: " "))
            i = next[i]
        }
        return lines
    }

    /// `^-?(?:\d{1,3}(?:,\d{3})*|\d+)(?:\.\d+)?$`
    static func isNumeric(_ s: String) -> Bool {
        var t = Substring(s)
        if t.hasPrefix("-") { t = t.dropFirst() }
        var intPart = t
        if let dot = t.firstIndex(of: ".") {
            let frac = t[t.index(after: dot)...]
            guard !frac.isEmpty, frac.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
            intPart = t[..<dot]
        }
        guard !intPart.isEmpty else { return false }
        if intPart.allSatisfy({ $0.isASCII && $0.isNumber }) { return true }
        let groups = intPart.split(separator: ",", omittingEmptySubsequences: false)
        guard let first = groups.first, (1...3).contains(first.count) else { return false }
        return groups.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isNumber } } && groups.dropFirst().allSatisfy { $0.count == 3 }
    }

    static func center(_ s: String, _ width: Int) -> String {
        let gap = width - s.count
        guard gap > 0 else { return s }
        let left = gap / 2
        return String(repeating: " ", count: left) + s + String(repeating: " ", count: gap - left)
    }
    static func padRight(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }
    static func padLeft(_ s: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - s.count)) + s }
}

extension String {
    /// Drops leading and trailing copies of `c` (Go's strings.Trim with one character).
    func trimming(_ c: Character) -> String {
        var s = Substring(self)
        while s.first == c { s = s.dropFirst() }
        while s.last == c { s = s.dropLast() }
        return String(s)
    }
}
