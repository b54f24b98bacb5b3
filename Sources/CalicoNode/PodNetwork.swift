import Foundation
import BGPWire
import Calico
import Kernel
import BGPDaemon

/// Names pod namespaces the way the lab names its own (`LabNames`): `<prefix><node>-<pod>`, cut to
/// `limit` characters with four hex digits of a hash when longer, so `peerlab down` finds them by the
/// lab's tag. `limit` nil keeps full names (tests with long prefixes).
public struct PodNaming: Hashable, Sendable {
    public var prefix: String
    public var limit: Int?
    public init(prefix: String, limit: Int? = 15) { self.prefix = prefix; self.limit = limit }

    public func namespace(node: String, namespace: String, pod: String) -> String {
        let tail = namespace == "default" ? "\(node)-\(pod)" : "\(node)-\(namespace)-\(pod)"
        let full = prefix + tail
        guard let limit, full.utf8.count > limit else { return full }
        let room = max(0, limit - prefix.utf8.count - 4)
        return prefix + String(tail.prefix(room)) + Self.hex4(tail)
    }

    /// 16-bit fold of the 32-bit FNV-1a hash, as four lowercase hex digits.
    static func hex4(_ text: String) -> String {
        var h: UInt32 = 0x811c_9dc5
        for b in text.utf8 { h = (h ^ UInt32(b)) &* 0x0100_0193 }
        let folded = UInt16(truncatingIfNeeded: h >> 16) ^ UInt16(truncatingIfNeeded: h)
        let s = String(folded, radix: 16)
        return String(repeating: "0", count: 4 - s.count) + s
    }
}

/// One wired pod: its namespace, the node-side `cali…` veth and its addresses.
public struct WiredPod: Hashable, Sendable {
    public var namespace: String
    public var name: String
    public var networkNamespace: String
    public var interfaceName: String
    /// The first address (IPv4 on a dual-stack node), the one Kubernetes shows as `podIP`.
    public var address: IPAddress
    /// The rest: the IPv6 address of a dual-stack pod.
    public var otherAddresses: [IPAddress] = []

    public var addresses: [IPAddress] { [address] + otherAddresses }
}

/// Felix's and the CNI plugin's kernel work for a pod, inside the node's namespace: a veth whose node end
/// is `cali…` (proxy ARP on, `<ip>/32 dev cali… scope link`), whose pod end is `eth0` holding `<ip>/32` with
/// `default via 169.254.1.1 dev eth0` (the link-local gateway the node answers for by proxy ARP).
/// An IPv6 address gets `<ip>/128 dev cali…` on the node and `default via fe80::ecee:eeff:feee:eeee dev eth0`
/// in the pod. As with the Calico CNI plugin, every `cali…` has the MAC ee:ee:ee:ee:ee:ee, whose EUI-64
/// link-local address that gateway is, so the node owns it (no proxy NDP); it is also added explicitly in
/// case the kernel generates no link-local address (addr_gen_mode none).
struct PodNetwork {
    static let gateway = "169.254.1.1"
    static let gatewayV6 = "fe80::ecee:eeff:feee:eeee"
    static let nodeSideMAC: [UInt8] = [0xee, 0xee, 0xee, 0xee, 0xee, 0xee]
    /// The node's namespace; nil = this process's.
    let node: NetworkNamespace?

    private func nodeNetlink() throws -> NetlinkSocket { try NetlinkSocket.open(in: node) }

    private func nodeSysctl(_ key: String, _ value: String) throws {
        if let node { try node.writeSysctl(key, value); return }
        do { try (value + "\n").write(toFile: "/proc/sys/" + key, atomically: false, encoding: .utf8) } catch {
            throw CalicoError("setting sysctl \(key)=\(value): \(error)")
        }
    }

