import Foundation

/// Runs scripts/interop/crafted_peer.py inside a namespace and reads the events it prints.
final class CraftedPeer {
    let daemon: Daemon
    let output: URL

    /// The repository root: PEERLAB_REPO if set, else found from this source file's path.
    static var repositoryRoot: URL {
        if let root = ProcessInfo.processInfo.environment["PEERLAB_REPO"] { return URL(fileURLWithPath: root) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    init(in ns: Namespace, network: TestNetwork, connect: String, source: String, asn: UInt32, routerID: String,
         case name: String, linger: TimeInterval = 30, extra: [String] = []) throws {
        let dir = try network.directory("crafted-\(ns.name.split(separator: "-").last ?? "")")
        output = dir.appendingPathComponent("events.jsonl")
        let script = CraftedPeer.repositoryRoot.appendingPathComponent("scripts/interop/crafted_peer.py").path
        let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"
        daemon = try network.start("crafted_peer", [python, script, "--connect", connect, "--source", source,
                                                    "--as", "\(asn)", "--router-id", routerID, "--case", name,
                                                    "--linger", "\(Int(linger))"] + extra,
                                   in: ns, log: output)
    }

    /// Every JSON event printed so far.
    func events() -> [[String: Any]] {
        guard let text = try? String(contentsOf: output, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    func event(_ kind: String) -> [String: Any]? { events().first { $0["event"] as? String == kind } }

    /// (code, subcode, data hex) of the NOTIFICATION received, if any.
    var notification: (code: Int, subcode: Int, data: String)? {
        guard let e = event("notification"), let code = e["code"] as? Int, let subcode = e["subcode"] as? Int else { return nil }
        return (code, subcode, e["data"] as? String ?? "")
    }

    func describe() -> String { (try? String(contentsOf: output, encoding: .utf8)) ?? "(no output)" }
}
