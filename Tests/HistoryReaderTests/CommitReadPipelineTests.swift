import Foundation
import GitKit
@testable import HistoryReader
import GitTestSupport
import XCTest

/// `CommitReadPipeline` hands batches back in order from its own reader threads, passes a reading
/// error on at the batch that met it, and lets its threads go when stopped early.
final class CommitReadPipelineTests: XCTestCase {
    /// A repository of `count` commits, with their ids oldest first.
    private func makeRepository(_ sandbox: GitSandbox, count: Int) throws -> (String, [ObjectID]) {
        let repo = try sandbox.makeRepository("pipeline")
        try sandbox.importLinearHistory(in: repo, count: count, message: { "Commit \($0)\n" })
        let ids = try sandbox.revList(in: repo, ["main"]).map(objectID)
        return (repo, ids)
    }

    /// Reads from the packs, and through the fallback what they do not hold.
    private func reader(_ repo: String, readers: Int) throws -> ParallelCommitReader<String> {
        ParallelCommitReader(fallback: try RecordingFallback(repo: repo), readers: readers, transform: { $0.message },
                             packs: PackDirectory(objectsDirectory: repo + "/.git/objects"))
    }

    func testBatchesComeBackInOrderFromEveryReader() throws {
        let sandbox = try GitSandbox()
        let (repo, ids) = try makeRepository(sandbox, count: 300)
        for readers in [1, 2, 3] {
            // 30 batches of 10, far more than the look-ahead, so readers wait for the caller many times.
            let pipeline = CommitReadPipeline(reader: try reader(repo, readers: readers), batchCount: 30) { batch in
                Array(ids[(batch * 10)..<((batch + 1) * 10)])
            }
            var messages: [String] = []
            for _ in 0..<30 { messages += try pipeline.next() }
            pipeline.stop()
            XCTAssertEqual(messages, (1...300).map { "Commit \($0)\n" }, "\(readers) readers")
        }
    }

    func testAReadingErrorIsThrownAtItsBatchAndEarlierBatchesArrive() throws {
        let sandbox = try GitSandbox()
        let (repo, ids) = try makeRepository(sandbox, count: 60)
        let missing = objectID(String(repeating: "ab", count: 20))
        let pipeline = CommitReadPipeline(reader: try reader(repo, readers: 2), batchCount: 6) { batch in
            var slice = Array(ids[(batch * 10)..<((batch + 1) * 10)])
            if batch == 3 { slice[4] = missing }
            return slice
        }
        defer { pipeline.stop() }
        for batch in 0..<3 {
            XCTAssertEqual(try pipeline.next().first, "Commit \(batch * 10 + 1)\n")
        }
        XCTAssertThrowsError(try pipeline.next()) { error in
            XCTAssertTrue("\(error)".contains(String(repeating: "ab", count: 20)), "\(error)")
        }
    }

    func testStoppingEarlyLetsTheReadersGo() throws {
        let sandbox = try GitSandbox()
        let (repo, ids) = try makeRepository(sandbox, count: 200)
        let pipeline = CommitReadPipeline(reader: try reader(repo, readers: 2), batchCount: 20) { batch in
            Array(ids[(batch * 10)..<((batch + 1) * 10)])
        }
        XCTAssertEqual(try pipeline.next().count, 10)
        // Readers are waiting for room (look-ahead 4 of 20 batches); stop must not wait for all 20.
        let stopped = expectation(description: "stop returns")
        DispatchQueue.global().async {
            pipeline.stop()
            stopped.fulfill()
        }
        wait(for: [stopped], timeout: 30)
    }
}
