import XCTest
import BGPWire
@testable import BGPSpeaker

typealias Notification = BGPWire.Notification

final class FSMTests: XCTestCase {
    let localID = IPv4Address(10, 0, 0, 1)
    let peerID = IPv4Address(10, 0, 0, 2)

    func params(localAS: UInt32 = 65001, remoteAS: UInt32 = 65002, hold: UInt16 = 90, keepalive: UInt16 = 0,
                passive: Bool = false, families: Set<AddressFamily> = [.ipv4Unicast], gr: UInt16? = nil,
                policy: CapabilityPolicy = .lenient) -> SessionParameters {
        SessionParameters(localAS: localAS, routerID: localID, remoteAS: remoteAS, holdTime: hold, keepaliveTime: keepalive,
                          connectRetryTime: 5, passive: passive, families: families, gracefulRestartTime: gr,
                          capabilityPolicy: policy)
    }

    func peerOpen(asn: UInt32 = 65002, hold: UInt16 = 90, id: IPv4Address? = nil, caps: [Capability]? = nil) -> Open {
        Open(asn: asn, holdTime: hold, bgpIdentifier: id ?? peerID,
             capabilities: caps ?? [.multiprotocol(.ipv4Unicast), .routeRefresh])
    }

    /// Drives a fresh FSM to Established and returns it.
    func establishedFSM(_ p: SessionParameters? = nil, open: Open? = nil) -> SessionFSM {
        var fsm = SessionFSM(parameters: p ?? params())
        _ = fsm.handle(.start)
        _ = fsm.handle(.connected)
        _ = fsm.handle(.received(.open(open ?? peerOpen())))
        _ = fsm.handle(.received(.keepalive))
        XCTAssertEqual(fsm.state, .established)
        return fsm
    }

    func sentNotification(_ actions: [SessionAction]) -> Notification? {
        for a in actions { if case .send(.notification(let n)) = a { return n } }
        return nil
    }

    // MARK: transitions

    func testStartConnectsAndArmsConnectRetry() {
        var fsm = SessionFSM(parameters: params())
        let actions = fsm.handle(.start)
        XCTAssertEqual(fsm.state, .connect)
        XCTAssertTrue(actions.contains(.connect))
        XCTAssertTrue(actions.contains(.startTimer(.connectRetry, seconds: 5)))
    }

    func testPassivePeerWaitsInActiveWithoutConnecting() {
        var fsm = SessionFSM(parameters: params(passive: true))
        let actions = fsm.handle(.start)
        XCTAssertEqual(fsm.state, .active)
        XCTAssertFalse(actions.contains(.connect))
        XCTAssertEqual(fsm.handle(.timerExpired(.connectRetry)), [])
        XCTAssertEqual(fsm.state, .active)
    }

    func testConnectionSendsOpenWithLargeHoldTime() {
        var fsm = SessionFSM(parameters: params())
        _ = fsm.handle(.start)
        let actions = fsm.handle(.connected)
        XCTAssertEqual(fsm.state, .openSent)
        XCTAssertTrue(actions.contains(.stopTimer(.connectRetry)))
        XCTAssertTrue(actions.contains(.startTimer(.hold, seconds: 240)))
        guard case .send(.open(let open))? = actions.first(where: { if case .send(.open) = $0 { true } else { false } }) else {
            return XCTFail("no OPEN sent: \(actions)")
        }
        XCTAssertEqual(open.asNumber, 65001)
        XCTAssertEqual(open.bgpIdentifier, localID)
        XCTAssertEqual(open.holdTime, 90)
        XCTAssertTrue(open.supportsRouteRefresh)
    }

    func testConnectFailureFallsToActiveAndRetryReconnects() {
        var fsm = SessionFSM(parameters: params())
        _ = fsm.handle(.start)
        let failed = fsm.handle(.connectionFailed("refused"))
        XCTAssertEqual(fsm.state, .active)
        XCTAssertTrue(failed.contains(.startTimer(.connectRetry, seconds: 5)))
        XCTAssertEqual(fsm.connectRetryCounter, 1)
        let retried = fsm.handle(.timerExpired(.connectRetry))
        XCTAssertEqual(fsm.state, .connect)
        XCTAssertTrue(retried.contains(.connect))
    }

