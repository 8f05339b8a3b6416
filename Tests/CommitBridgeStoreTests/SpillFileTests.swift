import CommitBridgeCore
@testable import CommitBridgeStore
import Foundation
import XCTest

/// The spill file: whole lines from writers appending at once, a private file, and a take-in that
/// queues every kept commit once and removes exactly what it queued.
final class SpillFileTests: XCTestCase {
    private var temporary: TemporaryDirectory!
    private var spill: SpillFile { SpillFile(path: temporary.appending("spill.jsonl")) }

    override func setUpWithError() throws {
        temporary = try TemporaryDirectory()
    }

    override func tearDown() {
        temporary = nil
    }

    func testKeptCommitsReadBackAsTheyWereWithAPrivateFile() throws {
        let first = QueuedCommit(sha: "a1", stories: [12, 9_007_199_254_740_993], body: #"{"message":"line\nnext \"quoted\" ü"}"#, enqueuedAt: 1_700_000_000.25)
        let second = Fixtures.commit("b2", stories: [3], at: 5)
        XCTAssertFalse(spill.isPending)
        try spill.append([first])
        try spill.append([second])
        XCTAssertTrue(spill.isPending)
        XCTAssertEqual(try Fixtures.mode(of: spill.path), 0o600)
        let (commits, warnings) = try spill.read()
        XCTAssertEqual(commits, [first, second])
        XCTAssertEqual(warnings, [])
        let lines = try String(contentsOfFile: spill.path, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        XCTAssertTrue(lines[0].contains(#""sha":"a1""#), String(lines[0]))
    }

    func testTakeInQueuesEachCommitOnceAndRemovesTheFile() throws {
        let store = try SQLiteDeliveryStore.open(directory: temporary.appending("state"))
        try store.enqueue([Fixtures.commit("already")])
        try spill.append([Fixtures.commit("already"), Fixtures.commit("new1")])
        try spill.append([Fixtures.commit("new2", stories: [2])])

        let result = try spill.takeIn(into: store)
        XCTAssertEqual(result.taken, 3)
        XCTAssertEqual(result.warnings, [])
        XCTAssertEqual(try store.queued().map(\.sha), ["already", "new1", "new2"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: spill.path))
        XCTAssertFalse(spill.isPending)
        XCTAssertEqual(try spill.takeIn(into: store).taken, 0)
        XCTAssertEqual(try store.queueCount(), 3)
    }

    func testAStoreThatCannotTakeThemLeavesTheFileAsItWas() throws {
        let store = try SQLiteDeliveryStore.open(directory: temporary.appending("state"))
        try spill.append([Fixtures.commit("kept")])
        let before = try Data(contentsOf: URL(fileURLWithPath: spill.path))
        try store.close()
        XCTAssertThrowsError(try spill.takeIn(into: store))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: spill.path)), before)

        let reopened = try SQLiteDeliveryStore.open(directory: temporary.appending("state"))
        XCTAssertEqual(try spill.takeIn(into: reopened).taken, 1)
        XCTAssertEqual(try reopened.queued().map(\.sha), ["kept"])
    }

    /// A writer that died in the middle of a line: the next one starts a fresh line, and taking in
    /// keeps every whole commit, with a warning for the broken line.
    func testABrokenLineCostsOnlyItself() throws {
        try spill.append([Fixtures.commit("before")])
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: spill.path))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"sha":"torn","stor"#.utf8))
        handle.closeFile()
        try spill.append([Fixtures.commit("after")])

        let (commits, warnings) = try spill.read()
        XCTAssertEqual(commits.map(\.sha), ["before", "after"])
        XCTAssertEqual(warnings.count, 1)
        XCTAssertTrue(warnings[0].contains("line 2"), warnings[0])
        let store = try SQLiteDeliveryStore.open(directory: temporary.appending("state"))
        XCTAssertEqual(try spill.takeIn(into: store).warnings.count, 1)
        XCTAssertEqual(try store.queued().map(\.sha), ["before", "after"])
        XCTAssertFalse(spill.isPending)
    }

    func testWritersAppendingAtOnceEachKeepWholeLines() throws {
        let writers = 4
        let perWriter = 40
        let failures = ConcurrentResults()
        let spill = self.spill
        DispatchQueue.concurrentPerform(iterations: writers) { writer in
            for index in 0..<perWriter {
                // A long body, so that one line is more than a page.
                let commit = QueuedCommit(sha: "w\(writer)-\(index)", stories: [Int64(writer)],
                                          body: String(repeating: "b\(writer)", count: 3_000), enqueuedAt: Double(index))
                do {
                    try spill.append([commit], lockWait: 30)
                } catch {
                    failures.add(error: error)
                }
            }
        }
        XCTAssertEqual(failures.errors, [])
        let (commits, warnings) = try spill.read()
        XCTAssertEqual(warnings, [])
        XCTAssertEqual(Set(commits.map(\.sha)).count, writers * perWriter)
        for commit in commits {
            XCTAssertEqual(commit.body, String(repeating: "b\(commit.stories[0])", count: 3_000))
        }
    }
}
