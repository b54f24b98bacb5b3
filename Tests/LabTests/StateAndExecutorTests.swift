import XCTest
@testable import Lab

final class StateDirectoryTests: XCTestCase {
    func testRootComesFromEnvironment() {
        XCTAssertEqual(LabPaths.root(environment: ["PEERLAB_STATE_DIR": "/tmp/s"]), "/tmp/s")
        XCTAssertEqual(LabPaths.root(environment: [:]), "/run/peerlab")
    }

    func testWriteListReadRemove() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = StateDirectory(root: dir.path)
        let topology = try TopologyLoader().load(path: Repo.labs + "/seed-001/topology.yaml").get()
        let plan = LabPlan(topology: topology, paths: store.paths(for: topology.name))
        try store.prepare(topology: topology, sourceText: "name: seed-001\n")
        var state = LabState(plan: plan, topology: topology)
        state.devices[0].pid = 4242
        try store.write(state)
        XCTAssertEqual(store.list().map(\.lab), ["seed-001"])
        XCTAssertEqual(try store.read(lab: "seed-001").get(), state)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.path + "/seed-001/configs/leaf01.cfg"))
        XCTAssertEqual(try String(contentsOfFile: dir.path + "/seed-001/topology.yaml", encoding: .utf8), "name: seed-001\n")
        XCTAssertNil(store.clash(with: LabNames(lab: "seed-002")))
        XCTAssertEqual(store.clash(with: LabNames(lab: "seed")), "seed-001")
        try store.remove(lab: "seed-001")
        XCTAssertEqual(store.list().map(\.lab), [])
    }

    func testDamagedStateIsListedWithItsProblem() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = dir.write("broken/state.json", "{not json")
        let summary = try XCTUnwrap(StateDirectory(root: dir.path).list().first)
        XCTAssertEqual(summary.lab, "broken")
        XCTAssertNil(summary.state)
        XCTAssertTrue(summary.problem?.contains("damaged") ?? false)
    }
}

final class ExecutorTests: XCTestCase {
    var dir: TemporaryDirectory!
    override func setUp() { dir = TemporaryDirectory() }
    override func tearDown() { dir.remove() }

    func executor(_ backend: RecordingBackend, _ launcher: RecordingLauncher = RecordingLauncher()) -> LabExecutor {
        LabExecutor(backend: backend, launcher: launcher, store: StateDirectory(root: dir.path + "/state"))
    }

    func testUpRunsThePlanAndRecordsPIDs() throws {
        let backend = RecordingBackend(), launcher = RecordingLauncher()
        let state = try executor(backend, launcher).up(file: Repo.labs + "/seed-002/topology.yaml")
        XCTAssertEqual(state.phase, .up)
        XCTAssertEqual(backend.calls.first, "netns add seed-002-tor")
        XCTAssertEqual(launcher.started, ["router", "k8s-1", "k8s-2", "k8s-3"])
        XCTAssertEqual(state.devices.compactMap(\.pid), [1001, 1002, 1003, 1004])
        XCTAssertEqual(state.devices.first { $0.node == "router" }?.arguments?.prefix(4), ["device", "run", "--kind", "quagga"])
        XCTAssertEqual(try StateDirectory(root: dir.path + "/state").read(lab: "seed-002").get().phase, .up)
        XCTAssertEqual(backend.present.count, 6)
    }

    func testMalformedFileCreatesNothing() throws {
        let lab = dir.write("bad/lab.yaml", "name: bad\ntopology:\n  nodes:\n    h1: {kind: hots}\n")
        let backend = RecordingBackend()
        XCTAssertThrowsError(try executor(backend).up(file: lab)) { error in
            let issues = (error as? TopologyErrors)?.issues ?? []
            XCTAssertEqual(issues.first?.file, lab)
            XCTAssertEqual(issues.first?.node, "h1")
            XCTAssertEqual(issues.first?.field, "topology.nodes.h1.kind")
        }
        XCTAssertEqual(backend.calls, [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path + "/state/bad"))
    }

    func testFailureRollsBackEverything() throws {
        let backend = RecordingBackend(), launcher = RecordingLauncher()
        backend.failOn = "route seed-001-node3"
        XCTAssertThrowsError(try executor(backend, launcher).up(file: Repo.labs + "/seed-001/topology.yaml")) { error in
            XCTAssertTrue("\(error)".contains("failed at 'ip -n seed-001-node3 route add default via 172.20.0.254'"), "\(error)")
        }
        XCTAssertEqual(backend.present, [], "every namespace created was deleted")
        let deletions = backend.calls.filter { $0.hasPrefix("netns del") }
        XCTAssertEqual(deletions.first, "netns del seed-001-node6", "rollback runs in reverse")
        XCTAssertEqual(deletions.count, 9)
        XCTAssertEqual(launcher.started, [], "daemons start last, so none ran")
        XCTAssertEqual(try StateDirectory(root: dir.path + "/state").read(lab: "seed-001").get().phase, .failed)
    }

