import Foundation
import XCTest
@testable import Kernel

final class LinkTests: KernelTestCase {
    /// A veth between two namespaces with IPv4 and IPv6 addresses, then pings across it.
    func testVethAcrossNamespacesCarriesPings() throws {
        let a = try makeNamespace()
        let b = try makeNamespace()
        let na = try a.netlink()
        let nb = try b.netlink()
        try na.createVeth("a0", peer: "b0", peerNamespace: b)
        try na.addAddress(InetAddress("10.99.0.1")!, prefixLength: 24, to: "a0")
        try na.addAddress(InetAddress("fd00:99::1")!, prefixLength: 64, to: "a0")
        try nb.addAddress(InetAddress("10.99.0.2")!, prefixLength: 24, to: "b0")
        try nb.addAddress(InetAddress("fd00:99::2")!, prefixLength: 64, to: "b0")
        try na.setLinkUp("a0")
        try nb.setLinkUp("b0")

        // iproute2 sees the peer end in b, under the name given, and the addresses on both ends.
        XCTAssertEqual(try ipJSON(b, "link", "show", "b0").first?["ifname"] as? String, "b0")
        XCTAssertTrue(try ipJSON(a, "link", "show").allSatisfy { $0["ifname"] as? String != "b0" })
        let addressInfo = try ipJSON(a, "addr", "show", "dev", "a0").first?["addr_info"] as? [[String: Any]] ?? []
        let pairs = Set(addressInfo.compactMap { info -> String? in
            guard let local = info["local"] as? String, let length = info["prefixlen"] as? Int else { return nil }
            return "\(local)/\(length)"
        })
        XCTAssertTrue(pairs.isSuperset(of: ["10.99.0.1/24", "fd00:99::1/64"]), "\(pairs)")
        // NODAD: the IPv6 address is not tentative.
        let v6 = addressInfo.first { $0["local"] as? String == "fd00:99::1" }
        XCTAssertNil(v6?["tentative"])

        // Our own listing agrees.
        let listed = try na.addresses(on: "a0")
        XCTAssertTrue(listed.contains { $0.description == "10.99.0.1/24" })
        XCTAssertTrue(listed.contains { $0.description == "fd00:99::1/64" && !$0.isTentative })

        try run(["ip", "netns", "exec", a.name, "ping", "-c1", "-W1", "10.99.0.2"])
        try run(["ip", "netns", "exec", a.name, "ping", "-6", "-c1", "-W1", "fd00:99::2"])

        try na.deleteAddress(InetAddress("10.99.0.1")!, prefixLength: 24, from: "a0")
        XCTAssertFalse(try na.addresses(on: "a0").contains { $0.description == "10.99.0.1/24" })
        XCTAssertThrowsError(try na.deleteAddress(InetAddress("10.99.0.1")!, prefixLength: 24, from: "a0")) { error in
            XCTAssertTrue((error as? KernelError)?.isNotFound ?? false, "\(error)")
        }
    }

