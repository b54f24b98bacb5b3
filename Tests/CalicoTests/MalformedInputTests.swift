import XCTest
@testable import Calico

/// Malformed input is an error value, never a crash: mutate the seed documents and selectors byte by
/// byte (deterministically) and feed them through every parser.
final class MalformedInputTests: XCTestCase {
    struct Rng { var s: UInt64; mutating func next() -> UInt64 { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s } }

    func mutations(of text: String, count: Int, seed: UInt64) -> [String] {
        var rng = Rng(s: seed)
        let alphabet = Array(" :-'\"{}[],#!&|()\t\n0123456789abcxyz./\u{2010}")
        var out: [String] = []
        for _ in 0..<count {
            var chars = Array(text)
            for _ in 0..<(1 + Int(rng.next() % 4)) where !chars.isEmpty {
                let i = Int(rng.next() % UInt64(chars.count))
                switch rng.next() % 3 {
                case 0: chars.remove(at: i)
                case 1: chars.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: i)
                default: chars[i] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                }
            }
            out.append(String(chars))
        }
        return out
    }

    func testMutatedDocumentsNeverCrash() throws {
        let docs = [Seed001.node1, Seed001.rr1ToLeaf1, Seed004.poolList, Seed004.peerToRRs, Seed003.bgpLocal, Seed004.nodeYML(name: "n", ip: "10.0.0.1/24")]
        var accepted = 0, rejected = 0
        let store = try Datastore()
        let ctl = Calicoctl(store: store)
        for (i, d) in docs.enumerated() {
            for m in mutations(of: d, count: 150, seed: 0x9E3779B97F4A7C15 &+ UInt64(i)) {
                do {
                    let rs = try ResourceFile.decode(m)
                    for r in rs { _ = r.validate(); _ = r.json.yamlText; _ = r.json.jsonText() }
                    accepted += 1
                } catch {
                    XCTAssertFalse("\(error)".isEmpty)
                    rejected += 1
                }
                let out = ctl.apply(file: m)
                XCTAssertTrue(out.exitCode == 0 || !out.stderr.isEmpty)
            }
        }
        XCTAssertEqual(accepted + rejected, docs.count * 150)
        XCTAssertGreaterThan(rejected, 0)
        XCTAssertGreaterThan(accepted, 0)
        // Whatever got in still yields peers, tables and IPAM answers without trapping.
        _ = PeerComputation.allPeers(in: BGPTopology(datastore: store))
        for k in ["node", "bgppeer", "ippool", "bgpconfig"] { _ = ctl.get(kind: k, output: "wide") }
        _ = ctl.ipamShow(showBlocks: true)
    }

    func testMutatedSelectorsNeverCrash() {
        let selectors = ["rr-id == 'rr1' && has(route-reflector)", "!has(i-am-a-route-reflector)", "a in {'x', 'y'} || b not in {'z'}",
                         "k starts with 'x' && k ends with \"y\" && k contains 'z'"]
        for (i, s) in selectors.enumerated() {
            for m in mutations(of: s, count: 300, seed: 42 &+ UInt64(i)) {
                if let sel = try? Selector(parsing: m) {
                    // The canonical text parses back to the same expression.
                    XCTAssertEqual(try? Selector(parsing: sel.description), sel, m)
                    _ = sel.matches(["rr-id": "rr1", "a": "x"])
                }
            }
        }
        XCTAssertThrowsError(try JSONValue.parse(json: "{\"a\": [1, 2"))
        XCTAssertThrowsError(try JSONValue.parse(json: "{\"a\" 1}"))
        XCTAssertThrowsError(try JSONValue.parse(json: "\"\\u12"))
    }
}
