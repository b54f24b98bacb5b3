import Foundation
import BGPWire
import BGPSpeaker
import BGPDaemon
import Calico
import Kernel

/// One emulated calico-node: confd + BIRD + Felix + the CNI plugin for the pods placed on it.
///
/// Runs in the node's network namespace. It polls the lab's shared datastore directory (every
/// `pollInterval`, so it reacts within a second to `calicoctl`/`kubectl` in other processes), recomputes
/// the node's peerings with `NodeConfig.compute`, and applies them to its `SpeakerDaemon` the way BIRD
/// applies a re-rendered config: only protocols whose name appeared, vanished or changed start, stop or
/// restart. It wires and unwires pod namespaces, and writes `show protocols` for `calicoctl node status`.
public final class CalicoNodeAgent: @unchecked Sendable {
    public struct Options: Sendable {
        public var nodeName: String
        /// The lab's shared datastore directory.
        public var datastoreDirectory: URL
        /// The node's namespace (nil = the calling process's own).
        public var namespace: NetworkNamespace?
        public var podNaming: PodNaming
        /// Where `node status` is published (default `<datastore>/status/<node>`).
        public var statusDirectory: URL?
        public var environment: [String: String]
        public var pollInterval: Double
        public init(nodeName: String, datastoreDirectory: URL, namespace: NetworkNamespace?, podNaming: PodNaming,
                    statusDirectory: URL? = nil, environment: [String: String] = [:], pollInterval: Double = 0.25) {
            self.nodeName = nodeName; self.datastoreDirectory = datastoreDirectory; self.namespace = namespace
            self.podNaming = podNaming; self.statusDirectory = statusDirectory; self.environment = environment
            self.pollInterval = pollInterval
        }
    }

    public let options: Options
    public let store: Datastore
    public let statusFiles: NodeStatusFiles
    private let log: (String) -> Void
    private let lock = NSLock()
    private var thread: Thread?
    private var stopping = false
    private let stopped = DispatchSemaphore(value: 0)

    // Owned by the agent thread.
    private var daemon: SpeakerDaemon?
    private var fib: BirdFIB?
    private var bgpConfig: BgpdConfig?
    private var peers: [PeerDescription] = []
    private var wired: [String: WiredPod] = [:]
    private var sessionSince: [String: (state: SessionState, since: Date)] = [:]
    private var lastRevision = -1
    private var calicoNodePodUID: String?
    private var restartRequested = false
    private var bgpDisabled = false
    private var lastStatusWrite = Date.distantPast
    /// Pool name → the ipipMode/natOutgoing/vxlanMode setting last reported.
    private var warnedIPIPPools: [String: String] = [:]
    /// Felix's natOutgoing: the node's `calico` nftables tables.
    private let natOutgoing: NATOutgoingProgrammer
    private var lastError: String?

    public init(options: Options, log: @escaping (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }) throws {
        self.options = options
        self.log = log
        natOutgoing = NATOutgoingProgrammer(nodeName: options.nodeName, namespace: options.namespace, log: log)
        store = try Datastore(directory: options.datastoreDirectory)
        statusFiles = NodeStatusFiles(directory: options.statusDirectory
            ?? options.datastoreDirectory.appendingPathComponent("status").appendingPathComponent(options.nodeName))
    }

    // MARK: Lifecycle

    /// Reconciles once (so errors in the node's own config surface at once), then keeps watching.
    public func start() throws {
        try statusFiles.prepare()
        try reconcile()
        try statusFiles.markRunning(pid: getpid())
        writeStatus()
        let t = Thread { [self] in run() }
        t.name = "calico-node-\(options.nodeName)"
        thread = t
        t.start()
    }

    /// Stops watching, shuts the speaker down, unwires this node's pods (their IPAM records stay, as when
    /// calico-node restarts) and removes the status files.
    public func stop() {
        lock.lock()
        let running = thread != nil && !stopping
        stopping = true
        lock.unlock()
        if running { stopped.wait() }
        daemon?.shutdown()
        daemon = nil
        let network = PodNetwork(node: options.namespace)
        for pod in wiredPods.values { network.unwire(pod) }
        lock.lock(); wired.removeAll(); lock.unlock()
        statusFiles.remove()
    }

    /// Runs one reconcile pass now (tests; the loop does the same on every datastore change).
    public func syncNow() throws {
        try store.refresh()
        try reconcile()
        writeStatus()
    }

    private func run() {
        while true {
            lock.lock(); let quit = stopping; lock.unlock()
            if quit { break }
            Thread.sleep(forTimeInterval: options.pollInterval)
            do {
                try store.refresh()
                if store.currentRevision != lastRevision { try reconcile() }
                lastError = nil
            } catch {
                lastRevision = -1   // retry on the next poll
                let text = "\(error)"
                if text != lastError { log("calico-node \(options.nodeName): \(text)") }
                lastError = text
            }
            if Date().timeIntervalSince(lastStatusWrite) >= 1 || sessionsChanged() { writeStatus() }
        }
        stopped.signal()
    }

