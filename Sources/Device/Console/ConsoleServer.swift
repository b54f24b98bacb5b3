import Foundation
import CLIEngine

/// Serves a device's console on a unix socket: every connection is one login session with its own view
/// stack, running on its own thread. The listening socket is removed when the server stops.
public final class ConsoleServer: @unchecked Sendable {
    public let path: String
    public let device: NetworkDevice
    public let personality: Personality
    private var listener: Int32 = -1
    private let lock = NSLock()
    private var clients: Set<Int32> = []
    private var stopped = false

    public init(path: String, device: NetworkDevice, personality: Personality) {
        self.path = path
        self.device = device
        self.personality = personality
    }

    /// Binds the socket (replacing a stale one) and starts accepting on a background thread.
    public func start() throws {
        guard var addr = unixAddress(path) else { throw DeviceError("socket path too long: \(path)") }
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw DeviceError("socket: \(String(cString: strerror(errno)))") }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw DeviceError("cannot listen on \(path): \(message)")
        }
        listener = fd
        let thread = Thread { [self] in acceptLoop(fd) }
        thread.name = "console-accept"
        thread.start()
    }

    /// Stops accepting, closes every session and removes the socket file.
    public func stop() {
        let (fd, open) = lock.withLock { () -> (Int32, Set<Int32>) in
            stopped = true
            return (listener, clients)
        }
        if fd >= 0 { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }
        for c in open { shutdown(c, Int32(SHUT_RDWR)) }
        unlink(path)
    }

    private func acceptLoop(_ fd: Int32) {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            let keep = lock.withLock { () -> Bool in
                if stopped { return false }
                clients.insert(client)
                return true
            }
            guard keep else { close(client); return }
            let thread = Thread { [self] in
                serve(client)
                lock.withLock { _ = clients.remove(client) }
                close(client)
            }
            thread.name = "console-session"
            thread.start()
        }
    }

    /// One login: requests in, replies out, until the client closes or the session ends.
    private func serve(_ fd: Int32) {
        var reader = LineReader(fd: fd)
        let session = personality.session(on: device)
        let encoder = JSONEncoder()
        while let data = reader.next() {
            let reply: ConsoleReply
            if let request = try? JSONDecoder().decode(ConsoleRequest.self, from: data) {
                if request.op == .close { return }
                reply = blocking { await self.handle(request, session) }
            } else {
                reply = ConsoleReply(prompt: session.prompt, error: "not a console request: \(String(decoding: data, as: UTF8.self).prefix(80))")
            }
            guard let out = try? encoder.encode(reply), writeAll(fd, out), !reply.ended else { return }
        }
    }

    private func handle(_ request: ConsoleRequest, _ session: Session<NetworkDevice>) async -> ConsoleReply {
        let text = request.text ?? ""
        switch request.op {
        case .open:
            return ConsoleReply(output: personality.banner, prompt: session.prompt)
        case .line:
            let r = await session.execute(line: text)
            return ConsoleReply(output: r.lines, prompt: r.prompt, ended: r.ended)
        case .describe:
            return ConsoleReply(output: session.describeLines(line: text), prompt: session.prompt)
        case .complete:
            return ConsoleReply(prompt: session.prompt, candidates: session.complete(line: text), line: session.completedLine(line: text))
        case .ctrlZ:
            return ConsoleReply(prompt: session.controlZ().prompt)
        case .close:
            return ConsoleReply(prompt: session.prompt, ended: true)
        }
    }
}

/// Runs async work from a plain thread and waits for it (console threads are not part of the cooperative pool).
func blocking<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
    let box = BlockingBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        box.value = await body()
        done.signal()
    }
    done.wait()
    return box.value!
}

private final class BlockingBox<T>: @unchecked Sendable {
    var value: T?
    init() {}
}
