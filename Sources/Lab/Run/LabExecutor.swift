import Foundation

/// Brings a planned lab up and down through a `NetworkBackend` and a `DaemonLauncher`, keeping the state
/// directory in step. Bring-up is all or nothing: a failing step rolls back everything done so far.
public final class LabExecutor {
    public let backend: NetworkBackend
    public let launcher: DaemonLauncher
    public let store: StateDirectory
    /// Called after each bring-up step succeeds, with the daemon PID for `startDaemon` (for progress lines).
    public var progress: ((LabStep, Int32?) -> Void)?

    public init(backend: NetworkBackend, launcher: DaemonLauncher, store: StateDirectory) {
        self.backend = backend
        self.launcher = launcher
        self.store = store
    }

    /// Why `up` or `down` failed, with the step that failed and what rollback could not undo.
    public struct LabError: Error, CustomStringConvertible {
        public var message: String
        public var failedStep: LabStep?
        public var leftovers: [String]
        public var description: String {
            var text = message
            if !leftovers.isEmpty { text += "\nnot cleaned up: " + leftovers.joined(separator: "; ") }
            return text
        }
    }

    /// Loads, validates and builds the lab in `path`. A file with faults throws `TopologyErrors` and
    /// creates nothing.
    @discardableResult
    public func up(file path: String, loader: TopologyLoader = TopologyLoader()) throws -> LabState {
        let topology = try loader.load(path: path).get()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try up(topology, sourceText: text)
    }

    /// Builds the lab. The state file lists every namespace before the first one is created, so a crash
    /// at any point leaves enough for `down` to clean up.
    /// - Parameters:
    ///   - topology: a validated topology.
    ///   - sourceText: the lab file text, copied into the state directory.
    /// - Returns: the state as recorded once everything runs.
    @discardableResult
    public func up(_ topology: Topology, sourceText: String) throws -> LabState {
        let paths = store.paths(for: topology.name)
        let plan = LabPlan(topology: topology, paths: paths)
        if let other = store.clash(with: plan.names) {
            throw LabError(message: "lab \(topology.name) would share namespace names with running lab \(other) (tag \(plan.names.tag)); rename one of them", failedStep: nil, leftovers: [])
        }
        if case .success(let existing) = store.read(lab: topology.name), existing.phase != .failed {
            throw LabError(message: "lab \(topology.name) is already \(existing.phase.rawValue); run 'peerlab down \(topology.name)' first", failedStep: nil, leftovers: [])
        }
        // Any namespace carrying our tag is a leftover of this lab or a lab whose names overlap ours.
        let taken = ((try? backend.namespaces()) ?? []).filter(plan.names.owns(namespace:))
        if !taken.isEmpty {
            throw LabError(message: "namespaces \(taken.joined(separator: ", ")) already exist with this lab's prefix \(plan.names.namespacePrefix); run 'peerlab down \(topology.name)' to remove a lab left behind", failedStep: nil, leftovers: [])
        }
        try store.prepare(topology: topology, sourceText: sourceText)
        var state = LabState(plan: plan, topology: topology)
        try store.write(state)

        var done: [LabStep] = []
        for step in plan.steps {
            do {
                let pid = try apply(step)
                if let pid, case .startDaemon(let daemon) = step, let i = state.devices.firstIndex(where: { $0.node == daemon.node }) {
                    state.devices[i].pid = pid
                    try store.write(state)
                }
                done.append(step)
                progress?(step, pid)
            } catch {
                let leftovers = rollback(done, state: state)
                state.phase = .failed
                state.error = "\(step): \(error)"
                for i in state.devices.indices { state.devices[i].pid = nil }
                try? store.write(state)
                throw LabError(message: "bring-up of \(topology.name) failed at '\(step)': \(error); everything created was removed",
                               failedStep: step, leftovers: leftovers)
            }
        }
        state.phase = .up
        try store.write(state)
        return state
    }

