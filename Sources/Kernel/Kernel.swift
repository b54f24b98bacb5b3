// Kernel: PeerLab's access to the Linux network stack, over Glibc only (no processes on the hot path).
//
// Module map
// ----------
// Netlink/        the rtnetlink transport
//   NetlinkSocket     NETLINK_ROUTE socket: `perform` (request + ack), `query`, `dump` (multi-part,
//                     retried when interrupted), `performBatch` (many requests per datagram, acks read
//                     in windows of 512), `receiveNotifications` (for monitors). Extended acks on, so
//                     errors carry the kernel's own words.
//   NetlinkMessage    `NetlinkRequest` (builder: fixed header, rtattrs, nests), `NetlinkMessage` (split
//                     a datagram), `NetlinkAttributes` (parser; malformed input ends the walk, never traps).
//   NetlinkConstants  the uapi numbers (RTM_*, IFLA_*, RTA_*, …) Glibc's module does not export.
// Links/          `ip link` and `bridge vlan`
//   Link, LinkID      a listed interface; names an interface by name or index (string/int literals).
//   NetlinkSocket+Links       createVeth (peer straight into another namespace), createBridge
//                             (vlan_filtering), createVLAN, createDummy, up/down, MTU, MAC, master,
//                             nomaster, alias, rename, move to namespace, delete, links(), link(_:).
//   NetlinkSocket+BridgeVLAN  addBridgeVLAN / removeBridgeVLAN (per port, or the bridge itself with
//                             BRIDGE_FLAGS_SELF), bridgeVLANs().
// Addresses/      `ip addr`: addAddress (IPv6 with IFA_F_NODAD by default), deleteAddress, addresses().
// Routes/         `ip route` and `ip monitor`
//   Route, NextHop, RouteType, RouteProtocol (.bgp = 186), RouteScope   the model
//   Route+Netlink           rtmsg/RTA_* encoding and decoding, RTA_MULTIPATH, RTA_VIA
//   NetlinkSocket+Routes    addRoute / replaceRoute / deleteRoute / routes(), and `apply([RouteChange])`
//                           for bulk installs (one batch, per-route failures returned, not thrown)
//   RouteMonitor            joins RTNLGRP_IPV4/IPV6_ROUTE, LINK, IPV4/IPV6_IFADDR; yields typed events
// Namespace/      `ip netns`
//   NetworkNamespace        create (exactly like `ip netns add`: shared /run/netns, bind mount),
//                           delete, list, exists, openDescriptor, run { } (per thread, never across
//                           `await`), netlink(), currentIsNamed (the guard before touching anything)
//   NetworkNamespace+Process  writeSysctl / readSysctl inside a namespace; spawn (posix_spawn from a
//                           thread inside the namespace, output to a file, returns the pid)
//   ToolRun                 a tool (tc, nft) run to completion in this thread's namespace: stdin fed,
//                           signals reset, its words kept for the error
//   Syscalls                setns/unshare looked up with dlsym (hidden behind _GNU_SOURCE in Glibc)
// InetAddress.swift  `InetAddress` (4/16 bytes) and `InetPrefix`: Kernel's own address types, so it does
//                    not import BGPWire. From BGPWire: `InetAddress(bytes: v4.octets)`,
//                    `InetAddress(bytes: v6.bytes)`, or `InetAddress(address.description)`.
// KernelError.swift  the one error type: operation, errno, kernel text, hint.
//
// Request path:   caller → NetlinkSocket extension builds a NetlinkRequest → perform/dump/performBatch
//                 adds nlmsghdr + sequence → send → replies matched by sequence → decoded model values.
// Notification path: RouteMonitor socket (multicast groups) → receiveNotifications → RouteMonitor.Event.
//
// Threading: a NetlinkSocket or RouteMonitor has one owner at a time. A socket stays in the namespace it
// was opened in, whatever thread later uses it; only `NetworkNamespace.run` moves a thread, and only
// for the duration of its closure.
//
// Kernel support: veth and bridges are needed; VLAN interfaces (CONFIG_VLAN_8021Q), dummy interfaces
// (CONFIG_DUMMY) and bridge VLAN filtering (CONFIG_BRIDGE_VLAN_FILTERING) fail with EOPNOTSUPP on
// kernels built without them, with a message saying so.
