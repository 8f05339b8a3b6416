import CommitBridgeCore
@testable import CommitBridgeStore
import GRDB
import XCTest

final class LedgerTests: XCTestCase {
    private var store: SQLiteDeliveryStore!

    override func setUpWithError() throws {
        store = try SQLiteDeliveryStore.inMemory()
    }

    func testRecordDeliveredMovesTheCommitFromQueueToLedger() throws {
        try store.enqueue([Fixtures.commit("aaa", stories: [1, 2]), Fixtures.commit("bbb")])

        try store.recordDelivered(sha: "aaa", stories: [1, 2], outcome: .posted, response: #"{"ok":1}"#, at: 123.5)

        XCTAssertEqual(try store.queued().map(\.sha), ["bbb"])
        XCTAssertEqual(try store.ledgerCount(), 1)
        XCTAssertEqual(try store.deliveredSHAs(among: ["aaa", "bbb", "ccc"]), ["aaa"])
        let row = try XCTUnwrap(try ledgerRow("aaa"))
        XCTAssertEqual(row["stories"] as String, "[1,2]")
        XCTAssertEqual(row["outcome"] as String, "posted")
        XCTAssertEqual(row["response"] as String?, #"{"ok":1}"#)
        XCTAssertEqual(row["delivered_at"] as Double, 123.5)
        XCTAssertEqual(try storyCommits(), ["1 aaa", "2 aaa"])
    }

    func testRecordDeliveredOfACommitNotQueuedIsStillRecorded() throws {
        try store.recordDelivered(sha: "aaa", stories: [5], outcome: .alreadyOnTracker, response: nil, at: 1)
        XCTAssertEqual(try store.ledgerCount(), 1)
        XCTAssertEqual(try ledgerRow("aaa")?["outcome"] as String?, "already-on-tracker")
        XCTAssertEqual(try storyCommits(), ["5 aaa"])
    }

    func testRecordDeliveredTwiceKeepsTheFirstLedgerRow() throws {
        try store.recordDelivered(sha: "aaa", stories: [1], outcome: .posted, response: "first", at: 1)
        try store.recordDelivered(sha: "aaa", stories: [1, 3], outcome: .alreadyOnTracker, response: "second", at: 2)

        XCTAssertEqual(try store.ledgerCount(), 1)
        let row = try XCTUnwrap(try ledgerRow("aaa"))
        XCTAssertEqual(row["outcome"] as String, "posted")
        XCTAssertEqual(row["response"] as String?, "first")
        // The identifiers are still recorded for every story named the second time.
        XCTAssertEqual(try storyCommits(), ["1 aaa", "3 aaa"])
    }

    func testRecordDeliveredIsOneTransaction() throws {
        try store.enqueue([Fixtures.commit("aaa", stories: [1, 666])])
        // Make the last step (the story_commit row for story 666) fail.
        try store.writer.write { db in
            try db.execute(sql: """
                CREATE TEMP TRIGGER refuse_666 BEFORE INSERT ON story_commit WHEN NEW.story_id = 666
                BEGIN SELECT RAISE(ABORT, 'refused'); END
                """)
        }

        XCTAssertThrowsError(
            try store.recordDelivered(sha: "aaa", stories: [1, 666], outcome: .posted, response: nil, at: 1))

        XCTAssertEqual(try store.queued().map(\.sha), ["aaa"])
        XCTAssertEqual(try store.ledgerCount(), 0)
        XCTAssertEqual(try storyCommits(), [])
    }

    func testDeliveredSHAsLooksUpMoreThanOneBatch() throws {
        let all = (0..<1_300).map { String(format: "%040x", $0) }
        let delivered = all.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
        for sha in delivered {
            try store.recordDelivered(sha: sha, stories: [], outcome: .posted, response: nil, at: 1)
        }

        XCTAssertEqual(try store.deliveredSHAs(among: all), Set(delivered))
        XCTAssertEqual(try store.ledgerCount(), delivered.count)
        XCTAssertEqual(try store.deliveredSHAs(among: []), [])
    }

    private func ledgerRow(_ sha: String) throws -> Row? {
        try store.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM ledger WHERE sha = ?", arguments: [sha])
        }
    }

    /// `"<story> <identifier>"` for each story_commit row, sorted.
    private func storyCommits() throws -> [String] {
        try store.writer.read { db in
            try String.fetchAll(db, sql: """
                SELECT story_id || ' ' || commit_identifier FROM story_commit ORDER BY story_id, commit_identifier
                """)
        }
    }
}
