import CommitBridgeCore
@testable import CommitBridgeStore
import Foundation
import XCTest

/// Two stores on one file, as two commitbridge processes would have.
final class SharedFileTests: XCTestCase {
    private var temporary: TemporaryDirectory!

    override func setUpWithError() throws {
        temporary = try TemporaryDirectory()
    }

    override func tearDown() {
        temporary = nil
    }

    /// A hook's background run and a command can both be the first to open a state directory.
    /// Each must open it: none may fail creating the schema or switching to WAL, and none may take
    /// the half-made file for a damaged one.
    func testManyFirstOpensAtOnceAllSucceedWithoutWarnings() throws {
        for round in 0..<10 {
            let directory = temporary.appending("fresh-\(round)")
            let results = ConcurrentResults()
            DispatchQueue.concurrentPerform(iterations: 6) { _ in
                do {
                    let store = try SQLiteDeliveryStore.open(directory: directory)
                    for warning in store.openWarnings { results.add(error: StoreError(warning)) }
                    results.add(added: try store.queueCount() == 0 ? 1 : 0)
                } catch {
                    results.add(error: error)
                }
            }
            XCTAssertEqual(results.errors, [], "round \(round)")
            XCTAssertEqual(results.added, 6, "round \(round)")
            let files = try FileManager.default.contentsOfDirectory(atPath: directory)
            XCTAssertFalse(files.contains { $0.contains(".corrupt-") }, "\(files)")
        }
    }

    func testTwoStoresWriteAtOnceWithoutLockErrorsOrDuplicates() throws {
        let directory = temporary.appending("state")
        let stores = [try SQLiteDeliveryStore.open(directory: directory),
                      try SQLiteDeliveryStore.open(directory: directory)]
        let shas = (0..<80).map { String(format: "%040x", $0) }
        let results = ConcurrentResults()

        // Both stores walk the same commits at the same time: each enqueues every sha, counts an
        // attempt and a failure for it, and fills the cache, one transaction at a time.
        DispatchQueue.concurrentPerform(iterations: stores.count) { index in
            let store = stores[index]
            do {
                var added = 0
                for (offset, sha) in shas.enumerated() {
                    added += try store.enqueue([Fixtures.commit(sha)])
                    try store.markAttempt(sha: sha, at: Double(offset))
                    try store.recordFailure(sha: sha, error: "store \(index)")
                    _ = try store.cachedStory(Int64(offset), maxAge: 60, now: 0)
                    try store.storeStory(Int64(offset), lookup: .missing, at: 0)
                }
                results.add(added: added)
            } catch {
                results.add(error: error)
            }
        }

        XCTAssertEqual(results.errors, [])
        XCTAssertEqual(results.added, shas.count)
        let queued = try stores[0].queued()
        XCTAssertEqual(queued.count, shas.count)
        XCTAssertEqual(Set(queued.map(\.sha)), Set(shas))
        XCTAssertEqual(queued.map(\.attempts), Array(repeating: 2, count: shas.count))
        XCTAssertEqual(try stores[1].queueCount(), shas.count)
        let statistics = try stores[1].cacheStatistics()
        XCTAssertEqual(statistics.entries, shas.count)
        XCTAssertEqual(statistics.hits + statistics.misses, 2 * shas.count)
    }

    func testWhatOneStoreDeliversTheOtherDoesNotEnqueue() throws {
        let directory = temporary.appending("state")
        let first = try SQLiteDeliveryStore.open(directory: directory)
        let second = try SQLiteDeliveryStore.open(directory: directory)

        try first.enqueue([Fixtures.commit("aaa"), Fixtures.commit("bbb")])
        try second.recordDelivered(sha: "aaa", stories: [1], outcome: .posted, response: nil, at: 1)

        XCTAssertEqual(try first.queued().map(\.sha), ["bbb"])
        XCTAssertEqual(try first.enqueue([Fixtures.commit("aaa")]), 0)
        XCTAssertEqual(try second.deliveredSHAs(among: ["aaa", "bbb"]), ["aaa"])
    }
}
