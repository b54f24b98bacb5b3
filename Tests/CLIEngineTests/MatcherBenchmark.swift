import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import CLIEngine

/// CPU time of this thread, so a busy shared machine does not inflate the figure.
private func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Prints how fast lines match; asserts only that the work was done (speed is reported, not tested).
final class MatcherBenchmark: XCTestCase {
    func testPrintMatchRate() throws {
        let lines = ["peer 10.2.98.141 as-number 63400", "dis cu conf bgp", "peer 10.1.1.2 option-399 50", "network 10.1.1.0 24",
                     "peer 1.2.3 as-number 1", "undo peer 10.2.98.141"]
        // The fixture table as is, then with 400 synthetic commands in the bgp view, as a very big personality might have.
        var commands = Fixtures.vrpCommands
        try measure(commands, lines, expectedOK: 4)
        for i in 0..<400 {
            commands.append(Command("peer {ip:ipv4} option-\(i) [{v:integer<1-100>}]", in: ["bgp"], help: ["option-\(i)": "Option \(i)"]))
        }
        try measure(commands, lines, expectedOK: 5)
    }

    private func measure(_ commands: [Command<LabDevice>], _ lines: [String], expectedOK: Int) throws {
        let tree = try CommandTree(views: Fixtures.vrpViews, commands: commands, dialect: .vrp5, glossary: Fixtures.vrpGlossary)
        let rounds = 100
        var matched = 0
        let start = threadCPUSeconds()
        for _ in 0..<rounds {
            for line in lines { if case .ok = tree.match(line, in: "bgp") { matched += 1 } }
        }
        let seconds = threadCPUSeconds() - start
        let total = rounds * lines.count
        print(String(format: "CLIEngine match: %d lines over %d commands in %.3f CPU s = %.0f lines/s (%.1f µs/line)",
                     total, commands.count, seconds, Double(total) / seconds, seconds / Double(total) * 1e6))
        XCTAssertEqual(matched, rounds * expectedOK)
    }
}
