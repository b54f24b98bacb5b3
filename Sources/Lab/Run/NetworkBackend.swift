/// The kernel operations bring-up needs, one method per `LabStep` kind. Lab builds against this small
/// protocol so the executor is testable without root; `KernelBackend` implements it on the Kernel
/// module's netlink API. Every method acts inside a named namespace; none may touch the root namespace.
public protocol NetworkBackend: AnyObject {
    func createNamespace(_ name: String) throws
    /// Deleting a namespace also destroys every link, bridge, address and route inside it.
    func deleteNamespace(_ name: String) throws
    /// Names of all namespaces on the box (`ip netns list`), for crash-proof teardown.
    func namespaces() throws -> [String]
    func setSysctl(_ key: String, _ value: String, namespace: String) throws
    func createBridge(_ name: String, vlanFiltering: Bool, namespace: String) throws
    /// Creates both ends directly in their namespaces (the peer is placed with IFLA_NET_NS_FD).
    func createVeth(_ pair: VethPair) throws
    func createVLANInterface(_ name: String, bridge: String, vlan: Int, alias: String, namespace: String) throws
    func attach(_ port: String, toBridge bridge: String, namespace: String) throws
    func setBridgeVLANs(device: String, isBridgeItself: Bool, vlans: [BridgeVLAN], namespace: String) throws
    func addAddress(_ address: InterfaceAddress, interface: String, namespace: String) throws
    func setUp(_ interface: String, namespace: String) throws
    func addDefaultRoute(via gateway: LabIPAddress, namespace: String) throws
    /// Runs a host command (`exec:` in the lab file) in the namespace and waits for it.
    func run(command: String, namespace: String) throws
    /// PIDs of the processes living in the namespace (`ip netns pids`), so teardown can end a lab's
    /// processes even when the state file that listed them is lost.
    func processes(in namespace: String) -> [Int32]
}

extension NetworkBackend {
    public func processes(in namespace: String) -> [Int32] { [] }
}

/// Starts and stops device daemons. Separate from `NetworkBackend` because it deals in processes.
public protocol DaemonLauncher: AnyObject {
    /// Starts `daemon` inside its namespace and returns its PID.
    func start(_ daemon: DaemonPlan) throws -> Int32
    /// Stops the process `pid` started for `daemon` (SIGTERM, then SIGKILL if it lingers).
    func stop(pid: Int32, daemon: DaemonPlan) throws
    /// Ends a process found inside one of the lab's namespaces at teardown.
    func terminate(pid: Int32)
    /// Ends all of these at once (teardown of a large lab); defaults to one `terminate(pid:)` each.
    func terminate(pids: [Int32])
}

extension DaemonLauncher {
    public func terminate(pid: Int32) {}
    public func terminate(pids: [Int32]) { pids.forEach(terminate(pid:)) }
}

/// A backend failure in words: the step and what the kernel or tool said.
public struct BackendError: Error, Hashable, Sendable, CustomStringConvertible {
    public var operation: String
    public var detail: String
    public init(_ operation: String, _ detail: String) {
        self.operation = operation
        self.detail = detail
    }
    public var description: String { "\(operation): \(detail)" }
}
