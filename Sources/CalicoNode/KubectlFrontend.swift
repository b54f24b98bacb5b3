import Foundation
import Calico

/// `kubectl` as the seeds type it on a node: nodes (get, label) and pods (get, delete) over Calico's
/// `Kubectl`. Deleting a pod deletes its Pod object and, as its owner would, creates the replacement on
/// the same node under the same name (seed 004's kube-dns comes back as `kube-dns-6f4fd4bdf-8q7zp` with
/// the same `cali…` interface); the node agent then wires it with a new address from an enabled pool.
public struct KubectlFrontend {
    public var environment: CalicoLabEnvironment
    public var now: () -> Date

    public init(environment: CalicoLabEnvironment = CalicoLabEnvironment(), now: @escaping () -> Date = Date.init) {
        self.environment = environment
        self.now = now
    }

    static let valued = ["--from-literal": "from-literal", "-o": "output", "--output": "output", "-n": "namespace", "--namespace": "namespace",
                         "-l": "selector", "--selector": "selector", "--kubeconfig": "ignored", "--context": "ignored"]
    static let boolean = ["-A": "all-namespaces", "--all-namespaces": "all-namespaces", "--show-labels": "show-labels",
                          "--overwrite": "overwrite", "-h": "help", "--help": "help", "--now": "ignored", "--wait": "ignored"]

    public func run(_ argv: [String]) -> CommandOutput {
        let args: FrontendArguments
        do { args = try FrontendArguments(argv, valued: Self.valued, boolean: Self.boolean) } catch {
            return CommandOutput(stderr: "error: \(error)\nSee 'kubectl --help' for usage.\n", exitCode: 1)
        }
        guard args.positional.count >= 2 else {
            return CommandOutput(stderr: "error: You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n", exitCode: 1)
        }
        let store: Datastore
        do { store = try environment.openStore() } catch { return CommandOutput(stderr: "error: \(error)\n", exitCode: 1) }
        if args.positional.starts(with: ["create", "secret", "generic"]) {
            return createSecret(args, store: store)
        }
        let verb = args.positional[0], resource = args.positional[1], names = Array(args.positional.dropFirst(2))
        let isNode = ["node", "nodes", "no"].contains(resource), isPod = ["pod", "pods", "po"].contains(resource)
        let namespace: String? = args.flags.contains("all-namespaces") ? nil : (args.values["namespace"] ?? "default")
        let kubectl = Kubectl(store: store)
        switch (verb, isNode, isPod) {
        case ("get", true, _):
            let out = kubectl.getNodes(showLabels: args.flags.contains("show-labels"), ages: ages(store.list(.node) + store.list(.kubeNode)))
            if args.values["output"] == "wide" && !args.flags.contains("show-labels") { return Self.wideNodes(out, store: store) }
            return out
        case ("label", true, _):
            guard let name = names.first, names.count >= 2 else { return CommandOutput(stderr: "error: at least one label update is required\n", exitCode: 1) }
            return kubectl.labelNode(name, Array(names.dropFirst()), overwrite: args.flags.contains("overwrite"))
        case ("get", _, true):
            var pods = store.list(.pod, namespace: namespace)
            if !names.isEmpty { pods = pods.filter { names.contains($0.name) } }
            if let sel = args.values["selector"] {
                guard let matcher = LabelSelector(sel) else { return CommandOutput(stderr: "error: unable to parse requirement: \(sel)\n", exitCode: 1) }
                pods = pods.filter { matcher.matches($0.metadata.labels) }
            }
            if let missing = names.first(where: { n in !pods.contains { $0.name == n } }) {
                return CommandOutput(stderr: "Error from server (NotFound): pods \"\(missing)\" not found\n", exitCode: 1)
            }
            guard let view = try? Datastore() else { return CommandOutput(stderr: "error: cannot list pods\n", exitCode: 1) }
            for p in pods { view.put(p) }
            var out = Kubectl(store: view).getPods(namespace: namespace, wide: args.values["output"] == "wide", ages: ages(pods))
            if pods.isEmpty && namespace != nil { out = CommandOutput(stderr: "No resources found in \(namespace!) namespace.\n") }
            return out
        case ("delete", _, true):
            return deletePods(store, names: names, selector: args.values["selector"], namespace: namespace ?? "default")
        default:
            return CommandOutput(stderr: "error: the server doesn't have a resource type \"\(resource)\"\n", exitCode: 1)
        }
    }

