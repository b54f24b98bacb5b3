import Foundation

/// The interface facts of a switch's startup config that the lab needs before the switch emulator starts:
/// which ports are L2 (access/trunk, in which VLANs), which are routed, and the addresses on VLAN
/// interfaces and loopbacks. Everything else in the config (BGP, sysname details …) is left to the vendor
/// emulator, which reads the same text.
public struct SwitchLayout: Hashable, Sendable {
    public var sysname: String?
    /// VLANs the config creates (`vlan batch 10 20` / `vlan 10`) or uses on a port, sorted.
    public var vlans: [Int]
    /// Physical ports with non-default settings, in config order. Unlisted ports are access ports in VLAN 1.
    public var ports: [PortSettings]
    /// `Vlanif98` (Huawei) / `Vlan-interface98` (H3C) blocks, in config order.
    public var vlanInterfaces: [LogicalInterface]
    /// `LoopBack0` blocks, in config order.
    public var loopbacks: [LogicalInterface]

    public struct PortSettings: Hashable, Sendable {
        public var name: String
        public var mode: PortMode
    }

    /// A VLAN or loopback interface: its vendor name, number and addresses.
    public struct LogicalInterface: Hashable, Sendable {
        public var name: String
        public var number: Int
        public var addresses: [InterfaceAddress]
        /// Linux name in the switch namespace: `vlanif98` (vendor name in ifalias), or `lo` for every
        /// LoopBack (the vendor emulator keeps the LoopBack names; dummy links are not available everywhere).
        public var linuxName: String
    }

    /// How a physical port behaves; mirrors the real switch's port modes.
    public enum PortMode: Hashable, Sendable {
        case access(vlan: Int)
        /// Tagged for `allowed`; untagged frames belong to `pvid` (when it is allowed).
        case trunk(pvid: Int, allowed: [Int])
        /// A layer-3 port (`undo portswitch` / `port link-mode route`) with its own addresses.
        case routed(addresses: [InterfaceAddress])
    }

    /// The mode of `port`, with the switch default (access VLAN 1) for ports the config leaves alone.
    public func mode(ofPort port: String) -> PortMode {
        ports.first { $0.name == port }?.mode ?? .access(vlan: 1)
    }
}

/// A fault in a startup config, with the 1-based line inside the config text.
public struct SwitchConfigIssue: Hashable, Sendable {
    public var line: Int
    public var message: String
}

extension SwitchLayout {
    /// Reads the interface layout out of a VRP or Comware configuration. Returns the layout and every
    /// fault found (bad addresses, VLAN numbers, ports the kind does not have); it never stops early.
    public static func parse(_ text: String, kind: Kind) -> (SwitchLayout, [SwitchConfigIssue]) {
        var parser = SwitchConfigParser(kind: kind)
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            parser.read(line: String(raw), number: index + 1)
        }
        parser.closeBlock()
        return (parser.layout, parser.issues)
    }
}

/// Line-by-line reader for `SwitchLayout.parse`; holds the interface block being read.
struct SwitchConfigParser {
    let kind: Kind
    var layout = SwitchLayout(sysname: nil, vlans: [], ports: [], vlanInterfaces: [], loopbacks: [])
    var issues: [SwitchConfigIssue] = []
    var vlanSet = Set<Int>()

    enum Block {
        case none
        case port(name: String, line: Int, state: PortState)
        case logical(name: String, number: Int, isVLAN: Bool, addresses: [InterfaceAddress])
    }
    struct PortState {
        var routed = false
        var linkType = "access"
        var accessVLAN = 1
        var pvid = 1
        var allowed: [Int] = [1]
        var addresses: [InterfaceAddress] = []
    }
    var block = Block.none

    init(kind: Kind) { self.kind = kind }

