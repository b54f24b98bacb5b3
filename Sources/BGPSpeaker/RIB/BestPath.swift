import BGPWire

/// Why a path won (or lost) the decision process: one case per step, plus `onlyPath`.
public enum BestPathReason: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case onlyPath = "only path"
    case nextHopReachable = "next hop reachable"
    case localPref = "higher local preference"
    case locallyOriginated = "locally originated"
    case asPathLength = "shorter AS path"
    case origin = "lower origin"
    case med = "lower MED"
    case externalOverInternal = "eBGP over iBGP"
    case igpMetric = "lower IGP cost to next hop"
    case routerID = "lower router ID"
    case clusterListLength = "shorter cluster list"
    case peerAddress = "lower peer address"

    public var description: String { rawValue }
}

/// The outcome of comparing two paths on one step.
enum Preference { case first, second, equal }

/// One path as the decision process sees it: plain values copied out of the path, its attributes and its
/// source, so comparisons touch no reference counts.
struct Candidate {
    let localPref: UInt32
    /// Set for a locally originated path.
    let origin: OriginSource?
    let isExternal: Bool
    /// ORIGINATOR_ID when present (RFC 4456 §9), else the BGP identifier of the peer (ours when local).
    let routerID: IPv4Address
    /// 0.0.0.0 for local paths.
    let peerAddress: IPAddress
    /// nil = next hop unreachable.
    let igpMetric: UInt32?
    let asPathLength: Int
    let neighborAS: UInt32?
    /// ORIGIN code; a missing ORIGIN counts as INCOMPLETE.
    let originCode: UInt8
    /// A missing MED counts as 0 (RFC 4271 §9.1.2.2 c).
    let med: UInt32
    let clusterListLength: Int

    var isLocal: Bool { origin != nil }

    init(attributes set: AttributeSet, source: SourceFacts, defaultLocalPref: UInt32, igpMetric: UInt32?) {
        localPref = set.attributes.localPref ?? defaultLocalPref
        origin = source.origin
        isExternal = source.isExternal
        routerID = set.attributes.originatorID ?? source.routerID
        peerAddress = source.address
        self.igpMetric = igpMetric
        asPathLength = set.asPathLength
        neighborAS = set.neighborAS
        originCode = (set.attributes.origin ?? .incomplete).rawValue
        med = set.attributes.med ?? 0
        clusterListLength = set.attributes.clusterList.count
    }
}

struct DecisionOptions {
    var compareMEDAcrossAS = false
    var maxPaths = 1
}

/// One named step of the decision process. `compare` answers which of two paths this step prefers;
/// a step that cannot tell them apart answers `.equal` and the next step decides.
public final class DecisionStep: Sendable {
    public let reason: BestPathReason
    /// Where the rule comes from, e.g. "RFC 4271 §9.1.2.2 (c)".
    public let rfc: String
    /// The rule in words, as `show ip bgp <prefix>` explanations print it.
    public let rule: String
    /// True when the step only orders some pairs (MED: same neighbouring AS), so elimination must compare
    /// every pair; other steps are total orders and need one pass.
    let isPartial: Bool
    let compare: @Sendable (Candidate, Candidate, DecisionOptions) -> Preference

    init(reason: BestPathReason, rfc: String, rule: String, isPartial: Bool = false,
         compare: @escaping @Sendable (Candidate, Candidate, DecisionOptions) -> Preference) {
        self.reason = reason; self.rfc = rfc; self.rule = rule; self.isPartial = isPartial; self.compare = compare
    }
}

private func prefer<T: Comparable>(lower a: T, _ b: T) -> Preference { a < b ? .first : (b < a ? .second : .equal) }
private func prefer<T: Comparable>(higher a: T, _ b: T) -> Preference { a > b ? .first : (b > a ? .second : .equal) }
private func prefer(_ a: Bool, over b: Bool) -> Preference { a == b ? .equal : (a ? .first : .second) }

