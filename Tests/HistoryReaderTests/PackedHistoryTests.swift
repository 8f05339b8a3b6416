import Foundation
import GitTestSupport
import HistoryReader
import XCTest

/// `PackedHistory`'s public interface on real repositories: commits packed by `git gc`, a commit-graph
/// file from `git commit-graph write --reachable`, and loose commits made afterwards, which only the
/// fallback can read.
final class PackedHistoryTests: XCTestCase {
    private var sandbox: GitSandbox!
    private var repo: String!
    /// The commits made after `git gc`, still loose.
    private var loose: Set<ObjectID> = []

    override func setUpWithError() throws {
        sandbox = try GitSandbox()
        repo = try sandbox.makeRepository("packed-history")
        for number in 1...40 {
            try sandbox.commit(in: repo, number % 4 == 0 ? "Packed \(number) [#\(number)]" : "Packed \(number)")
        }
        try sandbox.git(in: repo, ["checkout", "-q", "-b", "side", "main~10"])
        try sandbox.commit(in: repo, "Side [#7]")
        try sandbox.git(in: repo, ["checkout", "-q", "main"])
        try sandbox.git(in: repo, ["merge", "-q", "--no-ff", "-m", "Merge side", "side"])
        // Small, similar commits would be stored as deltas, which are the fallback's to read; and the
        // commit-graph file is written by the tests that want one.
        try sandbox.git(in: repo, ["-c", "pack.window=0", "-c", "gc.writeCommitGraph=false", "gc", "-q"])
        for number in 1...3 {
            loose.insert(objectID(try sandbox.commit(in: repo, "Loose \(number) [#\(number)]")))
        }
    }

    private var objects: String { repo + "/.git/objects" }

    private func tip() throws -> ObjectID { objectID(try sandbox.git(in: repo, ["rev-parse", "main"])) }

    /// What a scan should give: tagged commits read, the others not.
    private func expectedScan() throws -> [String] {
        try sandbox.revList(in: repo, ["main"]).map { sha in
            let message = try sandbox.git(in: repo, ["log", "-1", "--format=%B", sha])
            let parents = try sandbox.git(in: repo, ["log", "-1", "--format=%P", sha]).split(separator: " ").count
            return message.contains("#") ? "read \(sha) \(message)" : "unread \(sha) \(parents)"
        }
    }

    private func scan(_ history: PackedHistory, readers: Int, fallback: RecordingFallback) throws -> [String] {
        var seen: [String] = []
        try history.scan(from: [try tip()], readers: readers, threadedFrom: 0, fallback: fallback,
                         mustRead: { _, message in message.contains(UInt8(ascii: "#")) },
                         unread: { "unread \($0) \($1)" },
                         transform: { commit in
                             var message = commit.message
                             while message.hasSuffix("\n") { message.removeLast() }
                             return "read \(commit.sha) \(message)"
                         }) { seen.append($0) }
        return seen
    }

    func testTheWalkListsLooseCommitsThroughTheFallbackAndMatchesGit() throws {
        XCTAssertTrue(loose.allSatisfy { FileManager.default.fileExists(atPath: objects + "/" + $0.hex.prefix(2) + "/" + $0.hex.dropFirst(2)) })
        let fallback = try RecordingFallback(repo: repo)
        let ordered = try PackedHistory(objectsDirectory: objects).orderedCommits(from: [try tip()], fallback: fallback)
        XCTAssertEqual(ordered.map(\.hex), try sandbox.revList(in: repo, ["main"]))
        // The packed commits were read from the pack, the loose ones (and only those) through the fallback.
        XCTAssertEqual(fallback.rawReads, loose)
        XCTAssertEqual(fallback.commitReads, [])
    }

