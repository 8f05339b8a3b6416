import CommitBridgeCore
@testable import CommitBridgeStore
import Foundation
import GRDB
import XCTest

final class FileStoreTests: XCTestCase {
    private var temporary: TemporaryDirectory!
    private var stateDirectory: String { temporary.appending("state") }
    private var databasePath: String { temporary.appending("state/commitbridge.sqlite") }

    override func setUpWithError() throws {
        temporary = try TemporaryDirectory()
    }

    override func tearDown() {
        temporary = nil
    }

    func testQueueLedgerAndCacheSurviveCloseAndReopen() throws {
        let first = try SQLiteDeliveryStore.open(directory: stateDirectory)
        XCTAssertEqual(first.path, databasePath)
        try first.enqueue([Fixtures.commit("aaa"), Fixtures.commit("bbb", stories: [2, 3]), Fixtures.commit("ccc")])
        try first.recordDelivered(sha: "aaa", stories: [1], outcome: .posted, response: "{}", at: 10)
        try first.markAttempt(sha: "bbb", at: 11)
        try first.recordFailure(sha: "bbb", error: "HTTP 503")
        try first.storeStory(1, lookup: .found(Fixtures.story(1), commitIdentifiers: []), at: 12)
        XCTAssertNil(try first.cachedStory(2, maxAge: 60, now: 12))
        try first.close()

        let second = try SQLiteDeliveryStore.open(directory: stateDirectory)
        XCTAssertEqual(second.openWarnings, [])
        let queued = try second.queued()
        XCTAssertEqual(queued.map(\.sha), ["bbb", "ccc"])
        XCTAssertEqual(queued[0].stories, [2, 3])
        XCTAssertEqual(queued[0].attempts, 1)
        XCTAssertEqual(queued[0].lastError, "HTTP 503")
        XCTAssertEqual(try second.deliveredSHAs(among: ["aaa", "bbb"]), ["aaa"])
        XCTAssertEqual(try second.ledgerCount(), 1)
        XCTAssertEqual(try second.cachedStory(1, maxAge: 60, now: 13),
                       .found(Fixtures.story(1), commitIdentifiers: ["aaa"]))
        XCTAssertEqual(try second.cacheStatistics(), CacheStatistics(entries: 1, hits: 1, misses: 1))
        XCTAssertEqual(try second.enqueue([Fixtures.commit("aaa"), Fixtures.commit("bbb")]), 0)
    }

    func testTheFileIsInWALMode() throws {
        let store = try SQLiteDeliveryStore.open(directory: stateDirectory)
        let mode = try store.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        XCTAssertEqual(mode, "wal")
    }

