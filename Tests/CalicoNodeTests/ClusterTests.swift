import Foundation
import XCTest
import BGPWire
import Calico
import Kernel
@testable import CalicoNode

final class ClusterTests: CalicoNodeTestCase {
    /// Both nodes and seed 000's default pool (no IPIP on this kernel, natOutgoing on).
    static let nodesYAML = CalicoYAML.documents(CalicoYAML.twoNodes, CalicoYAML.pool("default-ipv4-ippool", cidr: "10.244.0.0/16", """
        blockSize: 26
        ipipMode: Never
        natOutgoing: true
        """))

    /// Seed 000's full mesh, then its route-reflector steps applied live, with pods pinging across nodes.
    func testMeshThenRouteReflectorWithPodsPinging() throws {
        let nodes = try makeTwoNodes()
        apply(Self.nodesYAML)
        addPod("web-1", on: "node1")
        addPod("web-2", on: "node2")
        try startAgents(nodes.map(\.name))

        // Full mesh: each node sees the other as an Established node-to-node mesh peer.
        XCTAssertTrue(eventually(30, "mesh sessions") {
            peerSummary("node1") == ["172.20.0.12 node-to-node mesh up Established"]
                && peerSummary("node2") == ["172.20.0.11 node-to-node mesh up Established"]
        })
        let status = NodeStatusFiles(datastoreDirectory: storeDirectory, node: "node1").nodeStatus(isRoot: true)
        XCTAssertTrue(status.stdout.hasPrefix("Calico process is running.\n\nIPv4 BGP status\n"), status.stdout)
        XCTAssertTrue(status.stdout.contains("No IPv6 peers found."), status.stdout)

        // Pods got addresses from their node's block and reach each other across the nodes.
        let ip1 = try XCTUnwrap(podIP("web-1")), ip2 = try XCTUnwrap(podIP("web-2"))
        XCTAssertTrue(ip1.hasPrefix("10.244.") && ip2.hasPrefix("10.244."))
        let pod1 = prefix + "node1-web-1", pod2 = prefix + "node2-web-2"
        XCTAssertTrue(NetworkNamespace.exists(pod1) && NetworkNamespace.exists(pod2))
        XCTAssertTrue(try eventually(30, "pod web-1 → web-2 over the mesh") { try ping(from: pod1, to: ip2) })
        XCTAssertTrue(try ping(from: pod2, to: ip1))

        // Node 1's kernel: its own block blackholed, node 2's block via node 2 (proto bird), the pod's /32 on its cali.
        let routes = try nodeNamespaces[0].netlink().routes(family: UInt8(AF_INET))
        let wired1 = try XCTUnwrap(agents["node1"]?.wiredPods["default/web-1"])
        XCTAssertTrue(routes.contains { $0.type == .blackhole && $0.protocol == .bird && $0.destination.length == 26 })
        XCTAssertTrue(routes.contains { $0.protocol == .bird && $0.nextHops.first?.gateway == InetAddress("172.20.0.12") })
        XCTAssertTrue(routes.contains { $0.destination == InetPrefix(ip1 + "/32") && $0.nextHops.first?.interfaceIndex != nil && $0.effectiveScope == .link })
        XCTAssertTrue(wired1.interfaceName.hasPrefix("cali"))

        // Seed 000's route-reflector steps, live.
        for out in SeedRouteReflectorSteps.run(Calicoctl(store: store), reflector: "node1") { XCTAssertEqual(out.exitCode, 0) }
        XCTAssertTrue(eventually(30, "route-reflector sessions") {
            peerSummary("node2") == ["172.20.0.11 node specific up Established"]
                && peerSummary("node1") == ["172.20.0.12 node specific up Established"]
        })
        XCTAssertTrue(try eventually(30, "pods still reach each other through the reflector") { try ping(from: pod1, to: ip2) })
        XCTAssertTrue(try ping(from: pod2, to: ip1))
    }
}

