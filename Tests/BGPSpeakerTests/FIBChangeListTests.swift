import XCTest
import BGPWire
@testable import BGPSpeaker

/// The FIB change list: order, and the switch that turns it off for runtimes without a kernel FIB.
final class FIBChangeListTests: XCTestCase {
    func testChangesComeSortedByPrefix() {
        let h = Harness(maxPaths: 1)
        h.peer("10.0.0.2", as: 65002)
        h.receive(announcement(["10.1.0.0/24", "9.0.0.0/8", "10.1.0.0/16", "10.0.5.0/24"], nextHop: "10.0.0.2", asPath: [65002]),
                  from: "10.0.0.2")
        h.process()
        XCTAssertEqual(h.speaker.takeFIBChanges().map(\.prefix),
                       [pfx("9.0.0.0/8"), pfx("10.0.5.0/24"), pfx("10.1.0.0/16"), pfx("10.1.0.0/24")])
        XCTAssertEqual(h.speaker.takeFIBChanges(), [])
    }

    func testNotRecordingKeepsTheLocRIBAndTheInstalledState() {
        let h = Harness(maxPaths: 1)
        h.speaker.recordsFIBChanges = false
        h.peer("10.0.0.2", as: 65002)
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        XCTAssertEqual(h.speaker.takeFIBChanges(), [])
        XCTAssertEqual(h.speaker.routes(for: pfx("10.1.0.0/24")).map(\.isBest), [true])

        // Recording again: the withdrawal is reported against what would have been installed.
        h.speaker.recordsFIBChanges = true
        h.receive(withdrawal(["10.1.0.0/24"]), from: "10.0.0.2")
        h.process()
        XCTAssertEqual(h.speaker.takeFIBChanges(), [.remove(pfx("10.1.0.0/24"))])
    }

    func testTurningRecordingOffDropsPendingChanges() {
        let h = Harness(maxPaths: 1)
        h.peer("10.0.0.2", as: 65002)
        h.receive(announcement(["10.1.0.0/24"], nextHop: "10.0.0.2", asPath: [65002]), from: "10.0.0.2")
        h.process()
        h.speaker.recordsFIBChanges = false
        XCTAssertEqual(h.speaker.takeFIBChanges(), [])
    }
}
