import XCTest
import BGPWire
import CLIEngine
import Device
@testable import HuaweiVRP
@testable import H3CComware
@testable import Quagga

/// The engine's conventions on the real command tables (CLIEngineTests check them on fixtures): caret errors
/// with their columns, `?` in the `display ?` and `dis?` forms, Tab candidates, and an `undo` / `no` form that
/// really reverses every configuration command that declares one.
final class CLIConventionTests: XCTestCase {
    func errors(_ s: Session<NetworkDevice>, _ line: String) async -> [String] { await s.execute(line: line).lines }

    func caret(_ column: Int) -> String { String(repeating: " ", count: column) + "^" }

    // MARK: Errors

    func testVRPCaretErrorsOnTheRealTable() async {
        let c = VRPConsole()  // `<HUAWEI>` is 8 columns
        var out = await errors(c.session, "display bgp pear")
        XCTAssertEqual(out, [caret(8 + 12), "Error: Unrecognized command found at '^' position."])
        out = await errors(c.session, "display bgp")
        XCTAssertEqual(out, [caret(8 + 11 + 1), "Error:Incomplete command found at '^' position."], "VRP5 writes no blank after the colon")
        out = await errors(c.session, "dis i")
        XCTAssertEqual(out, [caret(8 + 4), "Error: Ambiguous command found at '^' position."], "interface and ip")
        out = await errors(c.session, "display version now")
        XCTAssertEqual(out, [caret(8 + 16), "Error: Too many parameters found at '^' position."])
        await c.type(["sys"])  // `[HUAWEI]` is 8 columns too
        out = await errors(c.session, "vlan batch 5000")
        XCTAssertEqual(out, [caret(8 + 11), "Error: Wrong parameter found at '^' position."])
        out = await errors(c.session, "bgp 65001 x")
        XCTAssertEqual(out, [caret(8 + 10), "Error: Too many parameters found at '^' position."])
    }

    func testComwareCaretErrorsOnTheRealTable() async {
        let c = ComwareConsole()  // `<H3C>` is 5 columns
        var out = await errors(c.session, "display bgp peer ipv5")
        XCTAssertEqual(out, [caret(5 + 17), " % Unrecognized command found at '^' position."])
        out = await errors(c.session, "show bgp peer")
        XCTAssertEqual(out, [caret(5 + 13 + 1), " % Incomplete command found at '^' position."])
        out = await errors(c.session, "s")
        XCTAssertEqual(out, [caret(5), " % Ambiguous command found at '^' position."], "save and system-view")
        await c.type(["system-view", "bgp 65009"])  // `[H3C-bgp-default]` is 17 columns
        out = await errors(c.session, "peer 10.0.0.256 as-number 1")
        XCTAssertEqual(out, [caret(17 + 5), " % Wrong parameter found at '^' position."])
    }

    func testQuaggaPercentErrorsOnTheRealTable() async {
        let device = NetworkDevice(kind: "quagga", config: RunningConfig(hostname: "router"), offline: true)
        defer { device.shutdown() }
        let s = Quagga.personality.session(on: device)
        var out = await errors(s, "show ip bgp sumary")
        XCTAssertEqual(out, ["% Unknown command."])
        out = await errors(s, "show ip")
        XCTAssertEqual(out, ["% Command incomplete."])
        out = await errors(s, "c")
        XCTAssertEqual(out, ["% Ambiguous command."], "configure and copy")
    }

    // MARK: `?` and Tab