/// The decision process (RFC 4271 §9.1, RFC 4456 §9) as an ordered list: the code, the explanation and the
/// reason reported for each best path all come from `steps`, so they cannot drift apart.
public enum DecisionProcess {
    public static let steps: [DecisionStep] = [
        DecisionStep(reason: .nextHopReachable, rfc: "RFC 4271 §9.1.2 (resolvable NEXT_HOP)",
                     rule: "prefer a path whose next hop the IGP can reach") { a, b, _ in
            prefer(a.igpMetric != nil, over: b.igpMetric != nil)
        },
        DecisionStep(reason: .localPref, rfc: "RFC 4271 §9.1.1", rule: "prefer the highest LOCAL_PREF") { a, b, _ in
            prefer(higher: a.localPref, b.localPref)
        },
        DecisionStep(reason: .locallyOriginated, rfc: "common practice (Quagga, VRP), not in RFC 4271",
                     rule: "prefer a path originated by this router") { a, b, _ in
            prefer(a.isLocal, over: b.isLocal)
        },
        DecisionStep(reason: .asPathLength, rfc: "RFC 4271 §9.1.2.2 (a)",
                     rule: "prefer the shortest AS_PATH (an AS_SET counts as one)") { a, b, _ in
            prefer(lower: a.asPathLength, b.asPathLength)
        },
        DecisionStep(reason: .origin, rfc: "RFC 4271 §9.1.2.2 (b)", rule: "prefer the lowest ORIGIN (IGP < EGP < INCOMPLETE)") { a, b, _ in
            prefer(lower: a.originCode, b.originCode)
        },
        DecisionStep(reason: .med, rfc: "RFC 4271 §9.1.2.2 (c)",
                     rule: "prefer the lowest MED among paths from the same neighbouring AS (a missing MED is 0)",
                     isPartial: true) { a, b, options in
            guard options.compareMEDAcrossAS || a.neighborAS == b.neighborAS else { return .equal }
            return prefer(lower: a.med, b.med)
        },
        DecisionStep(reason: .externalOverInternal, rfc: "RFC 4271 §9.1.2.2 (d)", rule: "prefer a path learned over eBGP") { a, b, _ in
            prefer(a.isExternal, over: b.isExternal)
        },
        DecisionStep(reason: .igpMetric, rfc: "RFC 4271 §9.1.2.2 (e)", rule: "prefer the lowest IGP cost to the next hop") { a, b, _ in
            prefer(lower: a.igpMetric ?? .max, b.igpMetric ?? .max)
        },
        DecisionStep(reason: .routerID, rfc: "RFC 4271 §9.1.2.2 (f), RFC 4456 §9",
                     rule: "prefer the lowest router ID (ORIGINATOR_ID when present)") { a, b, _ in
            prefer(lower: a.routerID, b.routerID)
        },
        DecisionStep(reason: .clusterListLength, rfc: "RFC 4456 §9", rule: "prefer the shortest CLUSTER_LIST") { a, b, _ in
            prefer(lower: a.clusterListLength, b.clusterListLength)
        },
        DecisionStep(reason: .peerAddress, rfc: "RFC 4271 §9.1.2.2 (g)", rule: "prefer the lowest peer address") { a, b, _ in
            let byAddress = prefer(lower: a.peerAddress, b.peerAddress)
            guard byAddress == .equal, let x = a.origin, let y = b.origin else { return byAddress }
            return prefer(lower: x, y)   // two local sources: a fixed order keeps the result deterministic
        },
    ]

    /// Paths that tie up to and including this step may share the FIB (multipath).
    static let lastMultipathStep = BestPathReason.igpMetric

    /// The step behind a reason (nil for `.onlyPath`), for "won on …" explanations.
    public static func step(for reason: BestPathReason) -> DecisionStep? { steps.first { $0.reason == reason } }

