import CommitBridgeCore
import XCTest

final class TrackerEndpointTests: XCTestCase {
    func testHTTPSAccepted() throws {
        let endpoint = try TrackerEndpoint(validating: "https://www.pivotaltracker.com/services/v5/", allowInsecureHTTP: false)
        XCTAssertEqual(endpoint.baseURL, "https://www.pivotaltracker.com/services/v5")
        XCTAssertTrue(endpoint.usesTLS)
    }

    func testPlainHTTPOnlyOnLoopback() throws {
        for url in ["http://127.0.0.1:8080/services/v5", "http://localhost:1/x", "http://[::1]:9/x", "http://127.9.8.7/"] {
            XCTAssertNoThrow(try TrackerEndpoint(validating: url, allowInsecureHTTP: false), url)
        }
        for url in ["http://tracker.example.com/services/v5", "http://10.0.0.5/x", "http://127.0.0.1.evil.com/x", "http://localhost.evil.com@evil.com/x"] {
            XCTAssertThrowsError(try TrackerEndpoint(validating: url, allowInsecureHTTP: false), url)
        }
        XCTAssertNoThrow(try TrackerEndpoint(validating: "http://tracker.example.com/v5", allowInsecureHTTP: true))
    }

    func testOtherSchemesRefusedWithoutLeakingCredentials() {
        XCTAssertThrowsError(try TrackerEndpoint(validating: "ftp://u:pw@host/x", allowInsecureHTTP: true)) { error in
            XCTAssertFalse("\(error)".contains("pw"))
        }
        XCTAssertThrowsError(try TrackerEndpoint(validating: "http://u:pw@tracker.example.com/x", allowInsecureHTTP: false)) { error in
            XCTAssertFalse("\(error)".contains("pw"))
        }
    }

    func testTokenIsRedactedInDescriptions() {
        let token = TrackerToken("  abc123secret\n")!
        XCTAssertEqual(token.revealedForRequest, "abc123secret")
        XCTAssertFalse("\(token)".contains("abc123secret"))
        XCTAssertFalse(String(reflecting: token).contains("abc123secret"))
        var dumped = ""
        dump(token, to: &dumped)
        XCTAssertFalse(dumped.contains("abc123secret"))
        XCTAssertNil(TrackerToken("  \n"))
    }

    func testPortsOutsideOneTo65535AreRefused() {
        for url in ["http://127.0.0.1:70000/services/v5", "http://127.0.0.1:65536", "http://127.0.0.1:0/x",
                    "https://[::1]:99999/services/v5", "https://tracker.example.com:80x/", "https://u:pw@host:1e5/",
                    "https://host:000080/"] {
            XCTAssertThrowsError(try TrackerEndpoint(validating: url, allowInsecureHTTP: false), url) { error in
                guard case .badPort(let shown)? = error as? TrackerEndpoint.Problem else { return XCTFail("\(url): \(error)") }
                XCTAssertFalse(shown.contains("pw"), shown)
            }
        }
        for url in ["http://127.0.0.1:65535/services/v5", "http://127.0.0.1:1", "https://[::1]:443/services/v5",
                    "https://www.pivotaltracker.com/services/v5", "https://host:/services/v5"] {
            XCTAssertNoThrow(try TrackerEndpoint(validating: url, allowInsecureHTTP: false), url)
        }
    }
}

/// The identity that ties a ledger, a queue and a story cache to one tracker.
final class TrackerEndpointIdentityTests: XCTestCase {
    private func endpoint(_ url: String) throws -> TrackerEndpoint {
        try TrackerEndpoint(validating: url, allowInsecureHTTP: true)
    }

    func testSpellingsOfOneTrackerShareAnIdentity() throws {
        let canonical = try endpoint("https://www.pivotaltracker.com/services/v5")
        XCTAssertEqual(canonical.identity, "https://www.pivotaltracker.com/services/v5")
        for spelling in [
            "HTTPS://WWW.PivotalTracker.com/services/v5/",
            "https://www.pivotaltracker.com:443/services/v5",
            "https://user:secret@www.pivotaltracker.com/services/v5//",
            "  https://www.pivotaltracker.com/services/v5\n",
        ] {
            let other = try endpoint(spelling)
            XCTAssertEqual(other.identity, canonical.identity, spelling)
            XCTAssertEqual(other.storageKey, canonical.storageKey, spelling)
        }
        XCTAssertEqual(try endpoint("http://127.0.0.1:80/x").identity, "http://127.0.0.1/x")
        XCTAssertEqual(try endpoint("http://[::1]:8080/x").identity, "http://[::1]:8080/x")
    }

    func testDifferentTrackersHaveDifferentKeys() throws {
        let urls = [
            "https://www.pivotaltracker.com/services/v5",
            "https://www.pivotaltracker.com/services/v4",
            "https://tracker.example.com/services/v5",
            "http://127.0.0.1:8080/services/v5",
            "http://127.0.0.1:8081/services/v5",
            "http://127.0.0.1:8080/services/v5?project=1",
        ]
        let keys = try urls.map { try endpoint($0).storageKey }
        XCTAssertEqual(Set(keys).count, urls.count, "\(keys)")
        for key in keys {
            XCTAssertEqual(key.count, 16)
            XCTAssertTrue(key.allSatisfy { $0.isHexDigit }, key)
        }
        XCTAssertFalse(try endpoint("https://u:hunter2@tracker.example.com/v5").identity.contains("hunter2"))
    }
}
