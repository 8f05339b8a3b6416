import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import TrackerSimKit
import XCTest

/// `--broken-answer` and `--broken-post`: answers no Tracker gives, for client tests.
final class BrokenAnswerTests: XCTestCase {
    func testArgumentsAreReadAndAnythingElseIsRefused() {
        XCTAssertEqual(BrokenAnswer(argument: "html"), .html)
        XCTAssertEqual(BrokenAnswer(argument: "empty"), .emptyBody)
        XCTAssertEqual(BrokenAnswer(argument: "invalid-json"), .invalidJSON)
        XCTAssertEqual(BrokenAnswer(argument: "redirect=http://localhost:1"), .redirect(to: "http://localhost:1"))
        XCTAssertNil(BrokenAnswer(argument: "redirect="))
        XCTAssertNil(BrokenAnswer(argument: "xml"))
    }

    func testEveryAPIRequestGetsTheBrokenAnswerWithoutEffect() async throws {
        var options = SimFixtures.options()
        options.brokenAnswer = .redirect(to: "http://localhost:9/")
        try await SimFixtures.app(options).test(.router) { client in
            let story = try await client.get("/services/v5/stories/555", token: nil)
            XCTAssertEqual(story.status, .temporaryRedirect)
            XCTAssertEqual(story.headers[.location], "http://localhost:9/services/v5/stories/555")
            let post = try await client.postCommit("c1", "[Finishes #555]")
            XCTAssertEqual(post.status, .temporaryRedirect)
            let stories = try await client.simulatedStories()
            XCTAssertEqual(stories[555]?["current_state"] as? String, "unstarted", "nothing was applied")
        }
    }

    func testABrokenPostIsAppliedThenAnsweredWithAPage() async throws {
        var options = SimFixtures.options()
        options.brokenPost = .html
        try await SimFixtures.app(options).test(.router) { client in
            let post = try await client.postCommit("c1", "[Finishes #555]")
            XCTAssertEqual(post.status, .ok)
            XCTAssertEqual(post.headers[.contentType], "text/html; charset=utf-8")
            XCTAssertTrue(String(buffer: post.body).contains("<html>"))
            let stories = try await client.simulatedStories()
            XCTAssertEqual(stories[555]?["current_state"] as? String, "finished", "the commit was applied")
            let story = try await client.get("/services/v5/stories/555")
            XCTAssertEqual(story.status, .ok, "reads are answered as usual")
        }
    }
}