    /// One line saying why a path won or lost, e.g. "best: higher local preference (RFC 4271 §9.1.1)" or
    /// "not best, lost on: shorter AS path (RFC 4271 §9.1.2.2 (a))".
    public static func explain(_ entry: RIBEntry) -> String {
        guard let reason = entry.bestReason else { return entry.isBest ? "best" : "not compared" }
        let label = entry.isBest ? "best" : (entry.isMultipath ? "multipath, lost on" : "not best, lost on")
        guard let step = step(for: reason) else { return "\(label): \(reason)" }
        return "\(label): \(reason) (\(step.rfc))"
    }

    /// The steps as numbered lines: the text behind `show ip bgp <prefix>` explanations.
    public static var explanation: String {
        steps.enumerated().map { i, step in "\(i + 1). \(step.rule) [\(step.rfc)]" }.joined(separator: "\n")
    }

    /// The result of one run over a destination's candidates.
    struct Selection {
        /// Position of the best path in the candidate list; nil when none is usable.
        var winner: Int?
        var reason: BestPathReason?
        /// Multipath siblings of the winner, best first, at most `maxPaths - 1`.
        var multipath: [Int] = []
        /// For each candidate that lost, the step that eliminated it.
        var eliminatedBy: [BestPathReason?]
    }

    /// Runs the steps as RFC 4271 §9.1.2.2 describes them: each step removes the paths some other remaining
    /// path beats, so the non-transitive MED rule gives the same answer whatever order paths arrived in.
    static func select(_ candidates: [Candidate], options: DecisionOptions) -> Selection {
        var selection = Selection(eliminatedBy: Array(repeating: nil, count: candidates.count))
        guard candidates.contains(where: { $0.igpMetric != nil }) else {
            for i in candidates.indices { selection.eliminatedBy[i] = .nextHopReachable }
            return selection
        }
        var alive = Array(candidates.indices)
        var multipathPool: [Int] = []
        var reason = BestPathReason.onlyPath
        for step in steps {
            if alive.count > 1 {
                let before = alive.count
                if step.isPartial {
                    let beaten = alive.filter { i in
                        alive.contains { j in j != i && step.compare(candidates[j], candidates[i], options) == .first }
                    }
                    for i in beaten { selection.eliminatedBy[i] = step.reason }
                    alive.removeAll { beaten.contains($0) }
                } else {
                    // A total order: find one preferred path in one pass, keep those equal to it.
                    var champion = alive[0]
                    for i in alive.dropFirst() where step.compare(candidates[i], candidates[champion], options) == .first {
                        champion = i
                    }
                    alive.removeAll { i in
                        guard i != champion, step.compare(candidates[i], candidates[champion], options) != .equal else { return false }
                        selection.eliminatedBy[i] = step.reason
                        return true
                    }
                }
                if alive.count < before { reason = step.reason }
            }
            if step.reason == lastMultipathStep && options.maxPaths > 1 { multipathPool = alive }
        }
        let winner = alive[0]
        selection.winner = winner
        selection.reason = reason
        if multipathPool.count > 1 {
            let tail = steps.drop { $0.reason != lastMultipathStep }.dropFirst()
            let siblings = multipathPool.filter { $0 != winner }.sorted { a, b in
                for step in tail {
                    switch step.compare(candidates[a], candidates[b], options) {
                    case .first: return true
                    case .second: return false
                    case .equal: continue
                    }
                }
                return a < b
            }
            selection.multipath = Array(siblings.prefix(options.maxPaths - 1))
        }
        return selection
    }

    /// Candidates in display order: repeated selection, so #2 is the path that would win without #1.
    static func rank(_ candidates: [Candidate], options: DecisionOptions) -> [Int] {
        var remaining = Array(candidates.indices)
        var order: [Int] = []
        while !remaining.isEmpty {
            let subset = remaining.map { candidates[$0] }
            let pick = select(subset, options: DecisionOptions(compareMEDAcrossAS: options.compareMEDAcrossAS)).winner
            let position = pick ?? 0
            order.append(remaining.remove(at: position))
        }
        return order
    }
}