    func testDaemonFailureStopsTheStartedOnes() throws {
        final class FailingLauncher: DaemonLauncher {
            var stopped: [Int32] = []
            var count: Int32 = 0
            func start(_ daemon: DaemonPlan) throws -> Int32 {
                if daemon.node == "r3" { throw BackendError("start", "no such program") }
                count += 1
                return 500 + count
            }
            func stop(pid: Int32, daemon: DaemonPlan) throws { stopped.append(pid) }
        }
        let backend = RecordingBackend(), launcher = FailingLauncher()
        let executor = LabExecutor(backend: backend, launcher: launcher, store: StateDirectory(root: dir.path + "/state"))
        let file = dir.write("three/lab.yaml", "name: three\ntopology:\n  nodes:\n    r1: {kind: quagga}\n    r2: {kind: quagga}\n    r3: {kind: quagga}\n")
        XCTAssertThrowsError(try executor.up(file: file))
        XCTAssertEqual(launcher.stopped, [502, 501])
        XCTAssertEqual(backend.present, [])
    }

    func testDownFindsNamespacesByTagAfterACrash() throws {
        let backend = RecordingBackend()
        let store = StateDirectory(root: dir.path + "/state")
        try executor(backend).up(file: Repo.labs + "/seed-000/topology.yaml")
        // A crash that lost the state file, plus a namespace of another lab that must survive.
        try FileManager.default.removeItem(atPath: store.paths(for: "seed-000").stateFile)
        backend.present.insert("seed-001-spine")
        try executor(backend).down(lab: "seed-000")
        XCTAssertEqual(backend.present, ["seed-001-spine"])
        XCTAssertEqual(store.list().map(\.lab), [])
    }

    func testLeftoverNamespaceWithTheLabsPrefixIsRefused() throws {
        let backend = RecordingBackend()
        backend.present = ["seed-000-old"]
        XCTAssertThrowsError(try executor(backend).up(file: Repo.labs + "/seed-000/topology.yaml")) { error in
            XCTAssertTrue("\(error)".contains("namespaces seed-000-old already exist"), "\(error)")
        }
        XCTAssertEqual(backend.calls, [])
    }

    func testSecondUpOfARunningLabIsRefused() throws {
        let backend = RecordingBackend()
        try executor(backend).up(file: Repo.labs + "/seed-000/topology.yaml")
        let before = backend.calls.count
        XCTAssertThrowsError(try executor(backend).up(file: Repo.labs + "/seed-000/topology.yaml")) { error in
            XCTAssertTrue("\(error)".contains("already up"), "\(error)")
        }
        XCTAssertEqual(backend.calls.count, before)
    }
}

final class InstalledLabTests: XCTestCase {
    func testADeviceDaemonFindsItsContextInTheLabDirectory() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = StateDirectory(root: dir.path)
        let executor = LabExecutor(backend: RecordingBackend(), launcher: RecordingLauncher(), store: store)
        try executor.up(file: LabCatalog.file(for: LabCatalog.defaultLab, repository: Repo.root))
        let lab = try InstalledLab.open(labDirectory: store.paths(for: "seed-001").directory)
        XCTAssertEqual(lab.state.phase, .up)
        let leaf = try XCTUnwrap(lab.device("leaf01"))
        XCTAssertEqual(leaf.namespace, "seed-001-leaf01")
        XCTAssertEqual(leaf.socket, dir.path + "/seed-001/sockets/leaf01.sock")
        XCTAssertTrue(leaf.startupConfig?.contains("sysname leaf01") ?? false)
        if case .file(let path)? = leaf.node.startupConfig?.source {
            XCTAssertEqual(path, dir.path + "/seed-001/configs/leaf01.cfg", "read from the installed copy")
        } else {
            XCTFail("leaf01's config comes from a file")
        }
        XCTAssertNil(lab.device("nope"))
        XCTAssertEqual(LabCatalog.names(repository: Repo.root), ["seed-000", "seed-001", "seed-002", "seed-003", "seed-004"])
    }
}

final class LabTablesTests: XCTestCase {
    func testListAndInspectTables() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = StateDirectory(root: dir.path)
        let executor = LabExecutor(backend: RecordingBackend(), launcher: RecordingLauncher(), store: store)
        try executor.up(file: Repo.labs + "/seed-000/topology.yaml")
        _ = dir.write("broken/state.json", "{")
        var state = try store.read(lab: "seed-000").get()
        state.createdAt = Date(timeIntervalSince1970: 1_800_000_000)
        let list = LabTables.labs([LabSummary(lab: "seed-000", state: state, problem: nil)] + store.list().filter { $0.lab == "broken" })
        XCTAssertEqual(list.split(separator: "\n").first, "LAB       PHASE       NODES  NAMESPACES  CREATED")
        XCTAssertEqual(list.split(separator: "\n")[1], "seed-000  up          5      seed-000-*  2027-01-15T08:00:00Z")
        XCTAssertTrue(list.split(separator: "\n")[2].hasPrefix("broken    unreadable  -      -           state file "))
        let devices = LabTables.devices(state).split(separator: "\n")
        XCTAssertEqual(devices[0], "NODE    KIND         NAMESPACE        PID   SOCKET")
        XCTAssertEqual(devices[1], "lan     bridge       seed-000-lan     -     -")
        XCTAssertEqual(devices[2], "k8s401  calico-node  seed-000-k8s401  1001  \(dir.path)/seed-000/sockets/k8s401.sock")
    }
}
