import ArgumentParser
import Foundation
import Lab

/// `peerlab inspect [NAME]`: what each device is doing now.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a lab's devices: kind, daemon state, PID, addresses, BGP sessions up/total.",
        discussion: "STATE is running, exited (left in order) or crashed (gone without cleaning up; see 'peerlab logs NODE'). A crashed daemon is not restarted; 'peerlab redeploy' starts the lab again.")

    @Argument(help: "Lab name (needed only when several labs are running).")
    var lab: String?

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let name = try LabEnvironment.lab(named: lab)
        guard case .success(let state) = LabEnvironment.store.read(lab: name) else {
            throw LabCommandError("lab \(name) has no readable state; 'peerlab down \(name)' removes what is left of it")
        }
        let reports = Self.reports(state)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            struct Output: Encodable { var lab: String; var phase: String; var devices: [DeviceReport] }
            let data = try encoder.encode(Output(lab: state.lab, phase: state.phase.rawValue, devices: reports))
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("lab \(state.lab) (\(state.phase.rawValue)), namespaces \(state.tag)-*")
            print(LabTables.inspect(reports), terminator: "")
        }
    }

    /// Reports for every device, in lab order; asks running daemons for their sessions.
    static func reports(_ state: LabState) -> [DeviceReport] {
        let backend = KernelBackend()
        let directory = LabEnvironment.store.paths(for: state.lab).directory
        return state.devices.map { device in
            let health = DaemonHealth.of(device)
            var report = DeviceReport(node: device.node, kind: device.kind, namespace: device.namespace, state: health,
                                      pid: device.pid, addresses: backend.addresses(in: device.namespace))
            if health == .running, device.socket != nil,
               let count = DeviceSessions.count(device: device, labDirectory: directory) {
                report.sessionsUp = count.established
                report.sessionsTotal = count.total
            }
            return report
        }
    }
}
