import CommitBridgeCore
@testable import CommitBridgeStore
import GRDB
import XCTest

final class StoryCacheTests: XCTestCase {
    private var store: SQLiteDeliveryStore!

    override func setUpWithError() throws {
        store = try SQLiteDeliveryStore.inMemory()
    }

    func testAnAbsentStoryIsAMiss() throws {
        XCTAssertNil(try store.cachedStory(7, maxAge: 3_600, now: 1_000))
        XCTAssertEqual(try store.cacheStatistics(), CacheStatistics(entries: 0, hits: 0, misses: 1))
    }

    func testAStoredStoryComesBackWithItsCommitIdentifiersAndCountsAHit() throws {
        let record = Fixtures.story(7)
        try store.storeStory(7, lookup: .found(record, commitIdentifiers: ["abc", "def"]), at: 1_000)

        let lookup = try store.cachedStory(7, maxAge: 3_600, now: 1_500)

        XCTAssertEqual(lookup, .found(record, commitIdentifiers: ["abc", "def"]))
        XCTAssertEqual(try store.cacheStatistics(), CacheStatistics(entries: 1, hits: 1, misses: 0))
    }

    func testSeveralStoriesAtOnceGiveTheFreshEntriesAndCountEachId() throws {
        try store.storeStory(7, lookup: .found(Fixtures.story(7), commitIdentifiers: ["abc"]), at: 1_000)
        try store.storeStory(8, lookup: .missing, at: 1_000)
        try store.storeStory(9, lookup: .found(Fixtures.story(9), commitIdentifiers: []), at: 100)

        let found = try store.cachedStories([7, 8, 9, 10], maxAge: 600, now: 1_500)

        XCTAssertEqual(found, [7: .found(Fixtures.story(7), commitIdentifiers: ["abc"]), 8: .missing])
        XCTAssertEqual(try store.cacheStatistics(), CacheStatistics(entries: 3, hits: 2, misses: 2))
        XCTAssertEqual(try store.cachedStories([], maxAge: 600, now: 1_500), [:])
    }

    func testARecordWithoutURLRoundTrips() throws {
        let record = StoryRecord(id: 8, projectID: 1, type: .chore, state: .unscheduled, name: "Tidy", url: nil)
        try store.storeStory(8, lookup: .found(record, commitIdentifiers: []), at: 0)
        XCTAssertEqual(try store.cachedStory(8, maxAge: 10, now: 0), .found(record, commitIdentifiers: []))
    }

    func testAnEntryExpiresAfterMaxAge() throws {
        try store.storeStory(7, lookup: .found(Fixtures.story(7), commitIdentifiers: []), at: 1_000)

        XCTAssertNotNil(try store.cachedStory(7, maxAge: 60, now: 1_060))
        XCTAssertNil(try store.cachedStory(7, maxAge: 60, now: 1_060.5))
        XCTAssertNil(try store.cachedStory(7, maxAge: 0, now: 1_001))

        XCTAssertEqual(try store.cacheStatistics(), CacheStatistics(entries: 1, hits: 1, misses: 2))
    }

    func testAnEntryStampedAfterNowCountsAsExpired() throws {
        try store.storeStory(7, lookup: .missing, at: 2_000)
        XCTAssertNil(try store.cachedStory(7, maxAge: 3_600, now: 1_999))
        XCTAssertEqual(try store.cacheStatistics().misses, 1)
    }

    func testANegativeEntryAnswersMissingAndCountsAHit() throws {
        try store.storeStory(404, lookup: .missing, at: 1_000)

        XCTAssertEqual(try store.cachedStory(404, maxAge: 60, now: 1_030), .missing)
        XCTAssertNil(try store.cachedStory(404, maxAge: 60, now: 1_100))

        XCTAssertEqual(try store.cacheStatistics(), CacheStatistics(entries: 1, hits: 1, misses: 1))
    }

    func testStoreStoryReplacesTheEntryButKeepsKnownCommitIdentifiers() throws {
        try store.storeStory(7, lookup: .found(Fixtures.story(7, state: .started), commitIdentifiers: ["abc"]), at: 0)
        try store.storeStory(7, lookup: .missing, at: 10)
        XCTAssertEqual(try store.cachedStory(7, maxAge: 60, now: 10), .missing)

        let finished = Fixtures.story(7, state: .finished, name: "Login page, renamed")
        try store.storeStory(7, lookup: .found(finished, commitIdentifiers: ["def"]), at: 20)

        XCTAssertEqual(try store.cachedStory(7, maxAge: 60, now: 20), .found(finished, commitIdentifiers: ["abc", "def"]))
        XCTAssertEqual(try store.cacheStatistics().entries, 1)
    }

    func testCommitsDeliveredAfterCachingAreIncluded() throws {
        let record = Fixtures.story(7)
        try store.storeStory(7, lookup: .found(record, commitIdentifiers: ["abc"]), at: 1_000)
        try store.storeStory(8, lookup: .found(Fixtures.story(8), commitIdentifiers: []), at: 1_000)

        try store.recordDelivered(sha: "f00d", stories: [7, 9], outcome: .posted, response: nil, at: 1_001)

        XCTAssertEqual(try store.cachedStory(7, maxAge: 60, now: 1_002), .found(record, commitIdentifiers: ["abc", "f00d"]))
        XCTAssertEqual(try store.cachedStory(8, maxAge: 60, now: 1_002), .found(Fixtures.story(8), commitIdentifiers: []))
    }

    func testCommitsDeliveredBeforeCachingAreIncluded() throws {
        try store.recordDelivered(sha: "f00d", stories: [7], outcome: .posted, response: nil, at: 1)
        let record = Fixtures.story(7)
        try store.storeStory(7, lookup: .found(record, commitIdentifiers: ["abc"]), at: 2)

        XCTAssertEqual(try store.cachedStory(7, maxAge: 60, now: 3), .found(record, commitIdentifiers: ["abc", "f00d"]))
    }

    func testAnEntryWithAnUnknownStoryTypeIsAMiss() throws {
        try store.storeStory(7, lookup: .found(Fixtures.story(7), commitIdentifiers: []), at: 0)
        try store.writer.write { db in
            try db.execute(sql: "UPDATE story SET story_type = 'epic' WHERE id = 7")
        }

        XCTAssertNil(try store.cachedStory(7, maxAge: 60, now: 1))
        XCTAssertEqual(try store.cacheStatistics().misses, 1)
    }

    func testStatisticsCountFoundAndMissingEntries() throws {
        XCTAssertNil(try store.cacheStatistics().hitRate)
        try store.storeStory(1, lookup: .found(Fixtures.story(1), commitIdentifiers: []), at: 0)
        try store.storeStory(2, lookup: .missing, at: 0)
        _ = try store.cachedStory(1, maxAge: 60, now: 1)
        _ = try store.cachedStory(2, maxAge: 60, now: 1)
        _ = try store.cachedStory(3, maxAge: 60, now: 1)

        let statistics = try store.cacheStatistics()
        XCTAssertEqual(statistics, CacheStatistics(entries: 2, hits: 2, misses: 1))
        XCTAssertEqual(try XCTUnwrap(statistics.hitRate), 2.0 / 3.0, accuracy: 1e-9)
    }
}
