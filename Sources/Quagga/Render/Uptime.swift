/// Quagga's `peer_uptime` and zebra's route age: how long ago, in the width-8 forms the tables expect.
public enum Uptime {
    static let day = 86_400
    static let week = 7 * day
    static let year = 365 * day

    /// `00:05:23` under a day, `1d02h03m` under a week, `01w3d19h` under a year, `01y02w3d` beyond; `never` for 0.
    public static func format(_ seconds: Int) -> String {
        guard seconds > 0 else { return "never" }
        return age(seconds)
    }

    /// The same forms without `never` (route ages, where 0 s is a real age).
    public static func age(_ seconds: Int) -> String {
        let s = max(0, seconds)
        let hours = s / 3600 % 24, minutes = s / 60 % 60
        if s < day { return pad2(s / 3600) + ":" + pad2(minutes) + ":" + pad2(s % 60) }
        if s < week { return "\(s / day)d" + pad2(hours) + "h" + pad2(minutes) + "m" }
        if s < year { return pad2(s / week) + "w" + "\(s % week / day)d" + pad2(hours) + "h" }
        let rest = s % year
        return pad2(s / year) + "y" + pad2(rest / week) + "w" + "\(rest % week / day)d"
    }

    static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
}

/// printf-style padding, which the layouts are specified in.
enum Pad {
    /// `%-Ns`
    static func left(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }
    /// `%Ns` / `%Nu`
    static func right(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }
    static func right(_ n: Int, _ width: Int) -> String { right(String(n), width) }
    static func right(_ n: UInt32, _ width: Int) -> String { right(String(n), width) }
}