    func testOpenAcceptedSendsKeepaliveAndNegotiatesTimers() {
        var fsm = SessionFSM(parameters: params(hold: 90))
        _ = fsm.handle(.start)
        _ = fsm.handle(.connected)
        let actions = fsm.handle(.received(.open(peerOpen(hold: 30))))
        XCTAssertEqual(fsm.state, .openConfirm)
        XCTAssertEqual(actions.first, .send(.keepalive))
        XCTAssertTrue(actions.contains(.startTimer(.hold, seconds: 30)))
        XCTAssertTrue(actions.contains(.startTimer(.keepalive, seconds: 10)))
        let up = fsm.handle(.received(.keepalive))
        XCTAssertEqual(fsm.state, .established)
        guard case .established(let n)? = up.last else { return XCTFail("no established action: \(up)") }
        XCTAssertEqual(n.holdTime, 30)
        XCTAssertEqual(n.keepaliveTime, 10)
        XCTAssertEqual(n.remoteRouterID, peerID)
        XCTAssertEqual(n.remoteAS, 65002)
        XCTAssertTrue(n.fourOctetAS)
        XCTAssertTrue(n.routeRefresh)
    }

    func testConfiguredKeepaliveIsKeptWhenBelowAThirdOfHold() {
        var fsm = SessionFSM(parameters: params(hold: 90, keepalive: 5))
        _ = fsm.handle(.start); _ = fsm.handle(.connected)
        let actions = fsm.handle(.received(.open(peerOpen(hold: 90))))
        XCTAssertTrue(actions.contains(.startTimer(.keepalive, seconds: 5)))
    }

    func testZeroHoldTimeRunsNoTimers() {
        let fsm = establishedFSM(params(hold: 0))
        XCTAssertEqual(fsm.negotiation?.holdTime, 0)
        var copy = fsm
        XCTAssertEqual(copy.handle(.received(.keepalive)), [])
    }

    func testEstablishedDeliversUpdatesAndRestartsHold() {
        var fsm = establishedFSM()
        let update = Update(nlri: [IPv4Prefix("10.1.0.0/24")!])
        let actions = fsm.handle(.received(.update(update)))
        XCTAssertEqual(actions, [.startTimer(.hold, seconds: 90), .deliverUpdate(update)])
        let refresh = fsm.handle(.received(.routeRefresh(RouteRefresh(family: .ipv4Unicast))))
        XCTAssertTrue(refresh.contains(.routeRefreshRequested(.ipv4Unicast)))
    }

    /// The runtime's shortcut for UPDATEs must do what `handle` does, in every state and with or without a hold
    /// time: where `takesUpdatesDirectly`, exactly a hold restart (if any) and the delivery.
    func testDirectUpdatesMatchWhatHandleDoes() {
        let update = Update(nlri: [IPv4Prefix("10.1.0.0/24")!])
        for hold: UInt16 in [0, 90] {
            var fsm = establishedFSM(params(hold: hold))
            XCTAssertTrue(fsm.takesUpdatesDirectly)
            let expected = (fsm.holdTime.map { [SessionAction.startTimer(.hold, seconds: $0)] } ?? []) + [.deliverUpdate(update)]
            XCTAssertEqual(fsm.handle(.received(.update(update))), expected)
        }
        var opening = SessionFSM(parameters: params())
        _ = opening.handle(.start)
        _ = opening.handle(.connected)
        XCTAssertFalse(opening.takesUpdatesDirectly, "before Established an UPDATE is an FSM error")
    }

    func testKeepaliveTimerSendsKeepalive() {
        var fsm = establishedFSM()
        XCTAssertEqual(fsm.handle(.timerExpired(.keepalive)), [.send(.keepalive), .startTimer(.keepalive, seconds: 30)])
    }

