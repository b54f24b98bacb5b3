// BGPDaemon — the running BGP speaker: one `Speaker` (BGPSpeaker) driven by one event-loop thread, real TCP
// sessions, the kernel FIB, a YAML configuration and a control socket. `peerlab bgpd` is a thin CLI over it.
//
// # Parts
// - `EventLoop` — one thread: poll() over descriptors, a monotonic timer heap, a self-pipe for work submitted from
//   other threads (`submit`, `sync`). Nothing on it blocks.
// - `TCPSocket`, `SocketAddress` — non-blocking listen/connect (IPv4, IPv6, dual-stack "::"), source address,
//   SO_REUSEADDR, TCP_NODELAY, IP_TTL / IPV6_UNICAST_HOPS (eBGP 1, multihop N, iBGP 255), TCP_MD5SIG per peer on
//   the listener and on outgoing sockets.
// - `Connection` — one TCP connection: MessageFramer on the way in, a write buffer with high/low-water marks on
//   the way out (the session stops pulling routes from the speaker while the peer is slow).
// - `PeerSession` — one configured peer: a `SessionFSM` per connection, RFC 4271 §6.8 collision resolution by
//   BGP Identifier, counters, uptime, last error, graceful-restart stale timer.
// - `SpeakerDaemon` — owns the speaker, listeners and sessions; live changes (add/remove peer, originate,
//   withdraw, reload as a diff); after each input batch runs `process()`, sends outbound UPDATEs, syncs the FIB.
// - `FIB`, `NetlinkFIB`, `NetlinkRoutes`, `NextHopTable` — best routes into the kernel (proto bgp, metric 20,
//   multipath, blackhole; flushed on shutdown and on start), next-hop resolution over connected/static routes
//   (recursive), `redistribute connected/static`; re-read on rtnetlink route/address notifications.
// - `BgpdConfig` (strict YAML), `BgpdStatus` (contract JSON and table), `ControlServer`/`ControlClient` (unix
//   socket, one JSON request per line), `BgpdProcess` (the foreground daemon, SIGHUP reload), `Logger`.
//
// # Receive path
// poll → Connection.readAvailable → MessageFramer.next → BGPMessage.decode (errors → SessionFSM `.malformed` →
// NOTIFICATION + close) → SessionFSM.handle → `.deliverUpdate` → Speaker.received → needProcess (once per poll round)
// → Speaker.process.
//
// # Transmit path
// Speaker.peersWithOutbound → PeerSession.pumpOutbound → Speaker.takeOutbound → UpdatePacker.updates / endOfRIB →
// Connection.send; the FSM's own messages (OPEN, KEEPALIVE, NOTIFICATION) are encoded with the session's options.