    // MARK: Reconcile

    /// Computes from the store as of its current revision. `lastRevision` records that revision only, so
    /// writes landing while a pass runs (another process's, or this agent's own CNI writes) cause one more.
    private func reconcile() throws {
        lastRevision = store.currentRevision
        try reconcilePods()
        // Felix's part runs whatever the BGP backend.
        natOutgoing.update(pools: IPAM(store: store).pools)
        warnAboutEncapsulation()
        // calico_backend other than bird (vxlan, none): calico-node runs no BIRD, so no BGP at all.
        if let backend = ConfigMap.calicoBackend(in: store), backend != "bird" {
            if daemon != nil || !bgpDisabled { log("calico-node \(options.nodeName): calico_backend is \(backend) in kube-system/calico-config: BGP is disabled, BIRD not running") }
            bgpDisabled = true
            daemon?.shutdown()
            daemon = nil; bgpConfig = nil; peers = []; sessionSince = [:]
            return
        }
        bgpDisabled = false
        let secrets = Secret.bgpPasswords(in: store)
        guard let node = NodeConfig.compute(for: options.nodeName, store: store, environment: options.environment, secrets: secrets) else {
            throw CalicoError("node \(options.nodeName) has no Calico Node resource in the datastore")
        }
        let policy = RoutePolicy(nodeName: options.nodeName, store: store)
        let clusterID = policy?.node.routeReflectorClusterID.flatMap(IPv4Address.init)
        guard let routerID = node.routerID else {
            throw CalicoError("node \(options.nodeName) has no IPv4 address for a BGP router ID (set spec.bgp.ipv4Address or CALICO_ROUTER_ID)")
        }
        let wanted = SpeakerPlan.config(node, routerID: routerID, clusterID: clusterID)
        let policies = speakerPolicies(policy, node)
        defer { fib?.syncPeerRoutes(reachableBy(node.peers)) }
        if restartRequested, let old = daemon {
            // As when Kubernetes replaces the calico-node pod: BIRD exits (sessions drop), a new one starts.
            restartRequested = false
            log("calico-node \(options.nodeName): calico-node pod replaced; restarting BGP")
            old.shutdown()
            daemon = nil
            bgpConfig = nil
            peers = []
            sessionSince = [:]
        }
        if let daemon, let current = bgpConfig {
            fib?.update(policy: policy)
            setPolicies(daemon, policies)
            guard wanted != current || node.peers != peers else { return }
            let changes = PeerChanges(from: peers, to: node.peers)
            // BIRD restarts a protocol whose rendered block changed, and a peer that moved from Mesh_ to
            // Node_ is a different protocol: stop those first, then start what the new config has.
            let restarting = Set(changes.removed.map(\.address) + changes.changed.map(\.old.address))
            if !restarting.isEmpty {
                var interim = current
                interim.peers.removeAll { restarting.contains($0.address) }
                daemon.reload(interim)
            }
            let summary = daemon.reload(wanted)
            if !summary.needsRestart.isEmpty {
                log("calico-node \(options.nodeName): restarting BGP for \(summary.needsRestart.joined(separator: ", "))")
                daemon.shutdown()
                self.daemon = nil
                try startSpeaker(wanted, policy: policy, policies: policies)
            }
            if !changes.isEmpty { log("calico-node \(options.nodeName): peers +\(changes.added.map(\.protocolName)) -\(changes.removed.map(\.protocolName)) ~\(changes.changed.map(\.new.protocolName))") }
        } else {
            try startSpeaker(wanted, policy: policy, policies: policies)
        }
        bgpConfig = wanted
        peers = node.peers
    }

    /// Gateways of this node's explicit peers that set `reachableBy`.
    private func reachableBy(_ peers: [PeerDescription]) -> [IPAddress: IPAddress] {
        var out: [IPAddress: IPAddress] = [:]
        for r in store.list(.bgpPeer) {
            guard case .bgpPeer(let p) = r, let via = p.spec.reachableBy.flatMap(IPAddress.init),
                  let ip = p.spec.peerIP.flatMap(Self.peerAddress),
                  peers.contains(where: { $0.kind != .mesh && $0.address == ip }) else { continue }
            out[ip] = via
        }
        return out
    }

    /// The address of a BGPPeer `peerIP`: `10.0.0.1`, `10.0.0.1:1790`, `fd00::1` or `[fd00::1]:1790`.
    static func peerAddress(_ text: String) -> IPAddress? {
        if let a = IPAddress(text) { return a }
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") { return IPAddress(String(text[text.index(after: text.startIndex)..<close])) }
        if let colon = text.lastIndex(of: ":") { return IPAddress(String(text[..<colon])) }
        return nil
    }

