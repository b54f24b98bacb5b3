/// `show ip route`, Quagga 1.2.3 layout (vendor-cli.md §C.6).
public enum RouteView {
    public static let codes = [
        "Codes: K - kernel route, C - connected, S - static, R - RIP,",
        "       O - OSPF, I - IS-IS, B - BGP, P - PIM, A - Babel, N - NHRP,",
        "       > - selected route, * - FIB route",
        "",
    ]

    public static func render(_ routes: [ZebraRoute]) -> [String] {
        codes + routes.flatMap(lines)
    }

    /// One route; each further next hop (ECMP) on its own line, `via` under `via`.
    static func lines(_ r: ZebraRoute) -> [String] {
        var head = String(r.kind.rawValue) + (r.selected ? ">" : " ") + (r.installed ? "*" : " ") + " \(r.prefix)"
        if r.kind != .connected && r.kind != .kernel { head += " [\(r.distance)/\(r.metric)]" }
        let age = r.kind == .bgp ? r.uptimeSeconds.map { ", " + Uptime.age($0) } ?? "" : ""
        var out: [String] = []
        for (i, hop) in r.nextHops.enumerated() {
            let lead = i == 0 ? head : "  " + (r.installed ? "*" : " ") + String(repeating: " ", count: max(1, head.count - 3))
            out.append(lead + text(hop) + age)
        }
        if r.nextHops.isEmpty { out.append(head) }
        return out
    }

    static func text(_ hop: ZebraRoute.NextHop) -> String {
        switch hop {
        case .gateway(let gw, let interface): return " via \(gw)" + (interface.map { ", \($0)" } ?? "")
        case .connected(let name): return " is directly connected, \(name)"
        case .blackhole: return " is directly connected, Null0"
        }
    }
}
