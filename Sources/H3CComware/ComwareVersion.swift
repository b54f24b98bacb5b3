import Device

/// `display version` in Comware 7.1's shape: software line, copyright, the device uptime line, the images,
/// then one block per slot. The model, release and sizes are the lab's own fixed values (one S6850 chassis
/// slot); the release matches the ` version 7.1.070, Release 6616` line of the configuration text.
public enum ComwareVersion {
    public static let release = "7.1.070, Release 6616"
    public static let model = "S6850-56HF"

    /// `0 weeks, 1 day, 2 hours, 3 minutes`, from the seconds since the device started.
    public static func uptime(_ seconds: Int) -> String {
        let minutes = max(0, seconds) / 60
        let parts = [(minutes / (7 * 24 * 60), "week"), (minutes / (24 * 60) % 7, "day"), (minutes / 60 % 24, "hour"), (minutes % 60, "minute")]
        return parts.map { n, unit in "\(n) \(unit)" + (n == 1 ? "" : "s") }.joined(separator: ", ")
    }

    public static func lines(uptimeSeconds: Int) -> [String] {
        let up = uptime(uptimeSeconds)
        return [
            "H3C Comware Software, Version \(release)",
            "Copyright (c) 2004-2021 New H3C Technologies Co., Ltd. All rights reserved.",
            "H3C \(model) uptime is \(up)",
            "Last reboot reason : Cold reboot",
            "",
            "Boot image: flash:/s6850-cmw710-boot-r6616.bin",
            "Boot image version: \(release)",
            "System image: flash:/s6850-cmw710-system-r6616.bin",
            "System image version: \(release)",
            "",
            "Slot 1:",
            "Uptime is " + up.replacingOccurrences(of: ", ", with: ","),
            "\(model) with 1 Processor",
            "BOARD TYPE:         \(model)",
            "DRAM:               4096M bytes",
            "FLASH:              1024M bytes",
            "PCB 1 Version:      VER.A",
            "Release Version:    H3C \(model)-6616",
            "Patch Version  :    None",
            "Reboot Cause  :     ColdReboot",
        ]
    }
}
