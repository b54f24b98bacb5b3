/// NOTIFICATION (RFC 4271 §4.5) — also the error value of every decoder, so a malformed message
/// always maps to exactly what must be sent back.
public struct Notification: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: UInt8
    public var subcode: UInt8
    public var data: [UInt8]
    public init(code: UInt8, subcode: UInt8, data: [UInt8] = []) { self.code = code; self.subcode = subcode; self.data = data }
    public init(_ code: ErrorCode, _ subcode: UInt8 = 0, data: [UInt8] = []) { self.init(code: code.rawValue, subcode: subcode, data: data) }

    public enum ErrorCode: UInt8, Sendable {
        case messageHeader = 1, openMessage = 2, updateMessage = 3, holdTimerExpired = 4
        case fsm = 5, cease = 6, routeRefresh = 7
    }
    /// RFC 4271 §6.1.
    public enum HeaderSubcode: UInt8, Sendable { case connectionNotSynchronized = 1, badMessageLength = 2, badMessageType = 3 }
    /// RFC 4271 §6.2, RFC 5492.
    public enum OpenSubcode: UInt8, Sendable {
        case unsupportedVersion = 1, badPeerAS = 2, badBGPIdentifier = 3, unsupportedOptionalParameter = 4
        case unacceptableHoldTime = 6, unsupportedCapability = 7, roleMismatch = 11
    }
    /// RFC 4271 §6.3.
    public enum UpdateSubcode: UInt8, Sendable {
        case malformedAttributeList = 1, unrecognizedWellKnownAttribute = 2, missingWellKnownAttribute = 3
        case attributeFlagsError = 4, attributeLengthError = 5, invalidOrigin = 6, invalidNextHop = 8
        case optionalAttributeError = 9, invalidNetworkField = 10, malformedASPath = 11
    }
    /// RFC 4486.
    public enum CeaseSubcode: UInt8, Sendable {
        case maximumPrefixes = 1, administrativeShutdown = 2, peerDeconfigured = 3, administrativeReset = 4
        case connectionRejected = 5, otherConfigurationChange = 6, connectionCollisionResolution = 7, outOfResources = 8
    }

    public var description: String { Notification.describe(code: code, subcode: subcode) }

    /// Human text for a code/subcode pair, as vendor `display … verbose` and logs print it.
    public static func describe(code: UInt8, subcode: UInt8) -> String {
        switch (code, subcode) {
        case (1, 1): "Message Header Error/Connection Not Synchronized"
        case (1, 2): "Message Header Error/Bad Message Length"
        case (1, 3): "Message Header Error/Bad Message Type"
        case (1, _): "Message Header Error"
        case (2, 1): "OPEN Message Error/Unsupported Version Number"
        case (2, 2): "OPEN Message Error/Bad Peer AS"
        case (2, 3): "OPEN Message Error/Bad BGP Identifier"
        case (2, 4): "OPEN Message Error/Unsupported Optional Parameter"
        case (2, 6): "OPEN Message Error/Unacceptable Hold Time"
        case (2, 7): "OPEN Message Error/Unsupported Capability"
        case (2, _): "OPEN Message Error"
        case (3, 1): "UPDATE Message Error/Malformed Attribute List"
        case (3, 2): "UPDATE Message Error/Unrecognized Well-known Attribute"
        case (3, 3): "UPDATE Message Error/Missing Well-known Attribute"
        case (3, 4): "UPDATE Message Error/Attribute Flags Error"
        case (3, 5): "UPDATE Message Error/Attribute Length Error"
        case (3, 6): "UPDATE Message Error/Invalid ORIGIN Attribute"
        case (3, 8): "UPDATE Message Error/Invalid NEXT_HOP Attribute"
        case (3, 9): "UPDATE Message Error/Optional Attribute Error"
        case (3, 10): "UPDATE Message Error/Invalid Network Field"
        case (3, 11): "UPDATE Message Error/Malformed AS_PATH"
        case (3, _): "UPDATE Message Error"
        case (4, _): "Hold Timer Expired"
        case (5, _): "Finite State Machine Error"
        case (6, 1): "Cease/Maximum Number of Prefixes Reached"
        case (6, 2): "Cease/Administrative Shutdown"
        case (6, 3): "Cease/Peer De-configured"
        case (6, 4): "Cease/Administrative Reset"
        case (6, 5): "Cease/Connection Rejected"
        case (6, 6): "Cease/Other Configuration Change"
        case (6, 7): "Cease/Connection Collision Resolution"
        case (6, 8): "Cease/Out of Resources"
        case (6, _): "Cease"
        case (7, _): "ROUTE-REFRESH Message Error"
        default: "Unknown error \(code)/\(subcode)"
        }
    }
}
