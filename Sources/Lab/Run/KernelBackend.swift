import Foundation
import Glibc
import Kernel

/// `NetworkBackend` on the Kernel module's netlink API: one route-netlink socket per namespace, opened
/// inside it. What Kernel has no call for (tc filters, `exec:` commands) runs `tc` or `/bin/sh` spawned
/// inside the namespace, never in the root namespace.
/// On kernels without the bridge link type, bridges become `HubSegment`s.
public final class KernelBackend: NetworkBackend {
    var sockets: [String: NetlinkSocket] = [:]
    /// Bridges built as tc hubs because the kernel has no bridge link type.
    var hubs: [HubKey: HubSegment] = [:]
    /// iproute2's `tc`, for hub segments (Kernel has no traffic-control calls).
    public var tcTool: String

    struct HubKey: Hashable {
        var namespace: String
        var bridge: String
    }

    public init(tcTool: String = KernelBackend.tool("tc")) {
        self.tcTool = tcTool
    }

    public static func tool(_ name: String) -> String {
        ["/usr/sbin/", "/sbin/", "/usr/bin/"].map { $0 + name }.first { FileManager.default.isExecutableFile(atPath: $0) } ?? name
    }

    /// Whether any bridge had to be built as a tc hub (for tests and `peerlab up` output).
    public var usesHubSegments: Bool { !hubs.isEmpty }

    func socket(_ namespace: String) throws -> NetlinkSocket {
        if let socket = sockets[namespace] { return socket }
        let socket = try NetworkNamespace(namespace).netlink()
        sockets[namespace] = socket
        return socket
    }

    public func createNamespace(_ name: String) throws {
        try NetworkNamespace.create(name)
    }

    public func deleteNamespace(_ name: String) throws {
        sockets[name] = nil
        try NetworkNamespace.delete(name)
    }

    public func namespaces() throws -> [String] { NetworkNamespace.list() }

    public func setSysctl(_ key: String, _ value: String, namespace: String) throws {
        try NetworkNamespace(namespace).writeSysctl(key, value)
    }

    public func createBridge(_ name: String, vlanFiltering: Bool, namespace: String) throws {
        // With VLAN filtering, no default PVID: each port gets exactly the VLANs its switch config gives it.
        do {
            try socket(namespace).createBridge(name, vlanFiltering: vlanFiltering, defaultPVID: vlanFiltering ? 0 : nil)
        } catch let error as KernelError where error.code == EOPNOTSUPP {
            // No bridge (or no VLAN filtering) in this kernel: build the segment from tc filters instead.
            hubs[HubKey(namespace: namespace, bridge: name)] = HubSegment(vlanFiltering: vlanFiltering)
        }
    }

    public func createVeth(_ pair: VethPair) throws {
        let peer = pair.b.namespace == pair.a.namespace ? nil : NetworkNamespace(pair.b.namespace)
        try socket(pair.a.namespace).createVeth(pair.a.name, peer: pair.b.name, peerNamespace: peer)
        for end in [pair.a, pair.b] where end.port != end.name {
            try socket(end.namespace).setAlias(.name(end.name), end.port)
        }
    }

    public func createVLANInterface(_ name: String, bridge: String, vlan: Int, alias: String, namespace: String) throws {
        let key = HubKey(namespace: namespace, bridge: bridge)
        if hubs[key] != nil {
            // A veth pair: `name` carries the addresses, its peer joins the VLAN's hub as a member.
            let member = name + "p"
            try socket(namespace).createVeth(name, peer: member)
            try socket(namespace).setAlias(.name(name), alias)
            try socket(namespace).setLinkUp(.name(member))
            try joinHub(key, port: member, vlan: vlan)
            return
        }
        try socket(namespace).createVLAN(name, parent: .name(bridge), id: UInt16(vlan))
        try socket(namespace).setAlias(.name(name), alias)
    }

    public func attach(_ port: String, toBridge bridge: String, namespace: String) throws {
        let key = HubKey(namespace: namespace, bridge: bridge)
        if hubs[key] != nil { return try joinHub(key, port: port, vlan: 1) }
        try socket(namespace).setMaster(.name(port), .name(bridge))
    }

