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

    /// Replays this device's saved configuration text on a fresh offline VRP device, as a startup file is: the
    /// replay must take every line and give back the same configuration and the same text. Returns the
    /// replayed configuration.
    @discardableResult
    func replaySavedText(file: StaticString = #filePath, line: UInt = #line) async -> RunningConfig {
        let text = VRPConfiguration.text(device.config)
        let replayed = NetworkDevice(kind: HuaweiVRP.kind, config: RunningConfig(hostname: HuaweiVRP.defaultHostname), offline: true)
        defer { replayed.shutdown() }
        let problems = await HuaweiVRP.personality.replay(text, on: replayed)
        XCTAssertEqual(problems, [], file: file, line: line)
        XCTAssertEqual(replayed.config, device.config, file: file, line: line)
        XCTAssertEqual(VRPConfiguration.text(replayed.config), text, file: file, line: line)
        return replayed.config
    }
}
