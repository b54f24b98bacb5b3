import BGPWire
import CLIEngine
import Device

/// Helpers the handlers share: typed captures and Quagga's refusals.
extension CommandContext where Device == NetworkDevice {
    func ipv4(_ name: String) -> IPv4Address? { captures[name, as: IPv4Value.self].map { IPv4Address($0.value) } }

    func prefix(_ name: String) -> IPv4Prefix? {
        captures[name, as: IPv4PrefixValue.self].map { p in
            IPv4Prefix(IPv4Address(p.address & IPv4Prefix.mask(UInt8(p.length))), length: UInt8(p.length))
        }
    }

    /// The `{k} {h}` of the timer commands as Quagga stores them: the keepalive lowered to a third of the hold
    /// time (bgp_timers_set / peer_timers_set), so `timers 60 30` is kept and shown as `timers 10 30`. Neither
    /// `timers bgp` nor `neighbor X timers` touches a running session; the next OPEN carries the new hold time.
    func timers() -> BGPTimers? {
        guard let k = captures["k", as: IntegerValue.self], let h = captures["h", as: IntegerValue.self] else { return nil }
        let hold = UInt16(h.value)
        return BGPTimers(keepalive: min(UInt16(k.value), hold / 3), hold: hold)
    }

    /// Applies a configuration change live (kernel problems are logged by the device, as zebra logs them).
    func edit(_ body: (inout RunningConfig) throws -> Void) throws {
        try device.update(body)
    }

    /// Changes the `router bgp` instance; refused when none runs.
    func editBGP(_ body: (inout BGPInstance) throws -> Void) throws {
        try edit { c in
            guard var bgp = c.bgp else { throw CommandFailure.message("% No BGP process is configured") }
            try body(&bgp)
            c.bgp = bgp
        }
    }

    /// Changes one neighbor (`peer` capture) or peer-group (`name` capture); Quagga refuses settings for a
    /// neighbor that has no `remote-as` yet, and for a peer-group nobody created. The `no` form of a setting
    /// on a missing one is refused the same way. Members pick up a group's change live.
    func editPeer(_ body: (inout BGPPeerOptions) -> Void) throws {
        if let address = ipv4("peer") {
            try editBGP { bgp in
                guard bgp.editPeer(address, { body(&$0.options) }) else {
                    throw CommandFailure.message("% Specify remote-as or peer-group commands first")
                }
            }
        } else if let name = captures.text("name") {
            try editBGP { bgp in
                guard let i = bgp.groups.firstIndex(where: { $0.name == name }) else {
                    throw CommandFailure.message(Quagga.groupMissing)
                }
                body(&bgp.groups[i].options)
            }
        }
    }
}
