import Foundation
import Glibc
import Kernel

/// Re-plumbs a running switch's layer-2 segments when its configuration changes (`port default vlan`,
/// `undo portswitch`, `interface Vlanif99` …), from inside the switch's namespace: the device daemon calls
/// `apply` with the port modes of its running configuration after each change.
///
/// `up` builds the segments from the startup config (`LabPlan`, `KernelBackend.joinHub`); afterwards only the
/// switch knows its layout, so the hub is worked out again from the links the namespace has and the modes
/// the configuration gives them, and only the flood filters whose targets differ are rewritten. The first
/// `apply` compares with the startup config's layout (what `up` plumbed), or rewrites every member when
/// that is not known.
///
/// Only tc hub segments are re-plumbed (this box's kernel has no bridge); where `swbr` is a real bridge,
/// `apply` reports that live changes are not carried to it.
public final class LiveSegments: @unchecked Sendable {
    /// How the running configuration sets one port.
    public enum Mode: Hashable, Sendable {
        case access(vlan: Int)
        case trunk(allowed: [Int])
        case routed
    }

    /// What the switch's configuration says, in the lab's Linux names.
    public struct Layout: Hashable, Sendable {
        /// Ports whose mode the configuration sets (`ge0-0-2`); ports left out are access ports in VLAN 1.
        public var ports: [String: Mode]
        /// VLAN interfaces by VLAN number, with their vendor name (`98: "Vlanif98"`).
        public var vlanInterfaces: [Int: String]
        public init(ports: [String: Mode], vlanInterfaces: [Int: String]) {
            self.ports = ports
            self.vlanInterfaces = vlanInterfaces
        }

        /// The layout `up` plumbs for a switch's startup config (`LabPlan` reads the same `SwitchLayout`).
        public init(startupConfig text: String?, kind: Kind) {
            let layout = SwitchLayout.parse(text ?? "", kind: kind).0
            var ports: [String: Mode] = [:]
            for port in layout.ports {
                guard case .success(let linux) = PortNaming.linuxName(forPort: port.name, kind: kind) else { continue }
                switch port.mode {
                case .access(let vlan): ports[linux] = .access(vlan: vlan)
                case .trunk(_, let allowed): ports[linux] = .trunk(allowed: allowed)
                case .routed: ports[linux] = .routed
                }
            }
            self.init(ports: ports, vlanInterfaces: Dictionary(layout.vlanInterfaces.map { ($0.number, $0.name) }, uniquingKeysWith: { a, _ in a }))
        }
    }

    /// The segments as last programmed; nil until the first `apply`.
    private(set) var applied: HubSegment?
    /// What `up` plumbed from the startup config, until the first `apply` turns it into `applied`.
    private var plumbedAtUp: Layout?
    private let tc: String
    private let lock = NSLock()

    /// - Parameter plumbedAtUp: the layout `up` built the segments from (`Layout(startupConfig:kind:)`), so
    ///   the first `apply` rewrites only what the running configuration changed; nil rewrites every port.
    public init(plumbedAtUp: Layout? = nil, tcTool: String = KernelBackend.tool("tc")) {
        self.plumbedAtUp = plumbedAtUp
        self.tc = tcTool
    }

    /// Brings the namespace's segments to `layout`. Never throws: each failure comes back as a message
    /// (for the device log), and the rest is still done.
    public func apply(_ layout: Layout) -> [String] {
        lock.withLock { applyLocked(layout) }
    }

    private func applyLocked(_ layout: Layout) -> [String] {
        var problems: [String] = []
        // A switch daemon runs in its lab namespace; anywhere else (the machine's own) nothing is touched.
        guard NetworkNamespace.currentIsNamed() else {
            guard !warnedAboutBridge else { return [] }
            warnedAboutBridge = true
            return ["not in a lab namespace: switch ports are not plumbed"]
        }
        let socket: NetlinkSocket
        let links: [Kernel.Link]
        do {
            socket = try NetlinkSocket.open(in: nil)
            links = try socket.links()
        } catch { return ["re-plumbing the switch ports: \(error)"] }
        var names = Set(links.map(\.name))
        if names.contains(LabPlan.switchBridge) {
            guard !warnedAboutBridge else { return [] }
            warnedAboutBridge = true
            return ["VLAN and port-mode changes are not re-plumbed live on a kernel with bridges; 'save' and 'peerlab redeploy' apply them"]
        }

        // VLAN interfaces: a veth pair whose `p` end is the VLAN's hub member (as `up` builds them).
        for (vlan, vendorName) in layout.vlanInterfaces.sorted(by: { $0.key < $1.key }) where !names.contains("vlanif\(vlan)") {
            let name = "vlanif\(vlan)"
            do {
                try socket.createVeth(name, peer: name + "p")
                try socket.setAlias(.name(name), vendorName)
                try socket.setLinkUp(.name(name + "p"))
                try socket.setLinkUp(.name(name))
                names.formUnion([name, name + "p"])
            } catch { problems.append("\(vendorName): creating \(name): \(error)") }
        }
        for link in links.map(\.name) where Self.vlanNumber(ofInterface: link) != nil {
            guard let vlan = Self.vlanNumber(ofInterface: link), layout.vlanInterfaces[vlan] == nil else { continue }
            do {
                try socket.deleteLink(.name(link))   // its `p` end goes with it
                names.subtract([link, link + "p"])
            } catch { problems.append("removing \(link): \(error)") }
        }

        if applied == nil, let earlier = plumbedAtUp {
            // `up` plumbed the links it created (before any VLAN interface typed since) from the startup config.
            applied = Self.hub(for: earlier, links: Set(links.map(\.name))).hub
            plumbedAtUp = nil
        }
        let (wanted, candidates, trunks) = Self.hub(for: layout, links: names)
        for (port, allowed) in trunks {
            problems.append("\(port): trunk ports (VLANs \(allowed.map(String.init).joined(separator: " "))) need bridge VLAN filtering or tc act_vlan, and this kernel has neither; the port is left out of every VLAN")
        }

        for port in candidates {
            let was = applied?.contains(port) ?? false, now = wanted.contains(port)
            let oldTargets = applied.map { Set($0.floodTargets(of: port)) }
            if let oldTargets, was == now, oldTargets == Set(wanted.floodTargets(of: port)) { continue }
            let newFilter = wanted.filterArguments(for: port)
            if now && (!was || applied == nil) { problems += join(port) }
            if !now && (was || applied == nil) { problems += leave(port) }
            _ = run(["filter", "del", "dev", port, "parent", "ffff:"])   // none there is fine
            if let newFilter, let failure = run(newFilter) { problems.append("\(port): \(failure)") }
        }
        applied = wanted
        return problems
    }

