import BGPWire

/// Everything the core keeps for one configured neighbour.
final class PeerState {
    var config: PeerConfig
    /// Index in `Speaker.slots`; what a `Path` stores instead of the peer itself.
    let slot: UInt16
    /// Non-nil while the session is Established.
    var session: NegotiatedSession?
    /// The peer's BGP identifier from its last session (stale routes still need it for the decision).
    var routerID: IPv4Address = .zero
    let adjIn = AdjRIBIn()
    let adjOut = AdjRIBOut()
    /// Paths from this peer currently in the Loc-RIB (passed import rules and policy).
    var accepted = 0
    /// `Speaker.importContext(for:)`'s last answer and the `settingsGeneration` it was built in.
    var importContext: (generation: Int, context: ImportContext)?

    init(config: PeerConfig, slot: UInt16) {
        self.config = config
        self.slot = slot
    }

    var address: IPAddress { config.address }
    var pathSource: PathSource { .peer(slot) }
}
