import XCTest
@testable import Calico

final class SelectorTests: XCTestCase {
    let labels = ["route-reflector": "true", "rr-id": "rr1", "kubernetes.io/hostname": "node1", "zone": "east-a"]

    func match(_ s: String, _ l: [String: String]? = nil) throws -> Bool {
        try Selector(parsing: s).matches(l ?? labels)
    }

    func testEveryOperator() throws {
        XCTAssertTrue(try match("all()"))
        XCTAssertTrue(try match(""))
        XCTAssertTrue(try match("global()"))
        XCTAssertTrue(try match("has(route-reflector)"))
        XCTAssertFalse(try match("has(i-am-a-route-reflector)"))
        XCTAssertTrue(try match("!has(i-am-a-route-reflector)"))
        XCTAssertTrue(try match("route-reflector == 'true'"))
        XCTAssertTrue(try match("rr-id  == 'rr1'"))
        XCTAssertFalse(try match("rr-id == \"rr2\""))
        XCTAssertTrue(try match("rr-id != 'rr2'"))
        XCTAssertTrue(try match("missing != 'x'"), "!= on a missing label is true")
        XCTAssertFalse(try match("missing == 'x'"))
        XCTAssertTrue(try match("zone in {'east-a', 'west'}"))
        XCTAssertFalse(try match("zone in {'west'}"))
        XCTAssertFalse(try match("missing in {'x'}"))
        XCTAssertTrue(try match("zone not in {'west'}"))
        XCTAssertTrue(try match("missing not in {'x'}"), "not in on a missing label is true")
        XCTAssertFalse(try match("zone notin {'east-a'}"), "not in without a space")
        XCTAssertTrue(try match("zone contains 'st-'"))
        XCTAssertFalse(try match("missing contains ''"))
        XCTAssertTrue(try match("zone starts with 'east'"))
        XCTAssertTrue(try match("zone startswith 'east'"))
        XCTAssertFalse(try match("zone starts with 'west'"))
        XCTAssertTrue(try match("zone ends with '-a'"))
        XCTAssertFalse(try match("zone ends  with 'b'"))
        XCTAssertTrue(try match("kubernetes.io/hostname == 'node1'"))
        XCTAssertTrue(try match("zone in {}") == false)
        XCTAssertTrue(try match("zone in {'east-a',}"), "trailing comma")
    }

    func testPrecedenceAndGrouping() throws {
        // && binds tighter than ||.
        XCTAssertTrue(try match("has(nope) && has(zone) || has(rr-id)"))
        XCTAssertFalse(try match("has(nope) && (has(zone) || has(rr-id))"))
        // ! binds tighter than &&, and repeated ! toggle.
        XCTAssertFalse(try match("!has(zone) && has(rr-id)"))
        XCTAssertTrue(try match("!!has(zone)"))
        XCTAssertFalse(try match("!(has(zone) && has(rr-id))"))
        XCTAssertTrue(try match("\thas(zone)\t&&\t( rr-id == 'rr1' )"))
    }

    func testCanonicalText() throws {
        XCTAssertEqual(try Selector(parsing: "a=='x'&&has(b)").description, "(a == \"x\" && has(b))")
        XCTAssertEqual(try Selector(parsing: "k in {'b','a'}").description, "k in {\"a\", \"b\"}")
        XCTAssertEqual(try Selector(parsing: "a == 'x' || b != \"y\" && !has(c)").description, "(a == \"x\" || (b != \"y\" && !has(c)))")
        XCTAssertEqual(try Selector(parsing: "k == 'say \"hi\"'").description, "k == 'say \"hi\"'")
        XCTAssertEqual(try Selector(parsing: "").description, "all()")
    }

    func testErrors() {
        func err(_ s: String) -> String? {
            do { _ = try Selector(parsing: s); return nil } catch let e as SelectorError { return e.message } catch { return "\(error)" }
        }
        XCTAssertEqual(err("a == 'x"), "unterminated string")
        XCTAssertEqual(err("a = 'x'"), "expected ==")
        XCTAssertEqual(err("has(a) & has(b)"), "expected &&")
        XCTAssertEqual(err("has(a) | has(b)"), "expected ||")
        XCTAssertEqual(err("a b"), "expected operator after label \"a\"")
        XCTAssertEqual(err("has(a"), "no closing ')' after has(")
        XCTAssertEqual(err("all("), "no closing ')' after all(")
        XCTAssertEqual(err("a =="), "expected string")
        XCTAssertEqual(err("foo =="), "expected string")
        XCTAssertEqual(err("a"), "unexpected end of string looking for op")
        XCTAssertEqual(err("(has(a)"), "expected )")
        XCTAssertEqual(err("a in 'x'"), "expected set literal")
        XCTAssertEqual(err("a in {'x' 'y'}"), "expected }")
        XCTAssertEqual(err("a in {x}"), "expected string")
        XCTAssertEqual(err("has(a) has(b)"), "unexpected content at end of selector [\"has(b)\"]")
        XCTAssertEqual(err("&& has(a)"), "unexpected token: &&")
        XCTAssertNotNil(err("has(a)\n&& has(b)"), "newlines are not whitespace")
        XCTAssertEqual(err("has(" + String(repeating: "x", count: 513) + ")").map { $0.hasPrefix("label too long") }, true)
    }
}
