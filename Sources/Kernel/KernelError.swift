import Glibc

/// A failed kernel operation: what was being done, the errno, and the kernel's own words when it gave any.
///
/// The description reads as one sentence a user can act on, e.g.
/// "adding route 10.1.0.0/24 via 10.0.0.2 in table 254: Network is unreachable (ENETUNREACH); kernel: Nexthop has invalid gateway".
public struct KernelError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What PeerLab was doing, in words ("creating veth pair v0/v1").
    public var operation: String
    /// The positive errno value (EEXIST, ENODEV, …); 0 for failures that have none, such as a malformed reply.
    public var code: Int32
    /// Extended-ack text from the kernel ("Nexthop device is not up"), when it sent one.
    public var kernelMessage: String?
    /// PeerLab's own advice when the kernel's answer alone would puzzle ("this kernel has no …").
    public var hint: String?

    public init(_ operation: String, code: Int32, kernelMessage: String? = nil, hint: String? = nil) {
        self.operation = operation
        self.code = code
        self.kernelMessage = kernelMessage
        self.hint = hint
    }

    /// Captures the current `errno` after a failed libc call.
    static func fromErrno(_ operation: String) -> KernelError {
        KernelError(operation, code: errno)
    }

    /// A failure that is not an errno (bad reply, bad argument).
    static func invalid(_ operation: String, _ why: String) -> KernelError {
        KernelError(operation, code: 0, hint: why)
    }

    /// strerror text, e.g. "File exists".
    public var reason: String {
        code == 0 ? "invalid request" : String(cString: strerror(code))
    }

    /// Symbolic errno name for the codes netlink commonly returns ("EEXIST"); nil for others.
    public var codeName: String? { KernelError.names[code] }

    public var description: String {
        var text = "\(operation): \(reason)"
        if let name = codeName { text += " (\(name))" }
        if let message = kernelMessage, !message.isEmpty { text += "; kernel: \(message)" }
        if let hint, !hint.isEmpty { text += "; \(hint)" }
        return text
    }

    /// The object already exists (adding something that is there).
    public var isAlreadyExists: Bool { code == EEXIST }
    /// The object is not there (deleting a missing route or address, unknown device).
    public var isNotFound: Bool { code == ESRCH || code == ENOENT || code == ENODEV || code == EADDRNOTAVAIL }

    private static let names: [Int32: String] = [
        EPERM: "EPERM", ENOENT: "ENOENT", ESRCH: "ESRCH", EINTR: "EINTR", EIO: "EIO", EBADF: "EBADF",
        EAGAIN: "EAGAIN", ENOMEM: "ENOMEM", EACCES: "EACCES", EBUSY: "EBUSY", EEXIST: "EEXIST",
        ENODEV: "ENODEV", EINVAL: "EINVAL", ENOSPC: "ENOSPC", ERANGE: "ERANGE", ENOBUFS: "ENOBUFS",
        EOPNOTSUPP: "EOPNOTSUPP", EAFNOSUPPORT: "EAFNOSUPPORT", EADDRINUSE: "EADDRINUSE",
        EADDRNOTAVAIL: "EADDRNOTAVAIL", ENETDOWN: "ENETDOWN", ENETUNREACH: "ENETUNREACH",
        EHOSTUNREACH: "EHOSTUNREACH", EMSGSIZE: "EMSGSIZE", ENOTDIR: "ENOTDIR", EISDIR: "EISDIR",
        ENOTEMPTY: "ENOTEMPTY", EPROTONOSUPPORT: "EPROTONOSUPPORT",
    ]
}
