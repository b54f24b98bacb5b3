// BGPDaemon module: the running speaker. See README.md for the module map.
//
// Parts: EventLoop (poll + timers + wake-up), Socket* (non-blocking TCP with MD5/TTL), Connection (framing and
// write buffering), PeerSession (FSMs per connection, collision resolution, counters), Daemon (the speaker's
// owner: listeners, sessions, outbound pumping, FIB sync), BgpdConfig (YAML), ControlServer (unix socket JSON).
//
// Receive path: poll → Connection.readable → MessageFramer → BGPMessage.decode → SessionFSM.handle →
// Speaker.received; after each batch Speaker.process() → takeOutbound → UpdatePacker → Connection.send.