    func testQuestionMarkAfterABlankAndInsideAWord() async {
        let vrp = VRPConsole()
        let next = vrp.session.describeLines(line: "display ")
        XCTAssertEqual(next.map { $0.split(separator: " ").first.map(String.init) ?? "" },
                       ["bgp", "current-configuration", "interface", "ip", "this", "version", "vlan", ""])
        // `"  %-*s  %s"` with the width of the longest keyword, then a blank line.
        XCTAssertEqual(next[0], "  bgp" + String(repeating: " ", count: 21 - 3) + "  BGP information")
        XCTAssertEqual(next.last, "")
        XCTAssertEqual(vrp.session.describeLines(line: "dis"), ["  display", ""], "`dis?` lists matching words only")
        XCTAssertEqual(vrp.session.describeLines(line: "display cu"), ["  current-configuration", ""])
        XCTAssertEqual(vrp.session.describeLines(line: "").first, "User view commands:")

        let comware = ComwareConsole()
        XCTAssertEqual(comware.session.describeLines(line: "show bgp peer "), ["  ipv4  IPv4 address family", ""])
        let displays = comware.session.describeLines(line: "display ").compactMap { $0.split(separator: " ").first.map(String.init) }
        XCTAssertTrue(displays.contains("version") && displays.contains("this"), "\(displays)")
        XCTAssertEqual(comware.session.describeLines(line: "dis"), ["  display", ""])

        let device = NetworkDevice(kind: "quagga", config: RunningConfig(hostname: "router"), offline: true)
        defer { device.shutdown() }
        let quagga = Quagga.personality.session(on: device)
        XCTAssertEqual(quagga.describeLines(line: "show ip bgp su"), ["  summary  Summary of BGP neighbor status"])
        XCTAssertEqual(quagga.describeLines(line: "show ip ").first, "  bgp         BGP information")
    }

    func testTabCandidates() async {
        let vrp = VRPConsole()
        XCTAssertEqual(vrp.session.completedLine(line: "sy"), "system-view ")
        XCTAssertEqual(vrp.session.completedLine(line: "dis cu"), "dis current-configuration ")
        XCTAssertEqual(vrp.session.complete(line: "display i"), ["interface", "ip"])
        XCTAssertNil(vrp.session.completedLine(line: "display i"), "two candidates: Tab cycles, the line stays")
        await vrp.type(["sys", "bgp 65001"])
        XCTAssertEqual(vrp.session.complete(line: "peer 10.0.0.1 i"), ["ignore"])
        XCTAssertEqual(vrp.session.complete(line: "xyz "), [])

        let comware = ComwareConsole()
        XCTAssertEqual(comware.session.complete(line: "show bgp peer i"), ["ipv4"])
        XCTAssertEqual(comware.session.completedLine(line: "dis ver"), "dis version ")
    }

    // MARK: undo / no

    /// One configuration command exercised both ways: `apply` must change the configuration text, `reverse`
    /// must restore it exactly. `setup` runs first (from the login view).
    struct Case {
        let setup: [String]
        let apply: [String]
        let reverse: [String]
        init(_ setup: [String], _ apply: [String], _ reverse: [String]) { self.setup = setup; self.apply = apply; self.reverse = reverse }
    }

    /// Runs every case; returns the grammars each direction matched, to compare with the table's declarations.
    func exercise(_ cases: [Case], tree: CommandTree<NetworkDevice>, session: () -> (Session<NetworkDevice>, () -> String),
                  file: StaticString = #filePath, line: UInt = #line) async -> (applied: Set<String>, reversed: Set<String>) {
        var applied = Set<String>(), reversed = Set<String>()
        for c in cases {
            let (s, text) = session()
            func type(_ lines: [String], into set: inout Set<String>, negated: Bool?) async {
                for l in lines {
                    if case .ok(let m) = tree.match(l, in: s.currentView), negated == nil || m.negated == negated {
                        set.insert(m.grammar)
                    }
                    let r = await s.execute(line: l)
                    XCTAssertFalse(r.refused, "\(l): \(r.lines)", file: file, line: line)
                }
            }
            var ignored = Set<String>()
            await type(c.setup, into: &ignored, negated: nil)
            let before = text()
            await type(c.apply, into: &applied, negated: nil)
            XCTAssertNotEqual(text(), before, "\(c.apply) changed nothing", file: file, line: line)
            await type(c.reverse, into: &reversed, negated: nil)
            XCTAssertEqual(text(), before, "\(c.reverse) did not reverse \(c.apply)", file: file, line: line)
        }
        return (applied, reversed)
    }

    /// The grammars of the commands that declare a negation, and their negated spellings.
    func negatable(_ tree: CommandTree<NetworkDevice>, undo: String) -> (plain: Set<String>, negated: Set<String>) {
        var plain = Set<String>(), negated = Set<String>()
        for c in tree.commands where c.negation != .none {
            plain.insert(c.grammar)
            if case .grammar(let g) = c.negation { negated.insert(undo + " " + g) } else { negated.insert(undo + " " + c.grammar) }
        }
        return (plain, negated)
    }