    /// The hub a layout makes of a switch's links: every physical port in layer-2 mode and each VLAN
    /// interface's member end; `candidates` are all links that could be members, `trunks` the trunk ports
    /// left out.
    static func hub(for layout: Layout, links: Set<String>) -> (hub: HubSegment, candidates: [String], trunks: [(String, [Int])]) {
        var hub = HubSegment(vlanFiltering: true)
        var candidates: [String] = []
        var trunks: [(String, [Int])] = []
        for name in links.sorted() {
            if let vlan = memberVLAN(ofInterface: name) {
                candidates.append(name)
                hub.set(name, vlan: vlan)
                continue
            }
            guard isPort(name) else { continue }
            candidates.append(name)
            switch layout.ports[name] ?? .access(vlan: 1) {
            case .access(let vlan): hub.set(name, vlan: vlan)
            case .trunk(let allowed): trunks.append((name, allowed))
            case .routed: break
            }
        }
        return (hub, candidates, trunks)
    }

    /// The bridge (or no-namespace) case is reported once, not on every change.
    private var warnedAboutBridge = false

    /// A port becoming a hub member: frames arriving on it belong to the segment, not to this stack.
    private func join(_ port: String) -> [String] {
        var problems: [String] = []
        _ = run(["qdisc", "add", "dev", port, "ingress"])   // already there after `up`
        for (key, value) in [("net/ipv4/conf/\(port)/arp_ignore", "8"), ("net/ipv6/conf/\(port)/disable_ipv6", "1")] {
            if let failure = Self.writeSysctl(key, value) { problems.append("\(port): \(failure)") }
        }
        return problems
    }

    /// A port leaving the hub (routed now): it answers ARP and carries IPv6 again.
    private func leave(_ port: String) -> [String] {
        var problems: [String] = []
        for (key, value) in [("net/ipv4/conf/\(port)/arp_ignore", "0"), ("net/ipv6/conf/\(port)/disable_ipv6", "0")] {
            if let failure = Self.writeSysctl(key, value) { problems.append("\(port): \(failure)") }
        }
        return problems
    }

    /// `vlanif98` → 98 (the address side of a VLAN interface).
    static func vlanNumber(ofInterface name: String) -> Int? {
        guard name.hasPrefix("vlanif"), let n = Int(name.dropFirst("vlanif".count)) else { return nil }
        return n
    }

    /// `vlanif98p` → 98 (the hub side of a VLAN interface).
    static func memberVLAN(ofInterface name: String) -> Int? {
        guard name.hasPrefix("vlanif"), name.hasSuffix("p") else { return nil }
        return Int(name.dropFirst("vlanif".count).dropLast())
    }

    /// Cable ends of a switch: `ge0-0-1`, `xge1-0-49`, … (not `lo`, bridges or VLAN interfaces).
    static func isPort(_ name: String) -> Bool {
        guard let digit = name.firstIndex(where: \.isNumber) else { return false }
        let prefix = name[..<digit]
        return ["ge", "xge", "fge", "hge", "eth"].contains(String(prefix)) && name[digit...].allSatisfy { $0.isNumber || $0 == "-" }
    }

    /// Writes a sysctl of this process's namespace; the failure in words, or nil.
    static func writeSysctl(_ key: String, _ value: String) -> String? {
        let path = "/proc/sys/" + key
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return "\(path): \(String(cString: strerror(errno)))" }
        defer { close(fd) }
        let bytes = Array((value + "\n").utf8)
        return bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == bytes.count ? nil : "\(path): \(String(cString: strerror(errno)))"
    }

    /// Runs `tc ARGS` in this process's namespace; its complaint, or nil when it succeeded.
    private func run(_ arguments: [String]) -> String? {
        if case .failure(let failure) = ToolRun.run(tc, arguments) { return failure.message }
        return nil
    }
}
