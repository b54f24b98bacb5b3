/// What a calicoctl invocation prints and returns.
public struct CommandOutput: Equatable, Sendable, CustomStringConvertible {
    public var stdout: String
    public var stderr: String
    public var exitCode: Int32
    public init(stdout: String = "", stderr: String = "", exitCode: Int32 = 0) {
        self.stdout = stdout; self.stderr = stderr; self.exitCode = exitCode
    }
    static func failure(_ message: String) -> CommandOutput { CommandOutput(stderr: message + "\n", exitCode: 1) }
    public var description: String { stdout + stderr }
}

/// calicoctl's resource commands over a datastore, with its exact messages (≤v3.30 wording).
public struct Calicoctl: Sendable {
    public let store: Datastore
    public init(store: Datastore) { self.store = store }

    enum Action {
        case create, apply, replace, delete
        var verb: String { switch self { case .create: "create"; case .apply: "apply"; case .replace: "replace"; case .delete: "delete" } }
        var past: String { switch self { case .create: "created"; case .apply: "applied"; case .replace: "replaced"; case .delete: "deleted" } }
    }

    public func create(file text: String, skipExists: Bool = false) -> CommandOutput { run(.create, text, skip: skipExists) }
    public func apply(file text: String) -> CommandOutput { run(.apply, text) }
    public func replace(file text: String) -> CommandOutput { run(.replace, text) }
    public func delete(file text: String, skipNotExists: Bool = false) -> CommandOutput { run(.delete, text, skip: skipNotExists) }

    /// `calicoctl delete <kind> <name>...`
    public func delete(kind kindName: String, names: [String], namespace: String? = nil, skipNotExists: Bool = false) -> CommandOutput {
        guard let kind = ResourceKind(calicoctlName: kindName) else { return .failure("resource type '\(kindName)' is not supported") }
        return handle(.delete, names.map { (kind, $0, namespace, nil) }, skip: skipNotExists)
    }

    private func run(_ action: Action, _ text: String, skip: Bool = false) -> CommandOutput {
        let resources: [AnyResource]
        do { resources = try ResourceFile.decode(text) } catch {
            return .failure("Failed to execute command: \(error)")
        }
        if resources.isEmpty { return CommandOutput(stdout: "No resources specified\n") }
        return handle(action, resources.map { ($0.kind, $0.name, $0.metadata.namespace, $0) }, skip: skip)
    }

    private func handle(_ action: Action, _ items: [(ResourceKind, String, String?, AnyResource?)], skip: Bool) -> CommandOutput {
        var handled = 0
        var errors: [String] = []
        for (kind, name, ns, resource) in items {
            do {
                if !kind.namespaced, let ns, !ns.isEmpty, resource != nil {
                    throw CalicoError("namespace should not be specified for a non-namespaced resource. \(kind.documentKind) is not a namespaced resource")
                }
                switch action {
                case .create: try store.create(resource!)
                case .apply: try store.apply(resource!)
                case .replace:
                    var r = resource!
                    if (r.metadata.resourceVersion ?? "").isEmpty {
                        var m = r.metadata
                        m.resourceVersion = try store.get(kind, name, namespace: ns).metadata.resourceVersion
                        r = r.with(metadata: m)
                    }
                    try store.update(r)
                case .delete:
                    let deleted = try store.delete(kind, name, namespace: ns)
                    // Deleting a pool releases its unused blocks and their affinities.
                    if let p = deleted.ipPool?.prefix { IPAM(store: store).releaseEmptyBlocks(in: p) }
                }
                handled += 1
            } catch DatastoreError.alreadyExists where skip && action == .create {
                handled += 1
            } catch DatastoreError.doesNotExist where skip && action == .delete {
                handled += 1
            } catch {
                errors.append("\(error)")
                if action == .replace { break }
            }
        }
        let kinds = Set(items.map(\.0))
        let single = kinds.count == 1 ? kinds.first!.documentKind : nil
        let total = items.count
        if errors.isEmpty {
            let what = single.map { "\(handled) '\($0)' resource(s)" } ?? "\(handled) resource(s)"
            return CommandOutput(stdout: "Successfully \(action.past) \(what)\n")
        }
        let kindText = single ?? "resource"
        switch action {
        case .replace:
            if handled == 0 { return .failure("Failed to replace '\(kindText)' resource: \(errors[0])") }
        case .delete:
            let stderr = errors.map { "Failed to delete '\(kindText)' resource: \($0)\n\n" }.joined()
            let stdout = handled > 0 ? "Successfully deleted \(handled) '\(kindText)' resource(s)\n" : ""
            return CommandOutput(stdout: stdout, stderr: stderr, exitCode: 1)
        default:
            if handled == 0 {
                let list = "[" + errors.joined(separator: " ") + "]"
                return total == 1 ? .failure("Failed to \(action.verb) '\(kindText)' resource: \(list)")
                    : .failure("Failed to \(action.verb) any '\(kindText)' resources: \(list)")
            }
        }
        let partial = single.map { "Partial success: \(action.past) the first \(handled) out of \(total) '\($0)' resources:\n" }
            ?? "Partial success: \(action.past) the first \(handled) out of \(total) resources:\n"
        let hit = action == .create ? "Hit error" : "Hit error(s)"
        return CommandOutput(stdout: partial, stderr: "\(hit): [\(errors.joined(separator: " "))]\n", exitCode: 1)
    }