    private func startSpeaker(_ config: BgpdConfig, policy: Calico.RoutePolicy?, policies: [String: BGPSpeaker.RoutePolicy?]) throws {
        let fib = try BirdFIB(namespace: options.namespace) { [log] in log($0) }
        fib.update(policy: policy)
        fib.flush()
        let d = try SpeakerDaemon(config: config, log: .standardError, fib: fib, namespace: options.namespace)
        try d.start()
        // Queued behind the loop's start-up work, before any session can be Established.
        setPolicies(d, policies)
        daemon = d
        self.fib = fib
    }

    private func setPolicies(_ daemon: SpeakerDaemon, _ policies: [String: BGPSpeaker.RoutePolicy?]) {
        daemon.setPolicies(policies)
    }

    /// Calico's export filter and the per-peer BGPFilter policies (SpeakerPlan's `CalicoExport`).
    private func speakerPolicies(_ policy: Calico.RoutePolicy?, _ node: NodeConfig) -> [String: BGPSpeaker.RoutePolicy?] {
        guard let policy else { return [CalicoExport.policyName: nil] }
        var filters: [String: BGPFilter] = [:]
        for r in store.list(.bgpFilter) { if case .bgpFilter(let f) = r { filters[f.metadata.name] = f } }
        // Only filters with `interface` clauses need to know where each peer is (a kernel route lookup).
        let usesInterfaces = filters.values.contains { f in BGPFilter.RuleList.allCases.contains { f.rules($0).contains { $0.interface != nil } } }
        let interfaces = usesInterfaces ? BirdFIB.interfaces(toward: node.peers.map(\.address), in: options.namespace) : [:]
        return CalicoExport.policies(policy, peers: node.peers, local: node.originated + node.borrowed, filters: filters,
                                     interfaces: interfaces).mapValues { Optional($0) }
    }

    /// Says once per pool what the lab cannot do as the real node would: IPIP (no ipip module here) and
    /// VXLAN (not emulated). natOutgoing is programmed (NATOutgoingProgrammer) and reports itself.
    private func warnAboutEncapsulation() {
        for pool in IPAM(store: store).pools {
            // Once per setting: a pool edited later (kubectl edit/patch, calicoctl) is reported again.
            let vxlan = pool.vxlanMode == "Never" ? "" : ", vxlanMode \(pool.vxlanMode)"
            let setting = "ipipMode \(pool.ipipMode), natOutgoing \(pool.spec.natOutgoing == true)\(vxlan)"
            let before = warnedIPIPPools[pool.metadata.name]
            guard before != setting else { continue }
            warnedIPIPPools[pool.metadata.name] = setting
            if let before { log("calico-node \(options.nodeName): IP pool \(pool.metadata.name) changed from \(before) to \(setting)") }
            if pool.vxlanMode != "Never" {
                log("calico-node \(options.nodeName): IP pool \(pool.metadata.name) has vxlanMode \(pool.vxlanMode): VXLAN is not supported by this lab (no vxlan.calico device, no VXLAN routes; BIRD leaves VXLAN pools to Felix), so this pool's blocks are not routed between nodes; use vxlanMode: Never (with ipipMode Never or IPIP) instead")
            }
            guard pool.ipipMode != "Never" else { continue }
            log("calico-node \(options.nodeName): IP pool \(pool.metadata.name) has ipipMode \(pool.ipipMode), but IPIP is unavailable on this kernel (no ipip module, no tunl0); the lab routes it as ipipMode Never (native routing between nodes on one subnet)")
        }
    }

    // MARK: Pods

