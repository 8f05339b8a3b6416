import CommitBridgeCore
@testable import CommitBridgeStore
import GRDB
import XCTest

final class QueueTests: XCTestCase {
    private var store: SQLiteDeliveryStore!

    override func setUpWithError() throws {
        store = try SQLiteDeliveryStore.inMemory()
    }

    func testEnqueueKeepsInsertionOrderAndStoresEveryField() throws {
        let commits = [
            Fixtures.commit("ccc", stories: [3, 1], at: 10),
            Fixtures.commit("aaa", stories: [], at: 20),
            Fixtures.commit("bbb", stories: [2], at: 30),
        ]
        XCTAssertEqual(try store.enqueue(commits), 3)

        let queued = try store.queued()
        XCTAssertEqual(queued.map(\.sha), ["ccc", "aaa", "bbb"])
        XCTAssertEqual(queued.map(\.stories), [[3, 1], [], [2]])
        XCTAssertEqual(queued.map(\.body), commits.map(\.body))
        XCTAssertEqual(queued.map(\.enqueuedAt), [10, 20, 30])
        XCTAssertEqual(queued.map(\.attempts), [0, 0, 0])
        XCTAssertEqual(queued.map(\.lastError), [nil, nil, nil])
        XCTAssertLessThan(queued[0].position, queued[1].position)
        XCTAssertLessThan(queued[1].position, queued[2].position)
    }

    func testLaterEnqueueGoesAfterEarlierOnes() throws {
        try store.enqueue([Fixtures.commit("zzz")])
        try store.enqueue([Fixtures.commit("aaa")])
        XCTAssertEqual(try store.queued().map(\.sha), ["zzz", "aaa"])
    }

    func testEnqueueSkipsCommitsAlreadyQueuedAndKeepsTheirFirstBody() throws {
        try store.enqueue([Fixtures.commit("aaa"), Fixtures.commit("bbb")])
        let changed = QueuedCommit(sha: "bbb", stories: [7], body: "new body", enqueuedAt: 5_000)

        XCTAssertEqual(try store.enqueue([changed, Fixtures.commit("ccc")]), 1)

        let queued = try store.queued()
        XCTAssertEqual(queued.map(\.sha), ["aaa", "bbb", "ccc"])
        XCTAssertEqual(queued[1].body, Fixtures.commit("bbb").body)
        XCTAssertEqual(queued[1].stories, [1])
    }

    func testEnqueueSkipsCommitsInTheLedger() throws {
        try store.recordDelivered(sha: "aaa", stories: [1], outcome: .posted, response: nil, at: 1)
        XCTAssertEqual(try store.enqueue([Fixtures.commit("aaa"), Fixtures.commit("bbb")]), 1)
        XCTAssertEqual(try store.queued().map(\.sha), ["bbb"])
    }

    func testEnqueueCountsARepeatWithinOneCallOnce() throws {
        XCTAssertEqual(try store.enqueue([Fixtures.commit("aaa"), Fixtures.commit("aaa")]), 1)
        XCTAssertEqual(try store.queueCount(), 1)
    }

    func testEnqueueOfNothingAddsNothing() throws {
        XCTAssertEqual(try store.enqueue([]), 0)
        XCTAssertEqual(try store.queued(), [])
    }

    func testEnqueueIgnoresPositionAttemptsAndErrorOfTheValue() throws {
        let commit = QueuedCommit(sha: "aaa", stories: [1], body: "b", position: 99, attempts: 4,
                                  lastError: "old", enqueuedAt: 1)
        try store.enqueue([commit])
        let stored = try XCTUnwrap(try store.queued().first)
        XCTAssertEqual(stored.attempts, 0)
        XCTAssertNil(stored.lastError)
        XCTAssertNotEqual(stored.position, 99)
    }

