import Foundation

/// The console wire format: one JSON object per line each way.
///
/// Requests: `{"op":"open"}`, `{"op":"line","text":"dis bgp peer"}`, `{"op":"describe","text":"dis "}` (`?`),
/// `{"op":"complete","text":"sy"}` (Tab), `{"op":"ctrl-z"}`, `{"op":"close"}`.
/// Replies: `{"output":[…], "prompt":"<HUAWEI>", "ended":false}`; `complete` adds `"candidates":[…]` and
/// `"line"` (the completed line when exactly one candidate fits); a bad request gets `{"error":"…"}`.
public struct ConsoleRequest: Codable, Equatable, Sendable {
    public enum Op: String, Codable, Sendable { case open, line, describe, complete, ctrlZ = "ctrl-z", close }
    public var op: Op
    public var text: String?
    public init(_ op: Op, text: String? = nil) { self.op = op; self.text = text }
}

public struct ConsoleReply: Codable, Equatable, Sendable {
    public var output: [String]
    public var prompt: String
    public var ended: Bool
    public var candidates: [String]?
    public var line: String?
    public var error: String?

    public init(output: [String] = [], prompt: String = "", ended: Bool = false, candidates: [String]? = nil,
                line: String? = nil, error: String? = nil) {
        self.output = output; self.prompt = prompt; self.ended = ended; self.candidates = candidates; self.line = line
        self.error = error
    }
}

/// Reads newline-terminated records from a file descriptor.
struct LineReader {
    let fd: Int32
    private var buffer: [UInt8] = []
    init(fd: Int32) { self.fd = fd }

    /// The next line without its newline; nil at end of stream or on error.
    mutating func next() -> Data? {
        while true {
            if let i = buffer.firstIndex(of: 10) {
                let line = Data(buffer[..<i])
                buffer.removeSubrange(...i)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = read(fd, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            buffer += chunk[..<n]
        }
    }
}

/// Writes all of `data`, retrying short writes; false when the peer has gone.
func writeAll(_ fd: Int32, _ data: Data) -> Bool {
    var bytes = [UInt8](data)
    bytes.append(10)
    var offset = 0
    while offset < bytes.count {
        let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else { return false }
        offset += n
    }
    return true
}

/// `sockaddr_un` for a path; nil when the path is too long for it.
func unixAddress(_ path: String) -> sockaddr_un? {
    var addr = sockaddr_un()
    addr.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else { return nil }
    withUnsafeMutableBytes(of: &addr.sun_path) { raw in
        for (i, b) in bytes.enumerated() { raw[i] = b }
        raw[bytes.count] = 0
    }
    return addr
}
