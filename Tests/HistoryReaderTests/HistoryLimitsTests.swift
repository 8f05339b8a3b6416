import Foundation
import GitTestSupport
@testable import HistoryReader
import XCTest

/// `HistoryLimits` on a packed history with merges, with and without a commit-graph file: excluded
/// commits, `A...B`'s common ancestors and parentless commits give what `git rev-list --reverse
/// --date-order` gives (for parentless commits, git is told of them by a `shallow` file written by
/// hand, which it honours in any repository).
final class HistoryLimitsTests: XCTestCase {
    private var sandbox: GitSandbox!
    private var repo: String!

    /// Main has 200 commits; every 20 a side branch leaves main (20k+3), gets three commits between
    /// main's, and is merged back (20k+13). `other` leaves main at 150 with a few commits of its own.
    override func setUpWithError() throws {
        sandbox = try GitSandbox()
        repo = try sandbox.makeRepository("limits")
        var stream = ""
        var mark = 0
        func commit(_ ref: String, _ message: String, from: Int?, merge: Int? = nil) -> Int {
            mark += 1
            stream += "commit \(ref)\nmark :\(mark)\ncommitter C <c@example.com> \(1_600_000_000 + mark * 60) +0000\n"
            stream += "data \(message.utf8.count)\n\(message)"
            if let from { stream += "from :\(from)\n" }
            if let merge { stream += "merge :\(merge)\n" }
            stream += "\n"
            return mark
        }
        var main: Int?, side: Int?, other: Int?
        for number in 1...200 {
            main = commit("refs/heads/main", "Main \(number)", from: main, merge: number % 20 == 13 ? side : nil)
            if number % 20 == 3 { side = main }
            if [5, 7, 9].contains(number % 20) { side = commit("refs/heads/side", "Side \(number)", from: side) }
            if number == 150 { other = main }
            if number > 150 && number % 10 == 0 { other = commit("refs/heads/other", "Other \(number)", from: other) }
        }
        try sandbox.git(in: repo, ["fast-import", "--quiet"], input: Data(stream.utf8))
        try sandbox.git(in: repo, ["-c", "gc.writeCommitGraph=false", "gc", "-q"])
    }

    private var objects: String { repo + "/.git/objects" }

    private func id(_ revision: String) throws -> ObjectID {
        objectID(try sandbox.git(in: repo, ["rev-parse", revision]))
    }

    /// The walk's list, and a scan's on one and two readers, each compared with git's.
    private func assertMatchesGit(_ arguments: [String], tips: [String], excluded: [String] = [],
                                  symmetric: [(String, String)] = [], parentless: [String] = [],
                                  file: StaticString = #filePath, line: UInt = #line) throws {
        let expected = try sandbox.revList(in: repo, arguments)
        let limits = HistoryLimits(excluded: try excluded.map(id),
                                   commonAncestorsExcluded: try symmetric.map { (try id($0.0), try id($0.1)) },
                                   parentless: Set(try parentless.map(id)))
        let tipIDs = try tips.map(id)
        let history = PackedHistory(objectsDirectory: objects)
        let fallback = try RecordingFallback(repo: repo)
        XCTAssertEqual(try history.orderedCommits(from: tipIDs, limits: limits, fallback: fallback).map(\.hex), expected,
                       "orderedCommits \(arguments)", file: file, line: line)
        for readers in [1, 2] {
            var scanned: [String] = []
            try history.scan(from: tipIDs, limits: limits, readers: readers, threadedFrom: 0, fallback: fallback,
                             mustRead: { _, message in message.contains(UInt8(ascii: "3")) },
                             unread: { sha, _ in sha }, transform: { $0.sha }) { scanned.append($0) }
            XCTAssertEqual(scanned, expected, "scan \(arguments), \(readers) readers", file: file, line: line)
        }
    }

