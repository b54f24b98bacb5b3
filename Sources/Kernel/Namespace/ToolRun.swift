#if canImport(Glibc)
import Glibc
#endif

/// A command-line tool (`tc`, `nft`) run to completion in the calling thread's network namespace, with
/// input on its stdin and its output kept for the error message: how lab plumbing and the Calico agent
/// drive the kernel where no netlink API of ours exists yet, as Felix drives `iptables-restore`.
public enum ToolRun {
    /// A tool that could not run or did not succeed, in words: `nft -f -: exit status 1: Error: …`.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        /// What was run (`nft -f -`), empty when the failure came before the tool.
        public let command: String
        /// Why it failed: `exit status 1: Error: …`, `killed by signal 9`, `cannot run …`.
        public let reason: String
        public init(command: String = "", reason: String) { self.command = command; self.reason = reason }
        public init(message: String) { self.init(reason: message) }
        public var message: String { command.isEmpty ? reason : "\(command): \(reason)" }
        public var description: String { message }
    }

    /// Runs `executable` with `arguments`, feeds `input` (stdin is empty when nil) and waits. Signals the
    /// caller blocks or ignores are reset for the tool, and none of the pipes leak into other children.
    public static func run(_ executable: String, _ arguments: [String], input: String? = nil) -> Result<Void, Failure> {
        var toChild: [Int32] = [-1, -1], fromChild: [Int32] = [-1, -1]
        guard pipe(&toChild) == 0 else { return .failure(Failure(message: "pipe: \(String(cString: strerror(errno)))")) }
        guard pipe(&fromChild) == 0 else {
            close(toChild[0]); close(toChild[1])
            return .failure(Failure(message: "pipe: \(String(cString: strerror(errno)))"))
        }
        // Our ends must not leak into children other threads spawn meanwhile (they would hold the pipes open).
        for fd in toChild + fromChild { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = Syscalls.withCleanSpawnAttributes(newSession: false) { attributes in
            posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        }
        close(toChild[0]); close(fromChild[1])
        let name = "\(executable.split(separator: "/").last.map(String.init) ?? executable) \(arguments.joined(separator: " "))"
        guard spawned == 0 else {
            close(toChild[1]); close(fromChild[0])
            return .failure(Failure(message: "cannot run \(executable): \(String(cString: strerror(spawned)))"))
        }
        writeIgnoringSIGPIPE(toChild[1], Array((input ?? "").utf8))
        close(toChild[1])
        var output = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fromChild[0], &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            output += chunk[..<n]
        }
        close(fromChild[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        if status == 0 { return .success(()) }
        let text = trimmed(String(decoding: output, as: UTF8.self))
        let how = status & 0x7f == 0 ? "exit status \((status >> 8) & 0xff)" : "killed by signal \(status & 0x7f)"
        return .failure(Failure(command: name, reason: "\(how)\(text.isEmpty ? "" : ": \(text)")"))
    }

    /// Writes all of `bytes`; a tool that exits early closes the pipe, and the SIGPIPE that raises on this
    /// thread is blocked and then taken back, so it never ends the caller.
    static func writeIgnoringSIGPIPE(_ fd: Int32, _ bytes: [UInt8]) {
        var pipeSignal = sigset_t(), saved = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &saved)
        defer {
            var pending = sigset_t()
            sigpending(&pending)
            if sigismember(&pending, SIGPIPE) == 1 && sigismember(&saved, SIGPIPE) == 0 {
                var taken: Int32 = 0
                sigwait(&pipeSignal, &taken)
            }
            pthread_sigmask(SIG_SETMASK, &saved, nil)
        }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            offset += n
        }
    }

    static func trimmed(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        return String(text.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
