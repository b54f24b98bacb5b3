import ArgumentParser
import Device
import Foundation
import Lab

/// `peerlab exec NODE -- COMMAND…`: one command on a node; `-c LINE…` or standard input: a CLI script.
struct Exec: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run commands on a node: CLI lines on switches and routers, a shell command elsewhere.",
        discussion: """
            Switches and routers (huawei-vrp, h3c-comware, quagga): CLI lines in one console session that \
            starts in user view, as if typed at 'peerlab console'.
              peerlab exec leaf01 -- display version
                (the words form one line; the answer is printed)
              peerlab exec core -c system-view -c 'sysname CORE-1' -c return
                (several lines, in order)
              peerlab exec core <<'EOF'
              system-view
              bgp 65009
               peer 10.0.0.2 as-number 65010
              EOF
                (with neither -c nor --, the lines come from standard input, which must not be a terminal)
            A script (-c or standard input) prints a transcript: each line after the prompt it was typed at, \
            then the device's answer. Every line runs, also after an error (as when pasting into a terminal); \
            the exit status is 1 when any line got an error, and each such line is named on standard error \
            with its number. A question ('save' asks [Y/N]) takes the next line as its answer; 'quit' in user \
            view ends the session.

            calico-node and host: the command runs inside the node's network namespace and its exit status is \
            passed through. A single argument is run by /bin/sh -c.
              peerlab exec node1 -- ip route
              peerlab exec node1 -- 'ping -c1 10.0.0.1 && echo ok'
            """)

    @Argument(help: "The node.")
    var node: String

    @OptionGroup var target: LabOption

    @Option(name: .customShort("c"), help: ArgumentHelp("A CLI line for a switch or router; repeat for several, run in order in one session.", valueName: "line"))
    var lines: [String] = []

    @Argument(parsing: .postTerminator, help: "The command, after --.")
    var command: [String] = []

    func run() throws {
        let words = command
        let (lab, device) = try LabEnvironment.installed(node: node, lab: target.lab)
        if DeviceSessions.summaryCommand(kind: device.node.kind.name) != nil {
            if !words.isEmpty && !lines.isEmpty {
                throw LabCommandError("give the CLI lines either after -- (one line) or with -c (several), not both")
            }
            if lines.isEmpty && words.isEmpty && isatty(0) != 0 {
                throw LabCommandError("give the CLI line after --, e.g. 'peerlab exec \(node) -- display version', several with -c, or a script on standard input ('peerlab exec \(node) <<EOF')")
            }
            if !words.isEmpty {
                let failed = try VendorLine.run(words.joined(separator: " "), socket: device.socket, node: node)
                if failed { throw ExitCode(1) }
                return
            }
            // Standard input only when no line was given: a `-c` in a `while read` loop must not eat the loop's input.
            let script = lines.isEmpty ? VendorScript.readStandardInput() : lines
            guard !script.isEmpty else { throw LabCommandError("standard input held no CLI lines for \(node)") }
            let failures = try VendorScript.run(script, socket: device.socket, node: node)
            for failure in failures {
                FileHandle.standardError.write(Data("\(node): line \(failure.number): \(failure.line): \(failure.message)\n".utf8))
            }
            if !failures.isEmpty { throw ExitCode(1) }
        } else {
            guard lines.isEmpty else {
                throw LabCommandError("-c runs CLI lines on switches and routers; \(node) is a \(device.node.kind.name): put the command after --")
            }
            guard !words.isEmpty else { throw LabCommandError("give the command after --, e.g. 'peerlab exec \(node) -- ip route'") }
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
        let client = try VendorLine.connect(socket: socket, node: node)
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

    static func connect(socket: String, node: String) throws -> ConsoleClient {
        do { return try ConsoleClient(socketPath: socket) } catch {
            throw LabCommandError("\(node): \(error); 'peerlab inspect' shows whether its daemon runs, 'peerlab logs \(node)' why not")
        }
    }

    /// VRP and Comware answer errors with `Error: …` (Comware also `% …`); Quagga with `% …`.
    static func isError(_ output: [String]) -> Bool {
        errorText(output) != nil
    }

    /// The first error line of an answer, trimmed; nil when the line was accepted.
    static func errorText(_ output: [String]) -> String? {
        for line in output {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("Error:") || text.hasPrefix("% ") { return text }
        }
        return nil
    }
}

/// Several CLI lines typed into one console session, printed as a terminal transcript.
enum VendorScript {
    /// A line the device refused: its 1-based number in the script, its text and the device's error.
    struct Failure: Equatable {
        var number: Int
        var line: String
        var message: String
    }

    /// Lines of standard input, without line ends (a trailing newline adds no empty line).
    static func readStandardInput() -> [String] {
        let text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines.map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }
    }

    /// Runs `lines` in order in one session: prints `prompt` + line, then the answer. Stops early only when
    /// the session ends (`quit` in user view). Returns the lines the device answered with an error.
    static func run(_ lines: [String], socket: String, node: String) throws -> [Failure] {
        let client = try VendorLine.connect(socket: socket, node: node)
        defer { client.close() }
        var failures: [Failure] = []
        do {
            var prompt = try client.open().prompt
            for (index, line) in lines.enumerated() {
                print(prompt + line)
                let reply = try client.send(line)
                for text in reply.output { print(text) }
                if let error = VendorLine.errorText(reply.output) {
                    failures.append(Failure(number: index + 1, line: line.trimmingCharacters(in: .whitespaces), message: error))
                }
                prompt = reply.prompt
                if reply.ended {
                    if index + 1 < lines.count {
                        FileHandle.standardError.write(Data("\(node): the session ended at line \(index + 1) (\(line)); \(lines.count - index - 1) line(s) after it were not run\n".utf8))
                    }
                    break
                }
            }
        } catch {
            throw LabCommandError("\(node): \(error)")
        }
        fflush(stdout)
        return failures
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