    // MARK: errors and down reasons

    func testHoldTimerExpiryNotifiesAndRestartsLater() {
        var fsm = establishedFSM()
        let actions = fsm.handle(.timerExpired(.hold))
        XCTAssertEqual(fsm.state, .idle)
        XCTAssertEqual(sentNotification(actions)?.code, 4)
        XCTAssertTrue(actions.contains(.sessionDown(.holdTimerExpired)))
        XCTAssertTrue(actions.contains(.disconnect))
        XCTAssertTrue(actions.contains(.startTimer(.idleHold, seconds: 5)))
        XCTAssertEqual(fsm.lastDownReason, .holdTimerExpired)
        XCTAssertEqual(fsm.lastDownReason?.description, "Hold timer expired")
        _ = fsm.handle(.timerExpired(.idleHold))
        XCTAssertEqual(fsm.state, .connect)
    }

    func testHoldTimerInOpenSentDoesNotReportSessionDown() {
        var fsm = SessionFSM(parameters: params())
        _ = fsm.handle(.start); _ = fsm.handle(.connected)
        let actions = fsm.handle(.timerExpired(.hold))
        XCTAssertEqual(fsm.state, .idle)
        XCTAssertFalse(actions.contains { if case .sessionDown = $0 { true } else { false } })
    }

    func testNotificationReceivedIsTheLastError() {
        var fsm = establishedFSM()
        let cease = Notification(.cease, 2)
        let actions = fsm.handle(.received(.notification(cease)))
        XCTAssertEqual(fsm.state, .idle)
        XCTAssertNil(sentNotification(actions))
        XCTAssertEqual(fsm.lastDownReason, .notificationReceived(cease))
        XCTAssertEqual(fsm.lastDownReason?.description, "Notification received: Cease/Administrative Shutdown (6/2)")
    }

    func testMalformedUpdateSendsTheDecodersNotification() {
        var fsm = establishedFSM()
        let bad = Notification(.updateMessage, 11)
        let actions = fsm.handle(.malformed(bad))
        XCTAssertEqual(sentNotification(actions), bad)
        XCTAssertEqual(fsm.lastDownReason, .notificationSent(bad))
    }

    func testAdminShutdownSendsCeaseAndStaysIdle() {
        var fsm = establishedFSM()
        let actions = fsm.handle(.stop(.adminShutdown))
        XCTAssertEqual(sentNotification(actions), Notification(.cease, 2))
        XCTAssertTrue(actions.contains(.sessionDown(.adminShutdown)))
        XCTAssertFalse(actions.contains(.startTimer(.idleHold, seconds: 5)))
        XCTAssertFalse(fsm.autoRestart)
        XCTAssertEqual(fsm.handle(.connected), [.disconnect])
        XCTAssertEqual(fsm.state, .idle)
    }

    func testPeerDeconfiguredCease() {
        var fsm = establishedFSM()
        XCTAssertEqual(sentNotification(fsm.handle(.stop(.peerDeconfigured))), Notification(.cease, 3))
    }

    func testCollisionDumpSendsCeaseSeven() {
        var fsm = SessionFSM(parameters: params())
        _ = fsm.handle(.start); _ = fsm.handle(.connected)
        _ = fsm.handle(.received(.open(peerOpen())))
        let actions = fsm.handle(.collisionDump)
        XCTAssertEqual(sentNotification(actions), Notification(.cease, 7))
        XCTAssertEqual(fsm.lastDownReason, .collision)
        XCTAssertEqual(fsm.state, .idle)
    }

    func testUpdateInOpenConfirmIsAnFSMError() {
        var fsm = SessionFSM(parameters: params())
        _ = fsm.handle(.start); _ = fsm.handle(.connected)
        _ = fsm.handle(.received(.open(peerOpen())))
        let actions = fsm.handle(.received(.update(Update())))
        XCTAssertEqual(sentNotification(actions)?.code, 5)
        XCTAssertEqual(fsm.state, .idle)
    }

