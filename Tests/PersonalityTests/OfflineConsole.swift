import XCTest
import CLIEngine
import Device

/// A switch with no network (offline speaker, no kernel) and one console session on it. Each vendor's console
/// says what a refused line looks like on that vendor.
class OfflineConsole {
    let device: NetworkDevice
    let session: Session<NetworkDevice>
    private let refused: (String) -> Bool

    init(_ personality: Personality, hostname: String, refused: @escaping (String) -> Bool) {
        device = NetworkDevice(kind: personality.kind, config: RunningConfig(hostname: hostname), offline: true)
        session = personality.session(on: device)
        self.refused = refused
    }

    deinit { device.shutdown() }

    /// Types each line; fails the test on any error output.
    @discardableResult
    func type(_ lines: [String], file: StaticString = #filePath, line: UInt = #line) async -> [String] {
        var out: [String] = []
        for l in lines {
            let reply = await session.execute(line: l)
            if reply.lines.contains(where: refused) { XCTFail("\(session.prompt) \(l) → \(reply.text)", file: file, line: line) }
            out += reply.lines
        }
        return out
    }

    func run(_ line: String) async -> Reply { await session.execute(line: line) }
}
