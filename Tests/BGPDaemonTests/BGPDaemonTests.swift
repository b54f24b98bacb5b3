// Tests for BGPDaemon.
