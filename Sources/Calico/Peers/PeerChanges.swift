/// The difference between two peer lists of one node, as BIRD applies a re-rendered config
/// (`birdcl configure`): protocols are matched by name; a new name starts a session, a vanished
/// name stops one, and any change to a kept name restarts it (BIRD's BGP reconfigure compares the
/// whole protocol config). A mesh→RR switch therefore drops `Mesh_x` and adds `Node_x` (calico#3819).
public struct PeerChanges: Hashable, Sendable {
    public var added: [PeerDescription]
    public var removed: [PeerDescription]
    /// (old, new) pairs with the same protocol name; each restarts its session.
    public var changed: [Changed]

    public struct Changed: Hashable, Sendable {
        public var old: PeerDescription
        public var new: PeerDescription
    }

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    public init(from old: [PeerDescription], to new: [PeerDescription]) {
        let oldByName = Dictionary(old.map { ($0.protocolName, $0) }, uniquingKeysWith: { a, _ in a })
        let newByName = Dictionary(new.map { ($0.protocolName, $0) }, uniquingKeysWith: { a, _ in a })
        added = new.filter { oldByName[$0.protocolName] == nil }
        removed = old.filter { newByName[$0.protocolName] == nil }
        changed = new.compactMap { n in
            guard let o = oldByName[n.protocolName], o.restartsAs(n) else { return nil }
            return Changed(old: o, new: n)
        }
    }
}

extension PeerDescription {
    /// A BGPFilter list lives in the protocol's channel filters, which BIRD swaps in and reloads without
    /// restarting the session; anything else changed in the block restarts it.
    func restartsAs(_ new: PeerDescription) -> Bool {
        var old = self
        old.filters = new.filters
        return old != new
    }
}
