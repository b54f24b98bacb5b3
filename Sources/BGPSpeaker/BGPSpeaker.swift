// BGPSpeaker: the vendor-neutral BGP speaker every PeerLab device runs (switches, routers, Calico nodes).
// Pure and deterministic: no sockets, no clocks, no threads. A runtime (BGPDaemon) drives it from one
// event-loop thread and does all I/O.
//
// Parts
//   FSM/                 the session state machine (RFC 4271 §8) as a value type returning actions.
//   Config/              SpeakerConfig, PeerConfig (live: updatePeer says in place or reset), NegotiatedSession.
//   RIB/AttributeSet     interned attribute sets: every route holds a reference to one shared instance.
//   RIB/PrefixMap        per-family prefix maps used by every per-route map; IPv4 in an IPv4PrefixTable
//                        (open addressing on 8-byte packed keys: cheap hashing, 13/16 load).
//   RIB/Path, Destination, Table
//                        Path = attribute set + source + stale flag (16 bytes); Destination = a prefix's
//                        candidate paths, best first, as a 48-byte value stored in the table under its prefix
//                        (no heap block per prefix); Table = the Loc-RIB of one family, changed in place.
//   RIB/AdjRIB           AdjRIBIn (unfiltered, with a stale side for graceful restart) and AdjRIBOut (what
//                        each peer was sent, plus the queue of differences) per peer.
//   RIB/Import           loop detection, eBGP/iBGP attribute clean-up, import policy.
//   RIB/BestPath         the decision process as an ordered list of named, RFC-labelled steps.
//   RIB/Export           every export rule: eBGP, iBGP, route reflection, well-known communities, policy.
//   Policy/RoutePolicy   ordered match/set rules (prefix lists with ge/le, communities, AS path, neighbour AS).
//   Speaker/             the `Speaker` class: peers and policies, session events, receive, process, queries.
//
// Receive path
//   runtime decodes an UPDATE → Speaker.received(_:from:) → Adj-RIB-In (unfiltered) → importRoute (loop
//   checks, clean-up, policy) → Path upserted into the prefix's Destination, whose prefix is queued as dirty.
//
// Transmit path
//   Speaker.process() → for each dirty prefix's Destination: DecisionProcess.select (best + multipath) → FIB diff
//   (takeFIBChanges) → exportRoute per Established peer → AdjRIBOut.set records the difference →
//   takeOutbound(for:) drains it as OutboundBatch values grouped by attribute set, withdrawals first,
//   End-of-RIB last → runtime encodes and sends.
//
// RFCs
//   4271 (BGP-4: decision process §9.1, MED §5.1.4, LOCAL_PREF §5.1.5), 4456 (route reflection:
//   ORIGINATOR_ID, CLUSTER_LIST, reflection rules, loop checks), 1997 (NO_EXPORT, NO_ADVERTISE),
//   4724 (graceful restart, receiving side; End-of-RIB), 2918 (route refresh), 4760 and 2545
//   (multiprotocol, IPv6 next hops), 7606 (treat-as-withdraw, applied as withdrawals here).
