import Foundation
import Glibc
import Kernel

/// `NetworkBackend` on the Kernel module's netlink API: one route-netlink socket per namespace, opened
/// inside it. The few operations Kernel has no call for yet (ifalias, the default route, `exec:`
/// commands) run `ip` or `/bin/sh` spawned inside the namespace, never in the root namespace.
public final class KernelBackend: NetworkBackend {
    var sockets: [String: NetlinkSocket] = [:]
    /// iproute2's `ip`, used only for what Kernel lacks.
    public var ipTool: String

    public init(ipTool: String = FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") ? "/usr/sbin/ip" : "/sbin/ip") {
        self.ipTool = ipTool
    }

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
        try socket(namespace).createBridge(name, vlanFiltering: vlanFiltering, defaultPVID: vlanFiltering ? 0 : nil)
    }

    public func createVeth(_ pair: VethPair) throws {
        let peer = pair.b.namespace == pair.a.namespace ? nil : NetworkNamespace(pair.b.namespace)
        try socket(pair.a.namespace).createVeth(pair.a.name, peer: pair.b.name, peerNamespace: peer)
        for end in [pair.a, pair.b] where end.port != end.name {
            try runTool(ipTool, ["link", "set", "dev", end.name, "alias", end.port], namespace: end.namespace)
        }
    }

    public func createDummy(_ name: String, alias: String, namespace: String) throws {
        try socket(namespace).createDummy(name)
        try runTool(ipTool, ["link", "set", "dev", name, "alias", alias], namespace: namespace)
    }

    public func createVLANInterface(_ name: String, bridge: String, vlan: Int, alias: String, namespace: String) throws {
        try socket(namespace).createVLAN(name, parent: .name(bridge), id: UInt16(vlan))
        try runTool(ipTool, ["link", "set", "dev", name, "alias", alias], namespace: namespace)
    }

    public func attach(_ port: String, toBridge bridge: String, namespace: String) throws {
        try socket(namespace).setMaster(.name(port), .name(bridge))
    }

    public func setBridgeVLANs(device: String, isBridgeItself: Bool, vlans: [BridgeVLAN], namespace: String) throws {
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
        try socket(namespace).setLinkUp(.name(interface))
    }

    public func addDefaultRoute(via gateway: LabIPAddress, namespace: String) throws {
        let family = gateway.family == .ipv4 ? "-4" : "-6"
        try runTool(ipTool, [family, "route", "add", "default", "via", "\(gateway)"], namespace: namespace)
    }

    public func run(command: String, namespace: String) throws {
        try runTool("/bin/sh", ["-c", command], namespace: namespace)
    }

    /// Spawns a tool inside the namespace, waits, and turns a non-zero exit into an error with its output.
    func runTool(_ executable: String, _ arguments: [String], namespace: String) throws {
        let output = NSTemporaryDirectory() + "peerlab-step-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).out"
        defer { unlink(output) }
        let pid = try NetworkNamespace(namespace).spawn(executable, arguments: arguments, outputPath: output)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            let text = (try? String(contentsOfFile: output, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            throw BackendError("\(executable) \(arguments.joined(separator: " ")) in \(namespace)",
                               exited ? "exit status \(code)\(text.isEmpty ? "" : ": \(text)")" : "killed by signal \(status & 0x7f)")
        }
    }
}

/// Starts device daemons as `peerlab device run …` inside their namespaces, output to the device log.
public final class ProcessLauncher: DaemonLauncher {
    /// The `peerlab` executable to run.
    public var executable: String

    public init(executable: String) {
        self.executable = executable
    }

    public func start(_ daemon: DaemonPlan) throws -> Int32 {
        try NetworkNamespace(daemon.namespace).spawn(executable, arguments: daemon.arguments, outputPath: daemon.log)
    }

    /// Sends SIGTERM to the daemon's process group (spawned with setsid, so helpers it forks go too), waits
    /// up to two seconds, then SIGKILL. Only signals when `pid`'s command line still ends with the daemon's
    /// arguments, so a PID reused by another program after a crash is left alone.
    public func stop(pid: Int32, daemon: DaemonPlan) throws {
        guard Self.isDaemon(pid: pid, arguments: daemon.arguments) else { return }
        let target = getpgid(pid) == pid ? -pid : pid
        kill(target, SIGTERM)
        for _ in 0..<40 {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid || (kill(pid, 0) != 0 && errno == ESRCH) {
                kill(target, SIGKILL)   // stragglers in the group, if any
                return
            }
            usleep(50_000)
        }
        kill(target, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
    }

    /// Whether the running process `pid` was started with `arguments` (its command line ends with them).
    static func isDaemon(pid: Int32, arguments: [String]) -> Bool {
        guard !arguments.isEmpty, let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        var running = data.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        if running.last == "" { running.removeLast() }
        return Array(running.suffix(arguments.count)) == arguments
    }
}