    /// `kubectl create secret generic NAME --from-literal=key=value` (one literal; the lab's BGP passwords).
    private func createSecret(_ args: FrontendArguments, store: Datastore) -> CommandOutput {
        guard args.positional.count == 4, let dir = store.directory else {
            return CommandOutput(stderr: "error: exactly one NAME is required, got \(max(0, args.positional.count - 3))\n", exitCode: 1)
        }
        let name = args.positional[3]
        var data: [String: String] = [:]
        if let literal = args.values["from-literal"] {
            let parts = literal.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else {
                return CommandOutput(stderr: "error: invalid literal source \(literal), expected key=value\n", exitCode: 1)
            }
            data[String(parts[0])] = String(parts[1])
        }
        do { try SecretsDirectory(datastoreDirectory: dir).create(name: name, data: data) } catch {
            return CommandOutput(stderr: "\(error)\n", exitCode: 1)
        }
        return CommandOutput(stdout: "secret/\(name) created\n")
    }

    private func deletePods(_ store: Datastore, names: [String], selector: String?, namespace: String) -> CommandOutput {
        var doomed: [AnyResource] = []
        var out = CommandOutput()
        if let selector {
            guard let matcher = LabelSelector(selector) else { return CommandOutput(stderr: "error: unable to parse requirement: \(selector)\n", exitCode: 1) }
            doomed = store.list(.pod, namespace: namespace).filter { matcher.matches($0.metadata.labels) }
            if doomed.isEmpty { return CommandOutput(stderr: "No resources found\n") }
        } else {
            guard !names.isEmpty else {
                return CommandOutput(stderr: "error: resource(s) were provided, but no name was specified\n", exitCode: 1)
            }
            for n in names {
                if let p = try? store.get(.pod, n, namespace: namespace) { doomed.append(p) } else {
                    out.stderr += "Error from server (NotFound): pods \"\(n)\" not found\n"
                    out.exitCode = 1
                }
            }
        }
        for old in doomed {
            guard case .pod(let pod) = old else { continue }
            _ = try? store.delete(.pod, pod.metadata.name, namespace: namespace)
            out.stdout += "pod \"\(pod.metadata.name)\" deleted\n"
            guard let node = pod.nodeName else { continue }
            // A DaemonSet's pod (calico-node) comes back under a new name, on the host network as before.
            let daemonSet = pod.metadata.labels["k8s-app"] == "calico-node"
            var replacement = Pod(namespace: namespace, name: daemonSet ? "calico-node-" + KubectlFrontend.randomSuffix() : pod.metadata.name,
                                  nodeName: node, labels: pod.metadata.labels)
            if daemonSet { replacement.setPodIP(pod.podIP) }
            store.put(AnyResource(replacement))
        }
        return out
    }

    public static func randomSuffix() -> String {
        String((0..<5).map { _ in Array("bcdfghjklmnpqrstvwxz2456789").randomElement()! })
    }