final class PoolMigrationTests: CalicoNodeTestCase {
    /// Seed 004's migration: add a pool, disable the old one, delete the pod; its replacement gets an
    /// address in the new pool, the node announces the new block and pods reach it. The new pool asks for
    /// IPIP, which this kernel lacks: its routes are programmed directly, as with ipipMode Never.
    func testPodRecreatedInNewPoolIsReachable() throws {
        let nodes = try makeTwoNodes()
        apply(ClusterTests.nodesYAML)
        addPod("web-1", on: "node1")
        addPod("kube-dns-6f4fd4bdf-8q7zp", on: "node2", namespace: "kube-system")
        try startAgents(nodes.map(\.name))
        func calicoctl(_ args: [String], _ stdin: String) -> CommandOutput { self.calicoctl(args, stdin: stdin, on: "node2") }

        XCTAssertTrue(eventually(30, "mesh") { statusRows("node2").first?.info == "Established" })
        let status = calicoctl(["node", "status"], "").stdout
        XCTAssertTrue(status.contains("| 172.20.0.11  | node-to-node mesh | up    |"), status)
        // Adding an explicit peer starts one protocol and leaves the mesh session alone (BIRD reconfigure).
        let meshSince = try XCTUnwrap(statusRows("node2").first?.since)
        Thread.sleep(forTimeInterval: 1.1)
        XCTAssertEqual(calicoctl(["apply", "-f", "-"], """
            apiVersion: projectcalico.org/v3
            kind: BGPPeer
            metadata:
              name: tor
            spec:
              peerIP: 172.20.0.254
              asNumber: 65001
              reachableBy: 172.20.0.1
            """).exitCode, 0)
        XCTAssertTrue(eventually(30, "global peer listed") { statusRows("node2").count == 2 })
        func torRoute() throws -> Bool {
            try nodeNamespaces[1].netlink().routes(family: UInt8(AF_INET)).contains {
                $0.destination == InetPrefix("172.20.0.254/32") && $0.protocol == .bird && $0.nextHops.first?.gateway == InetAddress("172.20.0.1")
            }
        }
        XCTAssertTrue(try eventually(10, "reachableBy static route") { try torRoute() })
        let rows = statusRows("node2")
        XCTAssertEqual(rows.map(\.peerType), ["node-to-node mesh", "global"])
        XCTAssertEqual(rows[0].since, meshSince, "the mesh session was reset")
        XCTAssertEqual(rows[1].state, "start")
        XCTAssertEqual(calicoctl(["delete", "bgppeer", "tor"], "").exitCode, 0)
        XCTAssertTrue(try eventually(10, "reachableBy route removed with its peer") { try !torRoute() })

        // Service cluster IPs: every node originates the range (BIRD static blackhole, exported) but keeps
        // it out of its kernel ("Don't program static routes into kernel").
        XCTAssertEqual(calicoctl(["apply", "-f", "-"], """
            apiVersion: projectcalico.org/v3
            kind: BGPConfiguration
            metadata:
              name: default
            spec:
              serviceClusterIPs:
              - cidr: 10.96.0.0/12
            """).exitCode, 0)
        let services = try XCTUnwrap(Prefix("10.96.0.0/12"))
        XCTAssertTrue(eventually(20, "node1 learns the service range from node2") {
            agents["node1"]?.bgpStatus()?.routes.contains { $0.prefix == services && $0.peer == IPAddress("172.20.0.12") } ?? false
        })
        for ns in nodeNamespaces {
            let routes = try ns.netlink().routes(family: UInt8(AF_INET))
            XCTAssertFalse(routes.contains { $0.destination == InetPrefix("10.96.0.0/12") }, "\(ns.name): \(routes)")
        }

        let web1 = try XCTUnwrap(podIP("web-1"))
        let dnsNS = prefix + "node2-kube-system-kube-dns-6f4fd4bdf-8q7zp"
        XCTAssertTrue(try eventually(30, "kube-dns → web-1") { try ping(from: dnsNS, to: web1) })

        XCTAssertEqual(calicoctl(["create", "-f", "-"], """
            apiVersion: projectcalico.org/v3
            kind: IPPool
            metadata:
              name: new-pool
            spec:
              cidr: 10.0.0.0/16
              ipipMode: Always
              natOutgoing: true
            """).stdout, "Successfully created 1 'IPPool' resource(s)\n")
        XCTAssertEqual(calicoctl(["apply", "-f", "-"], """
            apiVersion: projectcalico.org/v3
            kind: IPPool
            metadata:
              name: default-ipv4-ippool
            spec:
              cidr: 10.244.0.0/16
              blockSize: 26
              ipipMode: Never
              natOutgoing: true
              disabled: true
            """).stdout, "Successfully applied 1 'IPPool' resource(s)\n")
        XCTAssertEqual(kubectl(["delete", "pod", "-n", "kube-system", "kube-dns-6f4fd4bdf-8q7zp"], node: "node2").stdout,
                       "pod \"kube-dns-6f4fd4bdf-8q7zp\" deleted\n")
        var newIP = ""
        XCTAssertTrue(eventually(30, "kube-dns rewired in the new pool") {
            guard case .pod(let p)? = try? store.get(.pod, "kube-dns-6f4fd4bdf-8q7zp", namespace: "kube-system"), let ip = p.podIP else { return false }
            newIP = ip
            return ip.hasPrefix("10.0.") && agents["node2"]?.wiredPods["kube-system/kube-dns-6f4fd4bdf-8q7zp"]?.address.description == ip
        })
        let wep = calicoctl(["get", "wep", "--all-namespaces"], "").stdout
        XCTAssertTrue(wep.contains("\(newIP)/32"), wep)
        XCTAssertTrue(try eventually(30, "web-1 → kube-dns at its new address") { try ping(from: prefix + "node1-web-1", to: newIP) })
        XCTAssertEqual(calicoctl(["delete", "pool", "default-ipv4-ippool"], "").stdout, "Successfully deleted 1 'IPPool' resource(s)\n")
    }
}
