// Tests for BGPDaemon: LoopbackTests (real sessions on 127.0.0.x), BgpdConfigTests, EventLoopTests, NextHopTableTests.