    func testLinkChangesShowInIproute2() throws {
        let a = try makeNamespace()
        let b = try makeNamespace()
        let nl = try a.netlink()
        try nl.createBridge("br0")
        try nl.createVeth("v0", peer: "v1")

        try nl.setMaster("v0", "br0")
        XCTAssertEqual(try ipJSON(a, "link", "show", "v0").first?["master"] as? String, "br0")
        let bridgeIndex = try nl.linkIndex("br0")
        XCTAssertEqual(try nl.link("v0").masterIndex, bridgeIndex)
        try nl.removeMaster("v0")
        XCTAssertNil(try ipJSON(a, "link", "show", "v0").first?["master"])

        try nl.setMTU("v0", 1400)
        XCTAssertEqual(try ipJSON(a, "link", "show", "v0").first?["mtu"] as? Int, 1400)
        try nl.setMAC("v0", Link.parseMAC("02:00:00:00:00:01")!)
        XCTAssertEqual(try ipJSON(a, "link", "show", "v0").first?["address"] as? String, "02:00:00:00:00:01")

        try nl.setLinkUp("v0")
        XCTAssertTrue((try ipJSON(a, "link", "show", "v0").first?["flags"] as? [String] ?? []).contains("UP"))
        try nl.setLinkDown("v0")
        XCTAssertFalse((try ipJSON(a, "link", "show", "v0").first?["flags"] as? [String] ?? []).contains("UP"))

        try nl.setAlias("v0", "GigabitEthernet1/0/1")
        XCTAssertEqual(try ipJSON(a, "link", "show", "v0").first?["ifalias"] as? String, "GigabitEthernet1/0/1")
        XCTAssertEqual(try nl.link("v0").alias, "GigabitEthernet1/0/1")

        try nl.renameLink("v1", to: "peer1")
        XCTAssertEqual(try ipJSON(a, "link", "show", "peer1").first?["ifname"] as? String, "peer1")

        // Our listing agrees with iproute2 on every field it reports.
        let links = try nl.links()
        for entry in try ipJSON(a, "link", "show") {
            guard let name = entry["ifname"] as? String, let mine = links.first(where: { $0.name == name }) else {
                XCTFail("link \(entry["ifname"] ?? "?") missing from links()"); continue
            }
            XCTAssertEqual(Int(mine.index), entry["ifindex"] as? Int)
            XCTAssertEqual(Int(mine.mtu), entry["mtu"] as? Int)
            XCTAssertEqual(mine.operationalState.description, entry["operstate"] as? String)
            XCTAssertEqual(mine.isUp, (entry["flags"] as? [String] ?? []).contains("UP"))
            if let mac = entry["address"] as? String { XCTAssertEqual(mine.macText, mac) }
        }
        XCTAssertEqual(links.first { $0.name == "br0" }?.kind, "bridge")
        XCTAssertEqual(links.first { $0.name == "v0" }?.kind, "veth")
        XCTAssertEqual(links.first { $0.name == "lo" }?.kind, nil)

        try nl.moveLink("peer1", to: b, newName: "moved0")
        XCTAssertTrue(try ipJSON(a, "link", "show").allSatisfy { $0["ifname"] as? String != "peer1" })
        XCTAssertEqual(try ipJSON(b, "link", "show", "moved0").first?["ifname"] as? String, "moved0")

        try nl.deleteLink("v0")
        XCTAssertTrue(try ipJSON(a, "link", "show").allSatisfy { $0["ifname"] as? String != "v0" })
        // Deleting one end removed its peer in the other namespace too.
        XCTAssertTrue(try ipJSON(b, "link", "show").allSatisfy { $0["ifname"] as? String != "moved0" })

        XCTAssertThrowsError(try nl.deleteLink("v0")) { error in
            let kernelError = error as? KernelError
            XCTAssertEqual(kernelError?.code, ENODEV)
            XCTAssertTrue(kernelError?.description.hasPrefix("deleting link v0: No such device") ?? false, "\(error)")
        }
        XCTAssertThrowsError(try nl.createVeth("br0", peer: "x1")) { error in
            XCTAssertTrue((error as? KernelError)?.isAlreadyExists ?? false, "\(error)")
        }
    }

    func testVLANAndDummyInterfacesWhereTheKernelHasThem() throws {
        let a = try makeNamespace()
        let nl = try a.netlink()
        try nl.createVeth("trunk0", peer: "trunk1")
        var supported = false
        do {
            try nl.createVLAN("trunk0.100", parent: "trunk0", id: 100)
            supported = true
            let details = try ipJSON(a, "-d", "link", "show", "trunk0.100").first
            let data = (details?["linkinfo"] as? [String: Any])?["info_data"] as? [String: Any]
            XCTAssertEqual(data?["id"] as? Int, 100)
            XCTAssertEqual(details?["link"] as? String, "trunk0")
            XCTAssertEqual(try nl.link("trunk0.100").vlanID, 100)
        } catch let error as KernelError where error.code == EOPNOTSUPP {
            // Kernels built without CONFIG_VLAN_8021Q say "Unknown device type".
            XCTAssertEqual(error.kernelMessage, "Unknown device type")
        }
        do {
            try nl.createDummy("dummy0")
            supported = true
            XCTAssertEqual(try ipJSON(a, "-d", "link", "show", "dummy0").first.flatMap { ($0["linkinfo"] as? [String: Any])?["info_kind"] as? String }, "dummy")
        } catch let error as KernelError where error.code == EOPNOTSUPP {
            XCTAssertEqual(error.kernelMessage, "Unknown device type")
        }
        XCTAssertThrowsError(try nl.createVLAN("bad", parent: "trunk0", id: 5000))
        if !supported { throw XCTSkip("this kernel has neither 802.1Q nor dummy interfaces") }
    }
}
