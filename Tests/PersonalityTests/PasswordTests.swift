import XCTest
import BGPWire
import CLIEngine
import Device
@testable import HuaweiVRP
@testable import H3CComware

/// `peer X password cipher|simple …`: shown as cipher text in the configuration, and a saved configuration
/// reloads to the same MD5 key for the speaker.
final class PasswordTests: XCTestCase {
    let peer = IPv4Address("10.98.0.11")!

    func testCipherRoundTripsAndHidesTheKey() {
        for cipher in [PasswordCipher.vrp, .comware] {
            for key in ["s3cret", "a", "Huawei@123", "with space", "ключ", String(repeating: "x", count: 255)] {
                let text = cipher.encode(key)
                XCTAssertTrue(text.hasPrefix(cipher.opening) && text.hasSuffix(cipher.closing), text)
                if key.count >= 3 { XCTAssertFalse(text.dropFirst(cipher.opening.count).contains(key), "the key shows through: \(text)") }
                XCTAssertFalse(text.contains(" ") || text.contains("?") || text.contains("\""), "the CLI could not take \(text) back")
                XCTAssertEqual(cipher.decode(text), key)
                XCTAssertEqual(cipher.encode(key), text, "deterministic, so saved files are stable")
            }
            XCTAssertNotEqual(cipher.encode("s3cret"), cipher.encode("s3creT"))
        }
        // Text with the framing that this cipher did not produce is refused, not decoded to a wrong key.
        let good = PasswordCipher.vrp.encode("s3cret")
        var chars = Array(good)
        chars[6] = chars[6] == "K" ? "7" : "K"
        XCTAssertNil(PasswordCipher.vrp.decode(String(chars)))
        XCTAssertNil(PasswordCipher.vrp.decode("%^%#%^%#"))
        XCTAssertNil(PasswordCipher.comware.decode("$c$3$not base64!"))
        XCTAssertNil(PasswordCipher.comware.decode(good), "one vendor's text is not the other's")
        XCTAssertEqual(PasswordCipher.comware.encode("s3cret").count, 5 + 36, "short keys still give 40-odd characters")
        XCTAssertEqual(PasswordCipher.vrp.encode("s3cret").count, 8 + 35)
    }

    func testVRPShowsCipherAndReloadsTheSameKey() async {
        let c = VRPConsole()
        await c.type(["system-view", "bgp 65001", "peer 10.98.0.11 as-number 64512", "peer 10.98.0.11 password cipher s3cret",
                      "peer 10.98.0.12 as-number 64512", "peer 10.98.0.12 password simple Plain#Key"])
        let shown = await c.type(["display current-configuration"])
        let lines = shown.filter { $0.contains(" password ") }
        XCTAssertEqual(lines.count, 2)
        for line in lines {
            XCTAssertTrue(line.hasPrefix(" peer 10.98.0.1"), line)
            let text = String(line.split(separator: " ").last!)
            XCTAssertTrue(line.contains(" password cipher %^%#") && text.hasSuffix("%^%#"), line)
        }
        XCTAssertFalse(shown.joined().contains("s3cret") || shown.joined().contains("Plain#Key"))

        let replayed = await c.replaySavedText()
        let keys = replayed.bgpdConfig(installRoutes: false)?.peers.map(\.password)
        XCTAssertEqual(keys, ["s3cret", "Plain#Key"], "the speaker gets the typed keys back for TCP MD5")
    }

    func testVRPRefusesCipherTextItCannotDecode() async {
        let c = VRPConsole()
        await c.type(["system-view", "bgp 65001", "peer 10.98.0.11 as-number 64512"])
        let bad = await c.run("peer 10.98.0.11 password cipher %^%#not-ours%^%#")
        // `[HUAWEI-bgp]` is 12 columns; the caret sits under the password.
        XCTAssertEqual(bad.lines, [String(repeating: " ", count: 12 + 32) + "^", "Error: Wrong parameter found at '^' position."])
        XCTAssertNil(c.device.config.bgp?.peer(peer)?.password)
        await c.type(["peer 10.98.0.11 password cipher " + PasswordCipher.vrp.encode("typed-cipher")])
        XCTAssertEqual(c.device.config.bgp?.peer(peer)?.password?.text, "typed-cipher")
        await c.type(["undo peer 10.98.0.11 password"])
        XCTAssertNil(c.device.config.bgp?.peer(peer)?.password)
    }

    func testComwareShowsDollarCipherAndReloadsTheSameKey() async {
        let c = ComwareConsole(hostname: "leaf01")
        await c.type(["system-view", "bgp 65009", "peer 10.98.0.11 as-number 64512", "peer 10.98.0.11 password simple s3cret",
                      "address-family ipv4 unicast", "peer 10.98.0.11 enable"])
        let shown = await c.type(["display current-configuration"])
        let line = shown.first { $0.contains(" password ") }
        XCTAssertEqual(line, " peer 10.98.0.11 password cipher " + PasswordCipher.comware.encode("s3cret"))
        XCTAssertTrue(line?.contains("password cipher $c$3$") ?? false)

        let text = ComwareConfiguration.text(c.device.config)
        let replayed = NetworkDevice(kind: H3CComware.kind, config: RunningConfig(hostname: "H3C"), offline: true)
        defer { replayed.shutdown() }
        let problems = await H3CComware.personality.replay(text, on: replayed)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(replayed.config, c.device.config)
        XCTAssertEqual(replayed.config.bgpdConfig(installRoutes: false)?.peers.map(\.password), ["s3cret"])

        await c.type(["quit"])
        let bad = await c.session.execute(line: "peer 10.98.0.11 password cipher $c$3$AAAA")
        XCTAssertEqual(bad.lines.last, " % Wrong parameter found at '^' position.")
        let long = await c.session.execute(line: "peer 10.98.0.11 password simple " + String(repeating: "k", count: 81))
        XCTAssertEqual(long.lines.last, " % Wrong parameter found at '^' position.", "Comware keys are 1-80 characters")
    }
}
