import Foundation
import XCTest
@testable import Kernel

/// Base for tests that need root and their own namespaces. Every namespace made through
/// `makeNamespace()` is named plt-kernel-<pid>-<n> and deleted in tearDown, also after a failure;
/// results are checked independently with iproute2 (`ip -n NS -j …`).
class KernelTestCase: XCTestCase {
    private static var counter = 0
    private(set) var namespaces: [NetworkNamespace] = []
    /// Processes a test started; killed and reaped in tearDown.
    var childPIDs: [pid_t] = []
    var tempFiles: [String] = []

    override class func setUp() {
        super.setUp()
        removeNamespacesOfDeadRuns()
    }

    override func setUpWithError() throws {
        try XCTSkipUnless(getuid() == 0, "kernel tests need root")
    }

    /// A test process that crashed cannot run its tearDown; its namespaces (plt-kernel-<pid>-…, pid no
    /// longer alive) are removed by the next run.
    private static func removeNamespacesOfDeadRuns() {
        guard getuid() == 0 else { return }
        for name in NetworkNamespace.list() where name.hasPrefix("plt-kernel-") {
            let parts = name.split(separator: "-")
            guard parts.count == 4, let pid = pid_t(parts[2]), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { try? NetworkNamespace.delete(name) }
        }
    }

    override func tearDown() {
        for pid in childPIDs {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        childPIDs = []
        for namespace in namespaces where namespace.exists {
            // Deleting the namespace destroys its links (and the veth peers they had elsewhere).
            try? namespace.delete()
        }
        namespaces = []
        for file in tempFiles { unlink(file) }
        tempFiles = []
        super.tearDown()
    }

    /// A fresh name in this test's naming scheme, not yet created.
    func namespaceName() -> String {
        KernelTestCase.counter += 1
        return "plt-kernel-\(getpid())-\(KernelTestCase.counter)"
    }

    /// Creates a namespace that tearDown removes; brings its loopback up.
    func makeNamespace() throws -> NetworkNamespace {
        let namespace = try NetworkNamespace.create(namespaceName())
        namespaces.append(namespace)
        try namespace.netlink().setLinkUp("lo")
        return namespace
    }

    /// Runs a command (no shell), returning stdout; fails the test on a non-zero exit unless allowed.
    @discardableResult
    func run(_ arguments: [String], allowFailure: Bool = false, file: StaticString = #filePath, line: UInt = #line) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        let errors = Pipe()
        process.standardOutput = pipe
        process.standardError = errors
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let output = String(decoding: data, as: UTF8.self)
        if process.terminationStatus != 0 && !allowFailure {
            XCTFail("\(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(String(decoding: errorData, as: UTF8.self))", file: file, line: line)
        }
        return (process.terminationStatus, output)
    }

    /// `ip -n NS -j ARGS…` parsed as a JSON array of objects.
    func ipJSON(_ namespace: NetworkNamespace, _ arguments: String..., file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        try json(["ip", "-n", namespace.name, "-j"] + arguments, file: file, line: line)
    }

    /// `bridge -n NS -j ARGS…` parsed as a JSON array of objects.
    func bridgeJSON(_ namespace: NetworkNamespace, _ arguments: String..., file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        try json(["bridge", "-n", namespace.name, "-j"] + arguments, file: file, line: line)
    }

    private func json(_ command: [String], file: StaticString, line: UInt) throws -> [[String: Any]] {
        let output = try run(command, file: file, line: line).output
        let trimmed = output.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return [] }
        let value = try JSONSerialization.jsonObject(with: Data(trimmed.utf8))
        guard let array = value as? [[String: Any]] else {
            XCTFail("not a JSON array of objects: \(trimmed)", file: file, line: line)
            return []
        }
        return array
    }
}
