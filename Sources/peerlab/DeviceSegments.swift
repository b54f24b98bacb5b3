import Device
import Lab

/// Connects a switch daemon's running configuration to the lab's layer-2 plumbing: after the startup replay
/// and after every change of a port's mode or VLAN (or of the VLAN interfaces), the switch's hub segments in
/// its namespace are rebuilt to match (`LiveSegments`), so `port default vlan 99` takes the port off
/// VLAN 98's segment at once, as on the real switch.
enum DeviceSegments {
    /// The configuration's ports and VLAN interfaces in the lab's Linux names.
    static func layout(_ config: RunningConfig) -> LiveSegments.Layout {
        var ports: [String: LiveSegments.Mode] = [:]
        var vlanInterfaces: [Int: String] = [:]
        for interface in config.interfaces {
            guard let linux = KernelPlumbing.linuxName(for: interface.name) else { continue }
            if interface.isLogical {
                if linux.hasPrefix("vlanif"), let vlan = Int(linux.dropFirst("vlanif".count)) { vlanInterfaces[vlan] = interface.name }
                continue
            }
            switch interface.effectiveMode {
            case .access(let vlan): ports[linux] = .access(vlan: vlan)
            case .trunk(let allowed): ports[linux] = .trunk(allowed: allowed)
            case .routed: ports[linux] = .routed
            }
        }
        return LiveSegments.Layout(ports: ports, vlanInterfaces: vlanInterfaces)
    }

    /// Switch kinds get live plumbing; routers (quagga) have only routed Linux interfaces. `startupConfig`
    /// is the text `up` plumbed the ports from, so the first pass rewrites only what the replay changed.
    static func attach(to device: NetworkDevice, kind: String, startupConfig: String?) {
        guard let switchKind = [Kind.huaweiVRP, Kind.h3cComware].first(where: { $0.name == kind }) else { return }
        let segments = LiveSegments(plumbedAtUp: LiveSegments.Layout(startupConfig: startupConfig, kind: switchKind))
        device.attachPortPlumbing { segments.apply(layout($0)) }
    }
}
