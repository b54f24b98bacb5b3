import ArgumentParser
import Foundation
import Lab

/// `peerlab down [NAME|FILE]`: removes everything of a lab, also after a crash.
struct Down: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "down",
        abstract: "Remove a lab: its daemons, namespaces, sockets and state files.",
        discussion: "Works after the controller or a daemon was killed: namespaces are found by the lab's name prefix and only processes inside them (or recorded by PID) are ended. Nothing in the root namespace is touched. With no argument, removes the only lab on the box.")

    @Argument(help: "Lab name, or its lab file.")
    var lab: String?

    @Flag(name: .long, help: "Remove every lab on the box.")
    var all = false

    func run() throws {
        let labs = all ? LabEnvironment.store.list().map(\.lab) : [try LabEnvironment.lab(nameOrFile: lab)]
        for name in labs {
            let started = Date()
            try Self.remove(name)
            print("lab \(name) removed in \(Seconds(since: started))")
        }
    }

    static func remove(_ name: String) throws {
        let executor = LabExecutor(backend: KernelBackend(), launcher: ProcessLauncher(executable: LabEnvironment.executable),
                                   store: LabEnvironment.store)
        do { try executor.down(lab: name) } catch { throw LabCommandError("\(error)") }
    }
}