    /// Removes a lab: stops its daemons, ends any other process inside its namespaces, deletes every
    /// namespace the state lists and every namespace whose name carries the lab's tag (what a crash may
    /// have left unrecorded), then its state folder.
    public func down(lab: String) throws {
        let names = LabNames(lab: lab)
        let state = try? store.read(lab: lab).get()
        var leftovers: [String] = []
        for device in (state?.devices ?? []).reversed() {
            guard let pid = device.pid else { continue }
            let daemon = DaemonPlan(node: device.node, kind: device.kind, namespace: device.namespace,
                                    arguments: device.arguments ?? [],
                                    socket: device.socket ?? "", log: device.log ?? "")
            do { try launcher.stop(pid: pid, daemon: daemon) } catch { leftovers.append("process \(pid) (\(device.node)): \(error)") }
        }
        var doomed = (state?.namespaces.map(\.name) ?? []).reversed().map { $0 }
        let present = (try? backend.namespaces()) ?? []
        doomed += present.filter { names.owns(namespace: $0) && !doomed.contains($0) }.sorted()
        // Whatever still runs inside (a daemon the lost state no longer lists, an `exec:` leftover) is the
        // lab's; end it so deleting the namespace really frees it.
        launcher.terminate(pids: doomed.filter(present.contains).flatMap(backend.processes(in:)))
        for namespace in doomed where present.contains(namespace) {
            do { try backend.deleteNamespace(namespace) } catch { leftovers.append("namespace \(namespace): \(error)") }
        }
        guard leftovers.isEmpty else {
            throw LabError(message: "lab \(lab) was not fully removed", failedStep: nil, leftovers: leftovers)
        }
        try store.remove(lab: lab)
    }

    /// Undoes completed steps in reverse; returns what could not be undone.
    func rollback(_ done: [LabStep], state: LabState) -> [String] {
        var leftovers: [String] = []
        for step in done.reversed() {
            guard let undo = step.undo else { continue }
            do { _ = try apply(undo, state: state) } catch { leftovers.append("\(undo): \(error)") }
        }
        return leftovers
    }

    /// Performs one step; returns the PID for `startDaemon`.
    func apply(_ step: LabStep, state: LabState? = nil) throws -> Int32? {
        switch step {
        case .createNamespace(let name): try backend.createNamespace(name)
        case .deleteNamespace(let name): try backend.deleteNamespace(name)
        case .setSysctl(let ns, let key, let value): try backend.setSysctl(key, value, namespace: ns)
        case .createBridge(let ns, let name, let filtering): try backend.createBridge(name, vlanFiltering: filtering, namespace: ns)
        case .createVeth(let pair): try backend.createVeth(pair)
        case .createVLANInterface(let ns, let name, let bridge, let vlan, let alias):
            try backend.createVLANInterface(name, bridge: bridge, vlan: vlan, alias: alias, namespace: ns)
        case .attachToBridge(let ns, let port, let bridge): try backend.attach(port, toBridge: bridge, namespace: ns)
        case .setBridgeVLANs(let ns, let device, let isSelf, let vlans):
            try backend.setBridgeVLANs(device: device, isBridgeItself: isSelf, vlans: vlans, namespace: ns)
        case .addAddress(let ns, let interface, let address): try backend.addAddress(address, interface: interface, namespace: ns)
        case .setUp(let ns, let interface): try backend.setUp(interface, namespace: ns)
        case .addDefaultRoute(let ns, let gateway): try backend.addDefaultRoute(via: gateway, namespace: ns)
        case .runCommand(let ns, _, let command): try backend.run(command: command, namespace: ns)
        case .startDaemon(let daemon): return try launcher.start(daemon)
        case .stopDaemon(let daemon):
            if let pid = state?.devices.first(where: { $0.node == daemon.node })?.pid { try launcher.stop(pid: pid, daemon: daemon) }
        }
        return nil
    }
}