    func testEveryVRPUndoReversesItsCommand() async {
        let bgp = ["system-view", "bgp 65001"]
        let peer = bgp + ["peer 10.0.0.2 as-number 65002"]
        let group = bgp + ["group rr internal"]
        let port = ["system-view", "vlan batch 10 20", "interface GigabitEthernet0/0/1"]
        let cases = [
            Case(["system-view"], ["sysname Core"], ["undo sysname"]),
            Case(["system-view"], ["vlan batch 10 20 to 22"], ["undo vlan batch 10 20 to 22"]),
            Case(["system-view"], ["interface Vlanif98"], ["undo interface Vlanif98"]),
            Case(["system-view"], ["ip route-static 10.9.0.0 16 10.0.0.254"], ["undo ip route-static 10.9.0.0 16 10.0.0.254"]),
            Case(["system-view"], ["bgp 65001", "quit"], ["undo bgp 65001"]),
            Case(["system-view", "interface Vlanif98"], ["ip address 10.98.0.1 24"], ["undo ip address"]),
            Case(["system-view", "interface Vlanif98"], ["description to nodes"], ["undo description"]),
            Case(["system-view", "interface Vlanif98"], ["shutdown"], ["undo shutdown"]),
            Case(port, ["port link-type trunk"], ["undo port link-type"]),
            Case(port + ["port link-type access"], ["port default vlan 10"], ["undo port default vlan"]),
            Case(port + ["port link-type trunk"], ["port trunk allow-pass vlan 10 20"], ["undo port trunk allow-pass vlan 10 20"]),
            Case(port, ["undo portswitch"], ["portswitch"]),
            Case(bgp, ["router-id 1.1.1.1"], ["undo router-id"]),
            Case(bgp, ["peer 10.0.0.2 as-number 65002"], ["undo peer 10.0.0.2"]),
            Case(bgp + ["group rr external"], ["peer rr as-number 65002"], ["undo peer rr as-number"]),
            Case(peer, ["peer 10.0.0.2 connect-interface LoopBack0"], ["undo peer 10.0.0.2 connect-interface"]),
            Case(peer, ["peer 10.0.0.2 ebgp-max-hop 2"], ["undo peer 10.0.0.2 ebgp-max-hop"]),
            Case(peer, ["peer 10.0.0.2 password cipher s3cret"], ["undo peer 10.0.0.2 password"]),
            Case(peer, ["peer 10.0.0.2 ignore"], ["undo peer 10.0.0.2 ignore"]),
            Case(peer, ["peer 10.0.0.2 description leaf"], ["undo peer 10.0.0.2 description"]),
            Case(peer + ["group rr external"], ["peer 10.0.0.2 group rr"], ["undo peer 10.0.0.2 group rr"]),
            Case(bgp, ["group rr internal"], ["undo group rr"]),
            Case(bgp, ["undo synchronization"], ["synchronization"]),
            Case(peer, ["undo peer 10.0.0.2 enable"], ["peer 10.0.0.2 enable"]),
            Case(peer, ["peer 10.0.0.2 reflect-client"], ["undo peer 10.0.0.2 reflect-client"]),
            Case(peer, ["peer 10.0.0.2 next-hop-local"], ["undo peer 10.0.0.2 next-hop-local"]),
            Case(bgp, ["reflector cluster-id 1.1.1.1"], ["undo reflector cluster-id"]),
            Case(bgp, ["compare-different-as-med"], ["undo compare-different-as-med"]),
            Case(bgp, ["network 10.1.1.0 24"], ["undo network 10.1.1.0 24"]),
            Case(bgp, ["import-route direct"], ["undo import-route direct"]),
            Case(bgp, ["maximum load-balancing 4"], ["undo maximum load-balancing"]),
            Case(bgp, ["timer keepalive 10 hold 30"], ["undo timer"]),
            Case(peer, ["peer 10.0.0.2 timer keepalive 10 hold 30"], ["undo peer 10.0.0.2 timer"]),
            // Every peer option on a group too; a member without its own AS goes with its membership.
            Case(group, ["peer rr connect-interface LoopBack0"], ["undo peer rr connect-interface"]),
            Case(group, ["peer rr ebgp-max-hop 2"], ["undo peer rr ebgp-max-hop"]),
            Case(group, ["peer rr password cipher s3cret"], ["undo peer rr password"]),
            Case(group, ["peer rr ignore"], ["undo peer rr ignore"]),
            Case(group, ["peer rr description clients"], ["undo peer rr description"]),
            Case(group, ["peer rr timer keepalive 10 hold 30"], ["undo peer rr timer"]),
            Case(group, ["undo peer rr enable"], ["peer rr enable"]),
            Case(group, ["peer rr reflect-client"], ["undo peer rr reflect-client"]),
            Case(group, ["ipv4-family unicast", "peer rr next-hop-local"], ["undo peer rr next-hop-local"]),
            Case(group, ["peer 10.0.0.3 group rr"], ["undo peer 10.0.0.3 group rr"]),
        ]
        var consoles: [VRPConsole] = []
        let (applied, reversed) = await exercise(cases, tree: HuaweiVRP.tree) {
            let c = VRPConsole()
            consoles.append(c)
            return (c.session, { VRPConfiguration.text(c.device.config) })
        }
        let declared = negatable(HuaweiVRP.tree, undo: "undo")
        XCTAssertEqual(declared.plain.subtracting(applied.union(reversed)), [], "commands with an undo form that no case runs")
        XCTAssertEqual(declared.negated.subtracting(applied.union(reversed)), [], "undo forms that no case runs")
    }

