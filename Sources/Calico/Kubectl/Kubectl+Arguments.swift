import Foundation

/// The kubectl command lines the seeds type, dispatched onto `Kubectl` and the CNI.
extension Kubectl {
    /// Runs `kubectl <arguments>`. `ages` feeds the AGE column; `node` decides where a recreated pod lands.
    public func execute(_ arguments: [String], ages: [String: String] = [:]) -> CommandOutput {
        let args = arguments.map { $0.normalizingHyphens() }
        var positional: [String] = []
        var namespace: String? = "default"
        var allNamespaces = false, wide = false, showLabels = false, overwrite = false
        var selector: String?
        var i = 0
        while i < args.count {
            let a = args[i]
            i += 1
            switch a {
            case "-n", "--namespace":
                guard i < args.count else { return unknown(a) }
                namespace = args[i]; i += 1
            case "-A", "--all-namespaces": allNamespaces = true
            case "-o":
                guard i < args.count else { return unknown(a) }
                wide = args[i] == "wide"; i += 1
            case "-owide", "--output=wide": wide = true
            case "--show-labels": showLabels = true
            case "--overwrite": overwrite = true
            case "-l", "--selector":
                guard i < args.count else { return unknown(a) }
                selector = args[i]; i += 1
            default:
                if a.hasPrefix("--namespace=") { namespace = String(a.dropFirst("--namespace=".count)) } else if a.hasPrefix("-") { return unknown(a) } else { positional.append(a) }
            }
        }
        guard let verb = positional.first else { return unknown("") }
        let rest = Array(positional.dropFirst())
        switch (verb, rest.first) {
        case ("label", "node"), ("label", "nodes"), ("label", "no"):
            guard rest.count >= 3 else { return CommandOutput(stderr: "error: at least one label update is required\n", exitCode: 1) }
            return labelNode(rest[1], Array(rest.dropFirst(2)), overwrite: overwrite)
        case ("get", "node"), ("get", "nodes"), ("get", "no"):
            return getNodes(showLabels: showLabels, ages: ages)
        case ("get", "pod"), ("get", "pods"), ("get", "po"):
            return getPods(namespace: allNamespaces ? nil : namespace, wide: wide, ages: ages)
        case ("delete", "pod"), ("delete", "pods"), ("delete", "po"):
            return deletePods(namespace: namespace ?? "default", names: Array(rest.dropFirst()), selector: selector)
        default:
            return CommandOutput(stderr: "error: the server doesn't have a resource type \"\(rest.first ?? verb)\"\n", exitCode: 1)
        }
    }

    /// `kubectl delete pod <name>… | -l <selector>`: unwires each pod (CNI DEL) and removes it. The
    /// lab recreates controller-owned pods itself.
    public func deletePods(namespace: String, names: [String], selector: String?) -> CommandOutput {
        var targets = names
        if let selector {
            guard let sel = Self.labelSelector(selector) else {
                return CommandOutput(stderr: "error: invalid label selector \(selector)\n", exitCode: 1)
            }
            targets += store.list(.pod, namespace: namespace).filter { sel.matches($0.metadata.labels) }.map(\.name)
        }
        var out = CommandOutput()
        for name in targets {
            guard case .pod(let pod)? = try? store.get(.pod, name, namespace: namespace) else {
                out.stderr += "Error from server (NotFound): pods \"\(name)\" not found\n"
                out.exitCode = 1
                continue
            }
            if let node = pod.nodeName { try? CNI(store: store).delete(namespace: namespace, pod: name, node: node) }
            _ = try? store.delete(.pod, name, namespace: namespace)
            out.stdout += "pod \"\(name)\" deleted\n"
        }
        return out
    }

    /// A Kubernetes equality selector (`k=v,k2!=v2,k3,!k4`) as a Calico selector.
    static func labelSelector(_ text: String) -> Selector? {
        var terms: [String] = []
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if let r = part.range(of: "!=") {
                terms.append("\(part[..<r.lowerBound]) != '\(part[r.upperBound...])'")
            } else if let r = part.range(of: "==") ?? part.range(of: "=") {
                terms.append("\(part[..<r.lowerBound]) == '\(part[r.upperBound...])'")
            } else if part.hasPrefix("!") {
                terms.append("!has(\(part.dropFirst()))")
            } else {
                terms.append("has(\(part))")
            }
        }
        return try? Selector(parsing: terms.joined(separator: " && "))
    }

    func unknown(_ flag: String) -> CommandOutput {
        CommandOutput(stderr: "error: unknown flag: \(flag)\n", exitCode: 1)
    }
}
