import XCTest
@testable import BGPWire

final class FramerTests: XCTestCase {
    func testNeedsAWholeMessage() throws {
        var framer = MessageFramer()
        let keepalive = Wire.message(4, [])
        framer.append(keepalive.prefix(10))
        XCTAssertNil(try framer.next())
        framer.append(keepalive[10..<19])
        XCTAssertEqual(try framer.next().map(Array.init), keepalive)
        XCTAssertNil(try framer.next())
        XCTAssertEqual(framer.bufferedCount, 0)
    }

    func testSplitsAStreamByteByByte() throws {
        let messages = [Wire.message(4, []), Wire.update(attributes: Wire.mandatory, nlri: Wire.twoPrefixes), Wire.message(3, [6, 4])]
        let stream = messages.flatMap { $0 }
        var framer = MessageFramer()
        var got: [[UInt8]] = []
        for b in stream {
            framer.append(CollectionOfOne(b))
            while let m = try framer.next() { got.append(Array(m)) }
        }
        XCTAssertEqual(got, messages)
    }

    func testChecksHeaderBeforeTheBodyArrives() {
        var framer = MessageFramer()
        framer.append(Wire.marker + [0x20, 0x00, 2])  // claims 8192 bytes
        XCTAssertThrowsError(try framer.next()) { error in
            XCTAssertEqual(error as? Notification, Notification(code: 1, subcode: 2, data: [0x20, 0x00]))
        }
        var bad = MessageFramer()
        bad.append([0] + Wire.marker.dropFirst() + [0, 19, 4])
        XCTAssertThrowsError(try bad.next()) { error in
            XCTAssertEqual(error as? Notification, Notification(code: 1, subcode: 1))
        }
    }

    func testRawBufferAppend() throws {
        var framer = MessageFramer()
        let two = Wire.message(4, []) + Wire.message(4, [])
        two.withUnsafeBytes { framer.append(contentsOf: $0) }
        XCTAssertNotNil(try framer.next())
        XCTAssertNotNil(try framer.next())
        XCTAssertNil(try framer.next())
    }

    /// A long stream arriving in odd-sized chunks: every message comes out once, in order, and the buffer
    /// never holds more than a chunk plus one partial message (so consumed bytes are really dropped).
    func testLongStreamCompactsAndLosesNothing() throws {
        var stream: [UInt8] = []
        var expected: [[UInt8]] = []
        for i in 0..<5000 {
            let m = i % 3 == 0 ? Wire.message(4, []) : Wire.update(nlri: [24, 10, UInt8(i >> 8 & 0xff), UInt8(i & 0xff)])
            expected.append(m)
            stream += m
        }
        var framer = MessageFramer()
        var got = 0
        var offset = 0
        var chunk = 1
        while offset < stream.count {
            let end = min(stream.count, offset + chunk)
            framer.append(stream[offset..<end])
            offset = end
            chunk = chunk % 997 + 13
            while let m = try framer.next() {
                XCTAssertEqual(Array(m), expected[got])
                got += 1
            }
            XCTAssertLessThan(framer.bufferedCount, 19 + 1024)
        }
        XCTAssertEqual(got, expected.count)
    }
}
