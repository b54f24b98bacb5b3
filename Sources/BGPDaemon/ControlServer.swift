#if canImport(Glibc)
import Glibc
#endif
import Foundation
import BGPWire
import BGPSpeaker

/// The control socket: a unix stream socket on the daemon's event loop; each line a client sends is one JSON
/// request, answered by one JSON line.
///
/// Requests (`command` plus arguments):
/// - `{"command":"status"}` → `{"ok":true,"status":{…contract B…}}`; with `"format":"text"` → `{"ok":true,"text":"…"}`;
///   with `"routes":false` the route list is left out (the `prefixes`/`paths` counts stay)
/// - `{"command":"reload"}` → re-reads the configuration file → `{"ok":true,"summary":"…"}`
/// - `{"command":"add-peer","peer":{…same keys as a peers: entry…}}`, `{"command":"remove-peer","address":"…"}`
/// - `{"command":"originate","prefix":"…","blackhole":false}`, `{"command":"withdraw","prefix":"…"}`
/// Failures answer `{"ok":false,"error":"…"}`.
public final class ControlServer {
    private let daemon: SpeakerDaemon
    private let path: String
    private let listener: Int32
    private var clients: [Int32: Client] = [:]
    /// Re-reads the configuration for `reload`; nil when the daemon was not started from a file.
    private let reloadConfig: (() throws -> BgpdConfig)?

    private final class Client {
        var input: [UInt8] = []
        var output: [UInt8] = []
        var closing = false
    }

    /// Binds `path` (replacing a stale socket file) and serves it on the daemon's loop.
    public init(daemon: SpeakerDaemon, path: String, reloadConfig: (() throws -> BgpdConfig)?) throws {
        self.daemon = daemon
        self.path = path
        self.reloadConfig = reloadConfig
        listener = try UnixSocket.listen(path)
        daemon.loop.submit { [self] in
            daemon.loop.register(listener, events: Int16(POLLIN)) { [weak self] _ in self?.acceptAll() }
        }
    }

    /// Stops serving and removes the socket file.
    public func close() {
        daemon.loop.sync { [self] in
            daemon.loop.unregister(listener)
            for fd in clients.keys { daemon.loop.unregister(fd); Glibc.close(fd) }
            clients.removeAll()
        }
        Glibc.close(listener)
        unlink(path)
    }

    private func acceptAll() {
        while true {
            let fd = Glibc.accept(listener, nil, nil)
            guard fd >= 0 else { return }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            clients[fd] = Client()
            daemon.loop.register(fd, events: Int16(POLLIN)) { [weak self] revents in self?.service(fd, revents) }
        }
    }

    private func service(_ fd: Int32, _ revents: Int16) {
        guard let client = clients[fd] else { return }
        if revents & Int16(POLLOUT) != 0 { flush(fd, client) }
        guard revents & Int16(POLLIN | POLLHUP | POLLERR) != 0, clients[fd] != nil else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = read(fd, &buffer, buffer.count)
        if n <= 0 {
            if n < 0 && (errno == EAGAIN || errno == EINTR) { return }
            drop(fd)
            return
        }
        client.input += buffer[0..<n]
        while let newline = client.input.firstIndex(of: UInt8(ascii: "\n")) {
            let line = String(decoding: client.input[..<newline], as: UTF8.self)
            client.input.removeSubrange(...newline)
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            client.output += Array(handle(line).text.utf8) + [UInt8(ascii: "\n")]
        }
        if client.input.count > 1 << 20 { drop(fd); return }
        flush(fd, client)
    }

    private func flush(_ fd: Int32, _ client: Client) {
        while !client.output.isEmpty {
            let n = client.output.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 { client.output.removeFirst(n) } else {
                if n < 0 && (errno == EAGAIN || errno == EINTR) { break }
                drop(fd); return
            }
        }
        daemon.loop.setEvents(fd, Int16(POLLIN) | (client.output.isEmpty ? 0 : Int16(POLLOUT)))
    }

    private func drop(_ fd: Int32) {
        clients[fd] = nil
        daemon.loop.unregister(fd)
        Glibc.close(fd)
    }

