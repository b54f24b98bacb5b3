import Foundation

/// `kubectl get` and `kubectl delete`: tables, `-o yaml|json|name`, and pods coming back after deletion.
extension Kubectl {
    /// The object as the Kubernetes API returns it: v1 objects as they are, Calico resources under their
    /// CRD group (`crd.projectcalico.org/v1`), which is what KDD stores and kubectl sees.
    static func view(_ r: AnyResource) -> JSONValue {
        let apiVersion = r.kind.isKubernetes ? "v1" : "crd.projectcalico.org/v1"
        return .object([("apiVersion", .string(apiVersion)), ("kind", .string(r.kind.documentKind)), ("metadata", r.metadata.json)]
                       + r.resource.bodyJSON)
    }

    /// `kubectl get nodes [NAME…] [--show-labels] [-o wide|yaml|json|name]`.
    func getNodes(names: [String], args: KubectlArguments, env: KubectlEnvironment) -> CommandOutput {
        if let format = args.output, format != "wide" { return getObjects(.node, names: names, namespace: nil, output: format, env: env) }
        if let missing = names.first(where: { (try? store.get(.node, $0)) == nil && (try? store.get(.kubeNode, $0)) == nil }) {
            return CommandOutput(stderr: KubectlType.node.notFound(missing), exitCode: 1)
        }
        let out = getNodes(showLabels: args.showLabels, ages: Self.ages(store.list(.node) + store.list(.kubeNode), now: env.now()), names: names)
        return args.output == "wide" && !args.showLabels ? wideNodes(out) : out
    }

    /// `kubectl get pods [NAME…] [-n ns | -A] [-l selector] [-o wide|yaml|json|name]`.
    func getPods(names: [String], namespace: String?, args: KubectlArguments, env: KubectlEnvironment) -> CommandOutput {
        var pods = store.list(.pod, namespace: namespace)
        if !names.isEmpty { pods = pods.filter { names.contains($0.name) } }
        if let sel = args.selector {
            guard let matcher = LabelSelector(sel) else { return CommandOutput(stderr: "error: unable to parse requirement: \(sel)\n", exitCode: 1) }
            pods = pods.filter { matcher.matches($0.metadata.labels) }
        }
        if let missing = names.first(where: { n in !pods.contains { $0.name == n } }) {
            return CommandOutput(stderr: KubectlType.pod.notFound(missing), exitCode: 1)
        }
        if let format = args.output, format != "wide" { return render(.pod, pods, single: names.count == 1, format: format) }
        if pods.isEmpty { return CommandOutput(stderr: namespace.map { "No resources found in \($0) namespace.\n" } ?? "No resources found\n") }
        guard let view = try? Datastore() else { return CommandOutput(stderr: "error: cannot list pods\n", exitCode: 1) }
        for p in pods { view.put(p) }
        return Kubectl(store: view).getPods(namespace: namespace, wide: args.output == "wide", ages: Self.ages(pods, now: env.now()))
    }

    /// `kubectl get configmaps|secrets|ippools.crd.projectcalico.org [NAME…] [-o yaml|json|name]`.
    func getObjects(_ type: KubectlType, names: [String], namespace: String?, output: String?, env: KubectlEnvironment) -> CommandOutput {
        var found: [AnyResource] = []
        var errors = ""
        if names.isEmpty {
            found = store.list(type.kind, namespace: namespace)
        } else {
            for n in names {
                if let r = try? store.get(type.kind, n, namespace: namespace) { found.append(r) } else { errors += type.notFound(n) }
            }
        }
        var out: CommandOutput
        if let format = output, format != "wide" {
            out = render(type, found, single: names.count == 1, format: format)
        } else if found.isEmpty {
            out = CommandOutput(stderr: names.isEmpty ? (namespace.map { "No resources found in \($0) namespace.\n" } ?? "No resources found\n") : "")
        } else {
            let ages = Self.ages(found, now: env.now())
            var header: [String]
            switch type {
            case .configMap: header = ["NAME", "DATA", "AGE"]
            case .secret: header = ["NAME", "TYPE", "DATA", "AGE"]
            default: header = ["NAME", "AGE"]
            }
            let withNamespace = namespace == nil && type.namespaced
            if withNamespace { header.insert("NAMESPACE", at: 0) }
            let rows = found.map { r -> [String] in
                var row: [String]
                switch r {
                case .configMap(let cm): row = [cm.metadata.name, String(cm.data.count)]
                case .secret(let s): row = [s.metadata.name, s.type, String(s.data.count)]
                default: row = [r.name]
                }
                row.append(ages[r.name] ?? "<unknown>")
                if withNamespace { row.insert(r.metadata.namespace ?? "", at: 0) }
                return row
            }
            out = CommandOutput(stdout: Self.table(header, rows))
        }
        out.stderr += errors
        if !errors.isEmpty || out.exitCode != 0 { out.exitCode = 1 }
        return out
    }

