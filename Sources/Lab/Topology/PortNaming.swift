/// Which port names each kind accepts, and the Linux name a port gets inside its namespace.
///
/// Vendor port names carry '/' and run past Linux's 15-character IFNAMSIZ limit, so a switch port
/// `GigabitEthernet1/0/1` lives in the kernel as `ge1-0-1` with the vendor name as its ifalias; the switch
/// emulator maps back through the alias. Linux kinds (quagga, calico-node, host, bridge) use the name as is.
public enum PortNaming {
    /// Linux allows 15 bytes in an interface name (IFNAMSIZ 16 with the NUL).
    public static let maxLinuxNameLength = 15

    struct PortType {
        let vendorPrefix: String
        let linuxPrefix: String
    }

    static let huaweiTypes = [
        PortType(vendorPrefix: "GigabitEthernet", linuxPrefix: "ge"),
        PortType(vendorPrefix: "XGigabitEthernet", linuxPrefix: "xge"),
        PortType(vendorPrefix: "40GE", linuxPrefix: "fge"),
        PortType(vendorPrefix: "100GE", linuxPrefix: "hge"),
        PortType(vendorPrefix: "Ethernet", linuxPrefix: "eth"),
    ]
    static let h3cTypes = [
        PortType(vendorPrefix: "GigabitEthernet", linuxPrefix: "ge"),
        PortType(vendorPrefix: "Ten-GigabitEthernet", linuxPrefix: "xge"),
        PortType(vendorPrefix: "FortyGigE", linuxPrefix: "fge"),
        PortType(vendorPrefix: "HundredGigE", linuxPrefix: "hge"),
    ]
    static let logicalPrefixes = ["Vlanif", "Vlan-interface", "LoopBack", "Eth-Trunk", "Bridge-Aggregation",
                                  "NULL", "MEth", "InLoopBack", "Tunnel"]

    /// The Linux name for a link endpoint's port on a node of `kind`, or a message saying why the port
    /// name is not valid for that kind.
    public static func linuxName(forPort port: String, kind: Kind) -> Result<String, PortNameError> {
        if let vendor = kind.vendor { return switchPort(port, vendor: vendor, kind: kind) }
        if isValidLinuxName(port) { return .success(port) }
        if port.contains("/") {
            return .failure(PortNameError("'\(port)' is a switch port name; kind \(kind.name) uses Linux names such as eth0"))
        }
        return .failure(PortNameError("'\(port)' is not a valid Linux interface name (1-15 characters from a-z A-Z 0-9 _ . -, starting with a letter)"))
    }

    /// Whether `name` can be a Linux interface name: 1-15 characters, letters, digits, '_', '.', '-',
    /// starting with a letter (no '/', ':' or blanks, which the kernel or `ip` reject).
    public static func isValidLinuxName(_ name: String) -> Bool {
        guard (1...maxLinuxNameLength).contains(name.utf8.count), let first = name.first,
              first.isASCII, first.isLetter else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-") }
    }

    /// Vendor name of a logical interface (`Vlanif98`, `LoopBack0`) if `name` is one.
    static func isLogical(_ name: String) -> Bool {
        logicalPrefixes.contains { name.hasPrefix($0) }
    }

    static func switchPort(_ port: String, vendor: SwitchVendor, kind: Kind) -> Result<String, PortNameError> {
        let types = vendor == .huawei ? huaweiTypes : h3cTypes
        let example = vendor == .huawei ? "GigabitEthernet0/0/1" : "GigabitEthernet1/0/1"
        for type in types where port.hasPrefix(type.vendorPrefix) {
            let numbers = port.dropFirst(type.vendorPrefix.count).split(separator: "/", omittingEmptySubsequences: false)
            guard numbers.count == 3, numbers.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isNumber) }),
                  let a = Int(numbers[0]), let b = Int(numbers[1]), let c = Int(numbers[2]) else { continue }
            switch vendor {
            case .huawei:
                guard a <= 16, b <= 9, c <= 63 else {
                    return .failure(PortNameError("'\(port)' is out of range for \(kind.name): slot 0-16, card 0-9, port 0-63"))
                }
            case .h3c:
                guard (1...10).contains(a) else {
                    return .failure(PortNameError("'\(port)': H3C member numbers start at 1 (e.g. GigabitEthernet1/0/1)"))
                }
                guard b <= 9, (1...64).contains(c) else {
                    return .failure(PortNameError("'\(port)' is out of range for \(kind.name): member 1-10, slot 0-9, port 1-64"))
                }
            }
            return .success("\(type.linuxPrefix)\(a)-\(b)-\(c)")
        }
        if isLogical(port) {
            return .failure(PortNameError("'\(port)' is a logical interface; links connect physical ports such as \(example)"))
        }
        let other = vendor == .huawei ? h3cTypes : huaweiTypes
        if let foreign = other.first(where: { port.hasPrefix($0.vendorPrefix) }) {
            let own = types.first { $0.linuxPrefix == foreign.linuxPrefix }?.vendorPrefix ?? example
            return .failure(PortNameError("'\(port)' is not a port name of \(kind.name); \(kind.name) calls this port type \(own) (e.g. \(example))"))
        }
        return .failure(PortNameError("'\(port)' is not a port name of \(kind.name); expected e.g. \(example) (types: \(types.map(\.vendorPrefix).joined(separator: ", ")))"))
    }
}

/// Why a port name does not fit its node's kind.
public struct PortNameError: Error, Hashable, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
