import Glibc

extension NetworkNamespace {
    // MARK: sysctl

    /// Writes a sysctl inside this namespace, e.g. `writeSysctl("net.ipv4.ip_forward", "1")`.
    /// Keys use dots or slashes; use slashes when an interface name holds a dot
    /// ("net/ipv4/conf/eth0.100/proxy_arp").
    public func writeSysctl(_ key: String, _ value: String) throws {
        try run { try NetworkNamespace.writeSysctlHere(key, value) }
    }

    /// Reads a sysctl inside this namespace, trailing newline removed.
    public func readSysctl(_ key: String) throws -> String {
        try run { try NetworkNamespace.readSysctlHere(key) }
    }

    /// /proc/sys/net resolves to the namespace of the thread that opens the file, so these run inside `run`.
    static func sysctlPath(_ key: String) -> String {
        "/proc/sys/" + (key.contains("/") ? key : key.replacingDots())
    }

    static func writeSysctlHere(_ key: String, _ value: String) throws {
        let doing = "setting sysctl \(key)=\(value)"
        let fd = open(sysctlPath(key), O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw KernelError.fromErrno(doing) }
        defer { close(fd) }
        let bytes = Array((value + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw KernelError.fromErrno(doing) }
    }

    static func readSysctlHere(_ key: String) throws -> String {
        let doing = "reading sysctl \(key)"
        let fd = open(sysctlPath(key), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw KernelError.fromErrno(doing) }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard got >= 0 else { throw KernelError.fromErrno(doing) }
        var text = String(decoding: buffer[0..<got], as: UTF8.self)
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    // MARK: Processes

    /// Starts a program inside this namespace and returns its pid without waiting for it.
    ///
    /// The calling thread enters the namespace and calls posix_spawn, so the child starts there (it
    /// inherits the thread's namespaces); the thread then returns. The child gets stdin from /dev/null,
    /// stdout and stderr appended to `outputPath` (or /dev/null), a fresh session (no controlling
    /// terminal, so the lab's Ctrl-C does not reach it), default signal handling and an empty signal mask.
    /// Unlike `ip netns exec`, /sys is not remounted. The caller reaps the child (waitpid) or lets it run.
    /// - Parameters:
    ///   - executable: absolute path of the program.
    ///   - arguments: argv after argv[0] (argv[0] is the executable path).
    ///   - environment: the child's environment; nil inherits this process's.
    ///   - outputPath: file for stdout and stderr, created 0644 and appended to.
    ///   - workingDirectory: the child's current directory; nil keeps this process's.
    /// - Returns: the child's pid.
    public func spawn(_ executable: String, arguments: [String] = [], environment: [String: String]? = nil,
                      outputPath: String? = nil, workingDirectory: String? = nil) throws -> pid_t {
        try run { try NetworkNamespace.spawnHere(executable, arguments: arguments, environment: environment,
                                                outputPath: outputPath, workingDirectory: workingDirectory,
                                                namespaceName: name) }
    }

    static func spawnHere(_ executable: String, arguments: [String], environment: [String: String]?,
                          outputPath: String?, workingDirectory: String?, namespaceName: String) throws -> pid_t {
        let doing = "starting \(executable) in network namespace \(namespaceName)"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let workingDirectory {
            guard Syscalls.spawnAddChdir(&actions, workingDirectory) == 0 else {
                throw KernelError(doing, code: ENOSYS, hint: "this libc cannot set a spawned process's directory")
            }
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath ?? "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        let argv = ([executable] + arguments).map { strdup($0) }
        defer { argv.forEach { free($0) } }
        let envStrings: [UnsafeMutablePointer<CChar>?]? = environment.map { env in
            env.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") }
        }
        defer { envStrings?.forEach { free($0) } }

        var pid: pid_t = 0
        let result: Int32 = Syscalls.withCleanSpawnAttributes(newSession: true) { attributes in
            (argv + [nil]).withUnsafeBufferPointer { argvBuffer in
                if let envStrings {
                    return (envStrings + [nil]).withUnsafeBufferPointer { envBuffer in
                        posix_spawn(&pid, executable, &actions, &attributes, argvBuffer.baseAddress!, envBuffer.baseAddress!)
                    }
                }
                return posix_spawn(&pid, executable, &actions, &attributes, argvBuffer.baseAddress!, environ)
            }
        }
        guard result == 0 else { throw KernelError(doing, code: result) }
        return pid
    }
}

extension String {
    fileprivate func replacingDots() -> String {
        String(map { $0 == "." ? "/" : $0 })
    }
}