    private func assertAllCases(file: StaticString = #filePath, line: UInt = #line) throws {
        try assertMatchesGit(["main"], tips: ["main"], file: file, line: line)
        try assertMatchesGit(["main~10..main"], tips: ["main"], excluded: ["main~10"], file: file, line: line)
        try assertMatchesGit(["side..main"], tips: ["main"], excluded: ["side"], file: file, line: line)
        try assertMatchesGit(["main..side"], tips: ["side"], excluded: ["main"], file: file, line: line)
        try assertMatchesGit(["main", "other", "^main~47", "^side~2"], tips: ["main", "other"], excluded: ["main~47", "side~2"],
                             file: file, line: line)
        try assertMatchesGit(["other...main"], tips: ["other", "main"], symmetric: [("other", "main")], file: file, line: line)
        try assertMatchesGit(["side...other"], tips: ["side", "other"], symmetric: [("side", "other")], file: file, line: line)
        try assertMatchesGit(["main", "^main"], tips: ["main"], excluded: ["main"], file: file, line: line)
    }

    func testExcludedCommitsAndCommonAncestorsMatchGitWithAndWithoutACommitGraph() throws {
        try assertAllCases()
        try sandbox.git(in: repo, ["commit-graph", "write", "--reachable"])
        XCTAssertTrue(PackedHistory.hasCommitGraph(objectsDirectory: objects))
        try assertAllCases()
    }

    func testParentlessCommitsAreWalkedAsGitWalksAShallowFile() throws {
        // An edge on main's line (a side branch merged above it still reaches below it), a merge, and
        // a side commit; resolved before git is told of them, since `~` stops at the edge too.
        let names = ["main", "side", "other", "main~10", "main~30", "main~31", "main~47", "side~1", "side~3", "main~60"]
        var sha: [String: String] = [:]
        for name in names { sha[name] = try sandbox.git(in: repo, ["rev-parse", name]) }
        XCTAssertEqual(try sandbox.git(in: repo, ["rev-list", "--no-walk", "--merges", sha["main~47"]!]), sha["main~47"]!,
                       "main~47 is a merge")
        let edge = ["main~30", "main~47", "side~1"].map { sha[$0]! }
        let limits: [(arguments: [String], tips: [String], excluded: [String], symmetric: [(String, String)])] = [
            (["main"], ["main"], [], []),
            (["side"], ["side"], [], []),
            (["main", "other"], ["main", "other"], [], []),
            (["^main~10", "main"], ["main"], ["main~10"], []),
            (["^main~31", "main"], ["main"], ["main~31"], []),
            (["^main~60", "main", "side"], ["main", "side"], ["main~60"], []),
            (["^side~3", "main"], ["main"], ["side~3"], []),
            (["other...main"], ["other", "main"], [], [("other", "main")]),
            (["side...main~31"], ["side", "main~31"], [], [("side", "main~31")]),
        ]
        for withGraph in [false, true] {
            try? FileManager.default.removeItem(atPath: repo + "/.git/shallow")
            if withGraph {
                try sandbox.git(in: repo, ["commit-graph", "write", "--reachable"])
                XCTAssertTrue(PackedHistory.hasCommitGraph(objectsDirectory: objects))
            }
            try Data(edge.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: repo + "/.git/shallow"))
            for (arguments, tips, excluded, symmetric) in limits {
                func resolved(_ text: String) -> String {
                    text.split(separator: ".", omittingEmptySubsequences: false).map { part in
                        let plain = part.hasPrefix("^") ? String(part.dropFirst()) : String(part)
                        guard let full = sha[plain] else { return String(part) }
                        return (part.hasPrefix("^") ? "^" : "") + full
                    }.joined(separator: ".")
                }
                try assertMatchesGit(arguments.map(resolved), tips: tips.map { sha[$0]! }, excluded: excluded.map { sha[$0]! },
                                     symmetric: symmetric.map { (sha[$0.0]!, sha[$0.1]!) }, parentless: edge)
            }
        }
    }

    func testAParentlessCommitStillReportsItsRecordedParentCount() throws {
        let merge = try sandbox.git(in: repo, ["rev-parse", "main~47"])
        let fallback = try RecordingFallback(repo: repo)
        let walked = try CompactHistoryWalk.walk(tips: [objectID(merge)], limits: HistoryLimits(parentless: [objectID(merge)]),
                                                 fallback: fallback, packs: PackDirectory(objectsDirectory: objects))
        XCTAssertEqual(walked.order.map { walked.ids[Int($0)].hex }, [merge])
        XCTAssertEqual(walked.parentCounts[Int(walked.order[0])], 2)
    }
}