    /// `calicoctl get <kind> [name...] [-o fmt] [-n ns | -A] [--export]`.
    public func get(kind kindName: String, names: [String] = [], output: String = "ps", namespace: String? = nil,
                    allNamespaces: Bool = false, export: Bool = false) -> CommandOutput {
        guard let kind = ResourceKind(calicoctlName: kindName) else { return .failure("resource type '\(kindName)' is not supported") }
        let format: GetOutput.Format
        do { format = try GetOutput.Format(output) } catch { return .failure("\(error)") }
        if !kind.namespaced && (namespace != nil || allNamespaces) {
            return .failure("\(kind.documentKind) is not namespaced")
        }
        let ns = kind.namespaced ? (allNamespaces ? nil : (namespace ?? "default")) : nil
        var items: [AnyResource] = []
        var errors: [String] = []
        if names.isEmpty {
            items = store.list(kind, namespace: ns)
        } else {
            for n in names {
                do { items.append(try store.get(kind, n, namespace: ns)) } catch { errors.append("\(error)") }
            }
        }
        var out = CommandOutput()
        switch format {
        case .ps, .wide:
            let defaultAS = (try? store.get(.bgpConfiguration, "default"))?.bgpConfiguration?.spec.asNumber?.description ?? "64512"
            if names.isEmpty || !items.isEmpty || errors.isEmpty {
                if names.count > 1 {
                    out.stdout = items.map { GetOutput.table(kind, [$0], wide: format == .wide, defaultAS: defaultAS, withNamespace: allNamespaces || namespace != nil) }.joined()
                } else if !(names.count == 1 && items.isEmpty) {
                    out.stdout = GetOutput.table(kind, items, wide: format == .wide, defaultAS: defaultAS, withNamespace: allNamespaces || namespace != nil)
                }
            }
        case .yaml, .json:
            if !items.isEmpty || names.isEmpty {
                out.stdout = GetOutput.render(GetOutput.document(kind, items, listed: names.isEmpty, revision: store.currentRevision, export: export), format: format)
            }
        }
        if !errors.isEmpty {
            out.stderr = errors.map { $0 + "\n" }.joined()
            out.exitCode = 1
        }
        return out
    }

    /// `calicoctl patch <kind> <name> -p '<json>'`.
    public func patch(kind kindName: String, name: String, patch: String, namespace: String? = nil) -> CommandOutput {
        guard let kind = ResourceKind(calicoctlName: kindName) else { return .failure("resource type '\(kindName)' is not supported") }
        do {
            try store.patch(kind, name, namespace: namespace, json: patch)
            return CommandOutput(stdout: "Successfully patched 1 '\(kind.documentKind)' resource\n")
        } catch {
            return CommandOutput(stderr: "Failed to patch '\(kind.documentKind)' resource: \(error)\n\n", exitCode: 1)
        }
    }

    /// `calicoctl label <kind> <name> k=v [--overwrite]` and `k --remove`; the kind is echoed as typed.
    public func label(kind kindName: String, name: String, label: String, overwrite: Bool = false, remove: Bool = false) -> CommandOutput {
        guard let kind = ResourceKind(calicoctlName: kindName) else { return .failure("resource type '\(kindName)' is not supported") }
        guard let current = try? store.get(kind, name) else { return .failure("\(kindName) \(name) not found") }
        var meta = current.metadata
        let key: String
        var message: String
        if remove {
            key = label
            guard meta.labels[key] != nil else { return .failure("cannot remove label of \(kindName) \(name), key \(key) does not exist") }
            meta.labels[key] = nil
            message = "Successfully removed label \(key) from \(kindName) \(name)"
        } else {
            let parts = label.split(separator: "=", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else { return .failure("invalid label \(label)") }
            key = String(parts[0])
            let value = String(parts[1])
            if let old = meta.labels[key] {
                if old == value { return .failure("failed to update \(kindName) \(name), label not changed") }
                guard overwrite else {
                    return .failure("failed to update label of \(kindName) \(name), key \(key) is already present. please use '--overwrite' to set a new value.")
                }
                message = "Successfully updated label \(key) on \(kindName) \(name)"
            } else {
                message = "Successfully set label \(key) on \(kindName) \(name)"
            }
            meta.labels[key] = value
        }
        do {
            try store.update(current.with(metadata: meta))
        } catch {
            return .failure("\(error)")
        }
        return CommandOutput(stdout: message + "\n")
    }

    /// `calicoctl ipam show [--show-blocks]`.
    public func ipamShow(showBlocks: Bool = false) -> CommandOutput {
        CommandOutput(stdout: IPAMShow.render(IPAM(store: store).usage(), showBlocks: showBlocks))
    }
}