    func testConnectionLossInOpenSentGoesBackToActive() {
        var fsm = SessionFSM(parameters: params())
        _ = fsm.handle(.start); _ = fsm.handle(.connected)
        let actions = fsm.handle(.connectionFailed("reset"))
        XCTAssertEqual(fsm.state, .active)
        XCTAssertTrue(actions.contains(.startTimer(.connectRetry, seconds: 5)))
    }

    func testConnectionLossInEstablishedReportsDown() {
        var fsm = establishedFSM()
        let actions = fsm.handle(.connectionFailed("reset by peer"))
        XCTAssertTrue(actions.contains(.sessionDown(.connectionFailed("reset by peer"))))
        XCTAssertEqual(fsm.state, .idle)
    }

    // MARK: OPEN validation

    func refusal(_ p: SessionParameters, _ open: Open) -> Notification? {
        var fsm = SessionFSM(parameters: p)
        _ = fsm.handle(.start); _ = fsm.handle(.connected)
        let actions = fsm.handle(.received(.open(open)))
        if fsm.state == .idle { return sentNotification(actions) }
        return nil
    }

    func testWrongPeerASIsRefused() {
        XCTAssertEqual(refusal(params(), peerOpen(asn: 65003)), Notification(.openMessage, 2, data: [0xfd, 0xeb]))
    }

    func testFourOctetPeerASIsMatchedViaCapability() {
        XCTAssertNil(refusal(params(remoteAS: 4_200_000_001), peerOpen(asn: 4_200_000_001)))
        XCTAssertEqual(refusal(params(remoteAS: 4_200_000_001), peerOpen(asn: 4_200_000_002))?.subcode, 2)
    }

    func testASTransWithoutCapabilityIsBadPeerAS() {
        let open = Open(myAS: UInt16(asTrans), holdTime: 90, bgpIdentifier: peerID, capabilities: [])
        XCTAssertEqual(refusal(params(remoteAS: asTrans), open)?.subcode, 2)
    }

    func testTwoOctetFieldMustAgreeWithCapability() {
        let open = Open(myAS: 65010, holdTime: 90, bgpIdentifier: peerID, capabilities: [.fourOctetAS(65002)])
        XCTAssertEqual(refusal(params(), open)?.subcode, 2)
    }

    func testTwoOctetSpeakerWithoutCapability() {
        let open = Open(myAS: 65002, holdTime: 90, bgpIdentifier: peerID, capabilities: [])
        var fsm = SessionFSM(parameters: params())
        _ = fsm.handle(.start); _ = fsm.handle(.connected)
        _ = fsm.handle(.received(.open(open)))
        XCTAssertEqual(fsm.state, .openConfirm)
        XCTAssertEqual(fsm.negotiation?.fourOctetAS, false)
        XCTAssertEqual(fsm.negotiation?.families, [.ipv4Unicast])
    }

    func testHoldTimeOneOrTwoIsUnacceptable() {
        XCTAssertEqual(refusal(params(), peerOpen(hold: 2))?.subcode, 6)
        XCTAssertNil(refusal(params(), peerOpen(hold: 3)))
    }

    func testBadBGPIdentifiers() {
        XCTAssertEqual(refusal(params(), peerOpen(id: .zero))?.subcode, 3)
        XCTAssertEqual(refusal(params(), peerOpen(id: IPv4Address(UInt32.max)))?.subcode, 3)
        // Same identifier: refused within an AS, allowed across ASes (RFC 6286).
        XCTAssertEqual(refusal(params(remoteAS: 65001), peerOpen(asn: 65001, id: localID))?.subcode, 3)
        XCTAssertNil(refusal(params(), peerOpen(id: localID)))
    }

    func testUnsupportedVersion() {
        var open = peerOpen()
        open.version = 3
        XCTAssertEqual(refusal(params(), open), Notification(.openMessage, 1, data: [0, 4]))
    }

