// BGPWire — the BGP-4 wire format. Pure: no I/O, no Foundation, only the standard library.
//
// # Parts
// - Model (what everyone codes against): `Addresses`, `Prefix`, `AddressFamily`, `Messages` (BGPMessage, Open,
//   Capability, Update, RouteRefresh, CodecOptions), `PathAttributes`, `Notification` (also the decoder's error).
// - `Codec/Framer.swift` — `MessageFramer`: cuts a TCP byte stream into whole messages, checks marker and length
//   as soon as a header is there.
// - `Codec/Message+Decode.swift`, `Codec/Message+Encode.swift` — the 19-byte header, KEEPALIVE, NOTIFICATION,
//   ROUTE-REFRESH, and dispatch to the per-message files.
// - `Codec/Open+Codec.swift` — OPEN and its capabilities.
// - `Codec/Update+Decode.swift`, `Codec/Update+Encode.swift` — UPDATE framing, withdrawn routes and NLRI, and
//   the one generic attribute loop (flags, lengths, duplicates, unknown attributes, RFC 7606 actions).
// - `Attributes/AttributeDescriptor.swift` — the one table that holds everything about an attribute: code,
//   name, flags, RFC 7606 error action, decode and encode. One file per family beside it (`Origin+ASPath`,
//   `NextHop+Metrics`, `Aggregator`, `Communities`, `RouteReflection`, `MPReach`).
// - `Codec/NLRI.swift` — prefix encoding shared by withdrawn routes, NLRI and MP attributes.
// - `Codec/UpdatePacker.swift` — turns (attributes, next hop, prefixes) into the fewest UPDATEs ≤ 4096 bytes.
// - `Codec/Fuzz.swift` — `fuzzDecode`, the entry point for the randomised test and `scripts/fuzz-wire.sh`.
//
// # Receive path
// bytes from the socket → `MessageFramer.append` → `MessageFramer.next()` (one whole message, or nil for
// "need more bytes"; a bad marker or length throws 1/1 or 1/2) → `BGPMessage.decode(_:options:)` → a message,
// or a thrown `Notification` that is exactly what must be sent before closing the session. For UPDATEs that
// RFC 7606 allows to keep the session, the decoder returns the Update with `treatAsWithdraw` set (withdraw every
// NLRI in it) or with the offending attribute dropped (attribute-discard).
//
// # Transmit path
// `UpdatePacker.updates(...)` or a `BGPMessage` value → `encode(options:)` → bytes for the socket. `CodecOptions`
// carries what the session negotiated; towards a 2-octet-AS peer the encoder writes AS_TRANS into AS_PATH and
// AGGREGATOR and adds AS4_PATH / AS4_AGGREGATOR.
//
// # RFCs supported
// RFC 4271 (BGP-4: messages, §6 error handling), RFC 7606 (revised UPDATE error handling), RFC 4760
// (multiprotocol: IPv4/IPv6 unicast in MP_REACH/MP_UNREACH), RFC 2545 (IPv6 global + link-local next hop),
// RFC 5492 (capabilities), RFC 2918 and RFC 7313 (route refresh, enhanced), RFC 4724 (graceful restart
// capability, End-of-RIB), RFC 6793 (4-octet AS, AS_TRANS, AS4_PATH/AS4_AGGREGATOR), RFC 1997 (communities),
// RFC 8092 (large communities), RFC 4456 (ORIGINATOR_ID, CLUSTER_LIST).
// Not supported: confederation segments (treated as a malformed AS_PATH), ADD-PATH, extended messages (RFC 8654),
// extended optional parameters (RFC 9072), IPv4 NLRI with IPv6 next hop (RFC 8950).

/// Sizes fixed by RFC 4271 §4.
public enum WireFormat {
    /// Marker (16) + length (2) + type (1).
    public static let headerLength = 19
    /// The largest message without the extended-message capability (RFC 4271 §4.1).
    public static let maxMessageLength = 4096
}