    /// `-o yaml`/`-o json` (one object when one name was asked for, else a `List`) and `-o name`.
    func render(_ type: KubectlType, _ objects: [AnyResource], single: Bool, format: String) -> CommandOutput {
        let views = objects.map(Self.view)
        let doc: JSONValue = single && views.count == 1 ? views[0]
            : .object([("apiVersion", .string("v1")), ("items", .array(views)), ("kind", .string("List")),
                       ("metadata", .object([("resourceVersion", .string(""))]))])
        switch format {
        case "yaml": return CommandOutput(stdout: doc.yamlText)
        case "json": return CommandOutput(stdout: doc.jsonText(indent: "    ") + "\n")
        case "name": return CommandOutput(stdout: objects.map { "\(type.singular)/\($0.name)\n" }.joined())
        default:
            return CommandOutput(stderr: "error: unable to match a printer suitable for the output format \"\(format)\", allowed formats are: json,name,wide,yaml\n", exitCode: 1)
        }
    }

    /// `kubectl delete pod <name>… | -l <selector>`. The pod's owner brings it back on the same node, as
    /// its controller would: a calico-node DaemonSet pod under a new name (a new uid, which restarts that
    /// node's agent), a Deployment's pod under its name (seed 004's kube-dns). Unwiring the old sandbox and
    /// wiring the new one with a fresh address is the node agent's job, as the kubelet's CNI calls are.
    public func deletePods(namespace: String, names: [String], selector: String?, env: KubectlEnvironment = KubectlEnvironment()) -> CommandOutput {
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
                    out.stderr += KubectlType.pod.notFound(n)
                    out.exitCode = 1
                }
            }
        }
        for old in doomed {
            guard case .pod(let pod) = old else { continue }
            _ = try? store.delete(.pod, pod.metadata.name, namespace: namespace)
            out.stdout += "pod \"\(pod.metadata.name)\" deleted\n"
            guard let node = pod.nodeName else { continue }
            let daemonSet = pod.metadata.labels["k8s-app"] == "calico-node"
            var replacement = Pod(namespace: namespace, name: daemonSet ? "calico-node-" + env.podSuffix() : pod.metadata.name,
                                  nodeName: node, labels: pod.metadata.labels)
            if daemonSet { replacement.setPodIP(pod.podIP) }   // host network: the node's address
            store.put(AnyResource(replacement))
        }
        return out
    }

    /// `kubectl delete secret|configmap NAME…`.
    func deleteObjects(_ type: KubectlType, names: [String], namespace: String) -> CommandOutput {
        guard !names.isEmpty else { return CommandOutput(stderr: "error: resource(s) were provided, but no name was specified\n", exitCode: 1) }
        var out = CommandOutput()
        for n in names {
            if (try? store.delete(type.kind, n, namespace: namespace)) != nil {
                out.stdout += "\(type.singular) \"\(n)\" deleted\n"
            } else {
                out.stderr += type.notFound(n)
                out.exitCode = 1
            }
        }
        return out
    }

    /// `-o wide` for nodes: the standard table plus INTERNAL-IP (the node's address), EXTERNAL-IP and the
    /// kubelet's node info (`<unknown>` unless the Kubernetes node object carries it), kubectl's padding of 3.
    func wideNodes(_ standard: CommandOutput) -> CommandOutput {
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
    static func ages(_ resources: [AnyResource], now: Date) -> [String: String] {
        var out: [String: String] = [:]
        let f = ISO8601DateFormatter()
        for r in resources {
            guard let ts = r.metadata.creationTimestamp, let d = f.date(from: ts) else { continue }
            out[r.name] = humanDuration(now.timeIntervalSince(d))
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
