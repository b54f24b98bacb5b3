// Device: one emulated switch or router, vendor-neutral.
//
// Module map
// ----------
//   Model/      RunningConfig.swift     the running configuration as values: hostname, VLANs, interfaces (addresses,
//                                       description, shutdown, access/trunk/routed), static routes, BGP
//                                       (BGPInstance, BGPGroup, BGPPeerSettings incl. per-peer `shutdown`; BGPTimers:
//                                       instance and per-peer keepalive/hold, the vendors' 60/180 default, the lab's
//                                       5 s connect retry). Peer groups: BGPPeerOptions is what a peer and a group
//                                       both set; `effectiveOptions(of:)` = the member's own, the rest from its group
//                                       (what the speaker runs and the displays show, so group edits act live)
//               BGPInstance+Bgpd.swift  RunningConfig → BgpdConfig (what the speaker daemon runs); router-id fallback;
//                                       which kinds reset a session on a timer change (VRP) and which wait (Comware, Quagga)
//   Runtime/    NetworkDevice.swift     the live device: `update { config in … }` applies each change at once —
//                                       BGP through a `SpeakerDaemon` (started by `bgp <as>`, `reload` as a diff,
//                                       stopped by `undo bgp`), kernel changes through `KernelPlumbing`, port-mode
//                                       and VLAN changes through the lab's `attachPortPlumbing` hook; queries
//                                       for the displays (peer summaries, Loc-RIB); `save(text:)`; `offline` mode
//               KernelPlumbing.swift    vendor interface names → the lab's Linux names (`vlanif98`, `ge0-0-1`, `lo`),
//                                       or Linux names as they are for kinds that use them (quagga: `eth0`, `lo`);
//                                       address / admin-state / static-route diffs over netlink
//               DeviceQueries.swift     the IPv4 routing table as `IPRouteEntry` values (connected, static, BGP)
//   Console/    Edits.swift             command handlers shared by the VRP and Comware tables (captures → config)
//               SharedCommands.swift    command declarations VRP and Comware spell alike (`timer keepalive K hold H`,
//                                       `peer X timer …`), each with the vendor's own help; `peerOrGroup`, the
//                                       `peer ({ip:ipv4} | {name:word})` head every peer option uses
//               Personality.swift       what a personality provides (tree, banner, config text) and the startup
//                                       replay of a configuration text through the same parser
//               ConsoleProtocol.swift   the JSON-lines wire format (ConsoleRequest / ConsoleReply)
//               ConsoleServer.swift     a unix socket, one `Session` per connection, each on its own thread
//               ConsoleClient.swift     the other end, for `peerlab exec` / `peerlab console` and tests
//   Text/       Columns.swift           padding and the vendors' Up/Down time formats
//               SwitchBGPText.swift     the part of `bgp <as>` VRP and Comware write alike (header, groups,
//                                       peers, family lines; `timer keepalive K hold H`)
//
// Personalities (HuaweiVRP, H3CComware, Quagga) declare `Command<NetworkDevice>` tables whose handlers change
// the device through `NetworkDevice.update` (mostly via `Edits`) and render displays from its queries.
// `peerlab device run --kind K --name N --socket S [--startup-config F] [--save-to F] [--log F]` (Sources/peerlab/
// DeviceRun.swift) replays the startup file, then serves the console until SIGTERM.
