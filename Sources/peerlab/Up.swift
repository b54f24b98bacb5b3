import ArgumentParser
import Foundation
import Lab

/// `peerlab up [FILE]`: builds a lab; all or nothing (a failing step removes everything created so far).
struct Up: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Bring a lab up: namespaces, cables, addresses, routes, device daemons.",
        discussion: "With no FILE, brings up the default lab (\(LabCatalog.defaultLab)). FILE is a topology.yaml path or the name of a shipped lab (seed-000 … seed-004). If any step fails, everything already created is removed.")

    @Argument(help: "Lab file, or the name of a shipped lab.")
    var file: String?

    @Flag(name: .long, help: "Return only when every configured BGP session is Established.")
    var wait = false

    @Option(name: .long, help: "Seconds --wait waits for sessions before giving up.")
    var timeout: Double = 120

    @Flag(name: .shortAndLong, help: "Print every step instead of one line per stage.")
    var verbose = false

    func run() throws {
        let path = try LabEnvironment.labFile(file)
        let started = Date()
        let executor = LabExecutor(backend: KernelBackend(), launcher: ProcessLauncher(executable: LabEnvironment.executable),
                                   store: LabEnvironment.store)
        let progress = UpProgress(verbose: verbose)
        executor.progress = { step, pid in progress.report(step, pid: pid) }
        let state: LabState
        do {
            state = try executor.up(file: path)
        } catch let errors as TopologyErrors {
            throw LabCommandError("\(path) has faults; nothing was created:\n\(errors)")
        } catch {
            throw LabCommandError("\(error)")
        }
        progress.finish()
        let daemons = state.devices.filter { $0.pid != nil }.count
        print("lab \(state.lab) is up: \(state.devices.count) nodes, \(daemons) device daemons, in \(Seconds(since: started))")
        guard wait else { return }
        print("waiting for BGP sessions (up to \(Int(timeout)) s)…")
        let waited = Date()
        let outcome = SessionWaiter(lab: state.lab).wait(timeout: timeout) { up, total in
            print("  \(up)/\(total) sessions Established")
        }
        switch outcome {
        case .established(let total, let oneSided):
            print("all \(total) BGP sessions Established after \(Seconds(since: waited)) (\(Seconds(since: started)) since up started)")
            if !oneSided.isEmpty {
                print("not waited for, configured on one end only: \(oneSided.joined(separator: "; "))")
            }
        case .timedOut(let missing):
            throw LabCommandError("after \(Int(timeout)) s these sessions are not Established: \(missing.joined(separator: "; ")); the lab stays up — see 'peerlab inspect' and 'peerlab logs NODE'")
        }
    }
}

/// Elapsed time printed as `1.23 s`.
struct Seconds: CustomStringConvertible {
    var value: Double
    init(since start: Date) { value = Date().timeIntervalSince(start) }
    var description: String { String(format: "%.2f s", value) }
}

/// Turns executor steps into progress lines: one per kind of network step (printed when the daemons
/// start, counted over the whole plan), one per daemon started; every step when verbose.
final class UpProgress {
    let verbose: Bool
    var counts: [(stage: String, count: Int)] = []

    init(verbose: Bool) { self.verbose = verbose }

    func report(_ step: LabStep, pid: Int32?) {
        if verbose { return line("  \(step)" + (pid.map { " (pid \($0))" } ?? "")) }
        if case .startDaemon(let daemon) = step {
            finish()
            return line("started \(daemon.kind) \(daemon.node) (pid \(pid.map(String.init) ?? "?"))")
        }
        guard let name = Self.stage(of: step) else { return }
        if let i = counts.firstIndex(where: { $0.stage == name }) { counts[i].count += 1 } else { counts.append((name, 1)) }
    }

    func finish() {
        for (stage, count) in counts { line("\(stage): \(count)") }
        counts = []
    }

    func line(_ text: String) {
        print(text)
        fflush(stdout)
    }

    static func stage(of step: LabStep) -> String? {
        switch step {
        case .createNamespace, .deleteNamespace: return "namespaces"
        case .setSysctl, .setUp: return nil
        case .createBridge, .createVLANInterface, .attachToBridge, .setBridgeVLANs: return "bridges and VLANs"
        case .createVeth: return "cables"
        case .addAddress: return "addresses"
        case .addDefaultRoute: return "default routes"
        case .runCommand: return "exec commands"
        case .startDaemon, .stopDaemon: return "daemons"
        }
    }
}