    mutating func read(line raw: String, number: Int) {
        let line = raw.trimmingCharacters(in: .whitespaces)
        let indented = raw.first == " " || raw.first == "\t"
        if line.isEmpty { return }
        if line.hasPrefix("#") || line.hasPrefix("!") {
            closeBlock()
            return
        }
        let words = line.split(separator: " ").map(String.init)
        // VRP writes global commands flush left; Comware indents them by one space (` sysname leaf01`)
        // after a `#`. Either way, an indented line outside an interface block is global.
        if !indented {
            closeBlock()
            top(words, number: number)
        } else if case .none = block {
            top(words, number: number)
        } else {
            inBlock(words, number: number)
        }
    }

    mutating func issue(_ number: Int, _ message: String) {
        issues.append(SwitchConfigIssue(line: number, message: message))
    }

    mutating func top(_ words: [String], number: Int) {
        switch words.first {
        case "sysname":
            if words.count == 2 { layout.sysname = words[1] } else { issue(number, "sysname takes one name") }
        case "vlan":
            // Huawei `vlan batch 10 20 30 to 40`; H3C `vlan 10` or `vlan 10 to 20`.
            let list = words.count > 1 && words[1] == "batch" ? Array(words.dropFirst(2)) : Array(words.dropFirst())
            if let vlans = vlanList(list, number: number) { vlans.forEach { vlanSet.insert($0) } }
        case "interface":
            guard words.count == 2 else { issue(number, "interface takes one name (write GigabitEthernet1/0/1, not 'GigabitEthernet 1/0/1')"); return }
            openInterface(words[1], number: number)
        default:
            break
        }
    }

    mutating func openInterface(_ name: String, number: Int) {
        let vlanPrefix = kind.vendor == .huawei ? "Vlanif" : "Vlan-interface"
        if name.hasPrefix(vlanPrefix), let vlan = Int(name.dropFirst(vlanPrefix.count)) {
            guard (1...4094).contains(vlan) else { issue(number, "\(name): VLAN must be 1-4094"); return }
            block = .logical(name: name, number: vlan, isVLAN: true, addresses: [])
        } else if name.hasPrefix("LoopBack"), let n = Int(name.dropFirst("LoopBack".count)) {
            guard (0...1023).contains(n) else { issue(number, "\(name): loopback number must be 0-1023"); return }
            block = .logical(name: name, number: n, isVLAN: false, addresses: [])
        } else if PortNaming.isLogical(name) {
            block = .none   // Other logical interfaces (NULL0, Eth-Trunk …) are the emulator's business.
        } else {
            switch PortNaming.linuxName(forPort: name, kind: kind) {
            case .success:
                block = .port(name: name, line: number, state: PortState())
            case .failure(let error):
                issue(number, "interface \(error.message)")
                block = .none
            }
        }
    }

    mutating func inBlock(_ words: [String], number: Int) {
        switch block {
        case .none:
            return
        case .logical(let name, let n, let isVLAN, var addresses):
            if words.first == "ip", words.count >= 2, words[1] == "address" {
                if let address = ipAddress(words, number: number) { addresses.append(address) }
            }
            block = .logical(name: name, number: n, isVLAN: isVLAN, addresses: addresses)
        case .port(let name, let line, var state):
            portCommand(words, name: name, state: &state, number: number)
            block = .port(name: name, line: line, state: state)
        }
    }

    mutating func portCommand(_ words: [String], name: String, state: inout PortState, number: Int) {
        let text = words.joined(separator: " ")
        switch text {
        case "undo portswitch", "port link-mode route": state.routed = true; return
        case "portswitch", "port link-mode bridge": state.routed = false; return
        default: break
        }
        if words.starts(with: ["port", "link-type"]), words.count == 3 {
            guard ["access", "trunk", "hybrid"].contains(words[2]) else { issue(number, "port link-type is access, trunk or hybrid"); return }
            if state.routed { issue(number, "\(name) is a routed port; port link-type needs a layer-2 port") }
            state.linkType = words[2]
        } else if (words.starts(with: ["port", "default", "vlan"]) || words.starts(with: ["port", "access", "vlan"])), words.count == 4 {
            if let v = vlanList([words[3]], number: number)?.first { state.accessVLAN = v; vlanSet.insert(v) }
        } else if words.starts(with: ["port", "trunk", "pvid", "vlan"]), words.count == 5 {
            if let v = vlanList([words[4]], number: number)?.first { state.pvid = v }
        } else if words.starts(with: ["port", "trunk", "allow-pass", "vlan"]) || words.starts(with: ["port", "trunk", "permit", "vlan"]) {
            if let vlans = vlanList(Array(words.dropFirst(4)), number: number) {
                state.allowed = Array(Set(state.allowed + vlans)).sorted()
                vlans.forEach { vlanSet.insert($0) }
            }
        } else if words.starts(with: ["ip", "address"]) {
            guard let address = ipAddress(words, number: number) else { return }
            if !state.routed {
                let fix = kind.vendor == .huawei ? "undo portswitch" : "port link-mode route"
                issue(number, "\(name) is a layer-2 port; '\(fix)' must come before 'ip address'")
                return
            }
            state.addresses.append(address)
        }
    }