    func testPositionsAreNotReusedAfterTheNewestCommitLeaves() throws {
        try store.enqueue([Fixtures.commit("aaa"), Fixtures.commit("bbb")])
        let removedPosition = try store.queued()[1].position
        try store.recordDelivered(sha: "bbb", stories: [], outcome: .posted, response: nil, at: 1)

        try store.enqueue([Fixtures.commit("ccc")])

        let queued = try store.queued()
        XCTAssertEqual(queued.map(\.sha), ["aaa", "ccc"])
        XCTAssertGreaterThan(queued[1].position, removedPosition)
    }

    func testMarkAttemptCountsAndStampsOnlyThatCommit() throws {
        try store.enqueue([Fixtures.commit("aaa"), Fixtures.commit("bbb")])
        try store.markAttempt(sha: "bbb", at: 50)
        try store.markAttempt(sha: "bbb", at: 75)

        XCTAssertEqual(try store.queued().map(\.attempts), [0, 2])
        XCTAssertEqual(try lastAttemptTimes(), [nil, 75])
    }

    func testMarkAttemptOfACommitNotQueuedChangesNothing() throws {
        try store.enqueue([Fixtures.commit("aaa")])
        try store.markAttempt(sha: "zzz", at: 50)
        XCTAssertEqual(try store.queued().map(\.attempts), [0])
        XCTAssertEqual(try store.queueCount(), 1)
    }

    func testRecordFailureKeepsTheCommitQueuedWithAOneLineError() throws {
        try store.enqueue([Fixtures.commit("aaa")])
        try store.recordFailure(sha: "aaa", error: "HTTP 500\r\nInternal Server Error\n\nretry later\n")

        let queued = try store.queued()
        XCTAssertEqual(queued.map(\.sha), ["aaa"])
        XCTAssertEqual(queued[0].lastError, "HTTP 500 Internal Server Error retry later")
    }

    func testRecordFailureCutsLongErrorsTo500Characters() throws {
        try store.enqueue([Fixtures.commit("aaa")])
        let long = String(repeating: "é", count: 2_000)
        try store.recordFailure(sha: "aaa", error: long)

        let stored = try XCTUnwrap(try store.queued()[0].lastError)
        XCTAssertEqual(stored.count, 500)
        XCTAssertEqual(stored, String(repeating: "é", count: 499) + "…")
    }

    func testLastErrorIsThatOfTheMostRecentFailure() throws {
        XCTAssertNil(try store.lastError())
        try store.enqueue([Fixtures.commit("aaa"), Fixtures.commit("bbb")])
        XCTAssertNil(try store.lastError())

        try store.recordFailure(sha: "bbb", error: "timeout")
        try store.recordFailure(sha: "aaa", error: "HTTP 503")
        XCTAssertEqual(try store.lastError(), "HTTP 503")

        try store.recordFailure(sha: "bbb", error: "HTTP 502")
        XCTAssertEqual(try store.lastError(), "HTTP 502")

        try store.recordDelivered(sha: "bbb", stories: [1], outcome: .posted, response: nil, at: 1)
        XCTAssertEqual(try store.lastError(), "HTTP 503")
    }

    func testOldestQueuedAndQueueCountFollowTheQueue() throws {
        XCTAssertNil(try store.oldestQueued())
        XCTAssertEqual(try store.queueCount(), 0)

        try store.enqueue([Fixtures.commit("bbb"), Fixtures.commit("aaa")])
        XCTAssertEqual(try store.oldestQueued()?.sha, "bbb")
        XCTAssertEqual(try store.queueCount(), 2)

        try store.recordDelivered(sha: "bbb", stories: [1], outcome: .posted, response: nil, at: 1)
        XCTAssertEqual(try store.oldestQueued()?.sha, "aaa")
        XCTAssertEqual(try store.queueCount(), 1)
    }

    private func lastAttemptTimes() throws -> [Double?] {
        try store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT last_attempt_at FROM queue ORDER BY position").map { $0[0] }
        }
    }
}
