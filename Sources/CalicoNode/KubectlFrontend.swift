import Foundation
import Calico

/// `kubectl` as typed in a node (`<lab-dir>/bin/kubectl`): opens the lab's datastore and runs Calico's
/// `Kubectl` with the real clock, files and editor. The editor runs the way kubectl runs it:
/// `$KUBE_EDITOR`, else `$EDITOR`, else `vi`, through `/bin/sh -c`, on a file in the lab's state
/// directory named after the lab (kept there when the edit could not be saved).
public struct KubectlFrontend {
    public var environment: CalicoLabEnvironment
    public var now: () -> Date
    /// Where KUBE_EDITOR/EDITOR are read from.
    public var processEnvironment: [String: String]

    public init(environment: CalicoLabEnvironment = CalicoLabEnvironment(), now: @escaping () -> Date = Date.init,
                processEnvironment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
        self.now = now
        self.processEnvironment = processEnvironment
    }

    public func run(_ argv: [String]) -> CommandOutput {
        if argv.isEmpty || argv.contains("-h") || argv.contains("--help") {
            return CommandOutput(stdout: Self.usage)
        }
        let store: Datastore
        do { store = try environment.openStore() } catch { return CommandOutput(stderr: "error: \(error)\n", exitCode: 1) }
        let env = KubectlEnvironment(now: now, editor: editor(store: store))
        return Kubectl(store: store).execute(argv, environment: env)
    }

    static let usage = """
    kubectl (PeerLab): the subset the Calico documents use, against the lab's datastore.
      kubectl get nodes [-o wide] [--show-labels]       kubectl label nodes NAME KEY=VALUE… [KEY-] [--overwrite]
      kubectl get pods [-n NS | -A] [-l SEL] [-o wide]  kubectl delete pods [-n NS] (NAME… | -l SEL)
      kubectl get|edit|patch cm -n kube-system calico-config
      kubectl get|edit|patch ippools.crd.projectcalico.org [NAME] [-o yaml|json|name] [-p PATCH --type merge]
      kubectl create secret generic NAME -n NS --from-literal=KEY=VALUE…
      kubectl apply -f FILE (Secret, ConfigMap, crd.projectcalico.org/v1)   kubectl get|delete secrets [-n NS]

    """

    /// The editor for `kubectl edit`, with its file in the lab's state directory (the datastore's parent).
    func editor(store: Datastore) -> KubectlEditor? {
        guard let datastore = store.directory else { return nil }
        let labDirectory = datastore.deletingLastPathComponent()
        let lab = processEnvironment[CalicoLabEnvironment.labKey].flatMap { $0.isEmpty ? nil : $0 } ?? labDirectory.lastPathComponent
        let command = [processEnvironment["KUBE_EDITOR"], processEnvironment["EDITOR"]].compactMap { $0 }
            .first { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? "vi"
        return KubectlEditor(edit: { text, objectName in
            let path = labDirectory.appendingPathComponent("kubectl-edit-\(lab)-\(objectName)-\(getpid()).yaml").path
            try TextFile.replace(path, with: text)
            let status = try Self.runShell("\(command) '\(path.replacingOccurrences(of: "'", with: "'\\''"))'")
            guard status == 0 else {
                throw FrontendError("there was a problem with the editor \"\(command)\" (exit status \(status)); your file is kept at \(path)")
            }
            guard let data = FileManager.default.contents(atPath: path) else { throw FrontendError("the edited file \(path) is gone") }
            return (path, String(decoding: data, as: UTF8.self))
        }, discard: { path in try? FileManager.default.removeItem(atPath: path) })
    }

    /// Runs `sh -c line` on this process's terminal and waits for it.
    static func runShell(_ line: String) throws -> Int32 {
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(line), nil]
        defer { for p in argv { free(p) } }
        let rc = posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ)
        guard rc == 0 else { throw FrontendError("cannot run /bin/sh: \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
