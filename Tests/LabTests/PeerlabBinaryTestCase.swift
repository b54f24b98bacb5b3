import Foundation
import XCTest
@testable import Lab

/// Base of the tests that drive the built `peerlab` binary (found next to the test bundle) the way a user
/// does, with a private state root in a temporary folder. Labs a test names through `labName` (or appends to
/// `labs`) are brought down in tearDown, their leftover namespaces and processes removed, and tearDown fails
/// the test if any namespace of them is still there: also when an assertion failed half-way.
class PeerlabBinaryTestCase: XCTestCase {
    var dir: TemporaryDirectory!
    var peerlab: String!
    /// Every lab this test may have brought up.
    var labs: [String] = []

    /// Start of this test class's lab names (`plt-lcli`, `plt-vx`, …): unique per class, so two suites never
    /// share a namespace.
    var labPrefix: String { "plt-bin" }

    override func setUpWithError() throws {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip") else {
            throw XCTSkip("needs root and iproute2")
        }
        // The bundle is the build folder itself on Linux, `<folder>/X.xctest` elsewhere.
        let bundle = Bundle(for: Self.self).bundleURL
        let candidates = [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent("peerlab").path }
        guard let binary = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw XCTSkip("no peerlab binary at \(candidates[0]); build the package (swift build --build-tests) first")
        }
        peerlab = binary
        dir = TemporaryDirectory()
    }

    override func tearDown() {
        for lab in labs {
            _ = run(["down", lab])
            let names = LabNames(lab: lab)
            for namespace in NetworkNamespaces.all() where names.owns(namespace: namespace) {
                for pid in KernelBackend().processes(in: namespace) { kill(pid, SIGKILL) }
                _ = Shell.run(["/usr/sbin/ip", "netns", "del", namespace])
            }
            XCTAssertEqual(NetworkNamespaces.all().filter(names.owns(namespace:)), [], "lab \(lab) left namespaces behind")
        }
        dir?.remove()
        super.tearDown()
    }

    /// `<labPrefix>-<pid><suffix>`, remembered for tearDown.
    func labName(_ suffix: String) -> String {
        let name = "\(labPrefix)-\(getpid())\(suffix)"
        labs.append(name)
        return name
    }

    /// Runs `peerlab ARGS` with the test's state root (and `input` on stdin); waits.
    func run(_ arguments: [String], input: String? = nil) -> (status: Int32, output: String) {
        Shell.run([peerlab] + arguments, environment: ["PEERLAB_STATE_DIR": dir.path + "/state"], input: input)
    }

    /// The namespaces of `lab` that exist now, sorted.
    func ownNamespaces(_ lab: String) -> [String] {
        let names = LabNames(lab: lab)
        return NetworkNamespaces.all().filter(names.owns(namespace:)).sorted()
    }
}

/// Runs a program and collects its stdout and stderr together.
enum Shell {
    static func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) -> (status: Int32, output: String) {
        let process = Process()
        let stdin = Pipe()
        if input != nil { process.standardInput = stdin }
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (-1, "\(error)") }
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try? stdin.fileHandleForWriting.close()
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
