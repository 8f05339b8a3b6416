import Hummingbird
import HummingbirdTesting
import TrackerSimKit
import XCTest

final class AuthenticationTests: XCTestCase {
    func testMissingAndWrongTokensAreRefusedWithTrackersErrorObject() async throws {
        try await SimFixtures.app().test(.router) { client in
            for token in [nil, "wrong-token", ""] as [String?] {
                let response = try await client.get("/services/v5/me", token: token)
                XCTAssertEqual(response.status, .forbidden, "token \(token ?? "none")")
                XCTAssertEqual(response.headers[.contentType], "application/json")
                let object = try response.jsonObject()
                XCTAssertEqual(object["kind"] as? String, "error")
                XCTAssertEqual(object["code"] as? String, "invalid_authentication")
                XCTAssertEqual(object["error"] as? String, "Invalid authentication credentials were presented.")
                XCTAssertEqual(object["possible_fix"] as? String,
                               "Recheck your name (or email) and password, or API Token, and try again.")
            }
        }
    }

    func testAWrongTokenCannotPostACommit() async throws {
        try await SimFixtures.app().test(.router) { client in
            let response = try await client.postCommit("abc", "[#555]", token: "wrong-token")
            XCTAssertEqual(response.status, .forbidden)
            let stories = try await client.simulatedStories()
            XCTAssertEqual(stories[555]?["current_state"] as? String, "unstarted")
            XCTAssertEqual((stories[555]?["comments"] as? [Any])?.count, 0)
        }
    }

    func testMeAnswersTheSimulatedUserWithoutEchoingTheToken() async throws {
        try await SimFixtures.app().test(.router) { client in
            let response = try await client.get("/services/v5/me")
            XCTAssertEqual(response.status, .ok)
            let me = try response.jsonObject()
            XCTAssertEqual(me["kind"] as? String, "me")
            XCTAssertEqual(me["id"] as? Int, 101)
            XCTAssertEqual(me["name"] as? String, "Simulated User")
            XCTAssertEqual(me["initials"] as? String, "SU")
            XCTAssertEqual(me["username"] as? String, "sim")
            XCTAssertEqual(me["email"] as? String, "sim@example.com")
            XCTAssertEqual(me["api_token"] as? String, "***")
        }
    }

    func testSimulatorEndpointsNeedNoToken() async throws {
        try await SimFixtures.app().test(.router) { client in
            do { let value = try await client.get("/__sim/stats", token: nil).status; XCTAssertEqual(value, .ok) }
            do { let value = try await client.get("/__sim/stories", token: nil).status; XCTAssertEqual(value, .ok) }
            do { let value = try await client.get("/__sim/comments", token: nil).status; XCTAssertEqual(value, .ok) }
        }
    }
}
