// Quagga: a Quagga 1.2-style router (zebra + bgpd behind one vtysh) on the vendor-neutral Device layer.
// Handlers edit `RunningConfig` through `NetworkDevice.update` (applied live to the speaker and the kernel);
// displays are pure functions from plain values, so they are tested without a running speaker.
//
// Module map
// ----------
//   CLI/     QuaggaCLI.swift          modes (views) and prompts, glossary, the compiled tree, `Quagga.personality`
//            Commands+Top.swift       enable/disable, configure terminal, show …, write, hostname, password, log file,
//                                     ip route, interface (ip address, description, shutdown)
//            Commands+BGP.swift       router bgp, bgp router-id/cluster-id, timers bgp, neighbor … (incl. timers),
//                                     network, maximum-paths, redistribute, address-family mode; peer-groups
//                                     (`neighbor WORD peer-group`, every neighbor option on a group,
//                                     `neighbor A.B.C.D peer-group WORD`)
//            Editing.swift            handler helpers: typed captures, Quagga's `%` refusals
//   Config/  ConfigText.swift         RunningConfig → `show running-config` text (also what `write` saves and the
//                                     startup replay reads back through the same parser)
//            HostSettings.swift       password / enable password / log file, which RunningConfig has no place for
//   Render/  DisplayState.swift       BGPState (peers, Loc-RIB, clock) and ZebraRoute: the displays' inputs
//            Uptime.swift             peer_uptime formats: 00:05:23, 1d02h03m, 01w3d19h, 01y02w3d, never
//            SummaryView.swift        `show ip bgp summary`
//            BGPTableView.swift       `show ip bgp`, `show ip bgp <prefix>|<address>`
//            NeighborView.swift       `show ip bgp neighbors [<ip>]`
//            RouteView.swift          `show ip route`
//   Router/  Queries.swift            NetworkDevice → BGPState / [ZebraRoute] (connected and `K` routes read from the
//                                     namespace's kernel, as zebra learns them), `ip_forward` for `show ip forwarding`
//
// Layouts follow /work/shared/spec/vendor-cli.md §C (Quagga 1.2.x wording: `= multipath` status line,
// `Displayed  N out of M total prefixes`, the 1.x summary header whose AS column is off by design).
