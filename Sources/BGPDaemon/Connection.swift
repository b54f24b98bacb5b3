#if canImport(Glibc)
import Glibc
#endif
import BGPWire

/// What a `Connection` reports to its owner, always on the loop thread.
protocol ConnectionDelegate: AnyObject {
    /// The outgoing connect completed (never called for accepted connections, which start connected).
    func connectionEstablished(_ connection: Connection)
    /// One whole framed message, header included.
    func connection(_ connection: Connection, received message: ArraySlice<UInt8>)
    /// The byte stream is broken (bad marker or length): send this NOTIFICATION and close.
    func connection(_ connection: Connection, framingFailed notification: Notification)
    /// The connection failed or the peer closed it.
    func connection(_ connection: Connection, failed reason: String)
    /// The write buffer fell below the low-water mark: more may be queued.
    func connectionDrained(_ connection: Connection)
}

/// One TCP connection of a BGP session: framing on the way in, a write buffer with backpressure on the way out.
final class Connection {
    enum Direction: String { case outgoing, incoming }

    let fd: Int32
    let direction: Direction
    let peer: SocketAddress
    private(set) var isConnecting: Bool
    private(set) var isClosed = false
    weak var delegate: ConnectionDelegate?

    private let loop: EventLoop
    private var framer = MessageFramer()
    /// One receive buffer for the connection's lifetime: a fresh zeroed 64 KiB array per read was ~3% of ingest.
    private let receiveBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 16)
    private var output: [UInt8] = []
    private var outputStart = 0
    private var closeWhenFlushed = false

    /// Above this many unsent bytes the session stops pulling outbound routes from the speaker.
    static let highWater = 1 << 20
    static let lowWater = 64 << 10

    init(fd: Int32, direction: Direction, peer: SocketAddress, loop: EventLoop, connecting: Bool) {
        self.fd = fd; self.direction = direction; self.peer = peer; self.loop = loop; self.isConnecting = connecting
        loop.register(fd, events: connecting ? Int16(POLLOUT) : Int16(POLLIN)) { [weak self] revents in
            self?.handle(revents)
        }
    }

    deinit {
        if !isClosed { loop.unregister(fd); Glibc.close(fd) }
        receiveBuffer.deallocate()
    }

    var pendingBytes: Int { output.count - outputStart }
    var isBackedUp: Bool { pendingBytes >= Self.highWater }
    var localAddress: SocketAddress? { TCPSocket.localAddress(fd) }

    /// Queues bytes and writes as much as the socket takes now.
    func send(_ bytes: [UInt8]) {
        guard !isClosed, !closeWhenFlushed else { return }
        if outputStart > 0 && outputStart == output.count { output.removeAll(keepingCapacity: true); outputStart = 0 }
        output.append(contentsOf: bytes)
        if !isConnecting { flush() }
    }

    /// Closes once everything queued (say, a NOTIFICATION) is written, or at once if the peer is not reading.
    func closeAfterFlush() {
        guard !isClosed else { return }
        if isConnecting { close(); return }
        flush()
        if pendingBytes == 0 { close(); return }
        closeWhenFlushed = true
        // The timer keeps the connection alive until the rest is written (its owner has already let go), and
        // ends the wait on a peer that stopped reading.
        loop.schedule(after: 2) { self.close() }
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        loop.unregister(fd)
        Glibc.close(fd)
    }

    private func handle(_ revents: Int16) {
        guard !isClosed else { return }
        if isConnecting {
            let err = TCPSocket.pendingError(fd)
            if err != 0 {
                close()
                delegate?.connection(self, failed: "connect \(peer): \(String(cString: strerror(err)))")
                return
            }
            isConnecting = false
            updateInterest()
            delegate?.connectionEstablished(self)
            if !isClosed && pendingBytes > 0 { flush() }
            return
        }
        if revents & Int16(POLLOUT) != 0 {
            let wasBackedUp = pendingBytes >= Self.lowWater
            flush()
            if isClosed { return }
            if wasBackedUp && pendingBytes < Self.lowWater { delegate?.connectionDrained(self) }
        }
        if revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 { readAvailable() }
    }

    private func readAvailable() {
        let buffer = receiveBuffer
        // Bounded so one busy peer cannot starve the others.
        for _ in 0..<16 {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n > 0 {
                framer.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                do {
                    while let message = try framer.next() {
                        delegate?.connection(self, received: message)
                        if isClosed { return }
                    }
                } catch {
                    delegate?.connection(self, framingFailed: error)
                    return
                }
                if n < buffer.count { return }
            } else if n == 0 {
                close()
                delegate?.connection(self, failed: "closed by peer")
                return
            } else {
                let e = errno
                if e == EAGAIN || e == EWOULDBLOCK || e == EINTR { return }
                close()
                delegate?.connection(self, failed: String(cString: strerror(e)))
                return
            }
        }
    }

    private func flush() {
        while pendingBytes > 0 {
            let n = output.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress! + outputStart, pendingBytes, Int32(MSG_NOSIGNAL))
            }
            if n > 0 {
                outputStart += n
            } else {
                let e = errno
                if n < 0 && (e == EAGAIN || e == EWOULDBLOCK || e == EINTR) { break }
                close()
                delegate?.connection(self, failed: "send: \(String(cString: strerror(e)))")
                return
            }
        }
        if pendingBytes == 0 {
            output.removeAll(keepingCapacity: output.count < 1 << 20)
            outputStart = 0
            if closeWhenFlushed { close(); return }
        } else if outputStart > 1 << 20 {
            output.removeSubrange(0..<outputStart); outputStart = 0
        }
        updateInterest()
    }

    private func updateInterest() {
        guard !isClosed else { return }
        loop.setEvents(fd, Int16(POLLIN) | (pendingBytes > 0 ? Int16(POLLOUT) : 0))
    }
}
