import ArgumentParser
import BGPDaemon
import Device
import Foundation
import H3CComware
import HuaweiVRP
import Quagga

/// `peerlab device`: the switch and router emulators a lab starts, one per namespace.
struct DeviceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device",
        abstract: "Run one emulated switch or router (its console on a unix socket) in the current network namespace.",
        subcommands: [DeviceRun.self],
        defaultSubcommand: DeviceRun.self
    )
}

struct DeviceRun: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a device daemon in the foreground until SIGTERM.")

    @Option(name: .long, help: "huawei-vrp, h3c-comware or quagga.")
    var kind: String

    @Option(name: .long, help: "The node name (the hostname until the configuration sets one).")
    var name: String

    @Option(name: .long, help: "Unix socket for the device's console.")
    var socket: String

    @Option(name: .customLong("startup-config"), help: "Configuration text replayed through the CLI at start.")
    var startupConfig: String?

    @Option(name: .customLong("save-to"), help: "Where `save` writes the configuration.")
    var saveTo: String?

    @Option(name: .long, help: "Log file (default: standard error).")
    var log: String?

    static func personality(for kind: String) -> Personality? {
        switch kind {
        case HuaweiVRP.kind: return HuaweiVRP.personality
        case H3CComware.kind: return H3CComware.personality
        case Quagga.personality.kind: return Quagga.personality
        default: return nil
        }
    }

    func run() throws {
        guard let personality = Self.personality(for: kind) else {
            throw ValidationError("unknown device kind '\(kind)': use huawei-vrp, h3c-comware or quagga")
        }
        let logger = try log.map { try Logger(path: $0) } ?? .standardError
        // Signals are taken synchronously below; block them before any thread starts so none inherits them.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGINT)
        pthread_sigmask(SIG_BLOCK, &signals, nil)

        let device = NetworkDevice(kind: kind, config: RunningConfig(hostname: name), saveTo: saveTo, log: logger)
        if let path = startupConfig {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ValidationError("cannot read the startup configuration \(path)")
            }
            let done = DispatchSemaphore(value: 0)
            let box = ProblemBox()
            Task.detached {
                box.problems = await personality.replay(text, on: device)
                done.signal()
            }
            done.wait()
            for p in box.problems { logger.error("startup configuration \(path): \(p)") }
            logger.info("\(name): replayed \(path) (\(box.problems.count) line(s) refused)")
        }
        // The segments follow the replayed configuration from here on: port-mode and VLAN changes re-plumb them.
        DeviceSegments.attach(to: device, kind: kind, startupConfig: startupConfig.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) })
        let server = ConsoleServer(path: socket, device: device, personality: personality)
        try server.start()
        logger.info("\(name) (\(kind)): console on \(socket)")
        var received: Int32 = 0
        sigwait(&signals, &received)
        logger.info("\(name): signal \(received), shutting down")
        server.stop()
        device.shutdown()
    }
}

private final class ProblemBox: @unchecked Sendable { var problems: [String] = [] }
