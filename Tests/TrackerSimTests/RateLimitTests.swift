import Hummingbird
import HummingbirdTesting
@testable import TrackerSimKit
import XCTest

final class RateLimitTests: XCTestCase {
    func testRequestsOverTheLimitAre429WithRetryAfterAndNoEffect() async throws {
        try await SimFixtures.app(SimFixtures.options(rateLimit: 2)).test(.router) { client in
            do { let value = try await client.get("/services/v5/me").status; XCTAssertEqual(value, .ok) }
            do { let value = try await client.get("/services/v5/stories/555").status; XCTAssertEqual(value, .ok) }

            let limited = try await client.postCommit("c1", "[#555]")
            XCTAssertEqual(limited.status, .tooManyRequests)
            XCTAssertEqual(limited.headers[.retryAfter], "1")
            XCTAssertEqual(limited.headers[.contentType], "application/json")
            XCTAssertEqual(try limited.errorCode(), "rate_limit_exceeded")

            // The refused commit had no effect, and /__sim is not limited.
            let stories = try await client.simulatedStories()
            XCTAssertEqual(stories[555]?["current_state"] as? String, "unstarted")
            let stats = try await client.statistics()
            XCTAssertEqual(stats.requests, 3)
            XCTAssertEqual(stats.rateLimited, 1)
            XCTAssertEqual(stats.sourceCommits, 0)
            XCTAssertEqual(stats.comments, 0)
        }
    }

    func testTheWindowReopensAfterOneSecond() {
        var limiter = RateLimiter(limit: 2)
        let start = ContinuousClock.now
        XCTAssertTrue(limiter.admit(at: start))
        XCTAssertTrue(limiter.admit(at: start + .milliseconds(10)))
        XCTAssertFalse(limiter.admit(at: start + .milliseconds(500)))
        XCTAssertFalse(limiter.admit(at: start + .milliseconds(999)))
        XCTAssertTrue(limiter.admit(at: start + .milliseconds(1000)))
        XCTAssertTrue(limiter.admit(at: start + .milliseconds(1500)))
        XCTAssertFalse(limiter.admit(at: start + .milliseconds(1600)))
    }
}
