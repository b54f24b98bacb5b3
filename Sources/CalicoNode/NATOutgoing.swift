import Foundation
import BGPWire
import Calico
import Kernel

/// Felix's `natOutgoing` as an nftables script for one node: traffic from a pool with `natOutgoing: true`
/// to an address outside every pool is masqueraded to the node's address.
///
/// Felix keeps two IP sets per family, `all-ipam-pools` (every pool) and `masq-ipam-pools` (pools with
/// natOutgoing), and one rule in `cali-nat-outgoing`: source in the masq set, destination not in the all
/// set → MASQUERADE. Felix feeds both sets from every pool, disabled ones included (`disabled` only
/// stops IPAM from assigning from it): pods that still hold addresses of a disabled pool keep their NAT,
/// and other pools' pods reach them unmasqueraded. Pool `nodeSelector` plays no part either.
///
/// The script replaces each family's `calico` table in one transaction (the add, delete, define idiom,
/// as Felix's `iptables-restore` swaps its chains whole), and deletes the table of a family with no
/// natOutgoing pool.
public struct NATOutgoingRuleset: Hashable, Sendable {
    /// One family's pools: every pool's CIDR and those with natOutgoing.
    public struct Family: Hashable, Sendable {
        /// `ip` or `ip6`: the nftables family and the match keyword.
        public let keyword: String
        /// Felix's IP set prefix: `cali40` (IPv4) or `cali60` (IPv6).
        public let setPrefix: String
        public var allPools: [Prefix] = []
        public var masqueradePools: [Prefix] = []

        /// Whether the family needs its table at all.
        public var masquerades: Bool { !masqueradePools.isEmpty }
    }

    public static let tableName = "calico"
    public private(set) var ipv4 = Family(keyword: "ip", setPrefix: "cali40")
    public private(set) var ipv6 = Family(keyword: "ip6", setPrefix: "cali60")

    public init(pools: [IPPool]) {
        for pool in pools {
            guard let prefix = pool.prefix else { continue }
            let masquerade = pool.spec.natOutgoing == true
            switch prefix {
            case .v4:
                ipv4.allPools.append(prefix)
                if masquerade { ipv4.masqueradePools.append(prefix) }
            case .v6:
                ipv6.allPools.append(prefix)
                if masquerade { ipv6.masqueradePools.append(prefix) }
            }
        }
        for family in [\Self.ipv4, \Self.ipv6] as [WritableKeyPath<Self, Family>] {
            self[keyPath: family].allPools = Array(Set(self[keyPath: family].allPools)).sorted()
            self[keyPath: family].masqueradePools = Array(Set(self[keyPath: family].masqueradePools)).sorted()
        }
    }

    /// Whether any family masquerades (the node needs `nft` at all).
    public var masquerades: Bool { ipv4.masquerades || ipv6.masquerades }

    /// Pool CIDRs with natOutgoing, both families, for messages.
    public var masqueradePools: [Prefix] { ipv4.masqueradePools + ipv6.masqueradePools }

    /// The whole `nft -f -` input: both families, each rebuilt or removed.
    public var script: String {
        [ipv4, ipv6].map(Self.script).joined()
    }

    /// Only the removal of both tables (the state with no natOutgoing pool).
    public static var removal: String { NATOutgoingRuleset(pools: []).script }

    private static func script(_ f: Family) -> String {
        let table = "table \(f.keyword) \(tableName)"
        // Declaring the table first makes the delete valid when it does not exist yet.
        var out = "\(table)\ndelete \(table)\n"
        guard f.masquerades else { return out }
        let all = "\(f.setPrefix)all-ipam-pools", masq = "\(f.setPrefix)masq-ipam-pools"
        let type = f.keyword == "ip" ? "ipv4_addr" : "ipv6_addr"
        out += "\(table) {\n"
        for (name, members) in [(all, f.allPools), (masq, f.masqueradePools)] {
            out += "\tset \(name) {\n\t\ttype \(type)\n\t\tflags interval\n\t\tauto-merge\n"
            out += "\t\telements = { \(members.map(\.description).joined(separator: ", ")) }\n\t}\n"
        }
        out += "\tchain cali-nat-outgoing {\n"
        out += "\t\t\(f.keyword) saddr @\(masq) \(f.keyword) daddr != @\(all) masquerade\n\t}\n"
        out += "\tchain cali-POSTROUTING {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
        out += "\t\tjump cali-nat-outgoing\n\t}\n}\n"
        return out
    }
}

/// Keeps a node's `calico` nftables tables in step with the pools, as Felix's masquerade manager does.
///
/// Loads a new script only when the wanted ruleset differs from the one last loaded, so an unrelated
/// datastore change costs nothing and nothing else (BGP sessions, routes) is touched. A missing `nft`
/// or a refused script is said once per wanted ruleset; the agent carries on without NAT.
final class NATOutgoingProgrammer {
    private let nodeName: String
    private let namespace: NetworkNamespace?
    private let log: (String) -> Void
    private let locateTool: () -> String?
    /// What the node's tables hold: nil before the first load (they may hold a previous agent's rules).
    private var loaded: NATOutgoingRuleset?
    /// The wanted ruleset that last failed to load, so its failure is reported once.
    private var failed: NATOutgoingRuleset?

    init(nodeName: String, namespace: NetworkNamespace?, log: @escaping (String) -> Void,
         locateTool: @escaping () -> String? = { NFTCommand.locate() }) {
        self.nodeName = nodeName; self.namespace = namespace; self.log = log; self.locateTool = locateTool
    }

    /// What the tables hold now (tests).
    var current: NATOutgoingRuleset? { loaded }