    func testEveryComwareUndoReversesItsCommand() async {
        let bgp = ["system-view", "bgp 65009"]
        let peer = bgp + ["peer 10.0.0.1 as-number 65001"]
        let family = peer + ["address-family ipv4 unicast"]
        let group = bgp + ["group rr internal"]
        let groupFamily = group + ["address-family ipv4 unicast"]
        let port = ["system-view", "vlan 10 to 11", "interface GigabitEthernet1/0/1"]
        let cases = [
            Case(["system-view"], ["sysname leaf01"], ["undo sysname"]),
            Case(["system-view"], ["vlan 98", "quit"], ["undo vlan 98"]),
            Case(["system-view"], ["vlan 100 to 102"], ["undo vlan 100 to 102"]),
            Case(["system-view"], ["interface Vlan-interface98"], ["undo interface Vlan-interface98"]),
            Case(["system-view"], ["ip route-static 10.9.0.0 16 10.0.0.254"], ["undo ip route-static 10.9.0.0 16 10.0.0.254"]),
            Case(["system-view"], ["bgp 65009", "quit"], ["undo bgp 65009"]),
            Case(["system-view", "interface Vlan-interface98"], ["ip address 10.98.0.2 24"], ["undo ip address"]),
            Case(["system-view", "interface Vlan-interface98"], ["description to nodes"], ["undo description"]),
            Case(["system-view", "interface Vlan-interface98"], ["shutdown"], ["undo shutdown"]),
            Case(port, ["port link-mode route"], ["undo port link-mode"]),
            Case(port, ["port link-type trunk"], ["undo port link-type"]),
            Case(port, ["port access vlan 10"], ["undo port access vlan"]),
            Case(port + ["port link-type trunk"], ["port trunk permit vlan 10 11"], ["undo port trunk permit vlan 10 11"]),
            Case(bgp, ["router-id 2.2.2.2"], ["undo router-id"]),
            Case(bgp, ["peer 10.0.0.1 as-number 65001"], ["undo peer 10.0.0.1"]),
            Case(bgp + ["group rr external"], ["peer rr as-number 65001"], ["undo peer rr as-number"]),
            Case(peer, ["peer 10.0.0.1 connect-interface LoopBack0"], ["undo peer 10.0.0.1 connect-interface"]),
            Case(peer, ["peer 10.0.0.1 ebgp-max-hop"], ["undo peer 10.0.0.1 ebgp-max-hop"]),
            Case(bgp, ["timer keepalive 10 hold 30"], ["undo timer"]),
            Case(peer, ["peer 10.0.0.1 timer keepalive 10 hold 30"], ["undo peer 10.0.0.1 timer"]),
            Case(peer, ["peer 10.0.0.1 password simple s3cret"], ["undo peer 10.0.0.1 password"]),
            Case(peer, ["peer 10.0.0.1 ignore"], ["undo peer 10.0.0.1 ignore"]),
            Case(peer, ["peer 10.0.0.1 description spine"], ["undo peer 10.0.0.1 description"]),
            Case(peer + ["group rr external"], ["peer 10.0.0.1 group rr"], ["undo peer 10.0.0.1 group rr"]),
            Case(bgp, ["group rr"], ["undo group rr"]),
            Case(family, ["peer 10.0.0.1 enable"], ["undo peer 10.0.0.1 enable"]),
            Case(family, ["peer 10.0.0.1 reflect-client"], ["undo peer 10.0.0.1 reflect-client"]),
            Case(family, ["peer 10.0.0.1 next-hop-local"], ["undo peer 10.0.0.1 next-hop-local"]),
            Case(family, ["reflector cluster-id 100"], ["undo reflector cluster-id"]),
            Case(family, ["compare-different-as-med"], ["undo compare-different-as-med"]),
            Case(family, ["network 2.2.2.2 32"], ["undo network 2.2.2.2 32"]),
            Case(family, ["import-route static"], ["undo import-route static"]),
            Case(family, ["balance 8"], ["undo balance"]),
            Case(group, ["peer rr connect-interface LoopBack0"], ["undo peer rr connect-interface"]),
            Case(group, ["peer rr ebgp-max-hop"], ["undo peer rr ebgp-max-hop"]),
            Case(group, ["peer rr password simple s3cret"], ["undo peer rr password"]),
            Case(group, ["peer rr ignore"], ["undo peer rr ignore"]),
            Case(group, ["peer rr description leaves"], ["undo peer rr description"]),
            Case(group, ["peer rr timer keepalive 10 hold 30"], ["undo peer rr timer"]),
            Case(group, ["peer 10.0.0.3 group rr"], ["undo peer 10.0.0.3 group rr"]),
            Case(groupFamily, ["peer rr enable"], ["undo peer rr enable"]),
            Case(groupFamily, ["peer rr reflect-client"], ["undo peer rr reflect-client"]),
            Case(groupFamily, ["peer rr next-hop-local"], ["undo peer rr next-hop-local"]),
        ]
        var consoles: [ComwareConsole] = []
        let (applied, reversed) = await exercise(cases, tree: H3CComware.tree) {
            let c = ComwareConsole()
            consoles.append(c)
            return (c.session, { ComwareConfiguration.text(c.device.config) })
        }
        let declared = negatable(H3CComware.tree, undo: "undo")
        XCTAssertEqual(declared.plain.subtracting(applied.union(reversed)), [], "commands with an undo form that no case runs")
        XCTAssertEqual(declared.negated.subtracting(applied.union(reversed)), [], "undo forms that no case runs")
    }

