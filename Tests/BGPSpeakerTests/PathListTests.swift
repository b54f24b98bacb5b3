import XCTest
import BGPWire
@testable import BGPSpeaker

/// PathList keeps its first path inline and the rest in an array; it must behave like an array of paths.
final class PathListTests: XCTestCase {
    private let interner = AttributeInterner()

    private func path(_ slot: UInt16) -> Path {
        Path(attributes: interner.intern(PathAttributes(origin: .igp), nextHop: .v4(IPv4Address(10, 0, 0, UInt8(slot)))),
             source: .peer(slot))
    }

    func testAppendRemoveAndReplaceKeepOrder() {
        var list = PathList()
        XCTAssertTrue(list.isEmpty)
        for slot: UInt16 in 1...4 { list.append(path(slot)) }
        XCTAssertEqual(list.map(\.source), [.peer(1), .peer(2), .peer(3), .peer(4)])
        list.remove(at: 0)
        XCTAssertEqual(list.map(\.source), [.peer(2), .peer(3), .peer(4)])
        list.remove(at: 1)
        XCTAssertEqual(list.map(\.source), [.peer(2), .peer(4)])
        list[1] = path(7)
        XCTAssertEqual(list.map(\.source), [.peer(2), .peer(7)])
        list.remove(at: 0)
        list.remove(at: 0)
        XCTAssertEqual(list.count, 0)
        list.append(path(9))
        XCTAssertEqual(Array(list.indices), [0])
        XCTAssertEqual(PathList([path(3), path(1)]).map(\.source), [.peer(3), .peer(1)])
    }

    func testDestinationReordersOnSelection() {
        var d = Destination()
        for slot: UInt16 in 1...3 { d.upsert(path(slot)) }
        d.setSelection(order: [2, 0, 1], selected: 1)
        XCTAssertEqual(d.paths.map(\.source), [.peer(3), .peer(1), .peer(2)])
        XCTAssertEqual(d.best?.source, .peer(3))
        XCTAssertTrue(d.remove(.peer(3)))
        XCTAssertNil(d.best)
        XCTAssertEqual(d.paths.map(\.source), [.peer(1), .peer(2)])
    }
}
