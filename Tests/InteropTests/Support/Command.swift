import Foundation

/// A failed helper command, with what it printed so the test log says why.
struct CommandError: Error, CustomStringConvertible {
    var argv: [String]
    var status: Int32
    var output: String
    var description: String { "`\(argv.joined(separator: " "))` exited \(status): \(output.trimmingCharacters(in: .whitespacesAndNewlines))" }
}

/// Runs short-lived helper programs (ip, vtysh, birdc, gobgp, peerlab status) to completion.
enum Command {
    /// Runs `argv` and returns its standard output; throws with stdout+stderr when it exits non-zero.
    @discardableResult
    static func run(_ argv: [String], allowFailure: Bool = false) throws -> String {
        let result = try capture(argv)
        if result.status != 0 && !allowFailure {
            throw CommandError(argv: argv, status: result.status, output: result.stdout + result.stderr)
        }
        return result.stdout
    }

    /// Runs `argv` and returns exit status, stdout and stderr (read through temp files, so large
    /// outputs such as a full RIB dump cannot fill a pipe and deadlock).
    static func capture(_ argv: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let dir = FileManager.default.temporaryDirectory
        let outURL = dir.appendingPathComponent("plt-iop-\(getpid())-cmd-\(UUID().uuidString).out")
        let errURL = dir.appendingPathComponent("plt-iop-\(getpid())-cmd-\(UUID().uuidString).err")
        try? Data().write(to: outURL)
        try? Data().write(to: errURL)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try resolve(argv[0]))
        process.arguments = Array(argv.dropFirst())
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try? out.close()
        try? err.close()
        let stdout = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        return (process.terminationStatus, stdout, stderr)
    }

    /// Finds a program on PATH (plus the sbin directories root's PATH may lack).
    static func resolve(_ name: String) throws -> String {
        if name.contains("/") { return name }
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/sbin:/sbin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw CommandError(argv: [name], status: 127, output: "\(name) not found on PATH")
    }
}

/// Last `lines` lines of a log file, joined with " / " for one-line failure messages.
func tailOfFile(_ url: URL, lines: Int = 8) -> String {
    guard let text = try? String(contentsOf: url, encoding: .utf8) else { return "(no \(url.lastPathComponent))" }
    return text.split(separator: "\n").suffix(lines).joined(separator: " / ")
}
