import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Calico

/// The node's emulated BIRD control socket (`bird.ctl`): greets, answers `show protocols` with what the
/// agent publishes, and refuses everything else. Its presence also tells the lab launcher the node is up.
public final class BirdControlServer: @unchecked Sendable {
    public let path: String
    private let fd: Int32
    private let reply: () -> String
    private var closed = false
    private let lock = NSLock()

    /// - Parameter showProtocols: the current `show protocols` reply (`BirdControl.showProtocols`).
    public init(path: String, showProtocols: @escaping () -> String) throws {
        self.path = path
        reply = showProtocols
        unlink(path)
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CalicoError("cannot create socket \(path): \(String(cString: strerror(errno)))") }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else { Glibc.close(fd); throw CalicoError("socket path too long: \(path)") }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in for (i, b) in bytes.enumerated() { raw[i] = b } }
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        guard bound == 0, listen(fd, 8) == 0 else {
            let e = String(cString: strerror(errno)); Glibc.close(fd)
            throw CalicoError("cannot listen on \(path): \(e)")
        }
        let t = Thread { [weak self] in self?.acceptLoop() }
        t.name = "bird.ctl"
        t.start()
    }

    public func close() {
        lock.lock(); defer { lock.unlock() }
        guard !closed else { return }
        closed = true
        shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
        unlink(path)
    }

    private func acceptLoop() {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            serve(client)
        }
    }

    private func serve(_ client: Int32) {
        defer { Glibc.close(client) }
        send(client, BirdControl.greeting)
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1024)
        while true {
            let n = read(client, &chunk, chunk.count)
            if n <= 0 { return }
            buffer += chunk[0..<n]
            while let nl = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[..<nl], as: UTF8.self).trimmingCharacters(in: .whitespaces)
                buffer.removeSubrange(...nl)
                if line.isEmpty { continue }
                if line == "show protocols" || line == "show protocols all" { send(client, reply()) }
                else { send(client, "9001 syntax error, unexpected CF_SYM_UNDEFINED\n") }
            }
        }
    }

    private func send(_ client: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            off += n
        }
    }
}