    private func reconcilePods() throws {
        let onNode = store.list(.pod).compactMap { r -> Pod? in
            guard case .pod(let p) = r, p.nodeName == options.nodeName else { return nil }
            return p
        }
        // The calico-node pod runs on the host network; a new one means this agent was restarted.
        let selfPod = onNode.first { $0.metadata.labels["k8s-app"] == "calico-node" }
        if let uid = selfPod?.metadata.uid {
            if let known = calicoNodePodUID, known != uid { restartRequested = true }
            calicoNodePodUID = uid
        }
        let mine = onNode.filter { $0.metadata.labels["k8s-app"] != "calico-node" }
        let cni = CNI(store: store)
        let network = PodNetwork(node: options.namespace)
        var keep = Set<String>()
        for pod in mine {
            let ns = pod.metadata.namespace ?? "default"
            let key = "\(ns)/\(pod.metadata.name)"
            keep.insert(key)
            if let w = wired[key] {
                if pod.podIP == w.address.description { continue }
                // Deleted and recreated under the same name between two polls: a new sandbox.
                network.unwire(w)
                setWired(key, nil)
                try cni.delete(namespace: ns, pod: pod.metadata.name, node: options.nodeName)
            }
            let result = try cni.add(namespace: ns, pod: pod.metadata.name, node: options.nodeName, labels: pod.metadata.labels)
            let w = WiredPod(namespace: ns, name: pod.metadata.name,
                             networkNamespace: options.podNaming.namespace(node: options.nodeName, namespace: ns, pod: pod.metadata.name),
                             interfaceName: result.interfaceName, address: result.address, otherAddresses: Array(result.addresses.dropFirst()))
            try network.wire(w)
            setWired(key, w)
            log("calico-node \(options.nodeName): pod \(key) up at \(w.addresses.map(\.description).joined(separator: ", ")) (\(w.interfaceName), netns \(w.networkNamespace))")
        }
        // Endpoints of this node whose pod is gone while no agent ran (not wired by this one): release them.
        for r in store.list(.workloadEndpoint) {
            guard let wep = r.workloadEndpoint, wep.spec.node == options.nodeName, let pod = wep.spec.pod else { continue }
            let ns = r.metadata.namespace ?? "default"
            if !keep.contains("\(ns)/\(pod)") && wired["\(ns)/\(pod)"] == nil {
                try cni.delete(namespace: ns, pod: pod, node: options.nodeName)
                log("calico-node \(options.nodeName): stale endpoint of pod \(ns)/\(pod) removed")
            }
        }
        for (key, w) in wired where !keep.contains(key) {
            network.unwire(w)
            setWired(key, nil)
            try cni.delete(namespace: w.namespace, pod: w.name, node: options.nodeName)
            log("calico-node \(options.nodeName): pod \(key) removed, \(w.address) released")
        }
    }

    /// Written on the agent thread only; read from others through `wiredPods`.
    private func setWired(_ key: String, _ pod: WiredPod?) {
        lock.lock(); wired[key] = pod; lock.unlock()
    }

    /// The pods this agent has wired, by `namespace/name`.
    public var wiredPods: [String: WiredPod] {
        lock.lock(); defer { lock.unlock() }
        return wired
    }

    // MARK: Status

    private func sessionsChanged() -> Bool {
        guard let daemon else { return false }
        return daemon.status().peers.contains { sessionSince[$0.description ?? ""]?.state != $0.state }
    }

    /// The speaker's sessions and routes (nil before the first start).
    public func bgpStatus() -> BgpdStatus? { daemon?.status() }

    /// Every path the speaker holds for `prefix`, with all attributes (BIRD's `show route for … all`).
    public func paths(for prefix: Prefix) -> [RIBEntry] { daemon?.withSpeaker { $0.routes(for: prefix) } ?? [] }

    /// BIRD's `show protocols` for this node's BGP sessions, per family.
    public func protocolLines(now: Date = Date()) -> (ipv4: [BirdControl.ProtocolLine], ipv6: [BirdControl.ProtocolLine]) {
        let status = daemon?.status()
        var v4: [BirdControl.ProtocolLine] = [], v6: [BirdControl.ProtocolLine] = []
        for peer in peers {
            let s = status?.peers.first { $0.address == peer.address }
            let state = s?.state ?? .idle
            let name = peer.protocolName
            if sessionSince[name]?.state != state { sessionSince[name] = (state, now) }
            let since = BirdControl.sinceText(changed: sessionSince[name]?.since ?? now, now: now)
            let line = BirdControl.line(for: peer, session: Self.birdState(state, passive: peer.passive),
                                        lastError: state == .established ? nil : Self.birdError(s?.lastError), since: since)
            if peer.address.family == .ipv4 { v4.append(line) } else { v6.append(line) }
        }
        return (v4, v6)
    }

    static func birdState(_ s: SessionState, passive: Bool) -> BirdControl.SessionState {
        switch s {
        case .idle: return passive ? .passive : .idle
        case .connect: return .connect
        case .active: return passive ? .passive : .active
        case .openSent: return .openSent
        case .openConfirm: return .openConfirm
        case .established: return .established
        }
    }

    /// BIRD words the common socket failure as `Socket: Connection refused`; others are left out.
    static func birdError(_ text: String?) -> String? {
        guard let text else { return nil }
        if text.lowercased().contains("refused") { return "Socket: Connection refused" }
        if text.lowercased().contains("bad peer as") { return "BGP Error: Bad peer AS" }
        return nil
    }

    private func writeStatus() {
        let lines = protocolLines()
        do {
            try statusFiles.write(ipv4: BirdControl.showProtocols(lines.ipv4), ipv6: BirdControl.showProtocols(lines.ipv6))
        } catch {
            log("calico-node \(options.nodeName): writing status: \(error)")
        }
        lastStatusWrite = Date()
    }
}
