import BGPWire
import Foundation

/// What calico-node derives from its environment at startup: the default IP pool, the node's BGP
/// identity, the router ID, and pod interface names.
public enum NodeStartup {
    /// The pool calico-node creates unless `NO_DEFAULT_POOLS=true` (`default-ipv4-ippool`).
    public static func defaultIPv4Pool(environment env: [String: String]) throws -> IPPool? {
        if env["NO_DEFAULT_POOLS"]?.lowercased() == "true" { return nil }
        var spec = IPPool.Spec(cidr: env["CALICO_IPV4POOL_CIDR"].flatMap { $0.isEmpty ? nil : $0 } ?? "192.168.0.0/16")
        spec.ipipMode = try encapsulation(env["CALICO_IPV4POOL_IPIP"], variable: "CALICO_IPV4POOL_IPIP")
        spec.vxlanMode = try encapsulation(env["CALICO_IPV4POOL_VXLAN"], variable: "CALICO_IPV4POOL_VXLAN")
        spec.natOutgoing = (env["CALICO_IPV4POOL_NAT_OUTGOING"] ?? "true").lowercased() != "false"
        return try finishedPool("default-ipv4-ippool", spec, environment: env, prefix: "CALICO_IPV4POOL_")
    }

    /// `default-ipv6-ippool`, which calico-node creates on a node with IPv6 unless `NO_DEFAULT_POOLS=true`:
    /// `CALICO_IPV6POOL_CIDR`, else a ULA /48. calico-node draws that ULA at random; here it is derived from
    /// `seed` so a lab comes up the same way twice. Block size /122, no NAT unless asked.
    public static func defaultIPv6Pool(environment env: [String: String], seed: String) throws -> IPPool? {
        if env["NO_DEFAULT_POOLS"]?.lowercased() == "true" { return nil }
        var cidr = env["CALICO_IPV6POOL_CIDR"] ?? ""
        if cidr.isEmpty {
            let d = Digest.sha256(Array("default-ipv6-ippool/\(seed)".utf8))
            cidr = String(format: "fd%02x:%02x%02x:%02x%02x::/48", d[0], d[1], d[2], d[3], d[4])
        }
        var spec = IPPool.Spec(cidr: cidr)
        spec.vxlanMode = try encapsulation(env["CALICO_IPV6POOL_VXLAN"], variable: "CALICO_IPV6POOL_VXLAN")
        spec.natOutgoing = (env["CALICO_IPV6POOL_NAT_OUTGOING"] ?? "false").lowercased() == "true"
        return try finishedPool("default-ipv6-ippool", spec, environment: env, prefix: "CALICO_IPV6POOL_")
    }

    /// What both default pools take alike from `<prefix>BLOCK_SIZE` and `<prefix>NODE_SELECTOR`, then
    /// Calico's defaults and validation.
    static func finishedPool(_ name: String, _ base: IPPool.Spec, environment env: [String: String], prefix: String) throws -> IPPool {
        var spec = base
        if let bs = env[prefix + "BLOCK_SIZE"], !bs.isEmpty {
            guard let n = Int(bs) else { throw CalicoError("Failed to parse \(prefix)BLOCK_SIZE: \(bs)") }
            spec.blockSize = n
        }
        if let sel = env[prefix + "NODE_SELECTOR"], !sel.isEmpty { spec.nodeSelector = sel }
        var pool = IPPool(name: name, spec: spec)
        pool.applyDefaults()
        let errs = pool.validate()
        if !errs.isEmpty { throw ValidationError(errs) }
        return pool
    }

    /// `off`/`never`/unset → Never, `always` → Always, `cross-subnet`/`crosssubnet` → CrossSubnet.
    static func encapsulation(_ value: String?, variable: String) throws -> String {
        switch (value ?? "").lowercased() {
        case "", "off", "never": return "Never"
        case "always": return "Always"
        case "cross-subnet", "crosssubnet": return "CrossSubnet"
        default: throw CalicoError("Failed to parse \(variable): \(value ?? "")")
        }
    }

    /// The router ID BIRD gets: `CALICO_ROUTER_ID` (`hash` or a literal), else the node IPv4.
    public static func routerID(nodeName: String, nodeIPv4: IPv4Address?, environment env: [String: String]) -> IPv4Address? {
        switch env["CALICO_ROUTER_ID"] ?? "" {
        case "": return nodeIPv4
        case "hash": return hashToIPv4(nodeName)
        case let literal: return IPv4Address(literal) ?? nodeIPv4
        }
    }

    /// `hashToIPv4`: first four bytes of sha256(name); a first octet above 223 loses 32.
    public static func hashToIPv4(_ name: String) -> IPv4Address {
        let d = Digest.sha256(Array(name.utf8))
        let first = d[0] > 223 ? d[0] - 32 : d[0]
        return IPv4Address(first, d[1], d[2], d[3])
    }

    /// The host-side veth of a Kubernetes pod: `cali` + the first 11 hex digits of sha1("<ns>.<pod>").
    public static func interfaceName(namespace: String, pod: String) -> String {
        "cali" + Digest.hex(Digest.sha1(Array("\(namespace).\(pod)".utf8))).prefix(11)
    }
}