    /// Runs one request on the loop thread.
    func handle(_ line: String) -> JSON {
        func failure(_ message: String) -> JSON { .object([("ok", .bool(false)), ("error", .string(message))]) }
        let request: JSON
        do { request = try JSON.parse(line) } catch { return failure("request is not valid JSON: \(line)") }
        guard let command = request["command"]?.string else { return failure("request needs a \"command\"") }
        do {
            switch command {
            case "status":
                let status = daemon.status(routes: request["routes"]?.bool ?? true)
                if request["format"]?.string == "text" { return .object([("ok", .bool(true)), ("text", .string(status.table))]) }
                return .object([("ok", .bool(true)), ("status", status.json)])
            case "reload":
                guard let reloadConfig else { return failure("this daemon has no configuration file to reload") }
                let summary = daemon.reload(try reloadConfig())
                return .object([("ok", .bool(true)), ("summary", .string(summary.description))])
            case "add-peer":
                guard let peer = request["peer"] else { return failure("add-peer needs a \"peer\" object") }
                // JSON is YAML: the peer object goes through the same strict reader as a peers: entry.
                try daemon.addPeer(try BgpdConfig.parsePeer(peer.text, file: "add-peer"))
            case "remove-peer":
                guard let text = request["address"]?.string, let address = IPAddress(text) else {
                    return failure("remove-peer needs an \"address\"")
                }
                try daemon.removePeer(address)
            case "originate":
                guard let text = request["prefix"]?.string, let prefix = Prefix(text) else {
                    return failure("originate needs a \"prefix\" like 10.1.0.0/24")
                }
                daemon.originate(.init(prefix: prefix, blackhole: request["blackhole"]?.bool ?? false))
            case "withdraw":
                guard let text = request["prefix"]?.string, let prefix = Prefix(text) else {
                    return failure("withdraw needs a \"prefix\" like 10.1.0.0/24")
                }
                try daemon.withdraw(prefix)
            default:
                return failure("unknown command '\(command)' (known: status, reload, add-peer, remove-peer, originate, withdraw)")
            }
            return .object([("ok", .bool(true))])
        } catch {
            return failure("\(error)")
        }
    }
}

/// The client side: one request, one answer.
public enum ControlClient {
    /// Sends `request` to the daemon at `socketPath` and returns its answer.
    public static func send(_ request: JSON, to socketPath: String, timeoutSeconds: Int32 = 10) throws -> JSON {
        let fd = try UnixSocket.connect(socketPath)
        defer { close(fd) }
        let bytes = Array((request.text + "\n").utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw BgpdError("\(socketPath): \(SystemError("send"))") }
            sent += n
        }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !answer.contains(UInt8(ascii: "\n")) {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, timeoutSeconds * 1000) == 1 else { throw BgpdError("\(socketPath): no answer from bgpd") }
            let n = read(fd, &buffer, buffer.count)
            guard n > 0 else { throw BgpdError("\(socketPath): bgpd closed the connection") }
            answer += buffer[0..<n]
        }
        let line = String(decoding: answer.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        do { return try JSON.parse(line) } catch { throw BgpdError("\(socketPath): answer is not JSON: \(line)") }
    }
}

/// AF_UNIX stream sockets for the control channel.
enum UnixSocket {
    static func address(_ path: String) throws -> sockaddr_un {
        var a = sockaddr_un()
        a.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: a.sun_path) else { throw BgpdError("control socket path too long: \(path)") }
        withUnsafeMutableBytes(of: &a.sun_path) { raw in for (i, b) in bytes.enumerated() { raw[i] = b } }
        return a
    }

    static func listen(_ path: String) throws -> Int32 {
        var a = try address(path)
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw BgpdError("control socket \(path): \(SystemError("socket"))") }
        let rc = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        guard rc == 0, Glibc.listen(fd, 16) == 0 else {
            let e = SystemError("bind")
            close(fd)
            throw BgpdError("control socket \(path): \(e)")
        }
        return fd
    }

    static func connect(_ path: String) throws -> Int32 {
        var a = try address(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw BgpdError("\(path): \(SystemError("socket"))") }
        let rc = withUnsafePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        guard rc == 0 else {
            let e = SystemError("connect")
            close(fd)
            throw BgpdError("cannot reach bgpd at \(path): \(e) (is it running?)")
        }
        return fd
    }
}
