import CommitBridgeCore
import XCTest

/// Secrets and URL passwords are taken out of any text, wherever they sit in it.
final class SecretRedactorTests: XCTestCase {
    private let token = "tok-6c1f0e9a77d24b38"

    func testARegisteredSecretIsReplacedWhereverItStands() {
        let secrets = SecretSet([token])
        XCTAssertEqual(secrets.redact("header value '\(token)' refused"), "header value '<redacted>' refused")
        XCTAssertEqual(secrets.redact(token + token), "<redacted><redacted>")
        XCTAssertEqual(secrets.redact("x\(token)y and again \(token)"), "x<redacted>y and again <redacted>")
        XCTAssertEqual(secrets.redact("nothing secret here"), "nothing secret here")
        XCTAssertEqual(secrets.redact(""), "")
        // Almost the token is not the token.
        let almost = String(token.dropLast())
        XCTAssertEqual(secrets.redact(almost), almost)
    }

    func testTheEscapedSpellingOfASecretIsReplacedToo() {
        // Swift's descriptions of a library's error quote strings with escapes: "a\nb", "a\"b".
        let secrets = SecretSet(["line-one\nline-two", #"quo"te-secret"#])
        XCTAssertEqual(secrets.redact(#"invalidHeaderFieldValues(["line-one\nline-two"])"#), #"invalidHeaderFieldValues(["<redacted>"])"#)
        XCTAssertEqual(secrets.redact("raw line-one\nline-two"), "raw <redacted>")
        XCTAssertEqual(secrets.redact(#"["quo\"te-secret"]"#), #"["<redacted>"]"#)
    }

    func testTheLongerOfTwoOverlappingSecretsGoesWhole() {
        let secrets = SecretSet(["abcd", "abcdefgh"])
        XCTAssertEqual(secrets.redact("-abcdefgh-abcd-"), "-<redacted>-<redacted>-")
    }

    func testVeryShortSecretsAreNotLookedFor() {
        let secrets = SecretSet(["abc"])
        XCTAssertEqual(secrets.redact("abc abcabc"), "abc abcabc")
    }

    func testURLUserInformationIsDroppedRegisteredOrNot() {
        let secrets = SecretSet()
        XCTAssertEqual(secrets.redact("cannot use http://user:hunter22@127.0.0.1:8080/services/v5: refused"),
                       "cannot use http://127.0.0.1:8080/services/v5: refused")
        XCTAssertEqual(secrets.redact("'https://ghp_tokenvalue@github.com'"), "'https://github.com'")
        XCTAssertEqual(secrets.redact("a https://u:p@h?x=1 b https://u2:p2@h2#f"), "a https://h?x=1 b https://h2#f")
        XCTAssertEqual(secrets.redact("mail me@example.com, see https://example.com/a@b"), "mail me@example.com, see https://example.com/a@b")
        XCTAssertEqual(secrets.redact("odd ://@host"), "odd ://host")
        XCTAssertEqual(secrets.redact("no authority: ://"), "no authority: ://")
        XCTAssertEqual(secrets.redact("ends https://user:pw@"), "ends https://")
    }

    func testUTF8LinesAreLeftAloneWhenClean() {
        let secrets = SecretSet([token])
        let clean = Array(#"{"sha":"abc","subject":"ünïcode ✓"}"#.utf8)
        XCTAssertNil(secrets.redact(utf8: clean))
        let dirty = Array(#"{"subject":"leaked \#(token) ✓"}"#.utf8)
        XCTAssertEqual(secrets.redact(utf8: dirty).map { String(decoding: $0, as: UTF8.self) }, #"{"subject":"leaked <redacted> ✓"}"#)
    }

    func testTheProcessWideRegistryRedactsWhatWasRegistered() {
        let secret = "registry-secret-\(UInt64.random(in: 1...UInt64.max))"
        XCTAssertEqual(SecretRedactor.redact("before \(secret)"), "before \(secret)")
        SecretRedactor.register(secret)
        XCTAssertEqual(SecretRedactor.redact("after \(secret)"), "after <redacted>")
        XCTAssertEqual(String(decoding: SecretRedactor.redact(utf8: Array(secret.utf8)), as: UTF8.self), "<redacted>")
    }

    func testTheCredentialOfAURLIsFound() {
        XCTAssertEqual(RemoteSafeText.credential(in: "http://user:pass@127.0.0.1:1/services/v5"), "pass")
        XCTAssertEqual(RemoteSafeText.credential(in: "https://tokenonly@host/x"), "tokenonly")
        XCTAssertEqual(RemoteSafeText.credential(in: "https://u:p:q@host"), "p:q")
        XCTAssertNil(RemoteSafeText.credential(in: "https://host/a@b"))
        XCTAssertNil(RemoteSafeText.credential(in: "https://user:@host"))
        XCTAssertNil(RemoteSafeText.credential(in: "not a url"))
    }

    func testATokenWithAControlCharacterIsRefused() {
        for raw in ["one\ntwo", "nul\u{0}inside", "tab\tinside", "del\u{7F}inside", "csi\u{9B}inside", "esc\u{1B}[2J"] {
            XCTAssertThrowsError(try TrackerToken(validating: raw), raw.debugDescription) { error in
                XCTAssertEqual(error as? TrackerToken.Problem, .controlCharacter)
            }
            XCTAssertNil(TrackerToken(raw))
        }
        XCTAssertThrowsError(try TrackerToken(validating: " \n\t")) { XCTAssertEqual($0 as? TrackerToken.Problem, .empty) }
        // Surrounding white space, the newline a token file ends with included, is trimmed as before.
        XCTAssertEqual(try TrackerToken(validating: "  abc123def\n").revealedForRequest, "abc123def")
        XCTAssertEqual(try TrackerToken(validating: "abc123def\r\n").revealedForRequest, "abc123def")
    }
}
