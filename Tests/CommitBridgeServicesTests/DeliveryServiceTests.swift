import CommitBridgeCore
@testable import CommitBridgeServices
import CommitBridgeStore
import Foundation
import TrackerClient
import XCTest

/// The order of a delivery pass's durable writes, seen from inside its POSTs: every attempt mark is
/// on disk before the first POST goes out, and every ledger row is on disk when the pass returns.
/// The API here is closures (the point is to look at the state database while a POST is in flight,
/// which a real server cannot do); the end-to-end tests run the same service against tracker-sim.
final class DeliveryServiceTests: XCTestCase {
    private func stateDirectory() -> String {
        let directory = NSTemporaryDirectory() + "commitbridge-delivery-" + UUID().uuidString
        addTeardownBlock { try? FileManager.default.removeItem(atPath: directory) }
        return directory
    }

    func testAttemptsAreDurableBeforeTheFirstPostAndRowsBeforeThePassReturns() async throws {
        let directory = stateDirectory()
        let store = try SQLiteDeliveryStore.open(directory: directory)
        let shas = (1...150).map { String(format: "%040x", $0) }
        try store.enqueue(shas.map { QueuedCommit(sha: $0, stories: [Int64($0.suffix(1), radix: 16)! % 3 + 1], body: $0, enqueuedAt: 1) })

        let attemptsSeen = AttemptLog()
        let api = TrackerAPI(
            postSourceCommit: { body, _ in
                // A second connection, as a process started after a crash would open it.
                let other = try SQLiteDeliveryStore.open(directory: directory)
                let queued = try other.queued()
                attemptsSeen.record(body, attempts: queued.first { $0.sha == body }?.attempts ?? -1,
                                    allMarked: queued.allSatisfy { $0.attempts == 1 })
                return .posted(response: "[]")
            },
            story: { id in .found(StoryRecord(id: id, projectID: 9, type: .feature, state: .started, name: "S\(id)", url: nil), commitIdentifiers: []) },
            commitIdentifiers: { _, _ in [] },
            me: { "tester" })
        let service = DeliveryService(store: store, api: api, cacheTimeToLive: 3_600)

        let report = try await service.deliverQueued()

        XCTAssertEqual(report.posted, 150)
        XCTAssertTrue(report.undelivered.isEmpty, "\(report.undelivered)")
        XCTAssertEqual(attemptsSeen.posts, 150)
        XCTAssertTrue(attemptsSeen.everyPostSawItsAttempt, "a POST went out before its attempt mark was on disk")
        XCTAssertTrue(attemptsSeen.firstPostSawAllMarked, "the first POST went out before every attempt was marked")
        let reopened = try SQLiteDeliveryStore.open(directory: directory)
        XCTAssertEqual(try reopened.ledgerCount(), 150, "every ledger row is on disk when the pass returns")
        XCTAssertEqual(try reopened.queued(), [])
    }
}

/// What the POSTs saw, from any thread.
private final class AttemptLog: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var posts = 0
    private(set) var everyPostSawItsAttempt = true
    private(set) var firstPostSawAllMarked = false

    func record(_ sha: String, attempts: Int, allMarked: Bool) {
        lock.lock()
        defer { lock.unlock() }
        if posts == 0 { firstPostSawAllMarked = allMarked }
        posts += 1
        if attempts != 1 { everyPostSawItsAttempt = false }
    }
}
