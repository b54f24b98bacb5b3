/// How a lab's kernel objects are named, so that two labs on one box never clash and teardown can find
/// everything of a lab by name alone, even after a crash.
///
/// Scheme (every name fits Linux's 15-character limit for interface names, which we also keep for
/// namespaces so `ip netns` and `ip -n` output stays aligned):
/// * **Tag**: the lab name when it has at most 8 characters (`seed-001`); otherwise its first 3 characters,
///   `-`, and 4 hex digits of the FNV-1a hash of the whole name (`plt-topo-4711` → `plt-e255`).
/// * **Namespace** of a node: `<tag>-<node>` (`seed-001-leaf01`). When that exceeds 15 characters the node
///   part is cut and 4 hex digits of the node name's hash are appended (`seed-002-ou2f4a`).
/// * **Links** are created inside the lab's namespaces only (never in the root namespace), so their names
///   only have to be unique per namespace: Linux kinds keep the port name (`eth0`); switch ports become
///   `ge1-0-1` with the vendor name in ifalias (see `PortNaming`); a switch's bridge is `swbr`, a bridge
///   kind's is `br0`, VLAN interfaces are `vlanif<N>`, loopbacks `loopback<N>`.
///
/// Clashes: names within a lab are checked unique at load time; across labs the state directory refuses a
/// lab whose tag equals another running lab's tag or is a `-`-prefix of it (`a` vs `a-b`).
public struct LabNames: Hashable, Sendable {
    public let lab: String
    public let tag: String

    public static let maxTagLength = 8
    public static let maxKernelNameLength = 15

    public init(lab: String) {
        self.lab = lab
        tag = Self.tag(for: lab)
    }

    public static func tag(for lab: String) -> String {
        if lab.utf8.count <= maxTagLength { return lab }
        var head = String(lab.prefix(3))
        while head.hasSuffix("-") { head.removeLast() }
        return head + "-" + hex4(lab)
    }

    /// All of the lab's namespaces start with this.
    public var namespacePrefix: String { tag + "-" }

    public func namespace(for node: String) -> String {
        let full = namespacePrefix + node
        if full.utf8.count <= Self.maxKernelNameLength { return full }
        let room = Self.maxKernelNameLength - namespacePrefix.utf8.count - 4
        return namespacePrefix + String(node.prefix(max(0, room))) + Self.hex4(node)
    }

    /// Whether `namespace` belongs to this lab (used by crash-proof teardown).
    public func owns(namespace: String) -> Bool { namespace.hasPrefix(namespacePrefix) }

    /// Whether two labs' names could collide (equal tags, or one tag plus '-' prefixes the other).
    public func clashes(with other: LabNames) -> Bool {
        tag == other.tag || tag.hasPrefix(other.namespacePrefix) || other.tag.hasPrefix(namespacePrefix)
    }

    /// 4 lowercase hex digits of the 32-bit FNV-1a hash, folded to 16 bits.
    static func hex4(_ text: String) -> String {
        var hash: UInt32 = 0x811c9dc5
        for byte in text.utf8 { hash = (hash ^ UInt32(byte)) &* 0x0100_0193 }
        let folded = UInt16(truncatingIfNeeded: hash >> 16) ^ UInt16(truncatingIfNeeded: hash)
        let digits = String(folded, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}
