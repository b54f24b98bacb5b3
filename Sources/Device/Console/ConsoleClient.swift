import Foundation

/// The client end of a device console (for `peerlab exec` / `peerlab console` and tests): one connection is
/// one login session. Not thread-safe; use one client per thread.
public final class ConsoleClient {
    private let fd: Int32
    private var reader: LineReader

    /// Connects to the device's console socket.
    public init(socketPath: String) throws {
        guard var addr = unixAddress(socketPath) else { throw DeviceError("socket path too long: \(socketPath)") }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw DeviceError("socket: \(String(cString: strerror(errno)))") }
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard ok == 0 else {
            let message = String(cString: strerror(errno))
            Glibc.close(fd)
            throw DeviceError("cannot connect to the device console at \(socketPath): \(message) (is the device running?)")
        }
        self.fd = fd
        self.reader = LineReader(fd: fd)
    }

    deinit { Glibc.close(fd) }

    /// Logs in: the banner lines and the first prompt.
    public func open() throws -> ConsoleReply { try call(ConsoleRequest(.open)) }

    /// Runs one line; `output` is what the device printed, `prompt` the next prompt.
    public func send(_ line: String) throws -> ConsoleReply { try call(ConsoleRequest(.line, text: line)) }

    /// `?` help for the text typed so far.
    public func describe(_ text: String) throws -> ConsoleReply { try call(ConsoleRequest(.describe, text: text)) }

    /// Tab: candidates for the last word, and the completed line when only one fits.
    public func complete(_ text: String) throws -> ConsoleReply { try call(ConsoleRequest(.complete, text: text)) }

    /// Ctrl+Z: back to the user view.
    public func controlZ() throws -> ConsoleReply { try call(ConsoleRequest(.ctrlZ)) }

    /// Ends the session politely (closing the client also does).
    public func close() {
        if let data = try? JSONEncoder().encode(ConsoleRequest(.close)) { _ = writeAll(fd, data) }
    }

    private func call(_ request: ConsoleRequest) throws -> ConsoleReply {
        let data = try JSONEncoder().encode(request)
        guard writeAll(fd, data) else { throw DeviceError("the device closed the console") }
        guard let line = reader.next() else { throw DeviceError("the device closed the console") }
        let reply = try JSONDecoder().decode(ConsoleReply.self, from: line)
        if let error = reply.error { throw DeviceError(error) }
        return reply
    }
}
