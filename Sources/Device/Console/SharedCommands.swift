import CLIEngine

/// Command declarations VRP5 and Comware 7 spell alike, so each grammar is written once; each personality
/// passes its own help texts (the vendors word them differently).
public enum SharedCommands {
    public typealias C = Command<NetworkDevice>

    /// `peer { ipv4-address | group-name }`: every peer option takes a group name too (captures `ip` or `name`,
    /// `Edits.editPeer` resolves either). A dotted address is always the peer: a typed value beats a free word.
    public static let peerOrGroup = "peer ({ip:ipv4} | {name:word<1-47>})"

    static let timerGrammar = "timer keepalive {k:integer<0-21845>} hold {h:integer<0-65535>}"
    static let timerUndo = "timer [keepalive {k:integer<0-21845>} hold {h:integer<0-65535>}]"

    /// `timer keepalive K hold H` in the bgp view: the timers of every peer.
    public static func timer(help: [String: String]) -> C {
        C(timerGrammar, in: ["bgp"], help: help, negation: .grammar(timerUndo)) { ctx in try timers(ctx, ofPeer: false) }
    }

    /// `peer X timer keepalive K hold H`: one peer's (or group's) timers, preferred over the instance's.
    public static func peerTimer(help: [String: String]) -> C {
        C(peerOrGroup + " " + timerGrammar, in: ["bgp"], help: help, negation: .grammar(peerOrGroup + " " + timerUndo)) { ctx in
            try timers(ctx, ofPeer: true)
        }
    }

    /// `undo` returns to the instance's timers, then to 60/180. A hold time of 1 or 2, or under three keepalive
    /// intervals (neither being 0), is a Wrong parameter at the hold value. Whether a running session is reset
    /// to renegotiate (VRP) or keeps going until the next OPEN (Comware 7) is the kind's, not this handler's:
    /// `RunningConfig.timerChangeResetsSession(kind:)`.
    static func timers(_ ctx: CommandContext<NetworkDevice>, ofPeer: Bool) throws {
        var timers: BGPTimers?
        if !ctx.negated, let k = ctx.captures["k", as: IntegerValue.self], let h = ctx.captures["h", as: IntegerValue.self] {
            let t = BGPTimers(keepalive: UInt16(k.value), hold: UInt16(h.value))
            guard t.holdIsValid, t.holdCoversThreeKeepalives else { throw CommandFailure.wrongParameter(capture: "h") }
            timers = t
        }
        if ofPeer { try Edits.editPeer(ctx) { $0.timers = timers } } else { try Edits.editBGP(ctx) { $0.timers = timers } }
    }
}
