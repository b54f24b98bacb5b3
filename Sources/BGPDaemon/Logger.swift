import Foundation

/// Timestamped lines to a log file (appended) or standard error. Safe from any thread.
public final class Logger: @unchecked Sendable {
    private let handle: FileHandle
    private let lock = NSLock()
    public let path: String?

    public static let standardError = Logger(handle: FileHandle.standardError)

    private init(handle: FileHandle) { self.handle = handle; path = nil }

    /// Opens (creating if needed) `path` for appending.
    public init(path: String) throws {
        // open(2), not FileManager.createFile: on Linux the latter stages through a folder in /tmp.
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw BgpdError("cannot create log file \(path): \(String(cString: strerror(errno)))") }
        close(fd)
        guard let h = FileHandle(forWritingAtPath: path) else { throw BgpdError("cannot open log file \(path)") }
        h.seekToEndOfFile()
        handle = h
        self.path = path
    }

    public func info(_ message: String) { write("info", message) }
    public func error(_ message: String) { write("error", message) }

    private func write(_ level: String, _ message: String) {
        let stamp = ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "UTC")!,
                                                formatOptions: [.withInternetDateTime, .withFractionalSeconds])
        let line = "\(stamp) \(level) \(message)\n"
        lock.lock(); defer { lock.unlock() }
        handle.write(Data(line.utf8))
    }
}

/// An error a user can act on: bad configuration, a socket that cannot be opened, an unknown peer.
public struct BgpdError: Error, CustomStringConvertible, Hashable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