    public func setBridgeVLANs(device: String, isBridgeItself: Bool, vlans: [BridgeVLAN], namespace: String) throws {
        if isBridgeItself, hubs[HubKey(namespace: namespace, bridge: device)] != nil { return }
        if let key = hubs.first(where: { $0.key.namespace == namespace && $0.value.contains(device) })?.key {
            guard vlans.count == 1, let only = vlans.first, only.pvid, only.untagged else {
                throw BackendError("setting VLANs \(vlans.map(\.vlan)) on \(device) in \(namespace)",
                                   "trunk ports need bridge VLAN filtering or tc act_vlan, and this kernel has neither; use access or routed ports")
            }
            return try joinHub(key, port: device, vlan: only.vlan)
        }
        let socket = try socket(namespace)
        for vlan in vlans {
            try socket.addBridgeVLAN(Kernel.BridgeVLAN(UInt16(vlan.vlan), pvid: vlan.pvid, untagged: vlan.untagged),
                                     port: .name(device), onBridgeItself: isBridgeItself)
        }
    }

    public func addAddress(_ address: Lab.InterfaceAddress, interface: String, namespace: String) throws {
        guard let inet = InetAddress(bytes: address.address.bytes) else {
            throw BackendError("adding \(address) to \(interface)", "not an IPv4 or IPv6 address")
        }
        try socket(namespace).addAddress(inet, prefixLength: UInt8(address.prefixLength), to: .name(interface))
    }

    public func setUp(_ interface: String, namespace: String) throws {
        if hubs[HubKey(namespace: namespace, bridge: interface)] != nil { return }
        try socket(namespace).setLinkUp(.name(interface))
    }

    public func addDefaultRoute(via gateway: LabIPAddress, namespace: String) throws {
        guard let next = InetAddress(bytes: gateway.bytes) else { throw BackendError("adding default route via \(gateway)", "not an address") }
        let destination: InetPrefix = gateway.family == .ipv4 ? .ipv4Default : .ipv6Default
        try socket(namespace).addRoute(.via(destination, next, protocol: .static))
    }

    public func run(command: String, namespace: String) throws {
        try runTool("/bin/sh", ["-c", command], namespace: namespace)
    }

    /// Processes whose network namespace is the one bound at /run/netns/NAME (same device and inode).
    public func processes(in namespace: String) -> [Int32] {
        var target = stat()
        guard stat("/run/netns/\(namespace)", &target) == 0 else { return [] }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            var info = stat()
            return stat("/proc/\(pid)/ns/net", &info) == 0 && info.st_ino == target.st_ino && info.st_dev == target.st_dev
        }.sorted()
    }

    /// Global-scope addresses in the namespace as `interface address/len`, for `peerlab inspect`.
    public func addresses(in namespace: String) -> [String] {
        guard let socket = try? socket(namespace), let links = try? socket.links(),
              let addresses = try? socket.addresses() else { return [] }
        let names = Dictionary(links.map { ($0.index, $0.name) }, uniquingKeysWith: { a, _ in a })
        return addresses.filter { $0.scope == 0 }.map { "\(names[$0.linkIndex] ?? "?") \($0)" }
    }

    /// Adds or moves a hub member and rewrites the flood filters of every port in the VLANs it touches.
    func joinHub(_ key: HubKey, port: String, vlan: Int) throws {
        guard var hub = hubs[key] else { return }
        let isNew = !hub.contains(port)
        let touched = hub.set(port, vlan: vlan)
        hubs[key] = hub
        if isNew {
            // Frames on a member belong to the segment, never to this namespace's own IP stack.
            try runTool(tcTool, ["qdisc", "add", "dev", port, "ingress"], namespace: key.namespace)
            try setSysctl("net/ipv4/conf/\(port)/arp_ignore", "8", namespace: key.namespace)
            try setSysctl("net/ipv6/conf/\(port)/disable_ipv6", "1", namespace: key.namespace)
        }
        for member in hub.ports(in: touched) {
            try? runTool(tcTool, ["filter", "del", "dev", member, "parent", "ffff:"], namespace: key.namespace)
            if let arguments = hub.filterArguments(for: member) {
                try runTool(tcTool, arguments, namespace: key.namespace)
            }
        }
    }

    /// Runs a tool inside the namespace, waits, and turns a non-zero exit into an error with its output.
    /// The output goes through a pipe, so a bring-up killed mid-step leaves no file behind.
    func runTool(_ executable: String, _ arguments: [String], namespace: String) throws {
        closeOnExec()
        let result = try NetworkNamespace(namespace).run { ToolRun.run(executable, arguments) }
        if case .failure(let failure) = result {
            throw BackendError("\(executable) \(arguments.joined(separator: " ")) in \(namespace)", failure.reason)
        }
    }
}

