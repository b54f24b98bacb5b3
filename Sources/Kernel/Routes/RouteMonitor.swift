import Glibc

/// Listens to a namespace's route, link and address notifications (like `ip monitor`), so a speaker
/// can re-resolve next hops the moment the kernel's view changes.
///
/// Put `descriptor` into the event loop's poll set and call `events(timeout: 0)` when it is readable,
/// or call `events(timeout:)` to wait. Not thread-safe.
public final class RouteMonitor {
    /// What to listen to; each maps to an RTNLGRP_* multicast group.
    public struct Groups: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let ipv4Routes = Groups(rawValue: 1 << 0)
        public static let ipv6Routes = Groups(rawValue: 1 << 1)
        public static let links = Groups(rawValue: 1 << 2)
        public static let ipv4Addresses = Groups(rawValue: 1 << 3)
        public static let ipv6Addresses = Groups(rawValue: 1 << 4)
        public static let routes: Groups = [.ipv4Routes, .ipv6Routes]
        public static let all: Groups = [.ipv4Routes, .ipv6Routes, .links, .ipv4Addresses, .ipv6Addresses]

        var netlinkGroups: [UInt32] {
            var out: [UInt32] = []
            if contains(.ipv4Routes) { out.append(NL.RTNLGRP_IPV4_ROUTE) }
            if contains(.ipv6Routes) { out.append(NL.RTNLGRP_IPV6_ROUTE) }
            if contains(.links) { out.append(NL.RTNLGRP_LINK) }
            if contains(.ipv4Addresses) { out.append(NL.RTNLGRP_IPV4_IFADDR) }
            if contains(.ipv6Addresses) { out.append(NL.RTNLGRP_IPV6_IFADDR) }
            return out
        }
    }

    /// One notification.
    public enum Event: Hashable, Sendable {
        /// A route was added or replaced.
        case routeAdded(Route)
        case routeRemoved(Route)
        /// A link appeared or changed (state, MTU, master, name…).
        case linkChanged(Link)
        case linkRemoved(Link)
        case addressAdded(InterfaceAddress)
        case addressRemoved(InterfaceAddress)
        /// The kernel dropped notifications (receive buffer overrun): re-read the tables with a dump.
        case overrun
    }

    private let socket: NetlinkSocket

    /// The socket to poll for readability.
    public var descriptor: Int32 { socket.descriptor }

    /// Subscribes in `namespace` (nil = the calling thread's current namespace).
    public init(namespace: NetworkNamespace?, groups: Groups = .all) throws {
        socket = try NetlinkSocket.open(in: namespace, groups: groups.netlinkGroups)
    }

    /// Notifications that arrive within `timeout` milliseconds (-1 waits forever, 0 only takes what is
    /// queued). Returns after the first datagram, so an empty array means the time ran out.
    public func events(timeout: Int32) throws -> [Event] {
        let messages: [NetlinkMessage]
        do {
            messages = try socket.receiveNotifications(timeout: timeout)
        } catch let error as KernelError where error.code == ENOBUFS {
            return [.overrun]
        }
        return messages.compactMap(RouteMonitor.event)
    }

    /// Keeps reading until `match` returns a value or `timeout` milliseconds have passed; nil on timeout.
    /// Handy in tests and in start-up code that waits for one specific change.
    public func waitFor<T>(timeout: Int32, _ match: (Event) -> T?) throws -> T? {
        var remaining = Int64(timeout)
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let deadline = Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000 + remaining
        while remaining > 0 {
            for event in try events(timeout: Int32(remaining)) {
                if let found = match(event) { return found }
            }
            clock_gettime(CLOCK_MONOTONIC, &now)
            remaining = deadline - (Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000)
        }
        return nil
    }

    static func event(_ message: NetlinkMessage) -> Event? {
        switch message.type {
        case NL.RTM_NEWROUTE:
            return Route.isCloned(message) ? nil : Route.decode(message).map(Event.routeAdded)
        case NL.RTM_DELROUTE:
            return Route.isCloned(message) ? nil : Route.decode(message).map(Event.routeRemoved)
        case NL.RTM_NEWLINK: return Link.decode(message).map(Event.linkChanged)
        case NL.RTM_DELLINK: return Link.decode(message).map(Event.linkRemoved)
        case NL.RTM_NEWADDR: return InterfaceAddress.decode(message).map(Event.addressAdded)
        case NL.RTM_DELADDR: return InterfaceAddress.decode(message).map(Event.addressRemoved)
        default: return nil
        }
    }
}