    /// `-o wide` for nodes: the standard table plus INTERNAL-IP (the node's address), EXTERNAL-IP and the
    /// kubelet's node info (`<unknown>` unless the Kubernetes node object carries it), kubectl's padding of 3.
    static func wideNodes(_ standard: CommandOutput, store: Datastore) -> CommandOutput {
        let lines = standard.stdout.split(separator: "\n").map(String.init)
        guard let header = lines.first else { return standard }
        var extra: [[String]] = [["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"]]
        for line in lines.dropFirst() {
            let name = String(line.prefix { $0 != " " })
            let ip = (try? store.get(.node, name))?.node?.spec.bgp?.ipv4Address.map { String($0.split(separator: "/")[0]) } ?? "<none>"
            let info = (try? store.get(.kubeNode, name)).map { $0.json["status"]?["nodeInfo"] ?? .null } ?? .null
            extra.append([ip, "<none>", info["osImage"]?.stringValue ?? "<unknown>", info["kernelVersion"]?.stringValue ?? "<unknown>",
                          info["containerRuntimeVersion"]?.stringValue ?? "<unknown>"])
        }
        let baseWidth = lines.map(\.count).max() ?? header.count
        let widths = (0..<5).map { c in extra.map { $0[c].count }.max() ?? 0 }
        var text = ""
        for (i, line) in lines.enumerated() {
            var row = line.padding(toLength: baseWidth + 3, withPad: " ", startingAt: 0)
            for c in 0..<5 { row += c == 4 ? extra[i][c] : extra[i][c].padding(toLength: widths[c] + 3, withPad: " ", startingAt: 0) }
            text += row + "\n"
        }
        return CommandOutput(stdout: text, stderr: standard.stderr, exitCode: standard.exitCode)
    }

    /// kubectl's AGE column from each object's creationTimestamp.
    private func ages(_ resources: [AnyResource]) -> [String: String] {
        var out: [String: String] = [:]
        let f = ISO8601DateFormatter()
        for r in resources {
            guard let ts = r.metadata.creationTimestamp, let d = f.date(from: ts) else { continue }
            out[r.name] = Self.humanDuration(now().timeIntervalSince(d))
        }
        return out
    }

    /// Kubernetes' `duration.HumanDuration`.
    static func humanDuration(_ interval: Double) -> String {
        let s = Int(max(0, interval))
        if s < 120 { return "\(s)s" }
        let m = s / 60
        if m < 10 { return s % 60 == 0 ? "\(m)m" : "\(m)m\(s % 60)s" }
        if m < 180 { return "\(m)m" }
        let h = m / 60
        if h < 8 { return m % 60 == 0 ? "\(h)h" : "\(h)h\(m % 60)m" }
        if h < 48 { return "\(h)h" }
        if h < 24 * 8 { return h % 24 == 0 ? "\(h / 24)d" : "\(h / 24)d\(h % 24)h" }
        if h < 24 * 365 * 2 { return "\(h / 24)d" }
        if h < 24 * 365 * 8 { let d = h / 24; return d % 365 == 0 ? "\(d / 365)y" : "\(d / 365)y\(d % 365)d" }
        return "\(h / 24 / 365)y"
    }
}

/// kubectl's equality-based label selector: `k=v`, `k==v`, `k!=v`, `k`, `!k`, comma-separated (all must hold).
struct LabelSelector {
    enum Requirement { case equals(String, String), notEquals(String, String), exists(String), absent(String) }
    var requirements: [Requirement] = []

    init?(_ text: String) {
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if let r = part.range(of: "!=") {
                requirements.append(.notEquals(String(part[..<r.lowerBound]), String(part[r.upperBound...])))
            } else if let r = part.range(of: "==") ?? part.range(of: "=") {
                let k = String(part[..<r.lowerBound])
                if k.isEmpty { return nil }
                requirements.append(.equals(k, String(part[r.upperBound...])))
            } else if part.hasPrefix("!") {
                requirements.append(.absent(String(part.dropFirst())))
            } else if !part.isEmpty {
                requirements.append(.exists(part))
            } else {
                return nil
            }
        }
    }

    func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy {
            switch $0 {
            case .equals(let k, let v): return labels[k] == v
            case .notEquals(let k, let v): return labels[k] != v
            case .exists(let k): return labels[k] != nil
            case .absent(let k): return labels[k] == nil
            }
        }
    }
}
