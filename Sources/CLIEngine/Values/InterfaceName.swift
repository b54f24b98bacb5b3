/// One interface type a vendor knows (`GigabitEthernet`, `Vlanif`, `LoopBack` …) and how its number looks.
public struct InterfaceType: Sendable, Hashable {
    /// How the number after the type name is written.
    public enum Numbering: Sendable, Hashable {
        /// Slash-separated slots: `0/0/1` is `.slots(3)`.
        case slots(Int)
        /// A single index in a range: `Vlanif98` is `.index(1...4094)`.
        case index(ClosedRange<UInt64>)
    }

    public let name: String
    /// Short forms accepted as typed (`GE`, `XGE`, `Vlan`, `Loop`); any unique prefix of `name` works too.
    public let shortNames: [String]
    public let numbering: Numbering
    /// Help for `?` when this type is offered as a keyword.
    public let help: String

    public init(_ name: String, shortNames: [String] = [], numbering: Numbering, help: String? = nil) {
        self.name = name
        self.shortNames = shortNames
        self.numbering = numbering
        self.help = help ?? "\(name) interface"
    }

    /// Checks the number part; nil when it has the wrong shape or range.
    func canonicalNumber(_ text: Substring) -> String? {
        switch numbering {
        case .slots(let n):
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == n else { return nil }
            var out: [String] = []
            for p in parts {
                guard let v = Lexeme.decimal(p), v <= 9999 else { return nil }
                out.append(String(v))
            }
            return out.joined(separator: "/")
        case .index(let range):
            guard let v = Lexeme.decimal(text), range.contains(v) else { return nil }
            return String(v)
        }
    }

    func numberPlaceholder(_ style: PlaceholderStyle) -> String {
        switch numbering {
        case .slots(let n): return ["X", "Y", "Z", "W"].prefix(max(1, min(n, 4))).joined(separator: "/")
        case .index(let range): return ValueContext(style: style, interfaces: .linux).rangePlaceholder(range)
        }
    }
}

/// A vendor's interface naming: a closed list of types (VRP, Comware) or free-form Linux names (Quagga).
public struct InterfaceNaming: Sendable {
    public let types: [InterfaceType]
    /// Any name is accepted (Linux `eth0`, `lo`, `veth-leaf1`); used by the Quagga personality.
    public let freeForm: Bool

    public init(types: [InterfaceType], freeForm: Bool = false) {
        self.types = types
        self.freeForm = freeForm
    }

    /// Huawei VRP 5 (S-series, AR): `GigabitEthernet0/0/1`, `Vlanif98`, `LoopBack0`, `Eth-Trunk1`, `NULL0`.
    public static let vrp = InterfaceNaming(types: [
        InterfaceType("Eth-Trunk", numbering: .index(0...127)),
        InterfaceType("GigabitEthernet", shortNames: ["GE"], numbering: .slots(3)),
        InterfaceType("LoopBack", numbering: .index(0...1023)),
        InterfaceType("MEth", numbering: .slots(3)),
        InterfaceType("NULL", numbering: .index(0...0)),
        InterfaceType("Vlanif", numbering: .index(1...4094), help: "Vlan interface"),
        InterfaceType("XGigabitEthernet", shortNames: ["XGE"], numbering: .slots(3)),
    ])

    /// H3C Comware 7: `GigabitEthernet1/0/1` (`GE1/0/1`), `Vlan-interface10` (`Vlan10`), `LoopBack0`.
    public static let comware = InterfaceNaming(types: [
        InterfaceType("Bridge-Aggregation", shortNames: ["BAGG"], numbering: .index(1...1024)),
        InterfaceType("GigabitEthernet", shortNames: ["GE"], numbering: .slots(3)),
        InterfaceType("LoopBack", shortNames: ["Loop"], numbering: .index(0...1023)),
        InterfaceType("NULL", numbering: .index(0...0)),
        InterfaceType("Route-Aggregation", shortNames: ["RAGG"], numbering: .index(1...1024)),
        InterfaceType("Ten-GigabitEthernet", shortNames: ["XGE"], numbering: .slots(3)),
        InterfaceType("Vlan-interface", shortNames: ["Vlan"], numbering: .index(1...4094), help: "VLAN interface"),
    ])

