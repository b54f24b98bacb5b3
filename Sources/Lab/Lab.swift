// Lab module: topology model, bring-up plan, state directory and the executor that builds a lab.
//
// # Module map
//
// A lab file (YAML, containerlab-like) becomes running namespaces in four stages, each a separate type:
//
//     lab file ──TopologyLoader──▶ Topology ──LabPlan(topology:paths:)──▶ LabPlan ──LabExecutor──▶ kernel
//                  (validate)        (values)        (pure)              (steps)    (NetworkBackend,
//                                                                                     DaemonLauncher)
//
// * `Topology/` — the model (`Topology`, `Node`, `Link`, `Endpoint`, `StartupConfig`, `CalicoSection`),
//   the strict `KindRegistry` of kinds (huawei-vrp, h3c-comware, quagga, calico-node, host, bridge),
//   `PortNaming` (which port names each kind has and their Linux names), `SwitchLayout` (the port modes,
//   VLANs and L3 interfaces read from a switch's vendor-native startup config) and `TopologyLoader`,
//   which reports every fault as a `TopologyIssue` (file, line, node, field) and never stops at the first.
// * `Plan/` — `LabNames` (the naming scheme: namespaces `<tag>-<node>` within 15 characters, hashed when
//   longer; see its doc comment) and `LabPlan`, the ordered `LabStep`s for bring-up. Teardown is the
//   reverse (`teardownSteps`): stop daemons, delete namespaces; deleting a namespace removes what is in it.
// * `State/` — `LabPaths` and `StateDirectory`: `/run/peerlab/<lab>/` (or `$PEERLAB_STATE_DIR/<lab>/`)
//   with `topology.yaml`, `state.json` (`LabState`: namespaces, devices, PIDs), `configs/`, `logs/`,
//   `sockets/`; `list()` enumerates the labs on the box; `InstalledLab` reopens a lab (and gives a device
//   daemon its context); `LabTables` renders `list`/`inspect`; `LabCatalog` names the shipped labs.
// * `Run/` — `NetworkBackend` and `DaemonLauncher` protocols; `LabExecutor` (up with rollback; down that
//   also sweeps namespaces carrying the lab's tag and ends processes inside them); `KernelBackend` (the
//   Kernel module's netlink API, plus `tc` for `HubSegment`s) and `ProcessLauncher` (spawns
//   `peerlab device run …` in the namespace and waits for its control socket); `LiveSegments`, which a
//   running switch daemon calls after each port-mode / VLAN / Vlanif change to rebuild its hub segments
//   from inside its namespace (the `up` layout is the startup config's; later ones only the switch knows).
//
// Entry points for the `peerlab` verbs:
//   up:      LabExecutor(backend: KernelBackend(), launcher: ProcessLauncher(executable: peerlab),
//                        store: StateDirectory()).up(file: path)        // throws TopologyErrors / LabError
//   down:    same executor, .down(lab: name)
//   list:    LabTables.labs(StateDirectory().list())
//   plan:    LabPlan(topology:paths:).steps, one `description` line each
//   device:  InstalledLab.open(labDirectory:).device(node)
//
// Nothing here creates anything in the root network namespace: veth pairs are created with both ends
// placed straight into the lab's namespaces.
//
// Switch ports behave as on the real switch: L2 ports join a VLAN-filtering bridge `swbr` in the switch's
// namespace as access (pvid untagged) or trunk (tagged) members; `Vlanif98` / `Vlan-interface98` is a VLAN
// device `vlanif98` on that bridge; routed ports (`undo portswitch` / `port link-mode route`) carry their
// own addresses; LoopBack addresses go on the namespace's `lo`. Vendor port names are kept in ifalias.
// Where the kernel has no bridge (this box's 6.18 build lacks bridge, dummy and 802.1Q links), the
// backend builds each VLAN as a `HubSegment`: tc ingress filters that flood every frame to the VLAN's
// other members with mirred; a VLAN interface is then a veth pair whose far end is a member.
