import Foundation

/// What kubectl needs from outside the datastore: the clock (AGE), files (`-f`), the user's editor
/// (`edit`) and the random part of a replacement pod's name. Front ends supply the real ones; tests fake them.
public struct KubectlEnvironment {
    public var now: () -> Date
    /// Reads `-f` arguments; `-` is standard input.
    public var readFile: (String) throws -> String
    public var editor: KubectlEditor?
    /// The 5-character suffix a DaemonSet gives a new pod.
    public var podSuffix: () -> String

    public init(now: @escaping () -> Date = Date.init,
                readFile: @escaping (String) throws -> String = KubectlEnvironment.readLocalFile,
                editor: KubectlEditor? = nil,
                podSuffix: @escaping () -> String = KubectlEnvironment.randomSuffix) {
        self.now = now; self.readFile = readFile; self.editor = editor; self.podSuffix = podSuffix
    }

    public static func readLocalFile(_ path: String) throws -> String {
        if path == "-" { return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CalicoError("error: the path \"\(path)\" does not exist")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Kubernetes' name-suffix alphabet (no vowels, no look-alike digits).
    public static func randomSuffix() -> String {
        String((0..<5).map { _ in Array("bcdfghjklmnpqrstvwxz2456789").randomElement()! })
    }
}

/// The user's editor as `kubectl edit` runs it: the object goes into a file, the editor runs on it, and
/// the file's content afterwards comes back. `discard` removes the file once kubectl no longer needs it
/// (kubectl keeps it when the edit could not be saved, and says where it is).
public struct KubectlEditor {
    public var edit: (_ text: String, _ objectName: String) throws -> (path: String, text: String)
    public var discard: (_ path: String) -> Void
    public init(edit: @escaping (_ text: String, _ objectName: String) throws -> (path: String, text: String),
                discard: @escaping (_ path: String) -> Void) {
        self.edit = edit; self.discard = discard
    }
}

/// kubectl's command line as pflag reads it: valued flags (`-n ns`, `-n=ns`, `--namespace ns`, `-owide`),
/// boolean flags, repeatable `--from-literal`, positional words in order.
struct KubectlArguments {
    var positional: [String] = []
    var namespace: String?
    var allNamespaces = false, showLabels = false, overwrite = false
    var output: String?
    var selector: String?
    var filenames: [String] = []
    var patch: String?
    var patchType: String?
    var literals: [String] = []

    static let valued: Set<String> = ["namespace", "output", "selector", "filename", "patch", "type", "from-literal", "kubeconfig", "context"]
    static let shorthands: [Character: String] = ["n": "namespace", "o": "output", "l": "selector", "f": "filename", "p": "patch"]
    static let booleans: [String: String] = ["A": "all-namespaces", "all-namespaces": "all-namespaces", "show-labels": "show-labels",
                                             "overwrite": "overwrite", "now": "ignored", "wait": "ignored"]

    init(_ argv: [String]) throws {
        var i = 0
        while i < argv.count {
            let a = argv[i].normalizingHyphens()
            i += 1
            if a == "--" { positional += argv[i...]; break }
            guard a.hasPrefix("-"), a != "-" else { positional.append(a); continue }
            var name: String, value: String?
            if a.hasPrefix("--") {
                let body = a.dropFirst(2)
                if let eq = body.firstIndex(of: "=") { name = String(body[..<eq]); value = String(body[body.index(after: eq)...]) } else { name = String(body) }
            } else {
                let body = a.dropFirst()
                let letter = body.first!
                if let long = Self.shorthands[letter] {
                    name = long
                    let rest = body.dropFirst()
                    if !rest.isEmpty { value = String(rest.hasPrefix("=") ? rest.dropFirst() : rest) }
                } else if body.count == 1, let long = Self.booleans[String(letter)] {
                    name = long
                } else {
                    throw CalicoError("unknown shorthand flag: '\(letter)' in \(a)")
                }
            }
            if let canonical = Self.booleans[name] {
                if value != "false" { set(flag: canonical) }
                continue
            }
            guard Self.valued.contains(name) else { throw CalicoError("unknown flag: --\(name)") }
            if value == nil {
                guard i < argv.count else { throw CalicoError("flag needs an argument: \(a)") }
                value = argv[i]
                i += 1
            }
            set(name, value!)
        }
    }

    private mutating func set(flag: String) {
        switch flag {
        case "all-namespaces": allNamespaces = true
        case "show-labels": showLabels = true
        case "overwrite": overwrite = true
        default: break
        }
    }

    private mutating func set(_ name: String, _ value: String) {
        switch name {
        case "namespace": namespace = value
        case "output": output = value
        case "selector": selector = value
        case "filename": filenames.append(value)
        case "patch": patch = value
        case "type": patchType = value
        case "from-literal": literals.append(value)
        default: break   // --kubeconfig, --context: one cluster per lab
        }
    }
}

/// The kubectl command lines the seeds type, dispatched onto `Kubectl`.
extension Kubectl {
    /// Runs `kubectl <arguments>`.
    public func execute(_ arguments: [String], environment env: KubectlEnvironment = KubectlEnvironment()) -> CommandOutput {
        let args: KubectlArguments
        do { args = try KubectlArguments(arguments) } catch {
            return CommandOutput(stderr: "error: \(error)\nSee 'kubectl --help' for usage.\n", exitCode: 1)
        }
        guard let verb = args.positional.first else {
            return CommandOutput(stderr: "error: You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n", exitCode: 1)
        }
        var words = Array(args.positional.dropFirst())
        switch verb {
        case "create":
            if words.starts(with: ["secret", "generic"]) { return createSecret(Array(words.dropFirst(2)), args) }
            if !args.filenames.isEmpty { return applyFiles(args, env: env, createOnly: true) }
            return CommandOutput(stderr: "error: the lab's kubectl creates generic secrets (kubectl create secret generic NAME --from-literal=KEY=VALUE) and objects from files (-f)\n", exitCode: 1)
        case "apply":
            guard !args.filenames.isEmpty else { return CommandOutput(stderr: "error: must specify one of -f and -k\n", exitCode: 1) }
            return applyFiles(args, env: env, createOnly: false)
        case "get", "delete", "label", "edit", "patch":
            break
        default:
            return CommandOutput(stderr: "error: unknown command \"\(verb)\" for \"kubectl\"\n", exitCode: 1)
        }
        guard let typeWord = words.first else {
            return CommandOutput(stderr: "error: You must specify the type of resource to \(verb). Use \"kubectl api-resources\" for a complete list of supported resources.\n", exitCode: 1)
        }
        words.removeFirst()
        // `kubectl get cm/calico-config`: TYPE/NAME in one word.
        var typeText = typeWord
        if let slash = typeWord.firstIndex(of: "/") {
            typeText = String(typeWord[..<slash])
            words.insert(String(typeWord[typeWord.index(after: slash)...]), at: 0)
        }
        guard let type = KubectlType(typeText) else {
            return CommandOutput(stderr: "error: the server doesn't have a resource type \"\(typeText)\"\n", exitCode: 1)
        }
        let namespace = type.namespaced ? (args.namespace ?? "default") : nil
        switch (verb, type) {
        case ("get", .node):
            return getNodes(names: words, args: args, env: env)
        case ("get", .pod):
            return getPods(names: words, namespace: args.allNamespaces ? nil : namespace, args: args, env: env)
        case ("get", _):
            return getObjects(type, names: words, namespace: args.allNamespaces ? nil : namespace, output: args.output, env: env)
        case ("label", .node):
            guard let name = words.first, words.count >= 2 else { return CommandOutput(stderr: "error: at least one label update is required\n", exitCode: 1) }
            return labelNode(name, Array(words.dropFirst()), overwrite: args.overwrite)
        case ("delete", .pod):
            return deletePods(namespace: namespace ?? "default", names: words, selector: args.selector, env: env)
        case ("delete", .secret), ("delete", .configMap):
            return deleteObjects(type, names: words, namespace: namespace ?? "default")
        case ("edit", .configMap), ("edit", .ipPool), ("edit", .secret):
            guard words.count == 1 else { return CommandOutput(stderr: "error: the lab's kubectl edits one object at a time: kubectl edit \(typeText) NAME\n", exitCode: 1) }
            return edit(type, words[0], namespace: namespace, env: env)
        case ("patch", .configMap), ("patch", .ipPool), ("patch", .secret):
            guard words.count == 1, let patch = args.patch else {
                return CommandOutput(stderr: words.count == 1 ? "error: must specify -p to patch\n" : "error: exactly one NAME is required, got \(words.count)\n", exitCode: 1)
            }
            return self.patch(type, words[0], namespace: namespace, patch: patch, patchType: args.patchType)
        default:
            return CommandOutput(stderr: "error: the lab's kubectl does not \(verb) \(type.plural) (it does: get/label nodes; get/delete pods; get/edit/patch configmaps and ippools.crd.projectcalico.org; create/apply/get/edit/patch/delete secrets)\n", exitCode: 1)
        }
    }
}

/// The resource types kubectl names here, with their singular, plural and short names.
enum KubectlType: Equatable {
    case node, pod, configMap, secret, ipPool

    init?(_ word: String) {
        switch word.lowercased() {
        case "node", "nodes", "no": self = .node
        case "pod", "pods", "po": self = .pod
        case "cm", "configmap", "configmaps": self = .configMap
        case "secret", "secrets": self = .secret
        case "ippool", "ippools", "ippool.crd.projectcalico.org", "ippools.crd.projectcalico.org": self = .ipPool
        default: return nil
        }
    }

    var kind: ResourceKind {
        switch self {
        case .node: .kubeNode
        case .pod: .pod
        case .configMap: .configMap
        case .secret: .secret
        case .ipPool: .ipPool
        }
    }

    /// `configmap/calico-config edited`.
    var singular: String {
        switch self {
        case .node: "node"
        case .pod: "pod"
        case .configMap: "configmap"
        case .secret: "secret"
        case .ipPool: "ippool.crd.projectcalico.org"
        }
    }

    /// `configmaps "x" not found`.
    var plural: String {
        switch self {
        case .node: "nodes"
        case .pod: "pods"
        case .configMap: "configmaps"
        case .secret: "secrets"
        case .ipPool: "ippools.crd.projectcalico.org"
        }
    }

    var namespaced: Bool { kind.namespaced }

    func notFound(_ name: String) -> String { "Error from server (NotFound): \(plural) \"\(name)\" not found\n" }
}
