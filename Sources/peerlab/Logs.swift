import ArgumentParser
import Foundation
import Lab

/// `peerlab logs NODE`: a device daemon's log.
struct Logs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print a device daemon's log (its output since the lab came up).")

    @Argument(help: "The node.")
    var node: String

    @OptionGroup var target: LabOption

    @Option(name: .long, help: "Print only the last N lines.")
    var tail: Int?

    func run() throws {
        let (_, device) = try LabEnvironment.installed(node: node, lab: target.lab)
        guard device.node.kind.runsDaemon else {
            throw LabCommandError("\(node) is a \(device.node.kind.name) node and runs no daemon, so it has no log; try 'peerlab exec \(node) -- …'")
        }
        guard let text = try? String(contentsOfFile: device.log, encoding: .utf8) else {
            throw LabCommandError("no log at \(device.log) yet")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        if let tail { lines = Array(lines.suffix(max(0, tail))) }
        for line in lines { print(line) }
    }
}
