import Foundation

/// Plain-text tables for `peerlab list` and `peerlab inspect`, columns padded to the widest cell.
public enum LabTables {
    /// One row per lab: name, phase, node count, namespace prefix, creation time (UTC).
    public static func labs(_ summaries: [LabSummary]) -> String {
        var rows = [["LAB", "PHASE", "NODES", "NAMESPACES", "CREATED"]]
        for summary in summaries {
            if let state = summary.state {
                rows.append([summary.lab, state.phase.rawValue, "\(state.devices.count)", "\(state.tag)-*",
                             timestamp(state.createdAt)])
            } else {
                rows.append([summary.lab, "unreadable", "-", "-", summary.problem ?? ""])
            }
        }
        return render(rows)
    }

    /// One row per device of a lab: node, kind, namespace, daemon PID (or `-`), control socket.
    public static func devices(_ state: LabState) -> String {
        var rows = [["NODE", "KIND", "NAMESPACE", "PID", "SOCKET"]]
        for device in state.devices {
            rows.append([device.node, device.kind, device.namespace, device.pid.map(String.init) ?? "-", device.socket ?? "-"])
        }
        return render(rows)
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    static func render(_ rows: [[String]]) -> String {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
