import XCTest
import BGPWire
import BGPSpeaker
import Calico
@testable import CalicoNode

/// bird_ipam.cfg's export filter as the speaker's policy (spec §2.6).
final class CalicoExportTests: XCTestCase {
    func exported(_ prefix: String, reflector: Bool = false) throws -> Bool {
        var exportOff = IPPool.Spec(cidr: "10.9.0.0/16")
        exportOff.disableBGPExport = true
        var config = BGPConfiguration.Spec()
        config.serviceClusterIPs = ["10.96.0.0/12"]
        config.serviceLoadBalancerIPs = ["10.200.0.0/24"]
        let node = Node(name: "n1", bgp: Node.BGP(ipv4Address: "172.20.0.11/24", routeReflectorClusterID: reflector ? "244.0.0.1" : nil))
        let calico = Calico.RoutePolicy(node: node, pools: [IPPool(name: "p", spec: IPPool.Spec(cidr: "10.244.0.0/16")), IPPool(name: "off", spec: exportOff)],
                                        ownBlocks: [try XCTUnwrap(Prefix("10.244.1.0/26"))],
                                        configuration: BGPConfiguration(name: "default", spec: config))
        let route = BGPSpeaker.RoutePolicy.Route(prefix: try XCTUnwrap(Prefix(prefix)), attributes: PathAttributes(), nextHop: .v4(IPv4Address(172, 20, 0, 11)))
        return CalicoExport.policy(calico).apply(to: route, neighborAS: 64512) != nil
    }

    func testOwnBlocksPoolsAndServicesOnlyNothingBeneathOwnBlocks() throws {
        XCTAssertTrue(try exported("10.244.1.0/26"))
        XCTAssertFalse(try exported("10.244.1.5/32"), "more-specifics inside an own block stay local")
        XCTAssertTrue(try exported("10.244.2.7/32"), "a borrowed address elsewhere in a pool is announced")
        XCTAssertTrue(try exported("10.244.64.0/26"), "another node's block is passed on (towards eBGP peers)")
        XCTAssertFalse(try exported("10.9.1.0/26"), "pools with disableBGPExport are never exported")
        XCTAssertTrue(try exported("10.96.0.0/12"))
        XCTAssertFalse(try exported("192.168.50.0/24"), "routes outside the pools (a ToR's) are not exported")
        XCTAssertFalse(try exported("10.200.0.0/24"), "LoadBalancer ranges only from reflectors")
        XCTAssertTrue(try exported("10.200.0.0/24", reflector: true))
    }
}
