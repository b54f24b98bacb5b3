import Glibc
import BGPWire
import Kernel

/// Applies interface and static-route changes to the device's network namespace, on the lab's plumbing:
/// switch ports are `ge0-0-1` (vendor name in ifalias), VLAN interfaces `vlanif98` (a veth end on the VLAN's
/// hub, since this kernel has no 802.1Q or bridge VLAN filtering), every LoopBack address sits on `lo`.
public struct KernelPlumbing: Sendable {
    /// nil = the namespace of the calling thread (a device daemon runs inside its own).
    public let namespace: NetworkNamespace?
    /// Interface names are the kernel's own (`eth0`, `lo`), as on a Quagga router; otherwise vendor names
    /// are mapped to the lab's Linux names.
    public let usesLinuxNames: Bool

    public init(namespace: NetworkNamespace?, usesLinuxNames: Bool = false) {
        self.namespace = namespace
        self.usesLinuxNames = usesLinuxNames
    }

    /// Whether a device kind names its interfaces as Linux does (the Quagga router runs on Linux itself).
    public static func usesLinuxNames(kind: String) -> Bool { kind == "quagga" }

    /// The Linux name this device's interface has: the name itself where names are Linux's, else the lab's
    /// mapping of the vendor name; nil for names that can be no link (too long, or with `/` or spaces).
    public func linuxName(for name: String) -> String? {
        guard usesLinuxNames else { return Self.linuxName(for: name) }
        let valid = !name.isEmpty && name.utf8.count <= 15 && !name.contains { $0 == "/" || $0.isWhitespace }
        return valid ? name : nil
    }

    /// The Linux name the lab gives a vendor interface, or nil for names it never creates (NULL0).
    public static func linuxName(for vendorName: String) -> String? {
        let lower = vendorName.lowercased()
        for (vendor, linux) in [("vlan-interface", "vlanif"), ("vlanif", "vlanif")] where lower.hasPrefix(vendor) {
            let n = lower.dropFirst(vendor.count)
            return n.allSatisfy(\.isNumber) && !n.isEmpty ? linux + n : nil
        }
        if lower.hasPrefix("loopback") { return "lo" }
        for (vendor, linux) in [("ten-gigabitethernet", "xge"), ("xgigabitethernet", "xge"), ("gigabitethernet", "ge"),
                                ("fortygige", "fge"), ("40ge", "fge"), ("hundredgige", "hge"), ("100ge", "hge"), ("ethernet", "eth")]
            where lower.hasPrefix(vendor) {
            let numbers = lower.dropFirst(vendor.count).split(separator: "/")
            guard numbers.count == 3, numbers.allSatisfy({ $0.allSatisfy(\.isNumber) }) else { return nil }
            return linux + numbers.joined(separator: "-")
        }
        return nil
    }

    /// Brings the kernel from `old` to `new`: addresses, admin state, static routes. Interfaces the lab did not
    /// create are skipped (the config keeps them); each failure is returned as a message, never thrown.
    public func apply(from old: RunningConfig, to new: RunningConfig) -> [String] {
        var problems: [String] = []
        let socket: NetlinkSocket
        do { socket = try NetlinkSocket.open(in: namespace) } catch { return ["netlink: \(error)"] }
        let links = Set(((try? socket.links()) ?? []).map(\.name))
        // Routes go first: removing an address takes the routes through it with it.
        for r in old.staticRoutes where !new.staticRoutes.contains(r) {
            do { try socket.deleteRoute(kernelRoute(r)) } catch {
                if !Self.isGone(error) { problems.append("removing static route \(r.prefix): \(error)") }
            }
        }
        let names = Set(old.interfaces.map(\.name) + new.interfaces.map(\.name))
        for name in names.sorted() {
            guard let linux = linuxName(for: name), links.contains(linux) else { continue }
            let before = old.hasInterface(name) ? old[interface: name] : InterfaceConfig(name: name)
            let after = new.hasInterface(name) ? new[interface: name] : InterfaceConfig(name: name)
            for a in before.addresses where !after.addresses.contains(a) {
                do { try socket.deleteAddress(InetAddress(ipv4: a.address.value), prefixLength: a.length, from: .name(linux)) } catch {
                    if !Self.isGone(error) { problems.append("\(name): removing \(a): \(error)") }
                }
            }
            for a in after.addresses where !before.addresses.contains(a) {
                // The lab may have put the startup config's addresses there already.
                do { try socket.addAddress(InetAddress(ipv4: a.address.value), prefixLength: a.length, to: .name(linux)) } catch {
                    if !((error as? KernelError)?.isAlreadyExists ?? false) { problems.append("\(name): adding \(a): \(error)") }
                }
            }
            if before.shutdown != after.shutdown || (after.shutdown && !old.hasInterface(name)), linux != "lo" {
                do { try socket.setLink(.name(linux), up: !after.shutdown) } catch { problems.append("\(name): \(error)") }
            }
        }
        for r in new.staticRoutes where !old.staticRoutes.contains(r) {
            do { try socket.replaceRoute(kernelRoute(r)) } catch { problems.append("static route \(r.prefix): \(error)") }
        }
        return problems
    }

    /// Deleting what is already gone (an address the lab removed, a route that left with its address).
    static func isGone(_ error: Error) -> Bool {
        guard let k = error as? KernelError else { return false }
        return k.code == ESRCH || k.code == EADDRNOTAVAIL || k.code == ENOENT
    }

    private func kernelRoute(_ r: StaticRoute) -> Kernel.Route {
        let destination = InetPrefix(InetAddress(ipv4: r.prefix.address.value), length: r.prefix.length)
        if r.interface?.hasPrefix("NULL") == true || (r.nextHop == nil && r.interface == nil) {
            return .blackhole(destination, protocol: .static)
        }
        let interface = r.interface.flatMap { linuxName(for: $0) }.map { LinkID.name($0) }
        return Kernel.Route(destination, nextHops: [NextHop(gateway: r.nextHop.map { InetAddress(ipv4: $0.value) }, interface: interface)],
                            protocol: .static)
    }
}