    /// Brings the node's tables to what `pools` ask for.
    func update(pools: [IPPool]) {
        let wanted = NATOutgoingRuleset(pools: pools)
        // By script: pools that change nothing in it (a pool without natOutgoing while no family masquerades)
        // load nothing.
        guard wanted.script != loaded?.script, wanted.script != failed?.script else { return }
        guard let nft = locateTool() else {
            // Nothing to remove either: without nft no earlier agent can have loaded a table.
            if wanted.masquerades {
                log("calico-node \(nodeName): natOutgoing on \(wanted.masqueradePools.map(\.description).joined(separator: ", ")) is not applied: nft is not installed (Debian package nftables; scripts/install-deps.sh installs it), so pods' traffic to addresses outside all pools leaves with the pod's own source address")
            }
            failed = wanted
            return
        }
        switch NFTCommand(executable: nft).load(wanted.script, in: namespace) {
        case .success:
            if loaded != nil || wanted.masquerades {
                let what = wanted.masquerades
                    ? "masquerading traffic from \(wanted.masqueradePools.map(\.description).joined(separator: ", ")) to addresses outside all pools"
                    : "no pool has natOutgoing; calico NAT tables removed"
                log("calico-node \(nodeName): natOutgoing: \(what)")
            }
            loaded = wanted
            failed = nil
        case .failure(let error):
            log("calico-node \(nodeName): natOutgoing not applied: \(error.message)")
            failed = wanted
        }
    }
}

/// Runs `nft -f -` with a script on standard input inside a node's namespace (nil: this process's own,
/// which must not be the machine's root namespace), as Felix pipes its rules into `iptables-restore`.
struct NFTCommand {
    struct Failure: Error, Equatable { let message: String }

    let executable: String

    /// Where Debian's nftables puts `nft`, then the PATH.
    static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let path = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for dir in ["/usr/sbin", "/sbin", "/usr/local/sbin"] + path where !dir.isEmpty {
            let candidate = dir + "/nft"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Loads `script` atomically (nft applies a whole input as one transaction or nothing).
    func load(_ script: String, in namespace: NetworkNamespace?) -> Result<Void, Failure> {
        do {
            if let namespace {
                return try namespace.run { run(["-f", "-"], input: script) }
            }
            if let refusal = Self.rootNamespaceRefusal() { return .failure(Failure(message: refusal)) }
            return run(["-f", "-"], input: script)
        } catch {
            return .failure(Failure(message: "\(error)"))
        }
    }

    /// Non-nil unless this thread's network namespace is a named one (`/run/netns/…`, where labs keep theirs):
    /// never the machine's own. (PID 1's namespace file cannot serve as the reference: it may be unreadable
    /// even to root.)
    static func rootNamespaceRefusal() -> String? {
        guard let mine = namespaceIdentity("/proc/thread-self/ns/net") else {
            return "cannot read this thread's network namespace; nft not run"
        }
        if NetworkNamespace.list().contains(where: { namespaceIdentity(NetworkNamespace($0).path) == mine }) { return nil }
        return "this calico-node does not run in a named lab namespace (/run/netns), so it may be the machine's own; nft not run (start the node inside its lab namespace)"
    }

    /// Device and inode of a namespace file: equal for the same namespace however it is reached.
    static func namespaceIdentity(_ path: String) -> [UInt64]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return [UInt64(info.st_dev), UInt64(info.st_ino)]
    }

    /// Spawns the tool on this thread (so in its namespace), feeds `input`, waits; nft's complaint on failure.
    private func run(_ arguments: [String], input: String) -> Result<Void, Failure> {
        var toChild: [Int32] = [-1, -1], fromChild: [Int32] = [-1, -1]
        guard pipe(&toChild) == 0 else { return .failure(Failure(message: "pipe: \(String(cString: strerror(errno)))")) }
        guard pipe(&fromChild) == 0 else {
            close(toChild[0]); close(toChild[1])
            return .failure(Failure(message: "pipe: \(String(cString: strerror(errno)))"))
        }
        // Our ends must not leak into children other threads spawn meanwhile (they would hold the pipes open).
        for fd in toChild + fromChild { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The lab's calico-node blocks SIGTERM/SIGINT on every thread; the tool starts with none blocked.
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        close(toChild[0]); close(fromChild[1])
        guard spawned == 0 else {
            close(toChild[1]); close(fromChild[0])
            return .failure(Failure(message: "cannot run \(executable): \(String(cString: strerror(spawned)))"))
        }
        Self.writeIgnoringSIGPIPE(toChild[1], Array(input.utf8))
        close(toChild[1])
        var output = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fromChild[0], &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            output += chunk[..<n]
        }
        close(fromChild[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        if status == 0 { return .success(()) }
        let text = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let how = status & 0x7f == 0 ? "exit status \((status >> 8) & 0xff)" : "killed by signal \(status & 0x7f)"
        return .failure(Failure(message: "\(executable) \(arguments.joined(separator: " ")): \(how)\(text.isEmpty ? "" : ": \(text)")"))
    }

    /// Writes all of `bytes`; a tool that exits early closes the pipe, and the SIGPIPE that raises on this
    /// thread is blocked and then taken back, so it never ends the agent.
    private static func writeIgnoringSIGPIPE(_ fd: Int32, _ bytes: [UInt8]) {
        var pipeSignal = sigset_t(), saved = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &saved)
        defer {
            var pending = sigset_t()
            sigpending(&pending)
            if sigismember(&pending, SIGPIPE) == 1 && sigismember(&saved, SIGPIPE) == 0 {
                var taken: Int32 = 0
                sigwait(&pipeSignal, &taken)
            }
            pthread_sigmask(SIG_SETMASK, &saved, nil)
        }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            offset += n
        }
    }
}
