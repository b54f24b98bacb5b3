import Foundation

/// Changing objects through kubectl: `edit` (the user's editor on the object's YAML), `patch` (merge
/// patches), `apply -f`/`create -f` (Secrets, ConfigMaps, Calico CRDs) and `create secret generic`.
/// IP pools are edited under their CRD name but stored as the one IPPool calicoctl and the agents read.
extension Kubectl {
    static let editHeader = """
    # Edit the object below, save and quit to apply it. Lines starting with '#' are ignored, and an
    # empty file cancels the edit.
    #

    """

    /// `kubectl edit TYPE NAME`. Unchanged → `Edit cancelled, no changes made.`; saved → `TYPE/NAME edited`.
    /// Not valid → as kubectl does, the editor opens again on the same file with the reason in a comment at
    /// the top; saved again without a change (or after `maxEditRounds`), kubectl gives up and keeps the file.
    func edit(_ type: KubectlType, _ name: String, namespace: String?, env: KubectlEnvironment) -> CommandOutput {
        guard let current = try? store.get(type.kind, name, namespace: namespace) else {
            return CommandOutput(stderr: type.notFound(name), exitCode: 1)
        }
        guard let editor = env.editor else {
            return CommandOutput(stderr: "error: no editor to run: set KUBE_EDITOR or EDITOR\n", exitCode: 1)
        }
        var text = Self.editHeader + Self.view(current).yamlText
        var rejected: (body: String, error: String)?
        for round in 1...Self.maxEditRounds {
            let edited: (path: String, text: String)
            do { edited = try editor.edit(text, "\(type.singular)-\(name)") } catch {
                return CommandOutput(stderr: "error: \(error)\n", exitCode: 1)
            }
            let body = edited.text.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }.joined(separator: "\n")
            if body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                editor.discard(edited.path)
                return CommandOutput(stderr: "Edit cancelled, no changes made.\n")
            }
            if let rejected, body == rejected.body || round == Self.maxEditRounds {
                return CommandOutput(stderr: "error: \(type.plural) \"\(name)\" is invalid: \(rejected.error)\n"
                                     + "A copy of your changes has been stored to \"\(edited.path)\"\n"
                                     + "error: Edit cancelled, no valid changes were saved.\n", exitCode: 1)
            }
            do {
                let docs = try YAMLDocuments.parse(body).filter { $0 != .null }
                guard docs.count == 1 else { throw CalicoError("the edited file must hold exactly one object, it holds \(docs.count)") }
                let changed = try save(docs[0], replacing: current)
                editor.discard(edited.path)
                return changed ? CommandOutput(stdout: "\(type.singular)/\(name) edited\n") : CommandOutput(stderr: "Edit cancelled, no changes made.\n")
            } catch {
                let reason = Self.reason(error)
                rejected = (body, reason)
                let comment = reason.split(separator: "\n").map { "# * \($0)" }.joined(separator: "\n")
                text = Self.editHeader + "# \(type.plural) \"\(name)\" was not valid:\n\(comment)\n#\n" + body + (body.hasSuffix("\n") ? "" : "\n")
            }
        }
        return CommandOutput(stderr: "error: Edit cancelled, no valid changes were saved.\n", exitCode: 1)
    }

    /// How often the editor is reopened on an invalid object before kubectl gives up (a scripted EDITOR
    /// that keeps changing the file would otherwise never stop).
    static let maxEditRounds = 10

    /// `kubectl patch TYPE NAME -p PATCH [--type merge|strategic]`: both are applied as an RFC 7386 merge,
    /// which is what a strategic merge does to these objects (no lists with merge keys among their fields).
    func patch(_ type: KubectlType, _ name: String, namespace: String?, patch text: String, patchType: String?) -> CommandOutput {
        switch patchType ?? "strategic" {
        case "merge", "strategic": break
        case "json":
            return CommandOutput(stderr: "error: the lab's kubectl applies merge patches (--type merge) only, not JSON patches\n", exitCode: 1)
        default:
            return CommandOutput(stderr: "error: --type must be one of [json merge strategic], not \"\(patchType!)\"\n", exitCode: 1)
        }
        let patchDoc: JSONValue
        do {
            patchDoc = try (try? JSONValue.parse(json: text)) ?? YAMLDocuments.parse(text).first ?? .null
            guard patchDoc.objectPairs != nil else { throw CalicoError("the patch is not an object") }
        } catch {
            return CommandOutput(stderr: "error: unable to parse \"\(text)\": \(error)\n", exitCode: 1)
        }
        guard let current = try? store.get(type.kind, name, namespace: namespace) else {
            return CommandOutput(stderr: type.notFound(name), exitCode: 1)
        }
        do {
            let changed = try save(Self.view(current).merged(with: patchDoc), replacing: current)
            return CommandOutput(stdout: "\(type.singular)/\(name) patched\(changed ? "" : " (no change)")\n")
        } catch {
            return CommandOutput(stderr: "error: \(type.plural) \"\(name)\" could not be patched: \(Self.reason(error))\n", exitCode: 1)
        }
    }

    /// Stores `doc` (the kubectl view of an object) over `current`; false when it changes nothing.
    func save(_ doc: JSONValue, replacing current: AnyResource) throws -> Bool {
        let before = Self.view(current)
        guard doc["apiVersion"] == before["apiVersion"], doc["kind"] == before["kind"], doc["metadata"]?["name"] == before["metadata"]?["name"] else {
            throw CalicoError("at least one of apiVersion, kind and name was changed")
        }
        var meta = try ObjectMeta(json: doc["metadata"] ?? .null)
        meta.namespace = current.metadata.namespace
        let decoded = try Self.decode(doc).with(metadata: meta)
        if Self.view(decoded.defaulted()) == before { return false }
        try store.update(decoded)
        return true
    }

    /// A kubectl document as a stored resource: v1 objects as they are, `crd.projectcalico.org/v1`
    /// objects as the `projectcalico.org/v3` resource they hold.
    static func decode(_ doc: JSONValue) throws -> AnyResource {
        var d = doc
        let apiVersion = doc["apiVersion"]?.stringValue ?? "", kind = doc["kind"]?.stringValue ?? ""
        if apiVersion == "crd.projectcalico.org/v1", let k = ResourceKind(apiVersion: "projectcalico.org/v3", kind: kind) {
            d = d.setting("apiVersion", .string(k.apiVersion))
        } else if !(apiVersion == "v1" && ["Secret", "ConfigMap"].contains(kind)) {
            throw CalicoError("no matches for kind \"\(kind)\" in version \"\(apiVersion)\"")
        }
        guard let r = try ResourceFile.decode(document: d).first else { throw CalicoError("empty object") }
        return r
    }

    /// What kubectl shows of a failed write: field errors as the validator words them.
    static func reason(_ error: Error) -> String {
        switch error {
        case let e as DatastoreError: return e.description
        case let e as CalicoError: return e.message
        default: return "\(error)"
        }
    }

    /// `kubectl apply -f FILE…` (and `create -f`): Secrets, ConfigMaps and Calico CRD objects
    /// (`crd.projectcalico.org/v1`); `<type>/<name> created|configured|unchanged` per object.
    func applyFiles(_ args: KubectlArguments, env: KubectlEnvironment, createOnly: Bool) -> CommandOutput {
        var out = CommandOutput()
        for file in args.filenames {
            let docs: [JSONValue]
            do {
                let text = try env.readFile(file)
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                docs = trimmed.hasPrefix("{") ? [try JSONValue.parse(json: text)] : try YAMLDocuments.parse(text)
            } catch {
                let message = Self.reason(error)
                out.stderr += (message.hasPrefix("error:") ? message : "error: error parsing \(file): \(message)") + "\n"
                out.exitCode = 1
                continue
            }
            for doc in docs.flatMap({ $0["items"]?.arrayValue ?? ($0 == .null ? [] : [$0]) }) {
                let name = doc["metadata"]?["name"]?.stringValue ?? ""
                var resource: AnyResource
                do { resource = try Self.decode(doc) } catch {
                    let ns = doc["metadata"]?["namespace"]?.stringValue ?? ""
                    out.stderr += "error: resource mapping not found for name: \"\(name)\" namespace: \"\(ns)\" from \"\(file)\": \(Self.reason(error))\n"
                    out.exitCode = 1
                    continue
                }
                var meta = resource.metadata
                if resource.kind.namespaced { meta.namespace = meta.namespace ?? args.namespace ?? "default" }
                resource = resource.with(metadata: meta)
                let label = resource.kind.isKubernetes ? resource.kind.documentKind.lowercased() : resource.kind.rawValue.lowercased() + ".crd.projectcalico.org"
                let existing = try? store.get(resource.kind, resource.name, namespace: meta.namespace)
                do {
                    if let existing {
                        if createOnly {
                            throw CalicoError("Error from server (AlreadyExists): error when creating \"\(file)\": \(Datastore.crdName(resource.kind)) \"\(resource.name)\" already exists")
                        }
                        var m = meta
                        m.resourceVersion = existing.metadata.resourceVersion
                        m.uid = existing.metadata.uid
                        m.creationTimestamp = existing.metadata.creationTimestamp
                        let updated = resource.with(metadata: m)
                        if Self.view(updated.defaulted()) == Self.view(existing) {
                            out.stdout += "\(label)/\(resource.name) unchanged\n"
                        } else {
                            try store.update(updated)
                            out.stdout += "\(label)/\(resource.name) configured\n"
                        }
                    } else {
                        try store.create(resource)
                        out.stdout += "\(label)/\(resource.name) created\n"
                    }
                } catch {
                    let message = Self.reason(error)
                    out.stderr += message.hasPrefix("Error from server") ? message + "\n"
                        : "The \(resource.kind.documentKind) \"\(resource.name)\" is invalid: \(message)\n"
                    out.exitCode = 1
                }
            }
        }
        return out
    }

    /// `kubectl create secret generic NAME --from-literal=KEY=VALUE…`.
    func createSecret(_ names: [String], _ args: KubectlArguments) -> CommandOutput {
        guard names.count == 1 else { return CommandOutput(stderr: "error: exactly one NAME is required, got \(names.count)\n", exitCode: 1) }
        var data: [String: String] = [:]
        for literal in args.literals {
            let parts = literal.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else {
                return CommandOutput(stderr: "error: invalid literal source \(literal), expected key=value\n", exitCode: 1)
            }
            let key = String(parts[0])
            if data[key] != nil {
                return CommandOutput(stderr: "error: cannot add key \(key), another key by that name already exists in Data for Secret \"\(names[0])\"\n", exitCode: 1)
            }
            data[key] = String(parts[1])
        }
        let namespace = args.namespace ?? "default"
        do {
            try store.create(AnyResource(Secret(namespace: namespace, name: names[0], data: data)))
        } catch DatastoreError.alreadyExists {
            return CommandOutput(stderr: "error: failed to create secret secrets \"\(names[0])\" already exists\n", exitCode: 1)
        } catch {
            return CommandOutput(stderr: "error: failed to create secret \(Self.reason(error))\n", exitCode: 1)
        }
        return CommandOutput(stdout: "secret/\(names[0]) created\n")
    }
}
