/// Cuts a TCP byte stream into whole BGP messages.
///
/// Bytes are appended at the end and read from an offset; consumed bytes are dropped only when they make up at
/// least half the buffer, so a long stream costs O(total bytes). The marker and length of a header are checked as
/// soon as its 19 bytes have arrived, before waiting for the body.
public struct MessageFramer {
    private var buffer: [UInt8] = []
    private var readIndex = 0

    public init() {}

    /// Bytes received but not yet returned by `next()`.
    public var bufferedCount: Int { buffer.count - readIndex }

    /// Adds bytes read from the socket.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        compactIfWorthIt()
        buffer.append(contentsOf: bytes)
    }

    /// Adds bytes read from the socket straight from a receive buffer.
    public mutating func append(contentsOf bytes: UnsafeRawBufferPointer) {
        compactIfWorthIt()
        buffer.append(contentsOf: bytes)
    }

    /// The next whole message (header included), or nil when more bytes are needed.
    /// - Throws: 1/1 (marker not all ones) or 1/2 with the length field as data (length outside 19…4096).
    ///   After a throw the stream is unusable: the session must be closed.
    public mutating func next() throws(Notification) -> ArraySlice<UInt8>? {
        let available = buffer.count - readIndex
        guard available >= WireFormat.headerLength else { return nil }
        let header = buffer[readIndex..<readIndex + WireFormat.headerLength]
        let length = try BGPMessage.checkHeader(header)
        guard available >= length else { return nil }
        let message = buffer[readIndex..<readIndex + length]
        readIndex += length
        return message
    }

    private mutating func compactIfWorthIt() {
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        } else if readIndex >= 4096 && readIndex >= buffer.count - readIndex {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
    }
}
