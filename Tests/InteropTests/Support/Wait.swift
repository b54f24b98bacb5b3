import Foundation

/// A condition that did not come true before its deadline; says what was awaited and the last observation.
struct WaitTimeout: Error, CustomStringConvertible {
    var what: String
    var seconds: TimeInterval
    var lastObservation: String
    var description: String { "timed out after \(Int(seconds)) s waiting for \(what); last seen: \(lastObservation)" }
}

/// A daemon the test waits on has exited: no point polling further.
struct DaemonExited: Error, CustomStringConvertible {
    var daemon: String
    var status: Int32
    var log: String
    var description: String { "\(daemon) exited with status \(status): \(log)" }
}

/// Polls `condition` every 200 ms until it returns true or `timeout` passes. Errors the condition throws
/// count as "not yet" (a daemon's socket may not exist yet) and are reported if the wait times out.
/// `observe` describes the current state for the failure message.
func waitUntil(_ what: String, timeout: TimeInterval = 60,
               observe: () -> String = { "" },
               _ condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(timeout)
    var lastError = ""
    while true {
        do {
            if try condition() { return }
            lastError = ""
        } catch let exited as DaemonExited {
            throw exited
        } catch {
            lastError = "\(error)"
        }
        if Date() >= deadline {
            let seen = [observe(), lastError].filter { !$0.isEmpty }.joined(separator: " | ")
            throw WaitTimeout(what: what, seconds: timeout, lastObservation: seen.isEmpty ? "(nothing)" : seen)
        }
        usleep(200_000)
    }
}

/// Holds for the whole window: fails as soon as `condition` becomes true (e.g. "never Established").
func assertNever(_ what: String, within window: TimeInterval, _ condition: () throws -> Bool) throws -> Bool {
    let deadline = Date().addingTimeInterval(window)
    while Date() < deadline {
        if (try? condition()) == true { return false }
        usleep(200_000)
    }
    return true
}

/// One route from `ip -j route`.
struct KernelRoute: CustomStringConvertible {
    var destination: String
    var gateways: [String]
    var device: String?
    var protocolName: String?
    var type: String?
    var description: String {
        "\(destination)" + (gateways.isEmpty ? "" : " via \(gateways.joined(separator: ","))")
            + (device.map { " dev \($0)" } ?? "") + (protocolName.map { " proto \($0)" } ?? "")
    }
}

/// The kernel FIB of a namespace, read with iproute2.
enum KernelRoutes {
    static func read(_ ns: Namespace, ipv6: Bool = false) throws -> [KernelRoute] {
        let out = try Command.run(["ip", "-n", ns.name] + (ipv6 ? ["-6"] : ["-4"]) + ["-j", "route", "show"])
        guard let list = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]] else { return [] }
        return list.map { entry in
            var gateways: [String] = []
            if let gw = entry["gateway"] as? String { gateways.append(gw) }
            for hop in entry["nexthops"] as? [[String: Any]] ?? [] {
                if let gw = hop["gateway"] as? String { gateways.append(gw) }
            }
            var dst = entry["dst"] as? String ?? "?"
            if dst != "default" && !dst.contains("/") { dst += ipv6 ? "/128" : "/32" }
            return KernelRoute(destination: dst, gateways: gateways, device: entry["dev"] as? String,
                               protocolName: entry["protocol"] as? String, type: entry["type"] as? String)
        }
    }

    /// The route for exactly `prefix`, if the namespace's kernel has one.
    static func route(_ prefix: String, in ns: Namespace) throws -> KernelRoute? {
        try read(ns, ipv6: prefix.contains(":")).first { $0.destination == prefix }
    }

    static func summary(_ ns: Namespace, ipv6: Bool = false) -> String {
        ((try? read(ns, ipv6: ipv6)) ?? []).map(\.description).joined(separator: "; ")
    }
}
