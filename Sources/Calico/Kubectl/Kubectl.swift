/// The slice of kubectl the seeds use against the Kubernetes datastore (KDD): node labels (which are
/// the Calico Node labels selectors match), node and pod listings, pod deletion (owners recreate them),
/// and get/edit/patch of the `calico-config` ConfigMap, IP pools through their CRD name and Secrets.
///
/// Files: `Kubectl+Arguments` (flags and verb dispatch), `Kubectl+Get` (listings, `-o yaml`, pod
/// deletion), `Kubectl+Edit` (edit, patch, apply, secrets).
public struct Kubectl: Sendable {
    public let store: Datastore
    public init(store: Datastore) { self.store = store }

    /// `kubectl label nodes <name> k=v [k2=v2 …] [k-] [--overwrite]`. Labels land on the Calico Node
    /// (and on the Kubernetes node object if the lab keeps one).
    public func labelNode(_ name: String, _ changes: [String], overwrite: Bool = false) -> CommandOutput {
        let calico = try? store.get(.node, name)
        let kube = try? store.get(.kubeNode, name)
        guard let current = calico ?? kube else {
            return CommandOutput(stderr: "Error from server (NotFound): nodes \"\(name)\" not found\n", exitCode: 1)
        }
        var labels = current.metadata.labels
        var removedOnly = true
        for change in changes {
            if change.hasSuffix("-") && !change.contains("=") {
                labels[String(change.dropLast())] = nil
                continue
            }
            removedOnly = false
            let parts = change.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else {
                return CommandOutput(stderr: "error: at least one label update is required\n", exitCode: 1)
            }
            let key = String(parts[0]), value = String(parts[1])
            if let old = labels[key], old != value, !overwrite {
                return CommandOutput(stderr: "error: '\(key)' already has a value (\(old)), and --overwrite is false\n", exitCode: 1)
            }
            labels[key] = value
        }
        if labels == current.metadata.labels { return CommandOutput(stdout: "node/\(name) not labeled\n") }
        for existing in [calico, kube].compactMap({ $0 }) {
            var m = existing.metadata
            m.labels = labels
            store.put(existing.with(metadata: m))
        }
        return CommandOutput(stdout: "node/\(name) \(removedOnly ? "unlabeled" : "labeled")\n")
    }

    /// `kubectl get nodes [--show-labels]`. `ages` maps a node name to kubectl's age text (`31d`), since
    /// time is the caller's business; STATUS and VERSION come from the Kubernetes node object when present.
    public func getNodes(showLabels: Bool = false, ages: [String: String] = [:], names only: [String] = []) -> CommandOutput {
        let names = Set(store.list(.node).map(\.name) + store.list(.kubeNode).map(\.name)).filter { only.isEmpty || only.contains($0) }.sorted()
        var rows: [[String]] = []
        for n in names {
            let kube = (try? store.get(.kubeNode, n))
            let labels = ((try? store.get(.node, n)) ?? kube)?.metadata.labels ?? [:]
            let body = kube.map { $0.json } ?? .null
            var status = "Ready"
            if body["spec"]?["unschedulable"] == .bool(true) { status += ",SchedulingDisabled" }
            // kubectl reads roles from `node-role.kubernetes.io/<role>` keys and the older
            // `kubernetes.io/role: <role>` label (kubeasz's clusters, seed 000: master / node).
            let roles = Set(labels.keys.filter { $0.hasPrefix("node-role.kubernetes.io/") }
                .map { String($0.dropFirst("node-role.kubernetes.io/".count)) } + [labels["kubernetes.io/role"]].compactMap { $0 }).sorted()
            var row = [n, status, roles.isEmpty ? "<none>" : roles.joined(separator: ","), ages[n] ?? "<unknown>",
                       body["status"]?["nodeInfo"]?["kubeletVersion"]?.stringValue ?? "<unknown>"]
            if showLabels { row.append(labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")) }
            rows.append(row)
        }
        var header = ["NAME", "STATUS", "ROLES", "AGE", "VERSION"]
        if showLabels { header.append("LABELS") }
        return CommandOutput(stdout: Self.table(header, rows))
    }

    /// `kubectl get pods [-n ns | -A] [-o wide]`. READY/STATUS/RESTARTS come from the pod's status
    /// (`containerStatuses`, `phase`), defaulting to a healthy single-container pod.
    public func getPods(namespace: String? = "default", wide: Bool = false, ages: [String: String] = [:]) -> CommandOutput {
        let pods = store.list(.pod, namespace: namespace).compactMap { r -> Pod? in if case .pod(let p) = r { return p } else { return nil } }
        if pods.isEmpty {
            return CommandOutput(stderr: namespace.map { "No resources found in \($0) namespace.\n" } ?? "No resources found\n")
        }
        var header = ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
        if namespace == nil { header.insert("NAMESPACE", at: 0) }
        if wide { header += ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"] }
        let rows = pods.map { p -> [String] in
            let status = JSONValue.object(p.body)["status"] ?? .null
            let containers = status["containerStatuses"]?.arrayValue ?? []
            let ready = containers.isEmpty ? "1/1" : "\(containers.filter { $0["ready"] == .bool(true) }.count)/\(containers.count)"
            let restarts = containers.reduce(0) { $0 + (Int($1["restartCount"].flatMap { if case .number(let n) = $0 { return n } else { return nil } } ?? "0") ?? 0) }
            var row = [p.metadata.name, ready, status["phase"]?.stringValue ?? "Running", String(restarts), ages[p.metadata.name] ?? "<unknown>"]
            if namespace == nil { row.insert(p.metadata.namespace ?? "", at: 0) }
            if wide { row += [p.podIP ?? "<none>", p.nodeName ?? "<none>", "<none>", "<none>"] }
            return row
        }
        return CommandOutput(stdout: Self.table(header, rows))
    }

    /// kubectl's printer: tabwriter padding 3 with the last column not padded.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        TabTable.render(header: header, rows: rows, minWidth: 0, padding: 3)
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in String(line.reversed().drop { $0 == " " }.reversed()) }
            .joined(separator: "\n")
    }
}
