import ArgumentParser
import BGPDaemon

/// `peerlab bgpd`: the plain BGP speaker daemon for one network namespace, and its control verbs.
struct Bgpd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bgpd",
        abstract: "Run a BGP speaker in the current network namespace, or query a running one.",
        subcommands: [BgpdRun.self, BgpdStatusCommand.self, BgpdReload.self],
        defaultSubcommand: BgpdRun.self
    )
}

/// Where to find a running bgpd: its control socket, directly or through its configuration file.
struct BgpdTarget: ParsableArguments {
    @Option(name: .long, help: "The configuration file of the running bgpd (its control-socket is used).")
    var config: String?

    @Option(name: .long, help: "The control socket of the running bgpd.")
    var socket: String?

    func validate() throws {
        guard (config == nil) != (socket == nil) else { throw ValidationError("give exactly one of --config or --socket") }
    }

    func socketPath() throws -> String {
        if let socket { return socket }
        let parsed = try BgpdConfig.load(path: config!)
        guard let path = parsed.controlSocket else {
            throw ValidationError("\(config!): no control-socket configured, so the daemon cannot be reached")
        }
        return path
    }

    func send(_ request: JSON) throws -> JSON {
        let answer = try ControlClient.send(request, to: try socketPath())
        guard answer["ok"]?.bool == true else { throw BgpdFailure(answer["error"]?.string ?? answer.text) }
        return answer
    }
}

struct BgpdFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

struct BgpdRun: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the daemon in the foreground (the default).")

    @Option(name: .long, help: "The bgpd YAML configuration file.")
    var config: String

    func run() throws {
        do { try BgpdProcess.run(configPath: config) } catch { throw BgpdFailure("bgpd: \(error)") }
    }
}

struct BgpdStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show peers and routes of a running bgpd.")

    @OptionGroup var target: BgpdTarget

    @Flag(name: .long, help: "Print one JSON object instead of the table.")
    var json = false

    @Flag(name: .long, help: "Peers and route counts only, without the route list (cheap on a full table).")
    var summary = false

    func run() throws {
        var request: [(String, JSON)] = [("command", .string("status"))]
        if summary { request.append(("routes", .bool(false))) }
        if json {
            let answer = try target.send(.object(request))
            print(answer["status"]?.text ?? "{}")
        } else {
            let answer = try target.send(.object(request + [("format", .string("text"))]))
            print(answer["text"]?.string ?? "")
        }
    }
}

struct BgpdReload: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reload", abstract: "Make a running bgpd re-read its configuration file.")

    @OptionGroup var target: BgpdTarget

    func run() throws {
        let answer = try target.send(.object([("command", .string("reload"))]))
        print(answer["summary"]?.string ?? "reloaded")
    }
}
