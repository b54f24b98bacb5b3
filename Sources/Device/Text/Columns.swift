/// Fixed-width helpers for the vendors' tables (C printf `%-16s` / `%9u` written out).
public enum Columns {
    /// `%-Ns`: left-justified, never cut.
    public static func left(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    /// `%Ns`: right-justified, never cut.
    public static func right(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }

    public static func right(_ n: Int, _ width: Int) -> String { right(String(n), width) }

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }

    /// `HH:MM:SS` below `limitHours`, then `%04dh%02dm` (`0048h35m`). Huawei switches to hours at 24;
    /// Comware keeps `24:01:03` (seed 001) and switches at 100 (`0129h15m`).
    public static func upDown(_ seconds: Int, hoursLimit: Int) -> String {
        let s = max(0, seconds)
        let h = s / 3600, m = s / 60 % 60, sec = s % 60
        if h < hoursLimit { return "\(two(h)):\(two(m)):\(two(sec))" }
        return right(String(h), 4).replacingOccurrences(of: " ", with: "0") + "h\(two(m))m"
    }

    /// `01h01m05s` as in `Up for …` and `Route Duration: …`.
    public static func duration(_ seconds: Int) -> String {
        let s = max(0, seconds)
        return "\(two(s / 3600))h\(two(s / 60 % 60))m\(two(s % 60))s"
    }

    /// VRP5 shows a network without `/len` when the length is the classful natural mask (`192.168.1.0`).
    public static func naturalLength(of address: UInt32) -> UInt8 {
        switch address >> 24 {
        case 0..<128: return 8
        case 128..<192: return 16
        case 192..<224: return 24
        default: return 32
        }
    }
}