    func testFamiliesAreTheIntersection() {
        var f = SessionFSM(parameters: params(families: [.ipv4Unicast, .ipv6Unicast]))
        _ = f.handle(.start); _ = f.handle(.connected)
        _ = f.handle(.received(.open(peerOpen(caps: [.multiprotocol(.ipv6Unicast)]))))
        XCTAssertEqual(f.negotiation?.families, [.ipv6Unicast])
        XCTAssertEqual(f.negotiation?.routeRefresh, false)
    }

    func testStrictPolicyRefusesNoCommonFamily() {
        let open = peerOpen(caps: [.multiprotocol(.ipv6Unicast)])
        XCTAssertNil(refusal(params(), open))
        let n = refusal(params(policy: .requireCommonFamily), open)
        XCTAssertEqual(n?.subcode, 7)
        XCTAssertEqual(n?.data, [1, 4, 0, 1, 0, 1])
    }

    func testGracefulRestartNegotiatedOnlyWhenBothAdvertise() {
        let gr = GracefulRestart(restarting: false, restartTime: 120, families: [.init(family: .ipv4Unicast, forwardingStatePreserved: false)])
        let open = peerOpen(caps: [.multiprotocol(.ipv4Unicast), .gracefulRestart(gr)])
        XCTAssertNil(params().negotiate(with: open).value?.peerGracefulRestart)
        XCTAssertEqual(params(gr: 90).negotiate(with: open).value?.peerGracefulRestart, gr)
        XCTAssertTrue(params(gr: 90).open.capabilities.contains { if case .gracefulRestart = $0 { true } else { false } })
    }

    func testStopBeforeAnyConnectionSendsNothing() {
        var fsm = SessionFSM(parameters: params())
        _ = fsm.handle(.start)
        let actions = fsm.handle(.stop(.adminShutdown))
        XCTAssertNil(sentNotification(actions))
        XCTAssertTrue(actions.contains(.disconnect))
        XCTAssertEqual(fsm.state, .idle)
        XCTAssertEqual(fsm.handle(.timerExpired(.idleHold)).contains(.connect), false)
    }

    func testNotificationFromPeerRestartsAfterIdleHold() {
        var fsm = establishedFSM()
        let actions = fsm.handle(.received(.notification(Notification(.cease, 4))))
        XCTAssertTrue(actions.contains(.startTimer(.idleHold, seconds: 5)))
        XCTAssertTrue(fsm.autoRestart)
        let restart = fsm.handle(.timerExpired(.idleHold))
        XCTAssertEqual(fsm.state, .connect)
        XCTAssertTrue(restart.contains(.connect))
    }

    func testIncomingConnectionWhileWaitingToRestartIsTaken() {
        var fsm = SessionFSM(parameters: params())
        _ = fsm.handle(.start)
        _ = fsm.handle(.connectionFailed("refused"))
        _ = fsm.handle(.connected)
        _ = fsm.handle(.timerExpired(.hold))
        XCTAssertEqual(fsm.state, .idle)
        let actions = fsm.handle(.connected)
        XCTAssertEqual(fsm.state, .openSent)
        XCTAssertTrue(actions.contains(.stopTimer(.idleHold)))
    }

    func testRouteRefreshSubtypesOtherThanRequestAreNotResends() {
        var fsm = establishedFSM()
        let borr = fsm.handle(.received(.routeRefresh(RouteRefresh(family: .ipv4Unicast, subtype: 1))))
        XCTAssertFalse(borr.contains(.routeRefreshRequested(.ipv4Unicast)))
    }

    func testOpenInEstablishedIsAnFSMError() {
        var fsm = establishedFSM()
        let actions = fsm.handle(.received(.open(peerOpen())))
        XCTAssertEqual(sentNotification(actions), Notification(.fsm, 3))
        XCTAssertEqual(fsm.state, .idle)
    }
}

private extension Result {
    var value: Success? { if case .success(let v) = self { v } else { nil } }
}
