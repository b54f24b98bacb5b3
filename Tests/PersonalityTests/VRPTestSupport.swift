import XCTest
import CLIEngine
import Device
@testable import HuaweiVRP

/// A VRP device with no network (offline speaker, no kernel) and one console session on it.
final class VRPConsole {
    let device: NetworkDevice
    let session: Session<NetworkDevice>

    init(hostname: String = "HUAWEI") {
        device = NetworkDevice(kind: HuaweiVRP.kind, config: RunningConfig(hostname: hostname), offline: true)
        session = HuaweiVRP.personality.session(on: device)
    }

    deinit { device.shutdown() }

    /// Types each line; fails the test on any error output.
    @discardableResult
    func type(_ lines: [String], file: StaticString = #filePath, line: UInt = #line) async -> [String] {
        var out: [String] = []
        for l in lines {
            let reply = await session.execute(line: l)
            if reply.lines.contains(where: { $0.contains("Error") }) {
                XCTFail("\(session.prompt) \(l) → \(reply.text)", file: file, line: line)
            }
            out += reply.lines
        }
        return out
    }

    func run(_ line: String) async -> Reply { await session.execute(line: line) }
}
