import ArgumentParser
import CReadline
import Device
import Foundation
import Lab

/// `peerlab console NODE`: an interactive login on a switch or router, line editing by readline.
struct Console: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Log in to a switch's or router's CLI (history, Tab completion, ? help, Ctrl+Z, Ctrl+C).",
        discussion: """
            Each console is its own session starting in user view; several may be open on one device at once. \
            Keys: ? shows help for what is typed so far (the line stays), Tab completes the last word, \
            Ctrl+Z returns to user view, Ctrl+C drops the line, Ctrl+D or 'quit' in user view logs out.
            """)

    @Argument(help: "The node.")
    var node: String

    @OptionGroup var target: LabOption

    func run() throws {
        let (_, device) = try LabEnvironment.installed(node: node, lab: target.lab)
        guard DeviceSessions.summaryCommand(kind: device.node.kind.name) != nil else {
            throw LabCommandError("\(node) is a \(device.node.kind.name) node without a CLI; use 'peerlab shell \(node)'")
        }
        let client: ConsoleClient
        do { client = try ConsoleClient(socketPath: device.socket) } catch {
            throw LabCommandError("\(node): \(error); see 'peerlab inspect' and 'peerlab logs \(node)'")
        }
        let banner = try client.open()
        for line in banner.output { print(line) }
        ReadlineConsole.run(client: client, prompt: banner.prompt)
    }
}

/// The readline side: key bindings call back into the one open console (readline is process-global).
enum ReadlineConsole {
    nonisolated(unsafe) static var client: ConsoleClient?
    nonisolated(unsafe) static var prompt = ""
    nonisolated(unsafe) static var ended = false

    static func run(client: ConsoleClient, prompt: String) {
        self.client = client
        self.prompt = prompt
        let terminal = TerminalKeys()
        terminal.takeControlKeys()
        defer { terminal.restore() }
        rl_catch_signals = 0
        rl_bind_key(Int32(UInt8(ascii: "?")), { _, _ in ReadlineConsole.describe() })
        rl_bind_key(9, { _, _ in ReadlineConsole.complete() })
        rl_bind_key(26, { _, _ in ReadlineConsole.controlZ() })
        rl_bind_key(3, { _, _ in ReadlineConsole.controlC() })
        while !ended {
            guard let raw = readline(self.prompt) else { print(""); break }   // Ctrl+D
            let line = String(cString: raw)
            free(raw)
            if !line.trimmingCharacters(in: .whitespaces).isEmpty { add_history(line) }
            do {
                let reply = try client.send(line)
                reply.output.forEach { print($0) }
                self.prompt = reply.prompt
                if reply.ended { ended = true }
            } catch {
                print("console: \(error)")
                ended = true
            }
        }
        client.close()
    }

    /// The text typed so far.
    static var buffer: String { rl_line_buffer.map { String(cString: $0) } ?? "" }

    /// `?`: help for the words so far, then the same line again.
    static func describe() -> Int32 {
        let text = buffer
        print("?")
        if let reply = try? client?.describe(text) { reply.output.forEach { print($0) } }
        fflush(stdout)
        rl_on_new_line()
        rl_redisplay()
        return 0
    }

    /// Tab: the completed line when one candidate fits, else the candidates listed under the line.
    static func complete() -> Int32 {
        guard let reply = try? client?.complete(buffer) else { return 0 }
        if let line = reply.line, line != buffer {
            rl_replace_line(line, 0)
            rl_point = rl_end
        } else if let candidates = reply.candidates, !candidates.isEmpty {
            print("")
            print(candidates.joined(separator: "  "))
            rl_on_new_line()
        }
        rl_redisplay()
        return 0
    }

    /// Ctrl+Z: straight back to user view; the typed line is dropped.
    static func controlZ() -> Int32 {
        guard let reply = try? client?.controlZ() else { return 0 }
        print("^Z")
        prompt = reply.prompt
        rl_set_prompt(prompt)
        rl_replace_line("", 0)
        rl_on_new_line()
        rl_redisplay()
        return 0
    }

    /// Ctrl+C: drop the typed line, stay in the same view.
    static func controlC() -> Int32 {
        print("^C")
        rl_replace_line("", 0)
        rl_on_new_line()
        rl_redisplay()
        return 0
    }
}

/// Makes Ctrl+Z and Ctrl+C reach readline as keys instead of signals while the console runs.
final class TerminalKeys {
    var saved = termios()
    var changed = false

    func takeControlKeys() {
        guard isatty(0) != 0, tcgetattr(0, &saved) == 0 else { return }
        var raw = saved
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VSUSP)] = 0   // _POSIX_VDISABLE
            cc[Int(VINTR)] = 0
        }
        changed = tcsetattr(0, TCSANOW, &raw) == 0
    }

    func restore() {
        if changed { tcsetattr(0, TCSANOW, &saved) }
    }
}
