/// A layer-2 segment for kernels built without the bridge link type: each member port gets a tc ingress
/// filter that copies every frame to the other members of its VLAN (`mirred mirror` to all but the last,
/// `mirred redirect` to the last, which also keeps the frame from the switch's own IP stack).
///
/// It floods instead of learning MAC addresses (a hub, not a switch) — invisible to BGP labs, which only
/// need frames to reach the right VLAN. It handles access ports (one untagged VLAN per port); trunks need
/// tag push/pop, which such kernels also lack (tc act_vlan), so they are refused with a message.
struct HubSegment: Hashable, Sendable {
    /// False for a plain `bridge` node: every member is in one segment whatever its VLAN.
    let vlanFiltering: Bool
    /// Member ports in join order with their (untagged) VLAN.
    private(set) var members: [Member] = []

    struct Member: Hashable, Sendable {
        var port: String
        var vlan: Int
    }

    init(vlanFiltering: Bool) { self.vlanFiltering = vlanFiltering }

    func contains(_ port: String) -> Bool { members.contains { $0.port == port } }

    func vlan(of port: String) -> Int? { members.first { $0.port == port }?.vlan }

    /// Adds `port` (or moves it to `vlan`); returns the VLANs whose flooding must be reprogrammed.
    @discardableResult
    mutating func set(_ port: String, vlan: Int) -> Set<Int> {
        let segment = vlanFiltering ? vlan : 0
        var touched: Set<Int> = [segment]
        if let i = members.firstIndex(where: { $0.port == port }) {
            touched.insert(members[i].vlan)
            members[i].vlan = segment
        } else {
            members.append(Member(port: port, vlan: segment))
        }
        return touched
    }

    /// Members of the given segments, in join order.
    func ports(in vlans: Set<Int>) -> [String] {
        members.filter { vlans.contains($0.vlan) }.map(\.port)
    }

    /// Where a frame arriving on `port` must go: every other member of its VLAN, in join order.
    func floodTargets(of port: String) -> [String] {
        guard let vlan = vlan(of: port) else { return [] }
        return members.filter { $0.vlan == vlan && $0.port != port }.map(\.port)
    }

    /// The `tc filter add` arguments for `port`, or nil when it has no one to flood to.
    func filterArguments(for port: String) -> [String]? {
        let targets = floodTargets(of: port)
        guard let last = targets.last else { return nil }
        var arguments = ["filter", "add", "dev", port, "parent", "ffff:", "protocol", "all", "u32", "match", "u32", "0", "0"]
        for target in targets.dropLast() { arguments += ["action", "mirred", "egress", "mirror", "dev", target] }
        arguments += ["action", "mirred", "egress", "redirect", "dev", last]
        return arguments
    }
}
