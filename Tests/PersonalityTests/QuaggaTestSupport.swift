import XCTest
import CLIEngine
import Device
import Kernel
import BGPDaemon
@testable import Quagga

/// A Quagga router in a namespace of its own (its speaker listens there, never in the root namespace), with a
/// vtysh session on it and a scratch file for `write memory`. Everything is removed by `close()`.
final class QuaggaRig {
    static var counter = 0
    let namespace: NetworkNamespace
    let device: NetworkDevice
    let session: Session<NetworkDevice>
    let saveFile: String
    let logFile: String

    init(appliesKernel: Bool = false, installRoutes: Bool = false) throws {
        QuaggaRig.counter += 1
        let name = "plt-quagga-\(getpid())-\(QuaggaRig.counter)"
        if NetworkNamespace.exists(name) { try NetworkNamespace.delete(name) }
        namespace = try NetworkNamespace.create(name)
        try namespace.netlink().setLinkUp("lo")
        saveFile = NSTemporaryDirectory() + "\(name).conf"
        logFile = NSTemporaryDirectory() + "\(name).log"
        device = NetworkDevice(kind: "quagga", config: RunningConfig(hostname: Quagga.defaultHostname), namespace: namespace,
                               saveTo: saveFile, log: try Logger(path: logFile), installRoutes: installRoutes,
                               appliesKernel: appliesKernel)
        session = Quagga.personality.session(on: device)
    }

    /// Runs lines in order; returns the output of the last one.
    @discardableResult
    func run(_ lines: String...) async -> Reply {
        var last = Reply(lines: [], prompt: session.prompt, ended: false)
        for line in lines { last = await session.execute(line: line) }
        return last
    }

    /// The output of one line.
    func lines(_ line: String) async -> [String] { await session.execute(line: line).lines }

    func close() {
        device.shutdown()
        try? namespace.delete()
        try? FileManager.default.removeItem(atPath: saveFile)
        try? FileManager.default.removeItem(atPath: saveFile + ".tmp")
        try? FileManager.default.removeItem(atPath: logFile)
    }
}

/// Live Quagga tests: namespaces, speakers, devices and files each test makes, all removed in tearDown, and
/// namespaces named `plt-<namespacePrefix>-<pid>-<suffix>` so parallel runs never meet.
class QuaggaNamespaceTestCase: XCTestCase {
    var namespaces: [NetworkNamespace] = []
    var daemons: [SpeakerDaemon] = []
    var devices: [NetworkDevice] = []
    var files: [String] = []
    /// The middle of this class's namespace names (`quagga`, `fixer`).
    var namespacePrefix: String { "quagga" }

    override func setUpWithError() throws {
        try XCTSkipUnless(getuid() == 0, "needs root for network namespaces")
    }

    override func tearDown() {
        for d in devices { d.shutdown() }
        for d in daemons { d.shutdown() }
        for ns in namespaces { try? ns.delete() }
        for f in files { try? FileManager.default.removeItem(atPath: f) }
        devices = []; daemons = []; namespaces = []; files = []
        super.tearDown()
    }

    func namespace(_ suffix: String) throws -> NetworkNamespace {
        let name = "plt-\(namespacePrefix)-\(getpid())-\(suffix)"
        if NetworkNamespace.exists(name) { try NetworkNamespace.delete(name) }
        let ns = try NetworkNamespace.create(name)
        namespaces.append(ns)
        try ns.netlink().setLinkUp("lo")
        return ns
    }
}
