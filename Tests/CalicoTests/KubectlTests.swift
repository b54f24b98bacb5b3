import XCTest
@testable import Calico

final class KubectlTests: XCTestCase {
    func testSeed001LabelsAndShowLabels() throws {
        let store = try Datastore()
        XCTAssertEqual(Calicoctl(store: store).apply(file: Seed001.node1).exitCode, 0)
        let kubectl = Kubectl(store: store)
        XCTAssertEqual(kubectl.labelNode("node1", ["rr-group=rr1"]).stdout, "node/node1 labeled\n")
        XCTAssertEqual(kubectl.labelNode("node1", ["rr-id=rr1"]).stdout, "node/node1 labeled\n")
        XCTAssertEqual(kubectl.labelNode("node1", ["rr-id=rr1"]).stdout, "node/node1 not labeled\n")
        XCTAssertEqual(kubectl.labelNode("node1", ["rr-id=rr2"]).stderr, "error: 'rr-id' already has a value (rr1), and --overwrite is false\n")
        XCTAssertEqual(kubectl.labelNode("node9", ["a=b"]).stderr, "Error from server (NotFound): nodes \"node9\" not found\n")
        let out = kubectl.getNodes(showLabels: true, ages: ["node1": "31d"]).stdout
        let row = try XCTUnwrap(out.split(separator: "\n").dropFirst().first)
        let cells = row.split(separator: " ", omittingEmptySubsequences: true)
        XCTAssertEqual(cells[0], "node1")
        XCTAssertEqual(cells[2], "master,worker")
        XCTAssertEqual(cells[3], "31d")
        // The LABELS cell the seed prints for node1.
        XCTAssertEqual(cells.last, "beta.kubernetes.io/arch=amd64,beta.kubernetes.io/os=linux,kubernetes.io/arch=amd64,kubernetes.io/hostname=node1,kubernetes.io/os=linux,node-role.kubernetes.io/master=,node-role.kubernetes.io/worker=,rr-group=rr1,rr-id=rr1")
        XCTAssertFalse(out.contains(" \n"), "kubectl does not pad the last column")
        // The label is what BGPPeer selectors see.
        XCTAssertTrue(try Selector(parsing: "rr-id == 'rr1'").matches(try store.get(.node, "node1").metadata.labels))
        XCTAssertEqual(kubectl.labelNode("node1", ["rr-id-"]).stdout, "node/node1 unlabeled\n")
        XCTAssertNil(try store.get(.node, "node1").metadata.labels["rr-id"])
    }
}

final class KubectlPodTests: XCTestCase {
    /// Seed 000's `kubectl get pod -n kube-system -o wide` row for a calico-node pod (2/2 containers).
    func testPodWideListing() throws {
        let store = try Datastore()
        var pod = Pod(namespace: "kube-system", name: "calico-node-67t5m", nodeName: "192.168.1.1")
        pod.setPodIP("192.168.1.1")
        var status = JSONValue.object(pod.body)["status"] ?? .object([])
        status = status.setting("phase", .string("Running")).setting("containerStatuses", .array([
            .object([("ready", .bool(true)), ("restartCount", .int(0))]), .object([("ready", .bool(true)), ("restartCount", .int(0))]),
        ]))
        pod.body = pod.body.map { $0.0 == "status" ? ("status", status) : $0 }
        try store.create(AnyResource(pod))
        let out = Kubectl(store: store).getPods(namespace: "kube-system", wide: true, ages: ["calico-node-67t5m": "179m"]).stdout
        XCTAssertEqual(out, """
        NAME                READY   STATUS    RESTARTS   AGE    IP            NODE          NOMINATED NODE   READINESS GATES
        calico-node-67t5m   2/2     Running   0          179m   192.168.1.1   192.168.1.1   <none>           <none>

        """)
        XCTAssertEqual(Kubectl(store: store).getPods().stderr, "No resources found in default namespace.\n")
    }
}

final class KubectlArgumentsTests: XCTestCase {
    /// Seed 002's `kubectl label node k8s-1 route-reflector=true` and `kubectl delete pods -n kube-system -l k8s-app=calico-node`;
    /// seed 004's `kubectl delete pod -n kube-system kube-dns-…`.
    func testSeedCommandLines() throws {
        let store = try Datastore()
        try store.create(SeedStores.node("k8s-1", "172.31.13.27/24"))
        try store.create(AnyResource(IPPool(name: "default-pool", spec: .init(cidr: "172.27.208.0/22"))))
        let kubectl = Kubectl(store: store)
        XCTAssertEqual(kubectl.execute(["label", "node", "k8s-1", "route-reflector=true"]).stdout, "node/k8s-1 labeled\n")
        XCTAssertEqual(try store.get(.node, "k8s-1").metadata.labels["route-reflector"], "true")
        for (name, app) in [("calico-node-abcde", "calico-node"), ("kube-dns-6f4fd4bdf-8q7zp", "kube-dns")] {
            try store.create(AnyResource(Pod(namespace: "kube-system", name: name, nodeName: "k8s-1", labels: ["k8s-app": app])))
            try CNI(store: store).add(namespace: "kube-system", pod: name, node: "k8s-1")
        }
        XCTAssertEqual(kubectl.execute(["delete", "pods", "-n", "kube-system", "-l", "k8s-app=calico-node"]).stdout, "pod \"calico-node-abcde\" deleted\n")
        XCTAssertEqual(kubectl.execute(["delete", "pod", "-n", "kube-system", "kube-dns-6f4fd4bdf-8q7zp"]).stdout, "pod \"kube-dns-6f4fd4bdf-8q7zp\" deleted\n")
        XCTAssertEqual(store.list(.workloadEndpoint), [])
        XCTAssertEqual(IPAM(store: store).usage().first?.pool.inUse, 0, "CNI DEL released the addresses")
        XCTAssertEqual(kubectl.execute(["get", "pods", "-n", "kube-system", "-o", "wide"]).stderr, "No resources found in kube-system namespace.\n")
        XCTAssertEqual(kubectl.execute(["delete", "pod", "nope"]).stderr, "Error from server (NotFound): pods \"nope\" not found\n")
        XCTAssertEqual(Kubectl.labelSelector("a=b,c!=d,e,!f")?.description, "(a == \"b\" && c != \"d\" && has(e) && !has(f))")
    }
}
