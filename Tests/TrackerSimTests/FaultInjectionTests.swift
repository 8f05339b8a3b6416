import Hummingbird
import HummingbirdTesting
@testable import TrackerSimKit
import XCTest

final class FaultInjectionTests: XCTestCase {
    func testFailingPostsEitherFailBeforeTheEffectOrApplyThenAnswer502() async throws {
        let options = SimFixtures.options(failRate: 1.0, seed: 7, autoCreate: true)
        try await SimFixtures.app(options, state: .empty).test(.router) { client in
            var outcomes: [(story: Int64, status: HTTPResponse.Status)] = []
            for index in 0..<24 {
                let story = Int64(1000 + index)
                let response = try await client.postCommit("sha-\(index)", "[#\(story)] attempt")
                XCTAssertEqual(response.headers[.contentType], "application/json")
                let code = try response.errorCode()
                switch response.status {
                case .internalServerError: XCTAssertEqual(code, "server_error")
                case .badGateway: XCTAssertEqual(code, "bad_gateway")
                default: XCTFail("unexpected \(response.status)")
                }
                outcomes.append((story, response.status))
            }
            let failedBefore = outcomes.filter { $0.status == .internalServerError }
            let appliedThenFailed = outcomes.filter { $0.status == .badGateway }
            XCTAssertFalse(failedBefore.isEmpty, "no 500 among \(outcomes.count) failures")
            XCTAssertFalse(appliedThenFailed.isEmpty, "no 502 among \(outcomes.count) failures")

            let stories = try await client.simulatedStories()
            for outcome in failedBefore {
                XCTAssertNil(stories[outcome.story], "a 500 must have no effect (story \(outcome.story))")
            }
            for outcome in appliedThenFailed {
                let story = try XCTUnwrap(stories[outcome.story], "a 502 must have applied the commit")
                let comments = try XCTUnwrap(story["comments"] as? [[String: Any]])
                XCTAssertEqual(comments.map { $0["commit_identifier"] as? String }, ["sha-\(outcome.story - 1000)"])
                XCTAssertEqual(story["current_state"] as? String, "started")
            }
            let stats = try await client.statistics()
            XCTAssertEqual(stats.injectedFailures, 24)
            XCTAssertEqual(stats.sourceCommits, appliedThenFailed.count)
            XCTAssertEqual(stats.comments, appliedThenFailed.count)
        }
    }

    func testFailingReadsAnswer500Or503() async throws {
        try await SimFixtures.app(SimFixtures.options(failRate: 1.0, seed: 7)).test(.router) { client in
            var statuses: Set<Int> = []
            for _ in 0..<24 {
                let response = try await client.get("/services/v5/stories/555")
                statuses.insert(response.status.code)
                XCTAssertEqual(response.headers[.contentType], "application/json")
            }
            XCTAssertEqual(statuses, [500, 503])
            let stats = try await client.statistics()
            XCTAssertEqual(stats.storyLookups, 0, "a failed read never reaches the story table")
        }
    }

    func testTheSameSeedGivesTheSameOutcomes() async throws {
        let first = try await Self.outcomes(seed: 42)
        let again = try await Self.outcomes(seed: 42)
        let other = try await Self.outcomes(seed: 43)
        XCTAssertEqual(first, again)
        XCTAssertNotEqual(first, other)
        // A rate of one half gives successes and both kinds of failure.
        XCTAssertTrue(first.contains(200))
        XCTAssertTrue(first.contains(500))
        XCTAssertTrue(first.contains(502) || first.contains(503))
    }

    /// The statuses of 40 requests (reads and posts, alternating) at a fail rate of 0.5.
    private static func outcomes(seed: UInt64) async throws -> [Int] {
        try await SimFixtures.app(SimFixtures.options(failRate: 0.5, seed: seed)).test(.router) { client in
            var statuses: [Int] = []
            for index in 0..<40 {
                let response = index.isMultiple(of: 2)
                    ? try await client.get("/services/v5/stories/555")
                    : try await client.postCommit("sha-\(index)", "[#556]")
                statuses.append(response.status.code)
            }
            return statuses
        }
    }

    func testNoFailuresAtRateZero() async throws {
        try await SimFixtures.app(SimFixtures.options(failRate: 0, seed: 1)).test(.router) { client in
            for _ in 0..<20 {
                do { let value = try await client.get("/services/v5/me").status; XCTAssertEqual(value, .ok) }
            }
            do { let value = try await client.statistics().injectedFailures; XCTAssertEqual(value, 0) }
        }
    }

    func testLatencyDelaysApiRequests() async throws {
        try await SimFixtures.app(SimFixtures.options(latencyMilliseconds: 150)).test(.router) { client in
            let clock = ContinuousClock()
            let elapsed = try await clock.measure {
                do { let value = try await client.get("/services/v5/me").status; XCTAssertEqual(value, .ok) }
            }
            XCTAssertGreaterThanOrEqual(elapsed, .milliseconds(150))
        }
    }

    func testSplitMix64IsReproducibleAndSpreadsItsValues() {
        var a = SplitMix64(seed: 1234)
        var b = SplitMix64(seed: 1234)
        let first = (0..<100).map { _ in a.next() }
        XCTAssertEqual(first, (0..<100).map { _ in b.next() })
        XCTAssertEqual(Set(first).count, 100)
        var unit = SplitMix64(seed: 99)
        let draws = (0..<10_000).map { _ in unit.nextUnitInterval() }
        XCTAssertTrue(draws.allSatisfy { $0 >= 0 && $0 < 1 })
        let mean = draws.reduce(0, +) / Double(draws.count)
        XCTAssertEqual(mean, 0.5, accuracy: 0.02)
    }

    func testTheInjectorSplitsFailuresAboutInHalf() {
        var injector = FaultInjector(failRate: 1.0, generator: SplitMix64(seed: 5))
        let draws = (0..<2_000).compactMap { _ in injector.draw() }
        XCTAssertEqual(draws.count, 2_000)
        let before = draws.filter { $0 == .beforeEffect }.count
        XCTAssertEqual(Double(before) / 2_000, 0.5, accuracy: 0.05)

        var never = FaultInjector(failRate: 0, generator: SplitMix64(seed: 5))
        XCTAssertTrue((0..<100).allSatisfy { _ in never.draw() == nil })
    }
}
