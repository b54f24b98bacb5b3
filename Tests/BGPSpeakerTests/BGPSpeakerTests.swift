// Tests for BGPSpeaker.