    func wire(_ pod: WiredPod) throws {
        let podNS = NetworkNamespace(pod.networkNamespace)
        if podNS.exists { try? podNS.delete() }
        try NetworkNamespace.create(pod.networkNamespace)
        do {
            let hasV6 = pod.addresses.contains { $0.family == .ipv6 }
            // The pod's eth0 is created inside the pod namespace and takes its defaults: no DAD wait.
            if hasV6 { try podNS.writeSysctl("net.ipv6.conf.default.accept_dad", "0") }
            let nl = try nodeNetlink()
            if (try? nl.link(.name(pod.interfaceName))) != nil { try? nl.deleteLink(.name(pod.interfaceName)) }
            try nl.createVeth(pod.interfaceName, peer: "eth0", peerNamespace: podNS)
            try nl.setMAC(.name(pod.interfaceName), Self.nodeSideMAC)
            try nodeSysctl("net/ipv4/conf/\(pod.interfaceName)/proxy_arp", "1")
            try? nodeSysctl("net/ipv4/neigh/\(pod.interfaceName)/proxy_delay", "0")
            if hasV6 {
                // calico-node turns on IPv6 forwarding when the node has IPv6.
                try nodeSysctl("net/ipv6/conf/all/forwarding", "1")
                try nodeSysctl("net/ipv6/conf/\(pod.interfaceName)/accept_dad", "0")
            }
            try nl.setLinkUp(.name(pod.interfaceName))
            if hasV6, let gw6 = InetAddress(Self.gatewayV6),
               !(try nl.addresses(on: .name(pod.interfaceName), family: UInt8(AF_INET6))).contains(where: { $0.address == gw6 }) {
                try nl.addAddress(gw6, prefixLength: 64, to: .name(pod.interfaceName))
            }
            for address in pod.addresses {
                try nl.replaceRoute(Route(KernelAddress.host(address), nextHops: [NextHop(interface: .name(pod.interfaceName))],
                                          protocol: .boot, scope: .link))
            }
            if pod.addresses.contains(where: { $0.family == .ipv4 }) { try ensureGatewayRoute(nl) }

            let pl = try podNS.netlink()
            try pl.setLinkUp(.name("lo"))
            for address in pod.addresses {
                try pl.addAddress(KernelAddress.inet(address), prefixLength: address.family == .ipv4 ? 32 : 128, to: .name("eth0"))
            }
            try pl.setLinkUp(.name("eth0"))
            if pod.addresses.contains(where: { $0.family == .ipv4 }), let gw = InetAddress(Self.gateway), let gwPrefix = InetPrefix("\(Self.gateway)/32") {
                try pl.addRoute(Route(gwPrefix, nextHops: [NextHop(interface: .name("eth0"))], protocol: .boot, scope: .link))
                try pl.addRoute(.via(.ipv4Default, gw, interface: .name("eth0"), protocol: .boot))
            }
            if hasV6, let gw6 = InetAddress(Self.gatewayV6) {
                try pl.addRoute(.via(.ipv6Default, gw6, interface: .name("eth0"), protocol: .boot))
            }
        } catch {
            try? podNS.delete()
            throw error
        }
    }

    func unwire(_ pod: WiredPod) {
        if let nl = try? nodeNetlink() {
            try? nl.deleteLink(.name(pod.interfaceName))
            for address in pod.addresses { try? nl.deleteRoute(KernelAddress.host(address)) }
        }
        try? NetworkNamespace(pod.networkNamespace).delete()
    }

    /// Proxy ARP only answers for 169.254.1.1 when the node has a route to it through another device. A
    /// node with a default route has one; a lab node without any gets `169.254.1.1/32 dev lo`.
    private func ensureGatewayRoute(_ nl: NetlinkSocket) throws {
        let routes = try nl.routes(family: UInt8(AF_INET))
        let covered = routes.contains { $0.destination.length == 0 || $0.destination == InetPrefix("\(Self.gateway)/32") }
        guard !covered, let p = InetPrefix("\(Self.gateway)/32") else { return }
        try nl.setLinkUp(.name("lo"))
        try nl.replaceRoute(Route(p, nextHops: [NextHop(interface: .name("lo"))], protocol: .boot, scope: .link))
    }
}
