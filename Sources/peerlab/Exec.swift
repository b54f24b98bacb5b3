import ArgumentParser
import Device
import Foundation
import Lab

/// `peerlab exec NODE -- COMMAND…`: one command on a node.
struct Exec: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run one command on a node: a vendor CLI line on switches and routers, a shell command elsewhere.",
        discussion: """
            Switches and routers (huawei-vrp, h3c-comware, quagga): the words form one CLI line, run in a new \
            session starting in user view; the exit status is 1 when the device answers with an error.
              peerlab exec leaf01 -- display version
            calico-node and host: the command runs inside the node's network namespace and its exit status is \
            passed through. A single argument is run by /bin/sh -c.
              peerlab exec node1 -- ip route
              peerlab exec node1 -- 'ping -c1 10.0.0.1 && echo ok'
            """)

    @Argument(help: "The node.")
    var node: String

    @OptionGroup var target: LabOption

    @Argument(parsing: .postTerminator, help: "The command, after --.")
    var command: [String] = []

    func run() throws {
        let words = command
        guard !words.isEmpty else { throw LabCommandError("give the command after --, e.g. 'peerlab exec \(node) -- display version'") }
        let (lab, device) = try LabEnvironment.installed(node: node, lab: target.lab)
        if DeviceSessions.summaryCommand(kind: device.node.kind.name) != nil {
            let failed = try VendorLine.run(words.joined(separator: " "), socket: device.socket, node: node)
            if failed { throw ExitCode(1) }
        } else {
            let argv = words.count == 1 ? ["/bin/sh", "-c", words[0]] : words
            // calicoctl and kubectl are wrappers in the lab's bin/, as they are on a real node's PATH.
            CalicoFrontends.prependLabBin(labDirectory: lab.paths.directory)
            try NamespaceExec.replaceProcess(namespace: device.namespace, argv: argv)
        }
    }
}

/// Runs one CLI line on a device in a fresh console session.
enum VendorLine {
    /// Prints the device's answer; returns whether it was a CLI error.
    static func run(_ line: String, socket: String, node: String) throws -> Bool {
        let client: ConsoleClient
        do { client = try ConsoleClient(socketPath: socket) } catch {
            throw LabCommandError("\(node): \(error); 'peerlab inspect' shows whether its daemon runs, 'peerlab logs \(node)' why not")
        }
        defer { client.close() }
        do {
            _ = try client.open()
            let reply = try client.send(line)
            for text in reply.output { print(text) }
            return isError(reply.output)
        } catch {
            throw LabCommandError("\(node): \(error)")
        }
    }

    /// VRP and Comware answer errors with `Error: …` (Comware also `% …`); Quagga with `% …`.
    static func isError(_ output: [String]) -> Bool {
        output.contains { line in
            let text = line.trimmingCharacters(in: .whitespaces)
            return text.hasPrefix("Error:") || text.hasPrefix("% ")
        }
    }
}

/// Runs a program inside a lab namespace by becoming it (`ip netns exec`), so the terminal, signals and
/// exit status are the program's own.
enum NamespaceExec {
    static func replaceProcess(namespace: String, argv: [String]) throws -> Never {
        guard FileManager.default.fileExists(atPath: "/run/netns/\(namespace)") else {
            throw LabCommandError("namespace \(namespace) does not exist; the lab is not fully up — 'peerlab inspect' or 'peerlab redeploy'")
        }
        let ip = KernelBackend.tool("ip")
        let arguments = [ip, "netns", "exec", namespace] + argv
        fflush(stdout)
        let cArguments = arguments.map { strdup($0) } + [nil]
        execv(ip, cArguments)
        throw LabCommandError("cannot run \(ip): \(String(cString: strerror(errno)))")
    }
}