    mutating func closeBlock() {
        switch block {
        case .none:
            break
        case .logical(let name, let n, let isVLAN, let addresses):
            let entry = SwitchLayout.LogicalInterface(name: name, number: n, addresses: addresses,
                                                      linuxName: isVLAN ? "vlanif\(n)" : "lo")
            if isVLAN { layout.vlanInterfaces.append(entry); vlanSet.insert(n) } else { layout.loopbacks.append(entry) }
        case .port(let name, _, let state):
            let mode: SwitchLayout.PortMode
            if state.routed {
                mode = .routed(addresses: state.addresses)
            } else if state.linkType == "trunk" {
                mode = .trunk(pvid: state.pvid, allowed: state.allowed)
            } else {
                mode = .access(vlan: state.linkType == "access" ? state.accessVLAN : state.pvid)
            }
            layout.ports.removeAll { $0.name == name }
            layout.ports.append(.init(name: name, mode: mode))
        }
        block = .none
        layout.vlans = vlanSet.sorted()
    }

    /// `10 20 30 to 40` or `all`.
    mutating func vlanList(_ words: [String], number: Int) -> [Int]? {
        if words == ["all"] { return Array(1...4094) }
        var out: [Int] = []
        var index = 0
        while index < words.count {
            guard let first = Int(words[index]), (1...4094).contains(first) else {
                issue(number, "'\(words[index])' is not a VLAN ID (1-4094)")
                return nil
            }
            if index + 2 < words.count, words[index + 1] == "to" {
                guard let last = Int(words[index + 2]), (first...4094).contains(last) else {
                    issue(number, "'\(first) to \(words[index + 2])' is not a VLAN range")
                    return nil
                }
                out += Array(first...last)
                index += 3
            } else {
                out.append(first)
                index += 1
            }
        }
        if out.isEmpty { issue(number, "a VLAN list is missing") ; return nil }
        return out
    }

    /// `ip address 10.2.98.1 255.255.255.0`, `ip address 10.2.98.1 24` or `ip address 10.2.98.1/24`.
    mutating func ipAddress(_ words: [String], number: Int) -> InterfaceAddress? {
        var cidr: String
        switch words.count {
        case 3:
            cidr = words[2]
        case 4, 5:
            if words.count == 5 && words[4] != "sub" { issue(number, "write 'ip address <address> <mask> [sub]'"); return nil }
            guard let length = Int(words[3]) ?? Self.maskLength(words[3]) else {
                issue(number, "'\(words[3])' is not a contiguous subnet mask")
                return nil
            }
            cidr = "\(words[2])/\(length)"
        default:
            issue(number, "write 'ip address <address> <mask>'")
            return nil
        }
        switch InterfaceAddress.parse(cidr) {
        case .success(let address): return address
        case .failure(let error): issue(number, "ip address: \(error)"); return nil
        }
    }

    /// 255.255.255.0 → 24; nil for non-contiguous masks.
    static func maskLength(_ text: String) -> Int? {
        guard let mask = LabIPAddress(text), mask.family == .ipv4 else { return nil }
        let value = mask.bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let length = value.nonzeroBitCount
        return length == 0 ? (value == 0 ? 0 : nil) : (value == UInt32.max << (32 - length) ? length : nil)
    }
}
