import Hummingbird
import HummingbirdTesting
import TrackerSimKit
import XCTest

final class StatisticsTests: XCTestCase {
    func testCountersFollowTheRequests() async throws {
        try await SimFixtures.app().test(.router) { client in
            do { let value = try await client.statistics(); XCTAssertEqual(value, SimulatorStatistics()) }

            _ = try await client.get("/services/v5/me")                          // requests 1
            _ = try await client.get("/services/v5/me", token: nil)              // 2 (403)
            _ = try await client.get("/services/v5/stories/555")                 // 3, lookup 1
            _ = try await client.get("/services/v5/stories/4242")                // 4, lookup 2 (404)
            _ = try await client.get("/services/v5/projects/99/stories/555/comments") // 5
            _ = try await client.postCommit("a", "[#555] [#556]")               // 6, 2 comments
            _ = try await client.postCommit("a", "[#555]")                      // 7, 1 duplicate
            _ = try await client.post("/services/v5/source_commits", body: nil) // 8 (400)
            _ = try await client.get("/__sim/stories", token: nil)              // not an API request

            let stats = try await client.statistics()
            var expected = SimulatorStatistics()
            expected.requests = 8
            expected.storyLookups = 2
            expected.sourceCommits = 2
            expected.comments = 3
            expected.duplicateComments = 1
            XCTAssertEqual(stats, expected)
        }
    }

    func testTheStatsDocumentHasTheContractsKeys() async throws {
        try await SimFixtures.app().test(.router) { client in
            let object = try await client.get("/__sim/stats", token: nil).jsonObject()
            XCTAssertEqual(Set(object.keys), ["requests", "source_commits", "comments", "duplicate_comments",
                                              "story_lookups", "rate_limited", "injected_failures"])
        }
    }
}
