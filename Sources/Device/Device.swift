// Device: one emulated switch or router, vendor-neutral.
//
// Module map
// ----------
//   Model/      RunningConfig.swift   the running configuration as values: hostname, interfaces, VLANs,
//                                     static routes, BGP (BGPInstance, BGPPeerSettings)
//               BGPInstance+Bgpd.swift  RunningConfig → BgpdConfig (what the speaker daemon runs)
//   Runtime/    NetworkDevice.swift   the live device: `update { config in … }` applies every change at once
//                                     (BGP as a diff through `SpeakerDaemon.reload`, addresses, links and
//                                     static routes through `KernelPlumbing`); queries for the displays
//               KernelPlumbing.swift  vendor interface names → the lab's Linux names; netlink diffs
//               DeviceQueries.swift   peer summaries, RIB entries and the IP routing table, as plain values
//   Console/    Personality.swift     what a vendor personality provides (tree, banner, config text) and
//                                     the startup replay through the same parser
//               ConsoleServer.swift   JSON lines over a unix socket, one `Session` per connection
//               ConsoleClient.swift   the other end, for `peerlab exec` / `peerlab console` and tests
//   Text/       Columns.swift         padding and the vendors' Up/Down time formats
//
// Personalities (HuaweiVRP, H3CComware, Quagga) declare `Command<NetworkDevice>` tables whose handlers
// call `device.update` and render displays from `device` queries.
