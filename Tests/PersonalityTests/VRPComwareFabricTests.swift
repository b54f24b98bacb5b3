import XCTest
import BGPWire
import Kernel
import Device
import HuaweiVRP
import H3CComware

/// A VRP core and a Comware leaf in two namespaces of our own, joined by a veth pair standing in for VLAN 98
/// (the lab's `vlanif98` plumbing). Both are configured only by typed lines; the core is driven through its
/// console socket. (This lives here rather than in DeviceTests because that target cannot import the
/// personalities.)
final class VRPComwareFabricTests: CoreLeafFabricTestCase {
    var server: ConsoleServer?
    var socketPath = ""

    override func setUpWithError() throws {
        try super.setUpWithError()
        socketPath = NSTemporaryDirectory() + "\(Self.namespacePrefix)-\(getpid())-core.sock"
    }

    override func tearDown() {
        server?.stop()
        super.tearDown()
        unlink(socketPath)
    }

    func testCoreAndLeafPeerExchangeRoutesAndTearDown() async throws {
        let (core, leaf) = makeCoreAndLeaf(core: "HUAWEI", leaf: "H3C", installRoutes: true)
        server = ConsoleServer(path: socketPath, device: core, personality: HuaweiVRP.personality)
        try server!.start()
        let console = try ConsoleClient(socketPath: socketPath)
        XCTAssertEqual(try console.open().prompt, "<HUAWEI>")
        func vrp(_ line: String) throws -> [String] {
            let reply = try console.send(line)
            XCTAssertFalse(reply.output.contains { $0.hasPrefix("Error") }, "\(line): \(reply.output)")
            return reply.output
        }
        for line in ["system-view", "sysname Core", "vlan batch 98", "interface Vlanif98", "ip address 10.98.0.1 255.255.255.0",
                     "interface LoopBack0", "ip address 1.1.1.1 32", "quit", "bgp 65001", "router-id 1.1.1.1",
                     "peer 10.98.0.2 as-number 65009", "peer 10.98.0.2 connect-interface Vlanif98", "ipv4-family unicast",
                     "network 1.1.1.1 255.255.255.255", "quit"] {
            _ = try vrp(line)
        }
        let leafSession = H3CComware.personality.session(on: leaf)
        for line in ["system-view", "sysname leaf01", "vlan 98", "quit", "interface Vlan-interface98", "ip address 10.98.0.2 24",
                     "interface LoopBack0", "ip address 2.2.2.2 32", "quit", "bgp 65009", "router-id 2.2.2.2",
                     "peer 10.98.0.1 as-number 65001", "address-family ipv4 unicast", "network 2.2.2.2 32"] {
            let reply = await leafSession.execute(line: line)
            XCTAssertEqual(reply.lines.filter { $0.hasPrefix(" %") }, [], line)
        }

        // The addresses typed went into the namespaces.
        let coreAddresses = try namespaces[0].netlink().addresses().map(\.description)
        XCTAssertTrue(coreAddresses.contains("10.98.0.1/24"), "\(coreAddresses)")
        XCTAssertTrue(coreAddresses.contains("1.1.1.1/32"), "\(coreAddresses)")

        let established = try await eventually { try vrp("display bgp peer").contains { $0.hasPrefix("  10.98.0.2") && $0.contains("Established") } }
        let peerTable = try vrp("display bgp peer").joined(separator: "\n")
        XCTAssertTrue(established, peerTable)

        // Comware exchanges IPv4 routes only after `peer X enable`: the session is up, but nothing came from the leaf.
        XCTAssertFalse(try vrp("display bgp routing-table").contains { $0.contains("2.2.2.2/32") })
        let verbose = await leafSession.execute(line: "display bgp peer ipv4 10.98.0.1 verbose")
        XCTAssertTrue(verbose.lines.contains { $0.contains("Address family IPv4 Unicast: not negotiated") }, verbose.text)
        let enabled = await leafSession.execute(line: "peer 10.98.0.1 enable")
        XCTAssertEqual(enabled.lines, [])

        let learned = try await eventually {
            try vrp("display bgp routing-table").contains { $0.hasPrefix(" *>") && $0.contains("2.2.2.2/32") && $0.hasSuffix("65009i") }
        }
        let coreTable = try vrp("display bgp routing-table").joined(separator: "\n")
        XCTAssertTrue(learned, coreTable)
        let leafTable = await leafSession.execute(line: "display bgp routing-table ipv4")
        XCTAssertTrue(leafTable.lines.contains { $0.hasPrefix("* >e") && $0.contains("1.1.1.1/32") && $0.hasSuffix("65001i") }, leafTable.text)

        // The best route reached the core's kernel, via the leaf, as protocol bgp.
        let inKernel = try await eventually {
            try namespaces[0].netlink().routes().contains { r in
                r.destination.description == "2.2.2.2/32" && r.protocol == .bgp && r.nextHops.first?.gateway?.description == "10.98.0.2"
            }
        }
        XCTAssertTrue(inKernel)
        XCTAssertTrue(try vrp("display ip routing-table protocol bgp").contains { $0.contains("2.2.2.2/32") && $0.contains("EBGP") })

        // `undo peer` on the core ends the session; the leaf sees it leave Established.
        _ = try vrp("undo peer 10.98.0.2")
        let down = await eventually {
            let out = await leafSession.execute(line: "display bgp peer ipv4")
            return out.lines.contains { $0.hasPrefix("  10.98.0.1") && !$0.hasSuffix("Established") }
        }
        XCTAssertTrue(down)
        let withdrawn = try await eventually { !(try vrp("display bgp routing-table").contains { $0.contains("2.2.2.2/32") }) }
        XCTAssertTrue(withdrawn)
        console.close()
    }
}
