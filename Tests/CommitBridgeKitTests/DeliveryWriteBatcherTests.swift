@testable import CommitBridgeKit
import CommitBridgeCore
import CommitBridgeStore
import Foundation
import XCTest

/// Group commit of attempt marks and ledger rows, against a real SQLite file.
final class DeliveryWriteBatcherTests: XCTestCase {
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
            lock.lock()
            transactions += 1
            lock.unlock()
            let refusedHere = writes.contains { write in
                switch write {
                case .attempt(let sha, _), .delivered(let sha, _, _, _, _): return sha == refused
                case .cachedStory: return false
                }
            }
            if refusedHere { throw NSError(domain: "test", code: 28, userInfo: [NSLocalizedDescriptionKey: "disk full"]) }
            try real.perform(writes)
        }

        func deliveredSHAs(among shas: [String]) throws -> Set<String> { try real.deliveredSHAs(among: shas) }
        func ledgerCount() throws -> Int { try real.ledgerCount() }
        func recordDelivered(sha: String, stories: [Int64], outcome: DeliveryOutcome, response: String?, at time: Double) throws {
            try perform([.delivered(sha: sha, stories: stories, outcome: outcome, response: response, at: time)])
        }
        func enqueue(_ commits: [QueuedCommit]) throws -> Int { try real.enqueue(commits) }
        func queued() throws -> [QueuedCommit] { try real.queued() }
        func markAttempt(sha: String, at time: Double) throws { try perform([.attempt(sha: sha, at: time)]) }
        func recordFailure(sha: String, error: String) throws { try real.recordFailure(sha: sha, error: error) }
        func cachedStory(_ id: Int64, maxAge: Double, now: Double) throws -> StoryLookup? {
            try real.cachedStory(id, maxAge: maxAge, now: now)
        }
        func storeStory(_ id: Int64, lookup: StoryLookup, at time: Double) throws { try real.storeStory(id, lookup: lookup, at: time) }
        func knownMissing(_ ids: [Int64], maxAge: Double, now: Double) throws -> Set<Int64> {
            try real.knownMissing(ids, maxAge: maxAge, now: now)
        }
        func cacheStatistics() throws -> CacheStatistics { try real.cacheStatistics() }
    }

    private func makeStore(commits: Int, refusing refused: String? = nil) throws -> (CountingStore, [String]) {
        let directory = NSTemporaryDirectory() + "commitbridge-batcher-" + UUID().uuidString
        addTeardownBlock { try? FileManager.default.removeItem(atPath: directory) }
        let store = CountingStore(try SQLiteDeliveryStore.open(directory: directory), refusing: refused)
        let shas = (0..<commits).map { String(format: "%040x", $0 + 1) }
        XCTAssertEqual(try store.enqueue(shas.map { QueuedCommit(sha: $0, stories: [7], body: "{}", enqueuedAt: 1) }), commits)
        return (store, shas)
    }

    func testLaterWritesLandInGroupsAndAllByFinish() async throws {
        let (store, shas) = try makeStore(commits: 150)
        let batcher = DeliveryWriteBatcher(store: store, laterBatch: 64)
        for sha in shas {
            batcher.performLater(.delivered(sha: sha, stories: [7], outcome: .posted, response: nil, at: 2))
        }
        let failures = await batcher.finish()
        XCTAssertTrue(failures.isEmpty, "\(failures)")
        XCTAssertEqual(try store.real.ledgerCount(), 150)
        XCTAssertEqual(try store.real.queued(), [])
        XCTAssertLessThanOrEqual(store.transactions, 4, "150 rows in groups of 64 at least, not one by one")
        let again = await batcher.finish()
        XCTAssertTrue(again.isEmpty, "finish with nothing waiting returns at once")
    }

    func testALaterWriteThatFailsIsReturnedByFinishAndTheOthersLand() async throws {
        let refused = String(format: "%040x", 3)
        let (store, shas) = try makeStore(commits: 10, refusing: refused)
        let batcher = DeliveryWriteBatcher(store: store, laterBatch: 4)
        for sha in shas {
            batcher.performLater(.delivered(sha: sha, stories: [7], outcome: .posted, response: nil, at: 2))
        }
        let failures = await batcher.finish()
        XCTAssertEqual(failures.count, 1)
        if case .delivered(let sha, _, _, _, _)? = failures.first?.write { XCTAssertEqual(sha, refused) } else { XCTFail("\(failures)") }
        XCTAssertEqual(try store.real.ledgerCount(), 9)
        XCTAssertEqual(try store.real.queued().map(\.sha), [refused])
    }
}
