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

    /// Seed 000's kubeasz cluster labels roles the older way (`kubernetes.io/role`); kubectl shows both kinds.
    func testRolesFromEitherLabel() throws {
        let store = try Datastore()
        store.put(AnyResource(KubeNode(name: "k8s401", labels: ["kubernetes.io/role": "master"])))
        store.put(AnyResource(KubeNode(name: "k8s403", labels: ["kubernetes.io/role": "node"])))
        store.put(AnyResource(KubeNode(name: "node1", labels: ["kubernetes.io/role": "master", "node-role.kubernetes.io/master": "",
                                                               "node-role.kubernetes.io/worker": ""])))
        store.put(AnyResource(KubeNode(name: "node9")))
        let rows = Kubectl(store: store).getNodes().stdout.split(separator: "\n").dropFirst().map { $0.split(separator: " ").map(String.init) }
        XCTAssertEqual(rows.map { [$0[0], $0[2]] }, [["k8s401", "master"], ["k8s403", "node"], ["node1", "master,worker"], ["node9", "<none>"]])
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
    /// seed 004's `kubectl delete pod -n kube-system kube-dns-…`: owners bring the pods back.
    func testSeedCommandLines() throws {
        let store = try Datastore()
        try store.create(SeedStores.node("k8s-1", "172.31.13.27/24"))
        let kubectl = Kubectl(store: store)
        let env = KubectlEnvironment(podSuffix: { "x7k2q" })
        XCTAssertEqual(kubectl.execute(["label", "node", "k8s-1", "route-reflector=true"]).stdout, "node/k8s-1 labeled\n")
        XCTAssertEqual(try store.get(.node, "k8s-1").metadata.labels["route-reflector"], "true")
        var calicoNode = Pod(namespace: "kube-system", name: "calico-node-abcde", nodeName: "k8s-1", labels: ["k8s-app": "calico-node"])
        calicoNode.setPodIP("172.31.13.27")
        var dns = Pod(namespace: "kube-system", name: "kube-dns-6f4fd4bdf-8q7zp", nodeName: "k8s-1", labels: ["k8s-app": "kube-dns"])
        dns.setPodIP("172.27.208.1")
        let oldUID = try store.create(AnyResource(calicoNode)).metadata.uid
        try store.create(AnyResource(dns))

        XCTAssertEqual(kubectl.execute(["delete", "pods", "-n", "kube-system", "-l", "k8s-app=calico-node"], environment: env).stdout,
                       "pod \"calico-node-abcde\" deleted\n")
        // The DaemonSet's replacement: a new name and uid, on the host network of the same node.
        guard case .pod(let replaced) = try store.get(.pod, "calico-node-x7k2q", namespace: "kube-system") else { return XCTFail() }
        XCTAssertEqual(replaced.nodeName, "k8s-1")
        XCTAssertEqual(replaced.podIP, "172.31.13.27")
        XCTAssertNotEqual(replaced.metadata.uid, oldUID)
        XCTAssertThrowsError(try store.get(.pod, "calico-node-abcde", namespace: "kube-system"))

        XCTAssertEqual(kubectl.execute(["delete", "pod", "-n", "kube-system", "kube-dns-6f4fd4bdf-8q7zp"]).stdout, "pod \"kube-dns-6f4fd4bdf-8q7zp\" deleted\n")
        // The Deployment's pod comes back under its name without an address until the node's CNI wires it.
        guard case .pod(let dnsAgain) = try store.get(.pod, "kube-dns-6f4fd4bdf-8q7zp", namespace: "kube-system") else { return XCTFail() }
        XCTAssertNil(dnsAgain.podIP)

        let byLabel = kubectl.execute(["get", "pods", "-n", "kube-system", "-l", "k8s-app=calico-node", "-o", "wide"]).stdout
        XCTAssertEqual(byLabel.split(separator: "\n").count, 2, byLabel)
        XCTAssertTrue(byLabel.contains("calico-node-x7k2q") && byLabel.contains("172.31.13.27") && !byLabel.contains("kube-dns"), byLabel)
        XCTAssertEqual(kubectl.execute(["get", "pods", "-n", "kube-system", "-l", "k8s-app=nothing"]).stderr, "No resources found in kube-system namespace.\n")
        XCTAssertEqual(kubectl.execute(["get", "pods", "-n", "kube-system", "-l", "=x"]).stderr, "error: unable to parse requirement: =x\n")
        XCTAssertEqual(kubectl.execute(["get", "pods", "-A", "-o", "name"]).stdout, "pod/calico-node-x7k2q\npod/kube-dns-6f4fd4bdf-8q7zp\n")
        XCTAssertEqual(kubectl.execute(["get", "pods", "-o", "wide"]).stderr, "No resources found in default namespace.\n")
        XCTAssertEqual(kubectl.execute(["delete", "pod", "nope"]).stderr, "Error from server (NotFound): pods \"nope\" not found\n")
        XCTAssertEqual(kubectl.execute(["delete", "pods", "-n", "kube-system", "-l", "k8s-app=none"]).stderr, "No resources found\n")
    }

    func testFlagsAndErrors() throws {
        let store = try Datastore()
        try store.create(AnyResource(ConfigMap(namespace: "kube-system", name: "calico-config", data: ["calico_backend": "bird"])))
        let kubectl = Kubectl(store: store)
        XCTAssertEqual(kubectl.execute(["get", "cm", "--namespace=kube-system", "-oname"]).stdout, "configmap/calico-config\n")
        XCTAssertEqual(kubectl.execute(["get", "configmap/calico-config", "-nkube-system", "-o=name"]).stdout, "configmap/calico-config\n")
        XCTAssertEqual(kubectl.execute(["get", "cm", "--bogus"]).stderr, "error: unknown flag: --bogus\nSee 'kubectl --help' for usage.\n")
        XCTAssertEqual(kubectl.execute(["get", "deployments"]).stderr, "error: the server doesn't have a resource type \"deployments\"\n")
        XCTAssertEqual(kubectl.execute(["get", "cm", "-n", "kube-system", "-o", "table"]).stderr,
                       "error: unable to match a printer suitable for the output format \"table\", allowed formats are: json,name,wide,yaml\n")
        XCTAssertEqual(kubectl.execute(["get", "cm", "nope", "-n", "kube-system"]).stderr, "Error from server (NotFound): configmaps \"nope\" not found\n")
        XCTAssertEqual(kubectl.execute(["get", "cm"]).stderr, "No resources found in default namespace.\n")
        XCTAssertEqual(kubectl.execute(["explode", "cm"]).stderr, "error: unknown command \"explode\" for \"kubectl\"\n")
        XCTAssertEqual(kubectl.execute(["edit", "pods", "x"]).exitCode, 1)
        let sel = try XCTUnwrap(LabelSelector("a=b,c!=d,e,!f"))
        XCTAssertTrue(sel.matches(["a": "b", "e": ""]))
        XCTAssertFalse(sel.matches(["a": "b", "e": "", "c": "d"]))
        XCTAssertFalse(sel.matches(["a": "b", "e": "", "f": "1"]))
        XCTAssertFalse(sel.matches(["a": "b"]))
    }
}

