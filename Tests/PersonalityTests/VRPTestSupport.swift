import XCTest
import CLIEngine
import Device
@testable import HuaweiVRP

/// A VRP device with no network (offline speaker, no kernel) and one console session on it; VRP's refusals
/// say `Error`.
final class VRPConsole: OfflineConsole {
    init(hostname: String = "HUAWEI") { super.init(HuaweiVRP.personality, hostname: hostname) { $0.contains("Error") } }

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
