import XCTest
@testable import Kernel

/// Running a tool to completion: its stdin, its exit status and its words on failure.
final class ToolRunTests: XCTestCase {
    /// The failure's message, or nil on success.
    func failure(_ result: Result<Void, ToolRun.Failure>) -> String? {
        if case .failure(let f) = result { return f.message }
        return nil
    }

    func testInputReachesTheToolAndSuccessIsQuiet() {
        XCTAssertNil(failure(ToolRun.run("/bin/sh", ["-c", "read line; test \"$line\" = 'table ip calico'"], input: "table ip calico\n")))
        XCTAssertNotNil(failure(ToolRun.run("/bin/sh", ["-c", "read line; test \"$line\" = 'table ip calico'"], input: "flush ruleset\n")))
    }

    func testFailureNamesTheToolItsStatusAndItsOutput() {
        XCTAssertEqual(failure(ToolRun.run("/bin/sh", ["-c", "echo 'Error: syntax error' >&2; exit 3"])),
                       "sh -c echo 'Error: syntax error' >&2; exit 3: exit status 3: Error: syntax error")
    }

    func testSignalsAndMissingToolsAreErrorsNotCrashes() {
        guard case .failure(let killed) = ToolRun.run("/bin/sh", ["-c", "kill -TERM $$"]) else { return XCTFail("a killed tool succeeded") }
        XCTAssertTrue(killed.message.hasSuffix("killed by signal 15"), killed.message)
        guard case .failure(let missing) = ToolRun.run("/nonexistent/nft", ["-f", "-"], input: "x") else { return XCTFail("ran a missing tool") }
        XCTAssertTrue(missing.message.hasPrefix("cannot run /nonexistent/nft"), missing.message)
    }

    /// A tool that exits without reading a large input must not take the caller down with SIGPIPE.
    func testToolLeavingEarlyDoesNotKillTheCaller() {
        XCTAssertNil(failure(ToolRun.run("/bin/true", [], input: String(repeating: "x", count: 1 << 20))))
    }
}
