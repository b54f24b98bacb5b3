import ArgumentParser
import Lab

/// `peerlab list`: the labs installed on this box.
struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the labs on this box (state under \(LabPaths.defaultRoot) or $\(LabPaths.environmentKey)).")

    func run() throws {
        let labs = LabEnvironment.store.list()
        if labs.isEmpty { return print("no labs; start one with 'peerlab up [FILE]'") }
        print(LabTables.labs(labs), terminator: "")
    }
}
