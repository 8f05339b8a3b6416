@testable import CommitBridgeServices
import CommitBridgeCore
import CommitBridgeStore
import Foundation
import TrackerClient
import XCTest

/// A delivery pass's ledger rows, written in groups as its posts finish, against a real SQLite file.
final class LedgerWriteTests: XCTestCase {
    /// The real store, seen through a counter of its transactions; a transaction holding the sha
    /// `refused` fails as a whole, as a store error would.
    final class CountingStore: DeliveryStore, @unchecked Sendable {
        let real: SQLiteDeliveryStore
        let refused: String?
        private let lock = NSLock()
        private(set) var transactions = 0

        init(_ real: SQLiteDeliveryStore, refusing refused: String? = nil) {
            self.real = real
            self.refused = refused
        }

        func perform(_ writes: [DeliveryWrite]) throws {
            lock.withLock { transactions += 1 }
            let refusedHere = writes.contains { write in
                switch write {
                case .attempt(let sha, _), .delivered(let sha, _, _, _, _): return sha == refused
                case .failed, .cachedStory: return false
                }
            }
            if refusedHere { throw NSError(domain: "test", code: 28, userInfo: [NSLocalizedDescriptionKey: "disk full"]) }
            try real.perform(writes)
        }

        func write(_ writes: [DeliveryWrite]) async throws { try perform(writes) }
        func queuedCommits() async throws -> [QueuedCommit] { try real.queued() }
        func deliveredSHAs(among shas: [String]) throws -> Set<String> { try real.deliveredSHAs(among: shas) }
        func ledgerCount() throws -> Int { try real.ledgerCount() }
        func recordDelivered(sha: String, stories: [Int64], outcome: DeliveryOutcome, response: String?, at time: Double) throws {
            try perform([.delivered(sha: sha, stories: stories, outcome: outcome, response: response, at: time)])
        }
        func enqueue(_ commits: [QueuedCommit]) throws -> Int { try real.enqueue(commits) }
        func queued() throws -> [QueuedCommit] { try real.queued() }
        func markAttempt(sha: String, at time: Double) throws { try perform([.attempt(sha: sha, at: time)]) }
        func recordFailure(sha: String, error: String) throws { try real.recordFailure(sha: sha, error: error) }
        func removeFromQueue(_ shas: [String]) throws { try real.removeFromQueue(shas) }
        func queueCount() throws -> Int { try real.queueCount() }
        func releaseForDelivery(_ shas: [String]) throws { try real.releaseForDelivery(shas) }
        func dropUnreachable(_ shas: [String]) throws { try real.dropUnreachable(shas) }
        func droppedUnreachableCount() throws -> Int { try real.droppedUnreachableCount() }
        func deliveredChanges(_ keys: [String]) throws -> [String: String] { try real.deliveredChanges(keys) }
        func ledgerEntry(_ sha: String) throws -> LedgerEntry? { try real.ledgerEntry(sha) }
        func oldestQueued() throws -> QueuedCommit? { try real.oldestQueued() }
        func lastError() throws -> String? { try real.lastError() }
        func cachedStory(_ id: Int64, maxAge: Double, now: Double) throws -> StoryLookup? {
            try real.cachedStory(id, maxAge: maxAge, now: now)
        }
        func storeStory(_ id: Int64, lookup: StoryLookup, at time: Double) throws { try real.storeStory(id, lookup: lookup, at: time) }
        func knownMissing(_ ids: [Int64], maxAge: Double, now: Double) throws -> Set<Int64> {
            try real.knownMissing(ids, maxAge: maxAge, now: now)
        }
        func cacheStatistics() throws -> CacheStatistics { try real.cacheStatistics() }
        func tracker() throws -> String? { try real.tracker() }
        func nameTracker(_ identity: String) throws { try real.nameTracker(identity) }
    }

    private func makeStore(commits: Int, refusing refused: String? = nil) throws -> (CountingStore, [String]) {
        let directory = NSTemporaryDirectory() + "commitbridge-ledger-" + UUID().uuidString
        addTeardownBlock { try? FileManager.default.removeItem(atPath: directory) }
        let store = CountingStore(try SQLiteDeliveryStore.open(directory: directory), refusing: refused)
        let shas = (0..<commits).map { String(format: "%040x", $0 + 1) }
        XCTAssertEqual(try store.enqueue(shas.map { QueuedCommit(sha: $0, stories: [7], body: "{}", enqueuedAt: 1) }), commits)
        return (store, shas)
    }

    /// An API that is never called: these tests write ledger rows only.
    private let idle = TrackerAPI(postSourceCommit: { _, _ in throw CancellationError() }, story: { _ in throw CancellationError() },
                                  commitIdentifiers: { _, _ in [] }, me: { "" })

    func testRowsLandInOneTransactionAWholeGroup() async throws {
        let (store, shas) = try makeStore(commits: 150)
        let service = DeliveryService(store: store, api: idle, cacheTimeToLive: 0)
        var report = DeliveryReport()
        report.posted = 150
        var rows = shas.map { DeliveryWrite.delivered(sha: $0, stories: [7], outcome: .posted, response: nil, at: 2) }
        await service.writeLedger(&rows, into: &report)
        XCTAssertTrue(rows.isEmpty)
        XCTAssertEqual(report.posted, 150)
        XCTAssertTrue(report.undelivered.isEmpty, "\(report.undelivered)")
        XCTAssertEqual(try store.real.ledgerCount(), 150)
        XCTAssertEqual(try store.real.queued(), [])
        XCTAssertEqual(store.transactions, 1, "one group, one transaction, not one a row")
    }

    func testARowThatCannotBeWrittenLeavesItsCommitUndeliveredAndTheOthersLand() async throws {
        let refused = String(format: "%040x", 3)
        let (store, shas) = try makeStore(commits: 10, refusing: refused)
        let service = DeliveryService(store: store, api: idle, cacheTimeToLive: 0)
        var report = DeliveryReport()
        report.posted = 10
        var rows = shas.map { DeliveryWrite.delivered(sha: $0, stories: [7], outcome: .posted, response: nil, at: 2) }
        await service.writeLedger(&rows, into: &report)
        XCTAssertEqual(report.posted, 9)
        XCTAssertEqual(Array(report.undelivered.keys), [refused])
        XCTAssertTrue(report.undelivered[refused]?.contains("the ledger could not record it") ?? false)
        XCTAssertEqual(try store.real.ledgerCount(), 9)
        XCTAssertEqual(try store.real.queued().map(\.sha), [refused])
        XCTAssertTrue(try store.real.lastError()?.contains("disk full") ?? false)
    }
}
