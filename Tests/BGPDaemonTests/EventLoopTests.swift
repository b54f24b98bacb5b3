import XCTest
import Foundation
@testable import BGPDaemon

final class EventLoopTests: XCTestCase {
    func testTimersFireInDeadlineOrderAndCancelledOnesNever() throws {
        let loop = try EventLoop()
        var fired: [Int] = []
        loop.schedule(after: 0.03) { fired.append(3) }
        loop.schedule(after: 0.01) { fired.append(1) }
        let cancelled = loop.schedule(after: 0.02) { fired.append(2) }
        loop.cancel(cancelled)
        loop.schedule(after: 0.05) { loop.stop() }
        loop.run()
        XCTAssertEqual(fired, [1, 3])
    }

    func testWorkSubmittedFromAnotherThreadRunsOnTheLoop() throws {
        let loop = try EventLoop()
        loop.start()
        defer { loop.stop() }
        let onLoop = loop.sync { loop.inLoop }
        XCTAssertTrue(onLoop)
        XCTAssertFalse(loop.inLoop)
        let sum = loop.sync { (1...10).reduce(0, +) }
        XCTAssertEqual(sum, 55)
    }

    func testReadableDescriptorIsDispatched() throws {
        let loop = try EventLoop()
        var ends: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&ends), 0)
        defer { close(ends[0]); close(ends[1]) }
        var got: UInt8 = 0
        loop.register(ends[0], events: Int16(POLLIN)) { _ in
            _ = read(ends[0], &got, 1)
            loop.unregister(ends[0])
            loop.stop()
        }
        var byte: UInt8 = 42
        _ = write(ends[1], &byte, 1)
        loop.run()
        XCTAssertEqual(got, 42)
    }

    func testSyncAfterStopRunsInline() throws {
        let loop = try EventLoop()
        loop.start()
        XCTAssertEqual(loop.sync { 1 }, 1)
        loop.stop()
        // Whether the thread has finished or not, this must neither hang nor be lost.
        XCTAssertEqual(loop.sync { 2 }, 2)
        usleep(20_000)
        XCTAssertEqual(loop.sync { 3 }, 3)
    }
}
