import Glibc

/// libc calls that Glibc's Swift module hides behind _GNU_SOURCE (setns, unshare), looked up once
/// by name so Kernel needs no C shim target.
enum Syscalls {
    private typealias SetnsFunction = @convention(c) (Int32, Int32) -> Int32
    private typealias UnshareFunction = @convention(c) (Int32) -> Int32

    private typealias AddChdirFunction = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    private static let addChdirPointer: AddChdirFunction? = lookup("posix_spawn_file_actions_addchdir_np")
    private static let setnsPointer: SetnsFunction? = lookup("setns")
    private static let unsharePointer: UnshareFunction? = lookup("unshare")

    private static func lookup<F>(_ name: String) -> F? {
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, name) else { return nil }
        return unsafeBitCast(symbol, to: F.self)
    }

    /// setns(2); -1 with errno ENOSYS if libc lacks it.
    static func setns(_ fd: Int32, _ type: Int32) -> Int32 {
        guard let f = setnsPointer else { errno = ENOSYS; return -1 }
        return f(fd, type)
    }

    /// unshare(2); -1 with errno ENOSYS if libc lacks it.
    static func unshare(_ flags: Int32) -> Int32 {
        guard let f = unsharePointer else { errno = ENOSYS; return -1 }
        return f(flags)
    }

    /// posix_spawn_file_actions_addchdir_np (glibc ≥ 2.29); ENOSYS when missing.
    static func spawnAddChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: String) -> Int32 {
        guard let f = addChdirPointer else { return ENOSYS }
        return f(actions, path)
    }

    /// Runs `body` with spawn attributes for a child that starts with a clean signal state: nothing blocked
    /// (daemons block SIGTERM/SIGINT on every thread to sigwait for them) and the common signals back at their
    /// defaults; with `newSession`, in a session of its own, away from the terminal's signals.
    static func withCleanSpawnAttributes<R>(newSession: Bool, _ body: (inout posix_spawnattr_t) throws -> R) rethrows -> R {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGQUIT, SIGUSR1, SIGUSR2] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        let setsid: Int32 = 0x80 // POSIX_SPAWN_SETSID (glibc ≥ 2.26)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | (newSession ? setsid : 0)))
        return try body(&attributes)
    }
}
