import Glibc

/// A named network namespace, kept alive by a bind mount at /run/netns/NAME exactly as `ip netns add`
/// makes one, so `ip netns exec NAME …` and `ip -n NAME …` see it too.
///
/// Entering a namespace (`run`) is per thread: only the calling thread moves, and it moves back before
/// `run` returns. Never `await` inside `run`, since the task may resume on another thread.
public struct NetworkNamespace: Hashable, Sendable, CustomStringConvertible {
    /// Where iproute2 keeps the bind mounts.
    public static let directory = "/run/netns"

    public let name: String
    public var path: String { "\(NetworkNamespace.directory)/\(name)" }
    public var description: String { name }

    /// Refers to an existing (or soon created) namespace by name; does not touch the system.
    public init(_ name: String) { self.name = name }

    // MARK: Create, delete, list

    /// Creates the namespace like `ip netns add NAME`: makes /run/netns a shared mount point (bind-mounting
    /// it onto itself the first time), creates the mount-point file, unshares a new network namespace on the
    /// calling thread, bind-mounts it at /run/netns/NAME, and returns the thread to where it was.
    /// - Throws: `KernelError` (EEXIST when the name is taken).
    @discardableResult
    public static func create(_ name: String) throws -> NetworkNamespace {
        let namespace = NetworkNamespace(name)
        try validate(name)
        let doing = "creating network namespace \(name)"
        if mkdir(directory, 0o755) != 0 && errno != EEXIST { throw KernelError.fromErrno(doing) }
        try makeDirectoryShared(doing)

        let file = open(namespace.path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0)
        guard file >= 0 else {
            throw KernelError(doing, code: errno, hint: errno == EEXIST ? "\(namespace.path) already exists" : nil)
        }
        close(file)

        let original = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
        guard original >= 0 else {
            let error = KernelError.fromErrno(doing)
            unlink(namespace.path)
            throw error
        }
        defer { close(original) }
        guard Syscalls.unshare(NL.CLONE_NEWNET) == 0 else {
            let error = KernelError.fromErrno(doing)
            unlink(namespace.path)
            throw error
        }
        let mounted = mount("/proc/thread-self/ns/net", namespace.path, "none", UInt(MS_BIND), nil)
        let mountError = errno
        restore(original, leaving: name)
        guard mounted == 0 else {
            unlink(namespace.path)
            throw KernelError(doing + " (bind mount)", code: mountError)
        }
        return namespace
    }

    /// Deletes the namespace like `ip netns delete NAME`: lazy unmount, then unlink the file. The
    /// namespace itself lives on while processes or open descriptors still use it.
    public func delete() throws {
        let doing = "deleting network namespace \(name)"
        if umount2(path, Int32(MNT_DETACH)) != 0 && errno != EINVAL && errno != ENOENT {
            throw KernelError.fromErrno(doing)
        }
        if unlink(path) != 0 { throw KernelError.fromErrno(doing) }
    }

    /// Deletes the named namespace; see `delete()`.
    public static func delete(_ name: String) throws { try NetworkNamespace(name).delete() }

    /// Names under /run/netns, sorted.
    public static func list() -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Whether the calling thread's network namespace is one bound under /run/netns (where labs keep theirs)
    /// and not the kernel's initial one: the only places lab code may change links, routes or rules.
    public static func currentIsNamed() -> Bool {
        guard let mine = identity(of: "/proc/thread-self/ns/net"), mine.inode != initialNamespaceInode else { return false }
        return list().contains { identity(of: NetworkNamespace($0).path) == mine }
    }

    /// The nsfs inode of the kernel's initial network namespace (PROC_NET_INIT_INO), fixed by the kernel.
    static let initialNamespaceInode: UInt64 = 0xEFFF_FFF9

    /// Device and inode of a namespace file: equal for the same namespace however it is reached.
    public struct Identity: Hashable, Sendable {
        public var device: UInt64
        public var inode: UInt64
    }

    public static func identity(of path: String) -> Identity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// True when /run/netns/NAME exists.
    public static func exists(_ name: String) -> Bool {
        access(NetworkNamespace(name).path, F_OK) == 0
    }

    public var exists: Bool { NetworkNamespace.exists(name) }

    // MARK: Use

    /// Opens the namespace file (for setns or IFLA_NET_NS_FD). The caller closes the descriptor.
    public func openDescriptor() throws -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw KernelError.fromErrno("opening network namespace \(name)") }
        return fd
    }

    /// Runs `body` with the calling thread inside this namespace, then moves the thread back, also
    /// when `body` throws. Sockets opened inside stay in this namespace for their whole life.
    ///
    /// Per thread only: other threads are unaffected, and `body` must not suspend (`await`), because a
    /// task can resume on a different thread. Nesting is allowed.
    public func run<T>(_ body: () throws -> T) throws -> T {
        let doing = "entering network namespace \(name)"
        let original = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
        guard original >= 0 else { throw KernelError.fromErrno(doing) }
        defer { close(original) }
        let target = try openDescriptor()
        let entered = Syscalls.setns(target, NL.CLONE_NEWNET)
        let enterError = errno
        close(target)
        guard entered == 0 else { throw KernelError(doing, code: enterError) }
        defer { NetworkNamespace.restore(original, leaving: name) }
        return try body()
    }

    /// Opens a route netlink socket inside this namespace.
    public func netlink(groups: [UInt32] = []) throws -> NetlinkSocket {
        try NetlinkSocket.open(in: self, groups: groups)
    }

    // MARK: Helpers

    private static func validate(_ name: String) throws {
        guard !name.isEmpty, name.utf8.count < 256, !name.contains("/"), name != ".", name != ".." else {
            throw KernelError.invalid("creating network namespace \"\(name)\"", "not a valid namespace name")
        }
    }

    /// iproute2's dance: make /run/netns a shared mount so later mounts propagate, bind-mounting the
    /// directory onto itself first if it is not a mount point yet.
    private static func makeDirectoryShared(_ doing: String) throws {
        var boundOnce = false
        while mount("", directory, "none", UInt(MS_SHARED | MS_REC), nil) != 0 {
            guard errno == EINVAL, !boundOnce else { throw KernelError.fromErrno(doing + " (making \(directory) shared)") }
            guard mount(directory, directory, "none", UInt(MS_BIND | MS_REC), nil) == 0 else {
                throw KernelError.fromErrno(doing + " (bind-mounting \(directory))")
            }
            boundOnce = true
        }
    }

    /// A thread left in the wrong namespace would run later work in the wrong place, so failing to
    /// return is fatal rather than an error.
    static func restore(_ original: Int32, leaving name: String) {
        if Syscalls.setns(original, NL.CLONE_NEWNET) != 0 {
            fatalError("cannot return thread from network namespace \(name): \(String(cString: strerror(errno)))")
        }
    }
}
