import ArgumentParser

/// The one executable: lab verbs for users, and the device daemons the labs start.
@main
struct PeerLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peerlab",
        abstract: "A lab emulator for BGP data-centre fabrics: Calico nodes, Huawei VRP and H3C Comware switches, Quagga routers.",
        subcommands: [
            Up.self, Down.self, Inspect.self, Exec.self, Console.self, Shell.self, Redeploy.self, List.self, Logs.self,
            Bgpd.self, DeviceCommand.self,
            CalicoctlCommand.self, KubectlCommand.self, CalicoNodeCommand.self, Ezctl.self,
        ]
    )
}
