import BGPWire

/// The parts of bird.cfg that BGPFilter resources and prefixAdvertisements render (spec §2.8): the
/// `apply_communities` function and one import and one export function per filter.
extension BirdConfig {
    /// `function apply_communities ()`: one line per advertisement of this family, with its communities.
    public static func renderCommunities(_ advertisements: [BGPConfiguration.PrefixAdvertisement], family: AFI) -> String {
        var out = "function apply_communities ()\n{\n"
        for ad in advertisements where ad.cidr.family.afi == family && !(ad.communities.isEmpty && ad.largeCommunities.isEmpty) {
            let standard = ad.communities.map { "bgp_community.add((\($0.value >> 16), \($0.value & 0xffff)));" }
            let large = ad.largeCommunities.map { "bgp_large_community.add((\($0.global), \($0.local1), \($0.local2)));" }
            out += "  if ( net ~ \(ad.cidr) ) then { " + (standard + large).joined(separator: " ") + " }\n"
        }
        return out + "}\n"
    }

    /// The `# -------------- BGP Filters ------------------` section body for one family.
    public static func renderFilters(_ filters: [BGPFilter], family: AFI) -> String {
        let v = family == .ipv4 ? "4" : "6"
        let used = filters.sorted { $0.metadata.name < $1.metadata.name }
        guard !used.isEmpty else { return "# No v\(v) BGPFilters configured\n" }
        var out = ""
        for filter in used {
            out += "# v\(v) BGPFilter \(filter.metadata.name)\n"
            for isImport in [true, false] {
                let list = BGPFilter.RuleList.of(import: isImport, family: family == .ipv4 ? .ipv4Unicast : .ipv6Unicast)
                out += "function \(functionName(filter: filter.metadata.name, import: isImport, family: family))() {\n"
                for rule in filter.rules(list) { out += "  " + statement(rule, family: family) + "\n" }
                out += "}\n"
            }
        }
        return out
    }

    /// `'bgp_<name>_{import|export}FilterV{4|6}'`; names over 64 characters are cut and end in `_` and 16 hex
    /// digits of the full name's sha256, so they stay unique.
    public static func functionName(filter: String, import isImport: Bool, family: AFI) -> String {
        var name = "bgp_\(filter)_\(isImport ? "import" : "export")FilterV\(family == .ipv4 ? 4 : 6)"
        if name.utf8.count > 64 {
            let hash = String(Digest.hex(Digest.sha256(Array(name.utf8))).prefix(16))
            name = String(name.prefix(64 - 17)) + "_" + hash
        }
        return "'\(name)'"
    }

    /// One rule: its clauses joined with `&&`, or a bare action when it has none.
    static func statement(_ rule: BGPFilter.Rule, family: AFI) -> String {
        let action = rule.accept ? "accept;" : "reject;"
        var clauses: [String] = []
        if let cidr = rule.cidr {
            let op: String
            switch rule.matchOperator {
            case .equal: op = "="
            case .notEqual: op = "!="
            case .in: op = "~"
            case .notIn: op = "!~"
            }
            var target = cidr.description
            if rule.prefixLengthMin != nil || rule.prefixLengthMax != nil {
                let max = rule.prefixLengthMax ?? (family == .ipv4 ? 32 : 128)
                target = "[ \(cidr){\(rule.prefixLengthMin ?? cidr.length),\(max)} ]"
            }
            clauses.append("(net \(op) \(target))")
        }
        if rule.remotePeersOnly { clauses.append("((defined(source))&&(source ~ [ RTS_BGP ]))") }
        if let glob = rule.interface { clauses.append("((defined(ifname))&&(ifname ~ \"\(glob)\"))") }
        guard !clauses.isEmpty else { return action }
        return "if (\(clauses.joined(separator: "&&"))) then { \(action) }"
    }
}
