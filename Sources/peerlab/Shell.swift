import ArgumentParser
import Foundation
import Lab

/// `peerlab shell NODE`: an interactive bash in the node's namespace.
struct Shell: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shell",
        abstract: "Open bash inside a node's network namespace (exit returns).",
        discussion: "For switches and routers this is the Linux side (ip link, tcpdump); their CLI is 'peerlab console NODE'.")

    @Argument(help: "The node.")
    var node: String

    @OptionGroup var target: LabOption

    func run() throws {
        let (lab, device) = try LabEnvironment.installed(node: node, lab: target.lab)
        CalicoFrontends.prependLabBin(labDirectory: lab.paths.directory)
        setenv("PS1", "[\(node)@\(device.namespace)] \\w# ", 1)
        try NamespaceExec.replaceProcess(namespace: device.namespace, argv: ["/bin/bash", "--norc", "-i"])
    }
}