    func testScanWithAndWithoutACommitGraphAsksTheFallbackOnlyForLooseCommits() throws {
        let expected = try expectedScan()
        XCTAssertEqual(expected.filter { $0.hasPrefix("read") }.count, 10 + 1 + 3)
        XCTAssertFalse(PackedHistory.hasCommitGraph(objectsDirectory: objects))
        for readers in [1, 2] {
            let fallback = try RecordingFallback(repo: repo)
            XCTAssertEqual(try scan(PackedHistory(objectsDirectory: objects), readers: readers, fallback: fallback), expected)
            XCTAssertEqual(fallback.rawReads, loose, "\(readers) readers")
            if readers == 1 {
                // One reader reads the tagged commits again through the fallback, packed or not.
                XCTAssertEqual(fallback.commitReads.count, 14)
            } else {
                // Bytes the walk kept are not read again, whoever read them.
                XCTAssertTrue(fallback.commitReads.isSubset(of: loose))
            }
        }

        // The graph holds every commit but the loose ones, which the walk reads through the fallback.
        try sandbox.git(in: repo, ["commit-graph", "write", "--reachable"])
        for number in 4...5 {
            loose.insert(objectID(try sandbox.commit(in: repo, "Loose \(number)")))
        }
        XCTAssertTrue(PackedHistory.hasCommitGraph(objectsDirectory: objects))
        let withGraph = try expectedScan()
        let fallback = try RecordingFallback(repo: repo)
        XCTAssertEqual(try scan(PackedHistory(objectsDirectory: objects), readers: 2, fallback: fallback), withGraph)
        XCTAssertTrue(fallback.rawReads.isSubset(of: loose))
        XCTAssertTrue(fallback.commitReads.isSubset(of: loose))
    }

    func testReadingOnThreadsGivesEveryCommitInOrder() throws {
        let ids = try sandbox.revList(in: repo, ["main"]).map(objectID)
        let fallback = try RecordingFallback(repo: repo)
        var read: [String] = []
        try PackedHistory(objectsDirectory: objects).read(ids, readers: 2, fallback: fallback, transform: { $0.sha }) {
            read.append($0)
        }
        XCTAssertEqual(read, ids.map(\.hex))
        XCTAssertEqual(fallback.commitReads, loose)
    }

    func testRawCommitReadsPackedCommitsOnly() throws {
        let history = PackedHistory(objectsDirectory: objects)
        let packed = try sandbox.git(in: repo, ["rev-parse", "main~3"])
        XCTAssertEqual(history.rawCommit(objectID(packed)), rawCommits(in: repo, [packed])[packed])
        for id in loose {
            XCTAssertNil(history.rawCommit(id), "loose commits are the fallback's")
        }
    }

    func testAnErrorFromTheFallbackStopsTheScan() throws {
        let fallback = try RecordingFallback(repo: repo)
        let refused = try XCTUnwrap(loose.first)
        fallback.refusing = [refused]
        XCTAssertThrowsError(try scan(PackedHistory(objectsDirectory: objects), readers: 2, fallback: fallback)) { error in
            XCTAssertEqual(error as? RecordingFallback.Refused, RecordingFallback.Refused(sha: refused.hex))
        }
    }

    func testAMalformedParentLineIsReportedAsLibgit2WouldReportIt() throws {
        let tree = try sandbox.git(in: repo, ["rev-parse", "main^{tree}"])
        let text = "tree \(tree)\nparent zz\nauthor A <a@example.com> 1 +0000\ncommitter C <c@example.com> 2 +0000\n\nBad\n"
        let bad = try sandbox.git(in: repo, ["hash-object", "--literally", "-t", "commit", "-w", "--stdin"], input: Data(text.utf8))
        XCTAssertThrowsError(try PackedHistory(objectsDirectory: objects)
            .orderedCommits(from: [objectID(bad)], fallback: RecordingFallback(repo: repo))) { error in
            XCTAssertEqual(error as? HistoryReaderError,
                           HistoryReaderError(summary: "commit \(bad) has a malformed parent line",
                                              detail: "unable to parse OID - contains invalid characters"))
        }
    }

    func testObjectIDsReadAndWriteHex() {
        let hex = "0123456789abcdef0123456789ABCDEF01234567"
        XCTAssertEqual(ObjectID(hex: hex)?.hex, hex.lowercased())
        XCTAssertNil(ObjectID(hex: String(hex.dropLast())))
        XCTAssertNil(ObjectID(hex: String(hex.dropLast()) + "g"))
        XCTAssertEqual(MemoryLayout<ObjectID>.stride, 20, "20 bytes an id in the walk's lists")
        XCTAssertNotEqual(ObjectID(hex: hex), ObjectID(hex: String(hex.dropLast()) + "8"))
    }
}
