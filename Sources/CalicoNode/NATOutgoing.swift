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
    typealias Failure = ToolRun.Failure

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
    /// never the machine's own.
    static func rootNamespaceRefusal() -> String? {
        if NetworkNamespace.currentIsNamed() { return nil }
        return "this calico-node does not run in a named lab namespace (/run/netns), so it may be the machine's own; nft not run (start the node inside its lab namespace)"
    }

    /// Spawns the tool on this thread (so in its namespace), feeds `input`, waits; nft's complaint on failure.
    private func run(_ arguments: [String], input: String) -> Result<Void, Failure> {
        ToolRun.run(executable, arguments, input: input)
    }
}