    /// Linux names for the Quagga/FRR router: anything an `ip link` name can be.
    public static let linux = InterfaceNaming(types: [], freeForm: true)

    /// The type a name prefix stands for: exact name or short name first, else a unique prefix of a name.
    func resolveType(_ prefix: Substring) -> (type: InterfaceType, exact: Bool)? {
        let p = prefix.lowercased()
        guard !p.isEmpty else { return nil }
        if let t = types.first(where: { $0.name.lowercased() == p || $0.shortNames.contains { $0.lowercased() == p } }) {
            return (t, true)
        }
        let matches = types.filter { $0.name.lowercased().hasPrefix(p) }
        return matches.count == 1 ? (matches[0], false) : nil
    }

    /// Linux interface name rules: 1–15 bytes, no `/`, no spaces.
    static func isLinuxName(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= 15 && !s.contains("/") && s.first != "\"" && s.allSatisfy { !$0.isWhitespace }
    }
}

/// An interface name: `GigabitEthernet0/0/1` typed as `g0/0/1`, `Vlanif98` as `vlanif98`, `Vlan-interface10`
/// as `Vlan10`, or a Linux name. `description` is the vendor's canonical spelling.
public struct InterfaceNameValue: CLIValue, Hashable {
    /// Canonical type name (`GigabitEthernet`); empty for a free-form Linux name.
    public let interfaceType: String
    /// The number part (`0/0/1`), or the whole Linux name.
    public let number: String

    public init(interfaceType: String, number: String) { self.interfaceType = interfaceType; self.number = number }

    public static let typeName = "interface"
    public static let defaultHelp = "Interface name"
    public var description: String { interfaceType + number }

    public static func parse(_ token: String, _ context: ValueContext) -> ValueParse<InterfaceNameValue> {
        let naming = context.interfaces
        if naming.freeForm {
            return InterfaceNaming.isLinuxName(token) ? .valid(InterfaceNameValue(interfaceType: "", number: token)) : .noMatch
        }
        // Split at the first digit that follows at least one letter: "g0/0/1" → "g", "0/0/1".
        guard let firstDigit = token.firstIndex(where: \.isNumber), firstDigit != token.startIndex else { return .noMatch }
        guard let type = naming.resolveType(token[..<firstDigit])?.type else { return .noMatch }
        guard let number = type.canonicalNumber(token[firstDigit...]) else { return .malformed }
        return .valid(InterfaceNameValue(interfaceType: type.name, number: number))
    }

    public static func placeholder(_ context: ValueContext) -> String {
        context.style == .vrp ? "STRING<1-63>" : "IFNAME"
    }

    public static func completions(prefix: String, _ context: ValueContext) -> [String] {
        context.interfaces.types.map(\.name).filter { $0.lowercased().hasPrefix(prefix.lowercased()) }
    }

    /// Linux names are free words: an address or keyword wins over them (`update-source <if|ip>`).
    public static func isFreeText(_ context: ValueContext) -> Bool { context.interfaces.freeForm }
}

/// The type half of a two-token interface name (`interface GigabitEthernet 0/0/1`, `LoopBack 0`).
/// Offered in `?` as one keyword per type, the way the vendors list them.
struct InterfaceTypeValue: CLIValue, Hashable {
    let type: InterfaceType

    static let typeName = "interface-type"
    static let defaultHelp = "Interface type"
    var description: String { type.name }

    static func parse(_ token: String, _ context: ValueContext) -> ValueParse<InterfaceTypeValue> {
        guard let resolved = context.interfaces.resolveType(Substring(token)) else { return .noMatch }
        let value = InterfaceTypeValue(type: resolved.type)
        return resolved.exact ? .valid(value) : .abbreviated(value)
    }

    static func placeholder(_ context: ValueContext) -> String { "INTERFACE-TYPE" }

    static func completions(prefix: String, _ context: ValueContext) -> [String] {
        InterfaceNameValue.completions(prefix: prefix, context)
    }
}
