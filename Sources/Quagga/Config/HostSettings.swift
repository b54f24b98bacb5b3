import Foundation
import Device

/// The vty lines a Quagga file starts with (`password zebra`, `log file …`) that the vendor-neutral
/// `RunningConfig` has no place for. Kept beside each device so they survive `write memory` and startup replay.
public struct HostSettings: Hashable, Sendable {
    public var password: String?
    public var enablePassword: String?
    public var logFile: String?
    public init(password: String? = nil, enablePassword: String? = nil, logFile: String? = nil) {
        self.password = password; self.enablePassword = enablePassword; self.logFile = logFile
    }

    var lines: [String] {
        var out: [String] = []
        if let password { out.append("password \(password)") }
        if let enablePassword { out.append("enable password \(enablePassword)") }
        if let logFile { out.append("log file \(logFile)") }
        return out
    }
}

/// Per-device host settings, keyed by identity; an entry whose device is gone never matches a new one.
final class HostSettingsTable: @unchecked Sendable {
    static let shared = HostSettingsTable()
    private struct Entry { weak var device: NetworkDevice?; var settings: HostSettings }
    private let lock = NSLock()
    private var entries: [ObjectIdentifier: Entry] = [:]

    func settings(of device: NetworkDevice) -> HostSettings {
        lock.withLock {
            guard let e = entries[ObjectIdentifier(device)], e.device === device else { return HostSettings() }
            return e.settings
        }
    }

    func update(_ device: NetworkDevice, _ body: (inout HostSettings) -> Void) {
        lock.withLock {
            entries = entries.filter { $0.value.device != nil }
            var s = entries[ObjectIdentifier(device)].flatMap { $0.device === device ? $0.settings : nil } ?? HostSettings()
            body(&s)
            entries[ObjectIdentifier(device)] = Entry(device: device, settings: s)
        }
    }
}

extension NetworkDevice {
    /// `password`, `enable password`, `log file` as configured on this router.
    public var quaggaHostSettings: HostSettings { HostSettingsTable.shared.settings(of: self) }
}
