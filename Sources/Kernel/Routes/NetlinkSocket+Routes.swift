/// One change to the FIB, for `apply(_:)`; a speaker maps its FIB changes onto these.
public enum RouteChange: Hashable, Sendable, CustomStringConvertible {
    /// Fails with EEXIST when the same route (prefix, table, metric) is there.
    case add(Route)
    /// Adds, or replaces the route with the same prefix, table and metric (`ip route replace`).
    case replace(Route)
    /// Removes the route matching its prefix, table, type, protocol, metric and next hops.
    case delete(Route)

    public var route: Route {
        switch self {
        case .add(let route), .replace(let route), .delete(let route): route
        }
    }

    /// "replacing route 10.1.0.0/24 via 10.0.0.2 proto bgp".
    public var description: String {
        switch self {
        case .add(let route): "adding route \(route)"
        case .replace(let route): "replacing route \(route)"
        case .delete(let route): "deleting route \(route)"
        }
    }
}

/// Routes, like `ip route add/replace/del/show`, one at a time or in batches.
extension NetlinkSocket {
    /// `ip route add ROUTE`. - Throws: `KernelError` (EEXIST when it is already there).
    public func addRoute(_ route: Route) throws {
        try change(.add(route))
    }

    /// `ip route replace ROUTE`.
    public func replaceRoute(_ route: Route) throws {
        try change(.replace(route))
    }

    /// `ip route del ROUTE`, matching everything the route specifies. - Throws: ESRCH when no route matches.
    public func deleteRoute(_ route: Route) throws {
        try change(.delete(route))
    }

    /// `ip route del PREFIX [table T] [proto P] [metric M]`: removes a route whatever its next hops and type.
    public func deleteRoute(_ destination: InetPrefix, table: UInt32 = Route.mainTable,
                            protocol: RouteProtocol? = nil, metric: UInt32? = nil) throws {
        var route = Route(destination, type: RouteType(rawValue: 0), protocol: `protocol` ?? RouteProtocol(rawValue: 0),
                          metric: metric, table: table)
        route.scope = .nowhere
        try change(.delete(route))
    }

    private func change(_ change: RouteChange) throws {
        var names: [String: Int32] = [:]
        let request = try routeRequest(change, names: &names)
        try perform(request, doing: change.description)
    }

    /// Applies many route changes in one batch: all requests are sent, then the acks read, so installing
    /// thousands of routes costs a few system calls per few hundred routes.
    /// - Returns: the changes the kernel refused, each with its index in `changes` and the error.
    /// - Throws: `KernelError` when an interface name cannot be resolved or the socket fails.
    public func apply(_ changes: [RouteChange]) throws -> [BatchFailure] {
        var names: [String: Int32] = [:]
        let requests = try changes.map { try routeRequest($0, names: &names) }
        return try performBatch(requests) { changes[$0].description }
    }

    /// Routes of one table (nil = every table), for AF_INET, AF_INET6 or both (0). Cache entries are left out.
    public func routes(family: UInt8 = 0, table: UInt32? = Route.mainTable) throws -> [Route] {
        var request = NetlinkRequest(type: NL.RTM_GETROUTE)
        request.append(family)
        request.append(bytes: [UInt8](repeating: 0, count: NL.rtmsgSize - 1))
        return try dump(request, doing: "listing routes").compactMap { message in
            guard message.type == NL.RTM_NEWROUTE, !Route.isCloned(message), let route = Route.decode(message) else { return nil }
            if let table, route.table != table { return nil }
            if family != 0, route.destination.family != family { return nil }
            return route
        }
    }

    private func routeRequest(_ change: RouteChange, names: inout [String: Int32]) throws -> NetlinkRequest {
        let resolve: (LinkID) throws -> Int32 = { id in
            switch id {
            case .index(let index): return index
            case .name(let name):
                if let known = names[name] { return known }
                let index = try self.linkIndex(id)
                names[name] = index
                return index
            }
        }
        switch change {
        case .add(let route):
            return try route.request(NL.RTM_NEWROUTE, flags: NL.NLM_F_CREATE | NL.NLM_F_EXCL, index: resolve)
        case .replace(let route):
            return try route.request(NL.RTM_NEWROUTE, flags: NL.NLM_F_CREATE | NL.NLM_F_REPLACE, index: resolve)
        case .delete(let route):
            return try route.request(NL.RTM_DELROUTE, flags: 0, index: resolve)
        }
    }
}
