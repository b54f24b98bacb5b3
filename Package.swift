// swift-tools-version:6.0
// PeerLab: a lab emulator for BGP data-centre fabrics (Calico, Huawei VRP, H3C Comware, Quagga).
// Imports run one way: peerlab → Lab → (Vendors, Calico) → BGPDaemon → (BGPSpeaker → BGPWire, Kernel).
import PackageDescription

/// The route ingest path (codec, RIBs, event loop) in release builds: no run-time exclusivity checks. They cost
/// ~30% of ingest instructions (swift_beginAccess on every class property and global access); debug builds, which
/// the tests run, keep them, so a violation still traps there.
let hotPathSettings: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "PeerLab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "peerlab", targets: ["peerlab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // Wire format: pure, no I/O, stdlib only.
        .target(name: "BGPWire", swiftSettings: hotPathSettings),
        // Vendor-neutral speaker logic: FSM, RIBs, decision process, export, route reflection.
        .target(name: "BGPSpeaker", dependencies: ["BGPWire"], swiftSettings: hotPathSettings),
        // Linux kernel access: rtnetlink (links, addresses, routes), network namespaces.
        .target(name: "Kernel"),
        // The running speaker: event loop, TCP transport (MD5, TTL), FIB sync, bgpd config and control socket.
        .target(name: "BGPDaemon", dependencies: ["BGPSpeaker", "Kernel", .product(name: "Yams", package: "Yams")],
                swiftSettings: hotPathSettings),
        // Command-tree engine for vendor consoles: grammar, matcher, help, completion (knows nothing of BGP).
        .target(name: "CLIEngine"),
        // Calico resources, selectors, peer computation, IPAM, calicoctl output.
        .target(name: "Calico", dependencies: ["BGPWire", .product(name: "Yams", package: "Yams")]),
        // Topology model, orchestration, state directory.
        .target(name: "Lab", dependencies: ["Kernel", "Calico", .product(name: "Yams", package: "Yams")]),
        // A switch or router device: vendor-neutral running state (interfaces, VLANs, static routes, BGP),
        // applied live to the speaker and the kernel; serves its console over a unix socket.
        .target(name: "Device", dependencies: ["CLIEngine", "BGPDaemon", "Kernel"]),
        // Personalities: each declares its commands once (grammar + handler + help) and renders its displays.
        .target(name: "HuaweiVRP", dependencies: ["Device", "CLIEngine"]),
        .target(name: "H3CComware", dependencies: ["Device", "CLIEngine"]),
        .target(name: "Quagga", dependencies: ["Device", "CLIEngine"]),
        // The calico-node device: node agent (confd-style peerings, IPAM blocks, pod namespaces, routes),
        // and the calicoctl / kubectl front ends that run inside a node's namespace.
        .target(name: "CalicoNode", dependencies: ["Calico", "BGPDaemon", "Kernel"]),
        // The speaker's ingest cost without sockets (a benchmark run by hand; see scripts/bench).
        .executableTarget(name: "bgp-ingest-bench", dependencies: ["BGPSpeaker", "BGPWire"], swiftSettings: hotPathSettings),
        .systemLibrary(name: "CReadline", path: "Sources/CReadline"),
        .executableTarget(name: "peerlab", dependencies: [
            "Lab", "BGPDaemon", "CLIEngine", "Calico", "CReadline", "Device", "HuaweiVRP", "H3CComware", "Quagga", "CalicoNode",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "BGPWireTests", dependencies: ["BGPWire"]),
        .testTarget(name: "BGPSpeakerTests", dependencies: ["BGPSpeaker"]),
        .testTarget(name: "KernelTests", dependencies: ["Kernel"]),
        .testTarget(name: "BGPDaemonTests", dependencies: ["BGPDaemon"]),
        .testTarget(name: "CLIEngineTests", dependencies: ["CLIEngine"]),
        .testTarget(name: "CalicoTests", dependencies: ["Calico"]),
        .testTarget(name: "DeviceTests", dependencies: ["Device"]),
        .testTarget(name: "CalicoNodeTests", dependencies: ["CalicoNode"]),
        .testTarget(name: "PersonalityTests", dependencies: ["HuaweiVRP", "H3CComware", "Quagga", "Device", "CLIEngine"]),
        .testTarget(name: "LabTests", dependencies: ["Lab"]),
        .testTarget(name: "InteropTests", dependencies: ["BGPDaemon", "Kernel"]),
    ],
    swiftLanguageModes: [.v5]
)
