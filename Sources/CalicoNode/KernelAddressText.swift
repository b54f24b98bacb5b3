import BGPWire
import Kernel

/// Conversions between BGPWire's address types (what Calico computes) and Kernel's (what netlink takes).
enum KernelText {
    static func inet(_ a: IPAddress) -> InetAddress {
        switch a {
        case .v4(let v): InetAddress(ipv4: v.value)
        case .v6(let v): InetAddress(ipv6High: v.high, low: v.low)
        }
    }

    static func inet(_ p: Prefix) -> InetPrefix {
        switch p {
        case .v4(let v): InetPrefix(InetAddress(ipv4: v.address.value), length: v.length)
        case .v6(let v): InetPrefix(InetAddress(ipv6High: v.address.high, low: v.address.low), length: v.length)
        }
    }

    /// The host route of one workload address (/32 or /128).
    static func host(_ a: IPAddress) -> InetPrefix {
        InetPrefix(inet(a), length: a.family == .ipv4 ? 32 : 128)
    }
}