/// A stand-in for the user's editor: applies `change` to the file text, records what it was shown and
/// which files kubectl discarded.
final class FakeEditor {
    var shown: [String] = []
    var discarded: [String] = []
    let change: (String) -> String
    init(_ change: @escaping (String) -> String) { self.change = change }

    var environment: KubectlEnvironment {
        KubectlEnvironment(editor: KubectlEditor(edit: { text, name in
            self.shown.append(text)
            return ("/lab/kubectl-edit-test-\(name).yaml", self.change(text))
        }, discard: { self.discarded.append($0) }))
    }
}

final class KubectlEditTests: XCTestCase {
    func store() throws -> Datastore {
        let store = try Datastore()
        try store.create(AnyResource(ConfigMap(namespace: "kube-system", name: "calico-config", data: ["calico_backend": "bird", "veth_mtu": "0"])))
        try store.create(AnyResource(IPPool(name: "default-pool", spec: .init(cidr: "172.27.208.0/22", ipipMode: "Always", natOutgoing: true))))
        return store
    }

    /// Seed 002: `kubectl edit cm -n kube-system calico-config`.
    func testEditConfigMap() throws {
        let store = try store()
        let kubectl = Kubectl(store: store)
        let toVXLAN = FakeEditor { $0.replacingOccurrences(of: "calico_backend: bird", with: "calico_backend: vxlan") }
        XCTAssertEqual(kubectl.execute(["edit", "cm", "-n", "kube-system", "calico-config"], environment: toVXLAN.environment),
                       CommandOutput(stdout: "configmap/calico-config edited\n"))
        XCTAssertTrue(toVXLAN.shown[0].contains("apiVersion: v1\n") && toVXLAN.shown[0].contains("kind: ConfigMap\n"), toVXLAN.shown[0])
        XCTAssertEqual(toVXLAN.discarded, ["/lab/kubectl-edit-test-configmap-calico-config.yaml"])
        XCTAssertEqual(ConfigMap.calicoBackend(in: store), "vxlan")

        let untouched = FakeEditor { $0 }
        XCTAssertEqual(kubectl.execute(["edit", "cm", "-n", "kube-system", "calico-config"], environment: untouched.environment),
                       CommandOutput(stderr: "Edit cancelled, no changes made.\n"))
        XCTAssertEqual(untouched.discarded.count, 1)
        let emptied = FakeEditor { _ in "# nothing\n" }
        XCTAssertEqual(kubectl.execute(["edit", "cm", "-n", "kube-system", "calico-config"], environment: emptied.environment).stderr,
                       "Edit cancelled, no changes made.\n")

        let renamed = FakeEditor { $0.replacingOccurrences(of: "name: calico-config", with: "name: other") }
        let out = kubectl.execute(["edit", "cm", "-n", "kube-system", "calico-config"], environment: renamed.environment)
        XCTAssertEqual(out.stderr, """
        error: configmaps "calico-config" is invalid: at least one of apiVersion, kind and name was changed
        A copy of your changes has been stored to "/lab/kubectl-edit-test-configmap-calico-config.yaml"
        error: Edit cancelled, no valid changes were saved.

        """)
        XCTAssertEqual(out.exitCode, 1)
        XCTAssertEqual(renamed.discarded, [], "the file is kept when the edit could not be saved")
        XCTAssertEqual(renamed.shown.count, 2, "the editor reopens once with the reason; saved unchanged, kubectl gives up")
        XCTAssertTrue(renamed.shown[1].contains("# configmaps \"calico-config\" was not valid:\n# * at least one of apiVersion, kind and name was changed\n#\n"), renamed.shown[1])
        XCTAssertTrue(renamed.shown[1].contains("  name: other\n"), "the reopened file holds the user's changes")
        let broken = FakeEditor { $0.contains("data: [") ? $0 : $0 + "data: [\n" }
        XCTAssertTrue(kubectl.execute(["edit", "cm", "-n", "kube-system", "calico-config"], environment: broken.environment).stderr.hasPrefix("error: configmaps \"calico-config\" is invalid: yaml: "))
        // A second round that fixes the mistake is saved.
        var rounds = 0
        let fixedOnSecondTry = FakeEditor { text in
            rounds += 1
            return rounds == 1 ? text.replacingOccurrences(of: "calico_backend: vxlan", with: "calico_backend: [") : text.replacingOccurrences(of: "calico_backend: [", with: "calico_backend: none")
        }
        XCTAssertEqual(kubectl.execute(["edit", "cm", "-n", "kube-system", "calico-config"], environment: fixedOnSecondTry.environment).stdout,
                       "configmap/calico-config edited\n")
        XCTAssertEqual(ConfigMap.calicoBackend(in: store), "none")
        _ = kubectl.execute(["patch", "cm", "-n", "kube-system", "calico-config", "-p", #"{"data":{"calico_backend":"vxlan"}}"#])
        let endless = FakeEditor { $0 + "x: [\n" }
        XCTAssertEqual(kubectl.execute(["edit", "cm", "-n", "kube-system", "calico-config"], environment: endless.environment).exitCode, 1)
        XCTAssertEqual(endless.shown.count, Kubectl.maxEditRounds)
        XCTAssertEqual(ConfigMap.calicoBackend(in: store), "vxlan")
        XCTAssertEqual(kubectl.execute(["edit", "cm", "calico-config"], environment: untouched.environment).stderr,
                       "Error from server (NotFound): configmaps \"calico-config\" not found\n")
        XCTAssertEqual(kubectl.execute(["edit", "cm", "-n", "kube-system", "calico-config"]).stderr, "error: no editor to run: set KUBE_EDITOR or EDITOR\n")
    }

    /// Seed 002: `kubectl edit ippools.crd.projectcalico.org default-pool` sets ipipMode Never and natOutgoing false on the
    /// same IPPool calicoctl shows.
    func testEditIPPoolThroughItsCRD() throws {
        let store = try store()
        let kubectl = Kubectl(store: store)
        let editor = FakeEditor {
            $0.replacingOccurrences(of: "ipipMode: Always", with: "ipipMode: Never").replacingOccurrences(of: "natOutgoing: true", with: "natOutgoing: false")
        }
        XCTAssertEqual(kubectl.execute(["edit", "ippools.crd.projectcalico.org", "default-pool"], environment: editor.environment),
                       CommandOutput(stdout: "ippool.crd.projectcalico.org/default-pool edited\n"))
        XCTAssertTrue(editor.shown[0].contains("apiVersion: crd.projectcalico.org/v1\nkind: IPPool\n"), editor.shown[0])
        let pool = try XCTUnwrap(try store.get(.ipPool, "default-pool").ipPool)
        XCTAssertEqual(pool.ipipMode, "Never")
        XCTAssertEqual(pool.spec.natOutgoing, false)
        let wide = Calicoctl(store: store).get(kind: "ippool", output: "wide").stdout
        XCTAssertTrue(wide.contains("false   Never"), wide)

        let cidr = FakeEditor { $0.replacingOccurrences(of: "cidr: 172.27.208.0/22", with: "cidr: 10.0.0.0/16") }
        let out = kubectl.execute(["edit", "ippool", "default-pool"], environment: cidr.environment)
        XCTAssertEqual(out.exitCode, 1)
        XCTAssertTrue(out.stderr.hasPrefix("error: ippools.crd.projectcalico.org \"default-pool\" is invalid: error with field IPPool.Spec.CIDR = '10.0.0.0/16' (IPPool CIDR cannot be modified)\n"), out.stderr)
        XCTAssertEqual(cidr.discarded, [])
        let badMode = FakeEditor { $0.replacingOccurrences(of: "ipipMode: Never", with: "ipipMode: Sometimes") }
        XCTAssertTrue(kubectl.execute(["edit", "ippool", "default-pool"], environment: badMode.environment).stderr.contains("Sometimes"))
        XCTAssertEqual(try store.get(.ipPool, "default-pool").ipPool?.spec.cidr, "172.27.208.0/22")
    }

    func testPatch() throws {
        let store = try store()
        let kubectl = Kubectl(store: store)
        XCTAssertEqual(kubectl.execute(["patch", "cm", "-n", "kube-system", "calico-config", "-p", #"{"data":{"calico_backend":"none"}}"#]).stdout,
                       "configmap/calico-config patched\n")
        XCTAssertEqual(ConfigMap.calicoBackend(in: store), "none")
        XCTAssertEqual(kubectl.execute(["patch", "cm", "-n", "kube-system", "calico-config", "-p", #"{"data":{"calico_backend":"none"}}"#]).stdout,
                       "configmap/calico-config patched (no change)\n")
        XCTAssertEqual(kubectl.execute(["patch", "ippools.crd.projectcalico.org", "default-pool", "--type", "merge", "-p", #"{"spec":{"natOutgoing":false,"ipipMode":"Never"}}"#]).stdout,
                       "ippool.crd.projectcalico.org/default-pool patched\n")
        XCTAssertEqual(try store.get(.ipPool, "default-pool").ipPool?.ipipMode, "Never")
        XCTAssertEqual(kubectl.execute(["patch", "ippool", "default-pool", "--type=json", "-p", "[]"]).stderr,
                       "error: the lab's kubectl applies merge patches (--type merge) only, not JSON patches\n")
        XCTAssertEqual(kubectl.execute(["patch", "ippool", "nope", "-p", "{}"]).stderr, "Error from server (NotFound): ippools.crd.projectcalico.org \"nope\" not found\n")
        XCTAssertEqual(kubectl.execute(["patch", "ippool", "default-pool", "-p", #"{"spec":{"blockSize":24}}"#]).stderr,
                       "error: ippools.crd.projectcalico.org \"default-pool\" could not be patched: error with field IPPool.Spec.BlockSize = '24' (IPPool BlockSize cannot be modified)\n")
        XCTAssertEqual(kubectl.execute(["patch", "ippool", "default-pool"]).stderr, "error: must specify -p to patch\n")
    }

    func testGetConfigMapsAndPools() throws {
        let store = try store()
        let kubectl = Kubectl(store: store)
        let now = Date()
        store.now = { Datastore.rfc3339(now.addingTimeInterval(-3 * 86400)) }
        try store.create(AnyResource(IPPool(name: "second-pool", spec: .init(cidr: "10.9.0.0/16"))))
        let env = KubectlEnvironment(now: { now })
        XCTAssertEqual(kubectl.execute(["get", "ippools.crd.projectcalico.org"], environment: env).stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).first! },
                       ["NAME", "default-pool", "second-pool"])
        XCTAssertTrue(kubectl.execute(["get", "ippools.crd.projectcalico.org", "second-pool"], environment: env).stdout.hasSuffix("second-pool   3d\n"))
        let cm = kubectl.execute(["get", "cm", "-n", "kube-system"]).stdout
        XCTAssertTrue(cm.hasPrefix("NAME            DATA   AGE\ncalico-config   2      "), cm)
        let all = kubectl.execute(["get", "configmaps", "-A"]).stdout
        XCTAssertTrue(all.hasPrefix("NAMESPACE     NAME            DATA   AGE\nkube-system   calico-config   2"), all)
        let yaml = kubectl.execute(["get", "ippools.crd.projectcalico.org", "default-pool", "-o", "yaml"]).stdout
        let doc = try XCTUnwrap(try YAMLDocuments.parse(yaml).first)
        XCTAssertEqual(doc["apiVersion"], .string("crd.projectcalico.org/v1"))
        XCTAssertEqual(doc["kind"], .string("IPPool"))
        XCTAssertEqual(doc["spec"]?["cidr"], .string("172.27.208.0/22"))
        XCTAssertEqual(doc["spec"]?["natOutgoing"], .bool(true))
        let list = try XCTUnwrap(try YAMLDocuments.parse(kubectl.execute(["get", "cm", "-n", "kube-system", "-o", "yaml"]).stdout).first)
        XCTAssertEqual(list["kind"], .string("List"))
        XCTAssertEqual(list["items"]?.arrayValue?.first?["data"]?["calico_backend"], .string("bird"))
        let json = try JSONValue.parse(json: kubectl.execute(["get", "cm", "calico-config", "-n", "kube-system", "-o", "json"]).stdout)
        XCTAssertEqual(json["metadata"]?["namespace"], .string("kube-system"))
    }
}

final class KubectlSecretTests: XCTestCase {
    func testCreateGetDeleteSecret() throws {
        let store = try Datastore()
        let kubectl = Kubectl(store: store)
        XCTAssertEqual(kubectl.execute(["create", "secret", "generic", "bgp-secrets", "-n", "kube-system",
                                        "--from-literal=rr-password=s3cret", "--from-literal", "tor-password=t0r=pw"]).stdout,
                       "secret/bgp-secrets created\n")
        XCTAssertEqual(kubectl.execute(["create", "secret", "generic", "bgp-secrets", "-n", "kube-system"]).stderr,
                       "error: failed to create secret secrets \"bgp-secrets\" already exists\n")
        XCTAssertEqual(kubectl.execute(["create", "secret", "generic", "x", "--from-literal=novalue"]).stderr,
                       "error: invalid literal source novalue, expected key=value\n")
        XCTAssertEqual(Secret.bgpPasswords(in: store), ["bgp-secrets": ["rr-password": "s3cret", "tor-password": "t0r=pw"]])
        XCTAssertEqual(kubectl.execute(["create", "secret", "generic", "twice", "--from-literal=k=a", "--from-literal=k=b"]).stderr,
                       "error: cannot add key k, another key by that name already exists in Data for Secret \"twice\"\n")
        let table = kubectl.execute(["get", "secrets", "-n", "kube-system"]).stdout
        XCTAssertTrue(table.hasPrefix("NAME          TYPE     DATA   AGE\nbgp-secrets   Opaque   2      "), table)
        let yaml = kubectl.execute(["get", "secret", "bgp-secrets", "-n", "kube-system", "-o", "yaml"]).stdout
        XCTAssertTrue(yaml.contains("  rr-password: czNjcmV0\n"), yaml)
        // A Secret outside calico-node's namespaces is not one calico-node can read.
        _ = kubectl.execute(["create", "secret", "generic", "elsewhere", "--from-literal=k=v"])
        XCTAssertNil(Secret.bgpPasswords(in: store)["elsewhere"])
        XCTAssertEqual(kubectl.execute(["delete", "secret", "bgp-secrets", "-n", "kube-system"]).stdout, "secret \"bgp-secrets\" deleted\n")
        XCTAssertEqual(kubectl.execute(["delete", "secret", "bgp-secrets", "-n", "kube-system"]).stderr,
                       "Error from server (NotFound): secrets \"bgp-secrets\" not found\n")
        XCTAssertEqual(Secret.bgpPasswords(in: store), [:])
    }

    /// `nodeMeshPassword` and a BGPPeer's `password` read the Secret kubectl wrote; a change is what the peers get next.
    func testPasswordsReachThePeerComputation() throws {
        let store = try Datastore()
        try store.create(SeedStores.node("node1", "172.20.0.11/24"))
        try store.create(SeedStores.node("node2", "172.20.0.12/24"))
        SeedStores.ok(Calicoctl(store: store).apply(file: """
        apiVersion: projectcalico.org/v3
        kind: BGPConfiguration
        metadata:
          name: default
        spec:
          nodeMeshPassword:
            secretKeyRef:
              name: bgp-secrets
              key: mesh
        ---
        apiVersion: projectcalico.org/v3
        kind: BGPPeer
        metadata:
          name: tor
        spec:
          peerIP: 172.20.0.1
          asNumber: 65000
          password:
            secretKeyRef:
              name: bgp-secrets
              key: tor
        """))
        let kubectl = Kubectl(store: store)
        func passwords() -> [String] {
            (NodeConfig.compute(for: "node1", store: store, secrets: Secret.bgpPasswords(in: store))?.peers ?? [])
                .map { "\($0.address) \($0.password ?? "-")" }.sorted()
        }
        XCTAssertEqual(passwords(), ["172.20.0.1 -", "172.20.0.12 -"])
        XCTAssertEqual(kubectl.execute(["create", "secret", "generic", "bgp-secrets", "-n", "kube-system", "--from-literal=mesh=m3sh", "--from-literal=tor=t0r"]).exitCode, 0)
        XCTAssertEqual(passwords(), ["172.20.0.1 t0r", "172.20.0.12 m3sh"])
        XCTAssertEqual(kubectl.execute(["patch", "secret", "bgp-secrets", "-n", "kube-system", "-p", #"{"stringData":{"mesh":"new"}}"#]).stdout,
                       "secret/bgp-secrets patched\n")
        XCTAssertEqual(passwords(), ["172.20.0.1 t0r", "172.20.0.12 new"])
    }

    func testApplySecretFile() throws {
        let store = try Datastore()
        let kubectl = Kubectl(store: store)
        var files = ["secret.yaml": """
        apiVersion: v1
        kind: Secret
        metadata:
          name: bgp-secrets
          namespace: kube-system
        type: Opaque
        data:
          rr-password: czNjcmV0
        stringData:
          tor-password: plain
        """]
        let env = KubectlEnvironment(readFile: { path in
            guard let text = files[path] else { throw CalicoError("error: the path \"\(path)\" does not exist") }
            return text
        })
        XCTAssertEqual(kubectl.execute(["apply", "-f", "secret.yaml"], environment: env).stdout, "secret/bgp-secrets created\n")
        XCTAssertEqual(Secret.bgpPasswords(in: store), ["bgp-secrets": ["rr-password": "s3cret", "tor-password": "plain"]])
        XCTAssertEqual(kubectl.execute(["apply", "-f", "secret.yaml"], environment: env).stdout, "secret/bgp-secrets unchanged\n")
        files["secret.yaml"] = files["secret.yaml"]!.replacingOccurrences(of: "czNjcmV0", with: "bmV3LXB3")
        let revision = store.currentRevision
        XCTAssertEqual(kubectl.execute(["apply", "-f", "secret.yaml"], environment: env).stdout, "secret/bgp-secrets configured\n")
        XCTAssertGreaterThan(store.currentRevision, revision, "a password change is a datastore change the agents see")
        XCTAssertEqual(Secret.bgpPasswords(in: store)["bgp-secrets"]?["rr-password"], "new-pw")
        XCTAssertEqual(kubectl.execute(["create", "-f", "secret.yaml"], environment: env).stderr,
                       "Error from server (AlreadyExists): error when creating \"secret.yaml\": secrets \"bgp-secrets\" already exists\n")

        files["bad.yaml"] = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: bad\ndata:\n  k: '%%%'\n"
        XCTAssertTrue(kubectl.execute(["apply", "-f", "bad.yaml"], environment: env).stderr.contains("illegal base64 data in data.k"))
        files["peer.yaml"] = "apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: rr-peer\nspec:\n  peerIP: 10.0.0.1\n  asNumber: 65000\n"
        XCTAssertEqual(kubectl.execute(["apply", "-f", "peer.yaml"], environment: env).stderr,
                       "error: resource mapping not found for name: \"rr-peer\" namespace: \"\" from \"peer.yaml\": no matches for kind \"BGPPeer\" in version \"projectcalico.org/v3\"\n")
        files["crd.yaml"] = "apiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata:\n  name: p2\nspec:\n  cidr: 10.8.0.0/16\n"
        XCTAssertEqual(kubectl.execute(["apply", "-f", "crd.yaml"], environment: env).stdout, "ippool.crd.projectcalico.org/p2 created\n")
        XCTAssertEqual(try store.get(.ipPool, "p2").ipPool?.spec.cidr, "10.8.0.0/16")
        XCTAssertEqual(kubectl.execute(["apply", "-f", "missing.yaml"], environment: env).stderr, "error: the path \"missing.yaml\" does not exist\n")
    }
}
