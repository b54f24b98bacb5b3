import BGPWire

/// A Calico `Node`: the BGP identity of one host (addresses, AS, route-reflector cluster ID) and its
/// labels, which are the Kubernetes node labels that selectors match.
public struct Node: CalicoResource {
    public static let kind = ResourceKind.node
    public var metadata: ObjectMeta
    public var spec: Spec
    /// `status` is written by calico-node (`podCIDRs`, WireGuard keys); kept verbatim.
    public var status: JSONValue?

    public struct Spec: Hashable, Sendable {
        public var bgp: BGP?
        /// Fields not modelled (`orchRefs`, `addresses`, VXLAN/WireGuard addresses), kept verbatim.
        public var opaque: [String: JSONValue] = [:]
        public init(bgp: BGP? = nil) { self.bgp = bgp }
    }

    public struct BGP: Hashable, Sendable {
        public var asNumber: ASNumber?
        /// `cidrv4` text such as `172.20.0.11/24`; the prefix gives the node's subnet.
        public var ipv4Address: String?
        public var ipv6Address: String?
        public var ipv4IPIPTunnelAddr: String?
        public var routeReflectorClusterID: String?
        public init(asNumber: ASNumber? = nil, ipv4Address: String? = nil, ipv6Address: String? = nil,
                    ipv4IPIPTunnelAddr: String? = nil, routeReflectorClusterID: String? = nil) {
            self.asNumber = asNumber; self.ipv4Address = ipv4Address; self.ipv6Address = ipv6Address
            self.ipv4IPIPTunnelAddr = ipv4IPIPTunnelAddr; self.routeReflectorClusterID = routeReflectorClusterID
        }
        var isEmpty: Bool { self == BGP() }
    }

    public init(name: String, labels: [String: String] = [:], bgp: BGP? = nil) {
        metadata = ObjectMeta(name: name, labels: labels)
        spec = Spec(bgp: bgp)
    }

    static let specKeys = ["bgp", "ipv4VXLANTunnelAddr", "ipv6VXLANTunnelAddr", "vxlanTunnelMACAddr", "vxlanTunnelMACAddrV6",
                           "orchRefs", "wireguard", "addresses", "interfaces"]
    static let bgpKeys = ["asNumber", "ipv4Address", "ipv6Address", "ipv4IPIPTunnelAddr", "routeReflectorClusterID"]
    static let statusKeys = ["wireguardPublicKey", "wireguardPublicKeyV6", "podCIDRs"]

    public init(metadata: ObjectMeta, document: JSONValue) throws {
        self.metadata = metadata
        let r = try FieldReader(document["spec"] ?? .null, structName: "NodeSpec", path: "spec", known: Self.specKeys)
        var s = Spec()
        if let b = r.raw("bgp") {
            let br = try FieldReader(b, structName: "NodeSpec", path: "spec.bgp", known: Self.bgpKeys)
            s.bgp = BGP(asNumber: try br.asNumber("asNumber"), ipv4Address: try br.string("ipv4Address"),
                        ipv6Address: try br.string("ipv6Address"), ipv4IPIPTunnelAddr: try br.string("ipv4IPIPTunnelAddr"),
                        routeReflectorClusterID: try br.string("routeReflectorClusterID"))
        }
        for k in Self.specKeys.dropFirst() { if let v = r.raw(k) { s.opaque[k] = v } }
        spec = s
        if let st = document["status"], st != .null {
            _ = try FieldReader(st, structName: "NodeStatus", path: "status", known: Self.statusKeys)
            status = st
        }
    }

    public var bodyJSON: [(String, JSONValue)] {
        var w = FieldWriter()
        if let b = spec.bgp {
            var bw = FieldWriter()
            bw.put("asNumber", b.asNumber)
            bw.put("ipv4Address", b.ipv4Address)
            bw.put("ipv6Address", b.ipv6Address)
            bw.put("ipv4IPIPTunnelAddr", b.ipv4IPIPTunnelAddr)
            bw.put("routeReflectorClusterID", b.routeReflectorClusterID)
            w.put("bgp", raw: bw.value)
        }
        for k in Self.specKeys.dropFirst() { w.put(k, raw: spec.opaque[k]) }
        var body: [(String, JSONValue)] = [("spec", w.value)]
        if let status { body.append(("status", status)) }
        return body
    }

    public var name: String { metadata.name }
    public var labels: [String: String] { metadata.labels }

    /// The node's BGP IPv4 address (without the prefix length).
    public var ipv4: IPv4Address? { (spec.bgp?.ipv4Address).flatMap(AddressText.addressAndLength).flatMap { $0.0.ipv4 } }
    public var ipv6: IPv6Address? { (spec.bgp?.ipv6Address).flatMap(AddressText.addressAndLength).flatMap { $0.0.ipv6 } }
    /// The node subnet (`network_v4`), used for IPIP CrossSubnet decisions.
    public var ipv4Network: IPv4Prefix? {
        guard let (a, l) = (spec.bgp?.ipv4Address).flatMap(AddressText.addressAndLength), let v4 = a.ipv4 else { return nil }
        return IPv4Prefix(v4, length: l)
    }
    public var routeReflectorClusterID: String? { spec.bgp?.routeReflectorClusterID.flatMap { $0.isEmpty ? nil : $0 } }
    public var asNumber: ASNumber? { spec.bgp?.asNumber }

    public func validate() -> [FieldError] {
        var errs = NameRules.check(metadata.name)
        guard let b = spec.bgp else { return errs }
        if b.isEmpty { errs.append(FieldError(field: "BGPSpec", value: "{}", reason: "Spec.BGP should not be empty")) }
        if let a = b.ipv4Address, !a.isEmpty, AddressText.addressAndLength(a)?.0.family != .ipv4 { errs.append(.tag("IPv4Address", a, "cidrv4")) }
        if let a = b.ipv6Address, !a.isEmpty, AddressText.addressAndLength(a)?.0.family != .ipv6 { errs.append(.tag("IPv6Address", a, "cidrv6")) }
        if let a = b.ipv4IPIPTunnelAddr, !a.isEmpty, IPv4Address(a) == nil { errs.append(.tag("IPv4IPIPTunnelAddr", a, "ipv4")) }
        if let c = b.routeReflectorClusterID, !c.isEmpty, IPv4Address(c) == nil { errs.append(.tag("RouteReflectorClusterID", c, "ipv4")) }
        return errs
    }
}
