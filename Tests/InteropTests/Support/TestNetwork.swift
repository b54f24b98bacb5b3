import Foundation

/// A network namespace a test created; `name` is what `ip netns` knows it by.
struct Namespace: Hashable, CustomStringConvertible {
    var name: String
    /// Human role for messages ("frr", "peerlab").
    var role: String
    var description: String { "\(role) (\(name))" }
    /// `argv` run inside this namespace (ip netns exec execs in place, so a daemon keeps this PID).
    func exec(_ argv: [String]) -> [String] { ["ip", "netns", "exec", name] + argv }
}

/// One end of a veth link.
struct Endpoint: Hashable {
    var namespace: Namespace
    var interface: String
    var ipv4: String
    var ipv6: String
}

/// A veth pair between two namespaces, addressed 10.77.K.1–2/24 and fd77:0:0:K::1–2/64.
struct Link: Hashable {
    var a: Endpoint
    var b: Endpoint
    var ipv4Subnet: String
    var ipv6Subnet: String
}

/// A long-running program the test started, stopped by PID at teardown.
final class Daemon {
    let name: String
    let process: Process
    let log: URL
    init(name: String, process: Process, log: URL) { self.name = name; self.process = process; self.log = log }
    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// SIGTERM, then SIGKILL if it has not gone within `grace` seconds.
    func stop(grace: TimeInterval = 5) {
        guard process.isRunning else { return }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(grace)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning {
            kill(pid, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Last lines of the daemon's log, for failure messages.
    func logTail(_ lines: Int = 30) -> String {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return "(no log)" }
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}

/// The namespaces, links, daemons and temp directories of one test, all named `plt-iop-<pid>-<n>`,
/// and their removal: daemons by PID first, then namespaces, then files.
final class TestNetwork {
    private static var counter = 0
    private static var reapedStale = false

    let runPrefix = "plt-iop-\(getpid())"
    /// Unique per TestNetwork; every name this test creates starts with it.
    let prefix: String
    private(set) var namespaces: [Namespace] = []
    private(set) var daemons: [Daemon] = []
    private var directories: [URL] = []
    private var extraCleanups: [() -> Void] = []
    private var linkCount = 0
    private var tornDown = false

    init() throws {
        guard getuid() == 0 else { throw CommandError(argv: ["TestNetwork"], status: 1, output: "interop tests need root (network namespaces)") }
        if !TestNetwork.reapedStale {
            TestNetwork.reapedStale = true
            TestNetwork.reapStaleNamespaces()
        }
        TestNetwork.counter += 1
        prefix = "\(runPrefix)-\(TestNetwork.counter)"
    }

    deinit { teardown() }

    /// A fresh namespace with loopback up.
    func namespace(_ role: String) throws -> Namespace {
        let ns = Namespace(name: "\(prefix)-\(namespaces.count + 1)", role: role)
        try Command.run(["ip", "netns", "add", ns.name])
        namespaces.append(ns)
        try Command.run(["ip", "-n", ns.name, "link", "set", "lo", "up"])
        return ns
    }

    /// A veth pair between `a` and `b`, up, with IPv4 and IPv6 addresses (no DAD, so IPv6 is usable at once).
    func connect(_ a: Namespace, _ b: Namespace) throws -> Link {
        linkCount += 1
        let k = linkCount
        let ifA = "l\(k)a", ifB = "l\(k)b"
        try Command.run(["ip", "link", "add", ifA, "netns", a.name, "type", "veth", "peer", "name", ifB, "netns", b.name])
        let link = Link(
            a: Endpoint(namespace: a, interface: ifA, ipv4: "10.77.\(k).1", ipv6: "fd77:0:0:\(k)::1"),
            b: Endpoint(namespace: b, interface: ifB, ipv4: "10.77.\(k).2", ipv6: "fd77:0:0:\(k)::2"),
            ipv4Subnet: "10.77.\(k).0/24", ipv6Subnet: "fd77:0:0:\(k)::/64")
        for end in [link.a, link.b] {
            try Command.run(["ip", "-n", end.namespace.name, "addr", "add", "\(end.ipv4)/24", "dev", end.interface])
            try Command.run(["ip", "-n", end.namespace.name, "-6", "addr", "add", "\(end.ipv6)/64", "dev", end.interface, "nodad"])
            try Command.run(["ip", "-n", end.namespace.name, "link", "set", end.interface, "up"])
        }
        return link
    }

    /// A static route inside one of this test's namespaces (test plumbing, e.g. reaching a route
    /// reflector's other client).
    func addRoute(_ prefix: String, via gateway: String, in ns: Namespace) throws {
        try Command.run(["ip", "-n", ns.name, "route", "add", prefix, "via", gateway])
    }

    /// A temp directory named with this test's prefix, removed at teardown.
    func directory(_ role: String) throws -> URL {
        let url = URL(fileURLWithPath: "/tmp/\(prefix)-\(role)")
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        directories.append(url)
        return url
    }

    /// Starts `argv` inside `ns` with stdout+stderr appended to `log`.
    @discardableResult
    func start(_ name: String, _ argv: [String], in ns: Namespace, log: URL, stdin: FileHandle? = nil) throws -> Daemon {
        if !FileManager.default.fileExists(atPath: log.path) { try? Data().write(to: log) }  // not createFile: on Linux it stages through /tmp
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        let full = ns.exec(argv)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Command.resolve(full[0]))
        process.arguments = Array(full.dropFirst())
        process.standardInput = stdin ?? FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let daemon = Daemon(name: name, process: process, log: log)
        daemons.append(daemon)
        return daemon
    }

    /// Extra cleanup (e.g. FRR's pathspace directory), run after daemons stop.
    func onTeardown(_ cleanup: @escaping () -> Void) { extraCleanups.append(cleanup) }

    /// Daemons by PID, then namespaces, then files. Idempotent; safe after a failed setup.
    func teardown() {
        guard !tornDown else { return }
        tornDown = true
        for daemon in daemons.reversed() { daemon.stop() }
        for cleanup in extraCleanups.reversed() { cleanup() }
        for ns in namespaces.reversed() {
            TestNetwork.killRemaining(in: ns.name)
            _ = try? Command.run(["ip", "netns", "del", ns.name], allowFailure: true)
        }
        if ProcessInfo.processInfo.environment["PLT_IOP_KEEP_FILES"] == nil {
            for dir in directories { try? FileManager.default.removeItem(at: dir) }
        }
    }

    /// Processes still inside one of our namespaces (children a daemon forked) are ours: end them by PID.
    private static func killRemaining(in namespace: String) {
        guard let out = try? Command.run(["ip", "netns", "pids", namespace], allowFailure: true) else { return }
        let pids = out.split(whereSeparator: \.isWhitespace).compactMap { Int32($0) }
        for pid in pids { kill(pid, SIGKILL) }
        if !pids.isEmpty { usleep(200_000) }
    }

    /// Namespaces left by an earlier interop run whose test process died without tearing down.
    private static func reapStaleNamespaces() {
        guard let out = try? Command.run(["ip", "netns", "list"], allowFailure: true) else { return }
        for line in out.split(separator: "\n") {
            let name = String(line.split(separator: " ").first ?? "")
            let parts = name.split(separator: "-")
            guard parts.count >= 4, parts[0] == "plt", parts[1] == "iop", let pid = Int32(parts[2]) else { continue }
            guard pid != getpid(), kill(pid, 0) != 0 else { continue }
            killRemaining(in: name)
            _ = try? Command.run(["ip", "netns", "del", name], allowFailure: true)
        }
    }
}