    /// Attempt marks wait for the disk; ledger rows and cache entries alone do not (see
    /// `SQLiteDeliveryStore.mustSync`), and the connection is back to FULL after them.
    func testOnlyTransactionsThatMarkAnAttemptWaitForTheDisk() throws {
        let row = DeliveryWrite.delivered(sha: "aaa", stories: [1], outcome: .posted, response: nil, at: 1)
        XCTAssertTrue(SQLiteDeliveryStore.mustSync([row, .attempt(sha: "bbb", at: 1)]))
        XCTAssertFalse(SQLiteDeliveryStore.mustSync([row]))
        let store = try SQLiteDeliveryStore.open(directory: stateDirectory)
        func level() throws -> Int? { try store.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } }
        XCTAssertEqual(try level(), 2, "FULL")
        XCTAssertEqual(try store.writeWithoutSync { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }, 1, "NORMAL")
        try store.perform([row])
        XCTAssertEqual(try level(), 2, "FULL again")
        XCTAssertEqual(try store.ledgerCount(), 1)
        _ = try store.cachedStories([7], maxAge: 60, now: 1)
        XCTAssertEqual(try level(), 2, "FULL after the cache check")
        try store.close()
    }

    func testANewDirectoryIs0700AndTheDatabaseFilesAre0600() throws {
        let nested = temporary.appending("a/b/state")
        let store = try SQLiteDeliveryStore.open(directory: nested)
        try store.enqueue([Fixtures.commit("aaa")])

        XCTAssertEqual(try Fixtures.mode(of: nested), 0o700)
        XCTAssertEqual(try Fixtures.mode(of: nested + "/commitbridge.sqlite"), 0o600)
        XCTAssertEqual(try Fixtures.mode(of: nested + "/commitbridge.sqlite-wal"), 0o600)
        XCTAssertEqual(try Fixtures.mode(of: nested + "/commitbridge.sqlite-shm"), 0o600)
    }

    func testAnExistingFileReadableByOthersIsNarrowedTo0600() throws {
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: databasePath, contents: Data(),
                                                     attributes: [.posixPermissions: 0o644]))
        XCTAssertEqual(try Fixtures.mode(of: databasePath), 0o644)

        let store = try SQLiteDeliveryStore.open(directory: stateDirectory)

        XCTAssertEqual(store.openWarnings, [])
        XCTAssertEqual(try Fixtures.mode(of: databasePath), 0o600)
    }

    func testAStateDirectoryThatIsAFileIsAnError() throws {
        XCTAssertTrue(FileManager.default.createFile(atPath: stateDirectory, contents: Data("x".utf8)))
        XCTAssertThrowsError(try SQLiteDeliveryStore.open(directory: stateDirectory)) { error in
            XCTAssertTrue("\(error)".contains("not a directory"), "\(error)")
        }
    }

    func testADirectoryInPlaceOfTheDatabaseIsAnErrorAndIsLeftAlone() throws {
        try FileManager.default.createDirectory(atPath: databasePath, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        XCTAssertThrowsError(try SQLiteDeliveryStore.open(directory: stateDirectory)) { error in
            XCTAssertTrue("\(error)".contains("not a regular file"), "\(error)")
        }
        XCTAssertEqual(try Fixtures.mode(of: databasePath), 0o755)
        XCTAssertEqual(try temporary.names(in: "state"), ["commitbridge.sqlite", "open.lock"], "nothing moved, nothing made but the lock")
    }

    func testAFileOfGarbageIsMovedAsideAndAFreshStoreWorks() throws {
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        let garbage = Data((0..<8_192).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })
        XCTAssertTrue(FileManager.default.createFile(atPath: databasePath, contents: garbage))
        let before = Date().timeIntervalSince1970

        let store = try SQLiteDeliveryStore.open(directory: stateDirectory)

        XCTAssertEqual(store.openWarnings.count, 1)
        let warning = try XCTUnwrap(store.openWarnings.first)
        XCTAssertFalse(warning.contains("\n"))
        let asideNames = try temporary.names(in: "state").filter { $0.hasPrefix("commitbridge.sqlite.corrupt-") }
        XCTAssertEqual(asideNames.count, 1)
        let aside = try XCTUnwrap(asideNames.first)
        XCTAssertTrue(warning.contains(aside), warning)
        let stamp = try XCTUnwrap(Double(aside.dropFirst("commitbridge.sqlite.corrupt-".count)))
        XCTAssertEqual(stamp, before.rounded(.down), accuracy: 5)
        XCTAssertEqual(FileManager.default.contents(atPath: temporary.appending("state/" + aside)), garbage)

        XCTAssertEqual(try store.queueCount(), 0)
        XCTAssertEqual(try store.enqueue([Fixtures.commit("aaa")]), 1)
        XCTAssertEqual(try store.queued().map(\.sha), ["aaa"])
        XCTAssertEqual(try Fixtures.mode(of: databasePath), 0o600)
    }

    func testADatabaseThatFailsTheIntegrityCheckIsMovedAside() throws {
        let original = try SQLiteDeliveryStore.open(directory: stateDirectory)
        let commits = (0..<400).map { Fixtures.commit(String(format: "%040x", $0), stories: [Int64($0)]) }
        try original.enqueue(commits)
        try original.close()
        try foldLogIntoFile()
        // Overwrite pages 3 to 6 (tables and index b-trees) with a repeating byte; the header
        // (page 1) stays valid, so SQLite opens the file and only the check finds the damage.
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: databasePath))
        try handle.seek(toOffset: 2 * 4_096)
        try handle.write(contentsOf: Data(repeating: 0x5A, count: 4 * 4_096))
        try handle.close()

        let store = try SQLiteDeliveryStore.open(directory: stateDirectory)

        XCTAssertEqual(store.openWarnings.count, 1, "\(store.openWarnings)")
        let warning = try XCTUnwrap(store.openWarnings.first)
        XCTAssertTrue(warning.contains(".corrupt-"), warning)
        XCTAssertEqual(try temporary.names(in: "state").filter { $0.contains(".corrupt-") && !$0.hasSuffix("-wal") }.count, 1)
        XCTAssertEqual(try store.queueCount(), 0)
        XCTAssertEqual(try store.enqueue([Fixtures.commit("aaa")]), 1)
    }

    func testTheHooksQuickOpenSkipsTheIntegrityCheckAndTheNextFullOpenRunsIt() throws {
        let original = try SQLiteDeliveryStore.open(directory: stateDirectory)
        try original.enqueue((0..<400).map { Fixtures.commit(String(format: "%040x", $0), stories: [Int64($0)]) })
        try original.close()
        try foldLogIntoFile()
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: databasePath))
        try handle.seek(toOffset: 2 * 4_096)
        try handle.write(contentsOf: Data(repeating: 0x5A, count: 4 * 4_096))
        try handle.close()

        let quick = try SQLiteDeliveryStore.open(directory: stateDirectory, verifyIntegrity: false)
        XCTAssertEqual(quick.openWarnings, [], "no quick_check on the hooks' path")
        try quick.close()
        XCTAssertEqual(try temporary.names(in: "state").filter { $0.contains(".corrupt-") }.count, 0)

        let full = try SQLiteDeliveryStore.open(directory: stateDirectory)
        XCTAssertEqual(full.openWarnings.count, 1, "\(full.openWarnings)")
        XCTAssertEqual(try temporary.names(in: "state").filter { $0.contains(".corrupt-") && !$0.hasSuffix("-wal") }.count, 1)
    }

    func testAReadableDatabaseWhoseMigrationFailsIsKeptAndTheErrorThrown() throws {
        // A readable database with a `queue` table of another shape: migration v1 cannot create its own.
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        let foreign = try DatabaseQueue(path: databasePath)
        try foreign.write { db in
            try db.execute(sql: "CREATE TABLE queue (sha TEXT); INSERT INTO queue VALUES ('keep-me')")
        }
        try foreign.close()

        XCTAssertThrowsError(try SQLiteDeliveryStore.open(directory: stateDirectory))

        XCTAssertEqual(try temporary.names(in: "state").filter { $0.contains("corrupt") }, [])
        let reread = try DatabaseQueue(path: databasePath)
        XCTAssertEqual(try reread.read { db in try String.fetchAll(db, sql: "SELECT sha FROM queue") }, ["keep-me"])
    }

    /// The store leaves its log at close; a plain connection's close copies it into the database
    /// file and deletes it, so that pages a test then damages are the ones SQLite reads.
    private func foldLogIntoFile() throws {
        try DatabaseQueue(path: databasePath).close()
        XCTAssertFalse(FileManager.default.fileExists(atPath: databasePath + "-wal"), "the log is folded in")
    }

    func testCloseLeavesTheLogAndTheNextOpenReadsWhatItHolds() throws {
        let first = try SQLiteDeliveryStore.open(directory: stateDirectory)
        try first.enqueue([Fixtures.commit("aaa"), Fixtures.commit("bbb")])
        try first.recordDelivered(sha: "aaa", stories: [1], outcome: .posted, response: "{}", at: 10)
        try first.close()
        let log = try FileManager.default.attributesOfItem(atPath: databasePath + "-wal")[.size] as? Int
        XCTAssertGreaterThan(log ?? 0, 0, "close() no longer copies the log into the file")

        let second = try SQLiteDeliveryStore.open(directory: stateDirectory)
        XCTAssertEqual(try second.queued().map(\.sha), ["bbb"])
        XCTAssertEqual(try second.deliveredSHAs(among: ["aaa", "bbb"]), ["aaa"])
    }

    func testADeletedDatabasesLeftoverLogIsNotReplayedIntoTheNewOne() throws {
        let first = try SQLiteDeliveryStore.open(directory: stateDirectory)
        try first.enqueue([Fixtures.commit("aaa")])
        try first.recordDelivered(sha: "aaa", stories: [1], outcome: .posted, response: "{}", at: 10)
        try first.close()
        XCTAssertTrue(FileManager.default.fileExists(atPath: databasePath + "-wal"))
        // Someone starts afresh by deleting the database file alone. SQLite deletes a log it finds
        // beside an empty database file rather than replaying it; the store relies on that.
        try FileManager.default.removeItem(atPath: databasePath)

        let second = try SQLiteDeliveryStore.open(directory: stateDirectory)
        XCTAssertEqual(second.openWarnings, [])
        XCTAssertEqual(try second.ledgerCount(), 0)
        XCTAssertEqual(try second.queueCount(), 0)
        try second.enqueue([Fixtures.commit("bbb")])
        XCTAssertEqual(try second.queued().map(\.sha), ["bbb"])
    }

    func testMovingAsideTwiceInOneSecondKeepsBothFilesAndTakesTheLogAlong() throws {
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        let manager = FileManager.default
        XCTAssertTrue(manager.createFile(atPath: databasePath, contents: Data("one".utf8)))
        XCTAssertTrue(manager.createFile(atPath: databasePath + "-wal", contents: Data("log".utf8)))
        XCTAssertTrue(manager.createFile(atPath: databasePath + "-shm", contents: Data("index".utf8)))

        let first = try StateFiles.moveAside(databasePath, at: 1_700_000_000.9)
        XCTAssertTrue(manager.createFile(atPath: databasePath, contents: Data("two".utf8)))
        let second = try StateFiles.moveAside(databasePath, at: 1_700_000_000.2)

        XCTAssertEqual(first, databasePath + ".corrupt-1700000000")
        XCTAssertEqual(second, databasePath + ".corrupt-1700000000-2")
        XCTAssertEqual(try temporary.names(in: "state"), [
            "commitbridge.sqlite.corrupt-1700000000",
            "commitbridge.sqlite.corrupt-1700000000-2",
            "commitbridge.sqlite.corrupt-1700000000-wal",
        ])
        XCTAssertEqual(manager.contents(atPath: first), Data("one".utf8))
        XCTAssertEqual(manager.contents(atPath: second), Data("two".utf8))
        XCTAssertEqual(manager.contents(atPath: first + "-wal"), Data("log".utf8))
    }
}