    func testEveryQuaggaNoReversesItsCommand() async {
        let bgp = ["configure terminal", "router bgp 7675"]
        let peer = bgp + ["neighbor 172.31.13.27 remote-as 64512"]
        let group = bgp + ["neighbor RR peer-group"]
        let cases = [
            Case(["configure terminal"], ["router bgp 7675", "exit"], ["no router bgp 7675"]),
            Case(bgp, ["bgp router-id 10.0.0.1"], ["no bgp router-id"]),
            Case(bgp, ["bgp cluster-id 10.0.0.1"], ["no bgp cluster-id"]),
            Case(bgp, ["network 10.1.0.0/24"], ["no network 10.1.0.0/24"]),
            Case(bgp, ["network 10.0.0.0"], ["no network 10.0.0.0"]),
            Case(bgp, ["maximum-paths 4"], ["no maximum-paths"]),
            Case(bgp, ["redistribute connected"], ["no redistribute connected"]),
            Case(bgp, ["neighbor 172.31.13.27 remote-as 64512"], ["no neighbor 172.31.13.27"]),
            Case(peer, ["neighbor 172.31.13.27 description k8s-1"], ["no neighbor 172.31.13.27 description"]),
            Case(peer, ["neighbor 172.31.13.27 password s3cret"], ["no neighbor 172.31.13.27 password"]),
            Case(peer, ["neighbor 172.31.13.27 ebgp-multihop 2"], ["no neighbor 172.31.13.27 ebgp-multihop"]),
            Case(peer, ["neighbor 172.31.13.27 update-source 10.0.0.1"], ["no neighbor 172.31.13.27 update-source"]),
            Case(peer, ["neighbor 172.31.13.27 next-hop-self"], ["no neighbor 172.31.13.27 next-hop-self"]),
            Case(peer, ["neighbor 172.31.13.27 route-reflector-client"], ["no neighbor 172.31.13.27 route-reflector-client"]),
            Case(peer, ["no neighbor 172.31.13.27 activate"], ["neighbor 172.31.13.27 activate"]),
            Case(peer, ["neighbor 172.31.13.27 shutdown"], ["no neighbor 172.31.13.27 shutdown"]),
            Case(bgp, ["timers bgp 10 30"], ["no timers bgp"]),
            Case(peer, ["neighbor 172.31.13.27 timers 10 30"], ["no neighbor 172.31.13.27 timers"]),
            Case(bgp, ["neighbor RR peer-group"], ["no neighbor RR peer-group"]),
            Case(group, ["neighbor RR remote-as 7675"], ["no neighbor RR remote-as 7675"]),
            Case(group + ["neighbor RR remote-as 7675"], ["neighbor 10.0.0.9 peer-group RR"], ["no neighbor 10.0.0.9 peer-group RR"]),
            Case(group, ["neighbor RR description clients"], ["no neighbor RR description"]),
            Case(group, ["neighbor RR password s3cret"], ["no neighbor RR password"]),
            Case(group, ["neighbor RR ebgp-multihop 2"], ["no neighbor RR ebgp-multihop"]),
            Case(group, ["neighbor RR update-source 10.0.0.1"], ["no neighbor RR update-source"]),
            Case(group, ["neighbor RR next-hop-self"], ["no neighbor RR next-hop-self"]),
            Case(group, ["neighbor RR route-reflector-client"], ["no neighbor RR route-reflector-client"]),
            Case(group, ["no neighbor RR activate"], ["neighbor RR activate"]),
            Case(group, ["neighbor RR shutdown"], ["no neighbor RR shutdown"]),
            Case(group, ["neighbor RR timers 10 30"], ["no neighbor RR timers"]),
            Case(["configure terminal"], ["hostname bgp-router"], ["no hostname"]),
            Case(["configure terminal"], ["password zebra"], ["no password"]),
            Case(["configure terminal"], ["enable password zebra"], ["no enable password"]),
            Case(["configure terminal"], ["log file /var/log/quagga/bgpd.log"], ["no log file"]),
            Case(["configure terminal"], ["ip route 10.9.0.0/16 172.31.13.1"], ["no ip route 10.9.0.0/16 172.31.13.1"]),
            Case(["configure terminal"], ["ip route 10.9.0.0 255.255.0.0 blackhole"], ["no ip route 10.9.0.0 255.255.0.0 blackhole"]),
            Case(["configure terminal"], ["interface eth1", "exit"], ["no interface eth1"]),
            Case(["configure terminal", "interface eth0"], ["ip address 172.31.13.116/24"], ["no ip address 172.31.13.116/24"]),
            Case(["configure terminal", "interface eth0"], ["description uplink"], ["no description"]),
            Case(["configure terminal", "interface eth0"], ["shutdown"], ["no shutdown"]),
        ]
        var devices: [NetworkDevice] = []
        defer { devices.forEach { $0.shutdown() } }
        let (applied, reversed) = await exercise(cases, tree: Quagga.tree) {
            let d = NetworkDevice(kind: "quagga", config: RunningConfig(hostname: Quagga.defaultHostname), offline: true)
            devices.append(d)
            return (Quagga.personality.session(on: d), { ConfigText.running(d).joined(separator: "\n") })
        }
        let declared = negatable(Quagga.tree, undo: "no")
        XCTAssertEqual(declared.plain.subtracting(applied.union(reversed)), [], "commands with a no form that no case runs")
        XCTAssertEqual(declared.negated.subtracting(applied.union(reversed)), [], "no forms that no case runs")
    }
}
