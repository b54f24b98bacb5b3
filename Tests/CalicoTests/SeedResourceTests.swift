import XCTest
import BGPWire
@testable import Calico

/// Every YAML document in the seeds parses and validates unchanged.
final class SeedResourceTests: XCTestCase {
    func decodeOne(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> AnyResource {
        let rs = try ResourceFile.decodeValidated(text)
        XCTAssertEqual(rs.count, 1, file: file, line: line)
        return rs[0]
    }

    func testSeed000() throws {
        let peer = try XCTUnwrap(try decodeOne(Seed000.rrPeer).bgpPeer)
        XCTAssertEqual(peer.spec.nodeSelector, "all()")
        XCTAssertEqual(peer.spec.peerSelector, "route-reflector == 'true'")
        let cfg = try XCTUnwrap(try decodeOne(Seed000.bgpConfig).bgpConfiguration)
        XCTAssertEqual(cfg.spec.nodeToNodeMeshEnabled, false)
        XCTAssertEqual(cfg.spec.asNumber, ASNumber(64512))
        XCTAssertEqual(cfg.spec.logSeverityScreen, "Info")
    }

    func testSeed001() throws {
        _ = try decodeOne(Seed001.bgpConf)
        let node = try XCTUnwrap(try decodeOne(Seed001.node1).node)
        XCTAssertEqual(node.ipv4, IPv4Address("172.20.0.11"))
        XCTAssertEqual(node.ipv4Network?.description, "172.20.0.0/24")
        XCTAssertEqual(node.routeReflectorClusterID, "172.20.0.11")
        XCTAssertEqual(node.asNumber, ASNumber(64512))
        XCTAssertEqual(node.labels["node-role.kubernetes.io/master"], "")
        XCTAssertEqual(node.metadata.annotations["projectcalico.org/kube-labels"]?.hasPrefix("{\"beta.kubernetes.io/arch\""), true)
        let leaf = try XCTUnwrap(try decodeOne(Seed001.rr1ToLeaf1).bgpPeer)
        XCTAssertEqual(leaf.metadata.name, "rr1-to-leaf1-peer")
        XCTAssertEqual(leaf.spec.peerIP, "172.20.0.254")
        XCTAssertEqual(leaf.spec.asNumber, ASNumber(65009))
        let toNode = try XCTUnwrap(try decodeOne(Seed001.rr1ToNode).bgpPeer)
        XCTAssertEqual(toNode.spec.peerSelector, "rr-id  == 'rr1'")
        _ = try decodeOne(Seed001.rr2ToLeaf2)
        _ = try decodeOne(Seed001.rr2ToNode)
    }

    func testSeed002() throws {
        let cfg = try XCTUnwrap(try decodeOne(Seed002.bgpConfig).bgpConfiguration)
        XCTAssertEqual(cfg.spec.nodeToNodeMeshEnabled, false)
        XCTAssertEqual(cfg.spec.asNumber, ASNumber(64512))
        let rr = try XCTUnwrap(try decodeOne(Seed002.rrPeer).bgpPeer)
        XCTAssertEqual(rr.spec.asNumber, ASNumber(7675))
        XCTAssertEqual(rr.spec.peerIP, "172.31.13.116")
        _ = try decodeOne(Seed002.peerWithRRs)
    }

    func testSeed003RepairsPastedText() throws {
        let cfg = try XCTUnwrap(try decodeOne(Seed003.bgpLocal).bgpConfiguration)
        XCTAssertEqual(cfg.spec.asNumber, ASNumber(63400))
        XCTAssertEqual(cfg.spec.nodeToNodeMeshEnabled, false)
        let peer = try XCTUnwrap(try decodeOne(Seed003.bgpPeer).bgpPeer)
        XCTAssertEqual(peer.metadata.name, "64511-peer-to-65001")
        XCTAssertTrue(peer.isGlobal)
    }

    func testSeed004() throws {
        XCTAssertEqual(try decodeOne(Seed004.bgpConfig).bgpConfiguration?.spec.asNumber, ASNumber(63400))
        _ = try decodeOne(Seed004.globalPeer)
        let v6 = try XCTUnwrap(try decodeOne(Seed004.nodePeer).bgpPeer)
        XCTAssertEqual(v6.spec.node, "node1")
        let node = try XCTUnwrap(try decodeOne(Seed004.nodeYML(name: "rr1", ip: "10.0.0.1/24")).node)
        XCTAssertEqual(node.labels["i-am-a-route-reflector"], "true")
        XCTAssertEqual(node.routeReflectorClusterID, "224.0.0.1")
        let toRRs = try XCTUnwrap(try decodeOne(Seed004.peerToRRs).bgpPeer)
        XCTAssertEqual(toRRs.spec.nodeSelector, "!has(i-am-a-route-reflector)")
        _ = try decodeOne(Seed004.rrMesh)
        let pool = try XCTUnwrap(try decodeOne(Seed004.newPool).ipPool)
        XCTAssertEqual(pool.ipipMode, "Always")
        XCTAssertEqual(pool.spec.natOutgoing, true)
        let list = try ResourceFile.decodeValidated(Seed004.poolList)
        XCTAssertEqual(list.map(\.name), ["default-ipv4-ippool", "new-pool"])
        XCTAssertEqual(list[0].ipPool?.spec.cidr, "192.0.0.0/16")
        XCTAssertEqual(try decodeOne(Seed004.disabledPool).ipPool?.isDisabled, true)
    }

    func testStrictDecodingErrors() {
        func message(_ text: String) -> String {
            do { _ = try ResourceFile.decodeValidated(text); return "" } catch { return "\(error)" }
        }
        XCTAssertEqual(message("apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: p\nspec:\n  foo: 1\n"),
                       "error parsing document: json: unknown field \"foo\"")
        XCTAssertEqual(message("apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: p\nspec:\n  asNumber: abc\n"),
                       "error parsing document: invalid AS Number format (abc)")
        XCTAssertEqual(message("apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: p\nspec:\n  asNumber: 99999999999\n"),
                       "error parsing document: json: cannot unmarshal number into Go value of type string")
        XCTAssertEqual(message("apiVersion: projectcalico.org/v3\nkind: Foo\nmetadata:\n  name: p\n"),
                       "Unknown resource type (Foo) and/or version (projectcalico.org/v3)")
        XCTAssertEqual(message("apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: p\nspec:\n  peerIP: badpeerIP\n"),
                       "error with field PeerIP = 'badpeerIP' (Reason: failed to validate Field: PeerIP because of Tag: IP:port )")
        XCTAssertEqual(message("apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: p\nspec:\n  nodeSelector: foo ==\n"),
                       "error with field NodeSelector = 'foo ==' (Reason: failed to validate Field: NodeSelector because of Tag: selector )")
        XCTAssertEqual(message("apiVersion: projectcalico.org/v3\nkind: Node\nmetadata:\n  name: n\nspec:\n  bgp:\n    routeReflectorClusterID: abc\n"),
                       "error with field RouteReflectorClusterID = 'abc' (Reason: failed to validate Field: RouteReflectorClusterID because of Tag: ipv4 )")
        XCTAssertEqual(message("apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: Bad_Name\nspec: {}\n"),
                       "error with field Metadata.Name = 'Bad_Name' (name must consist of lower case alphanumeric characters, '-' or '.' (regex: [a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*))")
        XCTAssertTrue(message("apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: p\nspec:\n  peerIP: 1.2.3.4\n  peerSelector: all()\n  asNumber: 5\n")
            .hasPrefix("error with the following fields:\n-  BGPPeer.Spec.PeerIP = '1.2.3.4' (PeerIP field must be empty when PeerSelector is specified)\n"))
    }

    func testASNumberForms() throws {
        XCTAssertEqual(try ASNumber(text: "1.10"), ASNumber(65546))
        XCTAssertEqual(try ASNumber(text: "4294967295"), ASNumber(UInt32.max))
        XCTAssertThrowsError(try ASNumber(text: "1.70000"))
        let doc = try decodeOne("apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata:\n  name: default\nspec:\n  asNumber: \"1.10\"\n")
        XCTAssertEqual(doc.bgpConfiguration?.spec.asNumber, ASNumber(65546))
    }

    func testPoolValidation() {
        func reasons(_ spec: String) -> [String] {
            let text = "apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p\nspec:\n" + spec
            return ((try? ResourceFile.decode(text))?.first?.validate() ?? []).map(\.reason)
        }
        XCTAssertEqual(reasons("  cidr: 10.0.0.1/16\n"), ["IP pool CIDR is not strictly masked"])
        XCTAssertEqual(reasons("  cidr: 169.254.0.0/16\n"), ["IP pool range overlaps with IPv4 Link Local range 169.254.0.0/16"])
        XCTAssertEqual(reasons("  cidr: 10.0.0.0/16\n  blockSize: 19\n"), ["IPv4 block size must be between 20 and 32"])
        XCTAssertEqual(reasons("  cidr: fd00::/64\n  ipipMode: Always\n"), ["IPIPMode other than 'Never' is not supported on an IPv6 IP pool"])
        XCTAssertEqual(reasons("  cidr: 10.0.0.0/16\n  ipipMode: Always\n  vxlanMode: Always\n"), ["Cannot enable both VXLAN and IPIP on the same IPPool"])
        XCTAssertEqual(reasons("  cidr: 10.0.0.0/28\n"), ["IP pool size is too small for use with Calico IPAM. It must be equal to or greater than the block size."])
        XCTAssertEqual(reasons("  cidr: \"\"\n"), ["IPPool CIDR must be specified"])
        XCTAssertEqual(reasons("  cidr: 10.0.0.0/16\n  nodeSelector: global()\n").count, 1)
        XCTAssertEqual(reasons("  cidr: 10.0.0.0/16\n"), [])
    }

    func testBGPConfigurationNonDefaultRules() {
        let text = "apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata:\n  name: node.node1\nspec:\n  asNumber: 65000\n  listenPort: 1790\n"
        let errs = (try? ResourceFile.decode(text))?.first?.validate() ?? []
        XCTAssertEqual(errs.map(\.reason), ["Cannot set ASNumber on a non default BGP Configuration."])
    }
}