/// Starts device daemons as `peerlab device run …` inside their namespaces, output to the device log.
///
/// Readiness contract: a device daemon creates its control socket (`DaemonPlan.socket`) once it is up.
/// `start` waits for that file, so bring-up fails at once — with the daemon's last log lines — when a
/// daemon exits early or never gets ready, instead of leaving a lab that only looks up.
public final class ProcessLauncher: DaemonLauncher {
    /// The `peerlab` executable to run.
    public var executable: String
    /// Seconds to wait for the control socket; nil starts the daemon without waiting.
    public var readinessTimeout: Double?

    public init(executable: String, readinessTimeout: Double? = 10) {
        self.executable = executable
        self.readinessTimeout = readinessTimeout
    }

    public func start(_ daemon: DaemonPlan) throws -> Int32 {
        closeOnExec()
        let pid = try NetworkNamespace(daemon.namespace).spawn(executable, arguments: daemon.arguments, outputPath: daemon.log)
        guard let timeout = readinessTimeout else { return pid }
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: daemon.socket) { return pid }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                throw BackendError("starting the \(daemon.kind) daemon of \(daemon.node)",
                                   "it exited (status \(status >> 8 & 0xff)) before opening \(daemon.socket)\(Self.logTail(daemon.log))")
            }
            usleep(20_000)
        }
        terminate(pid: pid)
        throw BackendError("starting the \(daemon.kind) daemon of \(daemon.node)",
                           "no control socket at \(daemon.socket) after \(Int(timeout)) s\(Self.logTail(daemon.log))")
    }

    /// The last lines of a daemon log, for error messages.
    static func logTail(_ path: String) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "" }
        let lines = text.split(separator: "\n").suffix(5)
        return lines.isEmpty ? "" : "; log \(path) ends:\n" + lines.joined(separator: "\n")
    }

    /// Sends SIGTERM to the daemon's process group (spawned with setsid, so helpers it forks go too), waits
    /// up to two seconds, then SIGKILL. Only signals when `pid`'s command line still ends with the daemon's
    /// arguments, so a PID reused by another program after a crash is left alone.
    public func stop(pid: Int32, daemon: DaemonPlan) throws {
        guard Self.isDaemon(pid: pid, arguments: daemon.arguments) else { return }
        let target = getpgid(pid) == pid ? -pid : pid
        kill(target, SIGTERM)
        for _ in 0..<40 {
            if Self.isGone(pid) {
                kill(target, SIGKILL)   // stragglers in the group, if any
                return
            }
            usleep(50_000)
        }
        kill(target, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
    }

    /// Ends a process found in a lab namespace: its group when it leads one (our daemons do), SIGTERM then
    /// SIGKILL.
    public func terminate(pid: Int32) { terminate(pids: [pid]) }

    /// Ends many processes at once: SIGTERM to all, up to two seconds for all of them, then SIGKILL to
    /// whatever is left, so a lab with hundreds of processes goes down in seconds, not minutes.
    public func terminate(pids: [Int32]) {
        func target(_ pid: Int32) -> Int32 { getpgid(pid) == pid ? -pid : pid }
        let targets = pids.map { ($0, target($0)) }
        for (_, group) in targets { kill(group, SIGTERM) }
        var left = pids
        for _ in 0..<40 where !left.isEmpty {
            left.removeAll(where: Self.isGone)
            if !left.isEmpty { usleep(50_000) }
        }
        for (pid, group) in targets where left.contains(pid) { kill(group, SIGKILL) }
        for pid in left {
            var status: Int32 = 0
            _ = waitpid(pid, &status, WNOHANG)
        }
    }

    /// Gone: reaped here, no such process, or a zombie waiting for its parent (or init) to reap it.
    static func isGone(_ pid: Int32) -> Bool {
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { return true }
        if kill(pid, 0) != 0 && errno == ESRCH { return true }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(after: close)...].dropFirst().first
        return state == "Z" || state == "X"
    }

    /// Whether the running process `pid` was started with `arguments` (its command line ends with them).
    static func isDaemon(pid: Int32, arguments: [String]) -> Bool {
        guard !arguments.isEmpty, let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        var running = data.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        if running.last == "" { running.removeLast() }
        return Array(running.suffix(arguments.count)) == arguments
    }
}

/// Marks every descriptor above stderr close-on-exec, so daemons and `exec:` commands inherit none of the
/// controller's (netlink sockets, a parent's pipes): a daemon holding its launcher's pipe open would keep
/// `peerlab up | tee` or a test harness waiting for as long as the lab runs.
func closeOnExec() {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
    for fd in entries.compactMap(Int32.init) where fd > 2 {
        let flags = fcntl(fd, F_GETFD)
        if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
    }
}
