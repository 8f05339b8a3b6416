import CommitBridgeCore
import Foundation
@testable import GitKit
import GitTestSupport
import XCTest

/// Shallow clones made with git over `file://` from a bare "server" of a few hundred commits with
/// merges: every entry point must give what `git rev-list --reverse --date-order` gives in the clone
/// (the commits of its `shallow` file have no parents), and a range that needs history the clone
/// lacks must fail in one line that says how to fetch more.
final class ShallowCloneTests: XCTestCase {
    private var sandbox: GitSandbox!
    private var server: String!
    /// The server's commits by number on main (1 is the root), for ranges beyond a clone's edge.
    private var mainCommits: [Int: String] = [:]
    private var nextMark = 0
    private var nextTime = 1_600_000_000

    /// Main gets `count` commits; every 30, a topic branch leaves main (commit 30k+10), gets two
    /// commits while main goes on, and is merged back (commit 30k+20). `release` leaves main at 280
    /// with three commits of its own; `merge-290` tags the merge that is main's commit 290.
    override func setUpWithError() throws {
        sandbox = try GitSandbox()
        server = sandbox.path("server.git")
        try FileManager.default.createDirectory(atPath: server, withIntermediateDirectories: true)
        try sandbox.git(in: server, ["init", "-q", "--bare", "-b", "main"])
        var stream = ""
        var mainTip: Int?
        var topicTip: Int?
        var releaseTip: Int?
        for number in 1...300 {
            let merge = number % 30 == 20 ? topicTip : nil
            let mark = commit(&stream, ref: "refs/heads/main", message: merge == nil ? "Main \(number)" : "Merge topic into main \(number)",
                              from: mainTip, merge: merge)
            mainTip = mark
            mainCommits[number] = ":\(mark)"
            if number % 30 == 10 { topicTip = mark }
            if number % 30 == 12 || number % 30 == 15 {
                topicTip = commit(&stream, ref: "refs/heads/topic", message: "Topic after \(number)", from: topicTip)
            }
            if number == 280 { releaseTip = mark }
            if number > 280 && number % 5 == 1 {
                releaseTip = commit(&stream, ref: "refs/heads/release", message: "Release fix after \(number)", from: releaseTip)
            }
        }
        try sandbox.git(in: server, ["fast-import", "--quiet", "--export-marks=" + sandbox.path("marks")], input: Data(stream.utf8))
        let marks = try String(contentsOfFile: sandbox.path("marks"), encoding: .utf8)
        var shaOfMark: [String: String] = [:]
        for line in marks.split(separator: "\n") {
            let parts = line.split(separator: " ")
            shaOfMark[String(parts[0])] = String(parts[1])
        }
        mainCommits = mainCommits.mapValues { shaOfMark[$0]! }
        try sandbox.git(in: server, ["tag", "merge-290", mainCommits[290]!])
    }

    override func tearDown() {
        sandbox = nil
    }

    /// Appends one commit to the fast-import stream and returns its mark; committer times increase.
    @discardableResult
    private func commit(_ stream: inout String, ref: String, message: String, from: Int?, merge: Int? = nil) -> Int {
        nextMark += 1
        nextTime += 60
        stream += "commit \(ref)\nmark :\(nextMark)\n"
        stream += "committer Cid Committer <cid@example.com> \(nextTime) +0000\n"
        stream += "data \(message.utf8.count)\n\(message)"
        if let from { stream += "from :\(from)\n" }
        if let merge { stream += "merge :\(merge)\n" }
        stream += "\n"
        return nextMark
    }

    /// Adds `count` commits to the server's main, as a push would.
    private func pushToServer(_ count: Int) throws {
        var stream = ""
        for number in 1...count {
            nextTime += 60
            let message = "Pushed \(number)"
            stream += "commit refs/heads/main\ncommitter Cid Committer <cid@example.com> \(nextTime) +0000\n"
            stream += "data \(message.utf8.count)\n\(message)"
            if number == 1 { stream += "from refs/heads/main^0\n" }
            stream += "\n"
        }
        try sandbox.git(in: server, ["fast-import", "--quiet"], input: Data(stream.utf8))
    }

    /// `git clone -q <extra> file://<server> <name>`; `--depth` needs the `file://` URL.
    private func clone(_ name: String, _ extra: [String]) throws -> String {
        let directory = sandbox.path(name)
        try sandbox.git(in: sandbox.root.path, ["clone", "-q"] + extra + ["file://" + server, directory])
        return directory
    }

    private func git(_ clone: String, _ arguments: String...) throws -> String {
        try sandbox.git(in: clone, arguments)
    }

    /// Every entry point over `arguments` in `clone`, compared with git's list; when git refuses the
    /// range, every entry point must refuse it with a one-line `revisionNotFound` error that mentions
    /// the shallow clone and how to deepen it. Returns git's list (nil when git refused).
    @discardableResult
    private func assertMatchesGit(_ clone: String, _ arguments: [String],
                                  file: StaticString = #filePath, line: UInt = #line) throws -> [String]? {
        let expected = try? sandbox.revList(in: clone, arguments)
        let repository = try Repository.discover(at: clone)
        var results: [(String, () throws -> [String])] = [
            ("revisionList", { try repository.revisionList(arguments) }),
            ("walk", {
                var shas: [String] = []
                try repository.walk(arguments) { shas.append($0.sha) }
                return shas
            }),
        ]
        for readers in [1, 2] {
            results.append(("walk(readers: \(readers))", {
                var shas: [String] = []
                try repository.walk(arguments, readers: readers, threadedFrom: 0, transform: { $0.sha }) { shas.append($0) }
                return shas
            }))
            results.append(("scan(readers: \(readers))", {
                var shas: [String] = []
                try repository.scan(arguments, readers: readers, threadedFrom: 0,
                                    mustRead: { _, message in message.contains(UInt8(ascii: "7")) },
                                    unread: { sha, _ in sha }, transform: { $0.sha }) { shas.append($0) }
                return shas
            }))
        }
        for (name, run) in results {
            if let expected {
                XCTAssertEqual(try run(), expected, "\(name) \(arguments)", file: file, line: line)
            } else {
                XCTAssertThrowsError(try run(), "\(name) \(arguments): git refuses the range", file: file, line: line) { error in
                    assertShallowRevisionError(error, file: file, line: line)
                }
            }
        }
        return expected
    }

    private func assertShallowRevisionError(_ error: Error, mentioning text: String? = nil,
                                            file: StaticString = #filePath, line: UInt = #line) {
        guard let error = error as? GitError else { return XCTFail("not a GitError: \(error)", file: file, line: line) }
        XCTAssertEqual(error.kind, .revisionNotFound, error.summary, file: file, line: line)
        XCTAssertTrue(error.summary.contains("shallow clone"), error.summary, file: file, line: line)
        XCTAssertTrue(error.summary.contains("git fetch --deepen=<n>"), error.summary, file: file, line: line)
        XCTAssertTrue(error.summary.contains("git fetch --unshallow"), error.summary, file: file, line: line)
        XCTAssertFalse(error.summary.contains("\n"), error.summary, file: file, line: line)
        if let text { XCTAssertTrue(error.summary.contains(text), error.summary, file: file, line: line) }
    }

    /// The ranges of the brief for one clone, with merges found in the clone itself.
    private func assertCommonRanges(_ clone: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let head = try git(clone, "rev-parse", "HEAD")
        for arguments in [["HEAD"], ["HEAD~1..HEAD"], ["HEAD~2..HEAD"], ["^HEAD~2", "HEAD"], ["HEAD~1"], ["HEAD", "^HEAD"]] {
            try assertMatchesGit(clone, arguments, file: file, line: line)
        }
        if let third = try? git(clone, "rev-parse", "HEAD~2") {
            try assertMatchesGit(clone, ["^" + third, head], file: file, line: line)
        }
        let merges = try git(clone, "rev-list", "--merges", "HEAD").split(separator: "\n").map(String.init)
        for merge in merges.prefix(3) {
            try assertMatchesGit(clone, ["\(merge)^1..\(merge)"], file: file, line: line)
            try assertMatchesGit(clone, ["\(merge)..HEAD"], file: file, line: line)
            try assertMatchesGit(clone, ["\(merge)^2..HEAD"], file: file, line: line)
            try assertMatchesGit(clone, ["\(merge)^1...\(merge)^2"], file: file, line: line)
        }
        // The server's root commit is beyond every edge here.
        let root = mainCommits[1]!
        let repository = try Repository.discover(at: clone)
        XCTAssertFalse(repository.hasCommit(root), file: file, line: line)
        for arguments in [["\(root)..HEAD"], ["^\(root)", "HEAD"], [root], ["\(root)...HEAD"]] {
            XCTAssertNil(try? sandbox.revList(in: clone, arguments), "git refuses \(arguments)", file: file, line: line)
            XCTAssertThrowsError(try repository.revisionList(arguments), file: file, line: line) { error in
                assertShallowRevisionError(error, mentioning: "commit \(root) is not in this shallow clone", file: file, line: line)
            }
            XCTAssertThrowsError(try repository.scan(arguments, readers: 2, mustRead: { _, _ in true }, unread: { sha, _ in sha },
                                                     transform: { $0.sha }) { _ in }, file: file, line: line) { error in
                assertShallowRevisionError(error, mentioning: "not in this shallow clone", file: file, line: line)
            }
        }
    }

    func testDepthOneThreeAndTwentyMatchGitForEveryEntryPoint() throws {
        for depth in [1, 3, 20] {
            let clone = try clone("depth-\(depth)", ["--depth", "\(depth)"])
            let repository = try Repository.discover(at: clone)
            XCTAssertTrue(repository.isShallow)
            let edge = try String(contentsOfFile: clone + "/.git/shallow", encoding: .utf8).split(separator: "\n").map(String.init)
            XCTAssertEqual(repository.shallowCommits, edge)
            XCTAssertEqual(try assertMatchesGit(clone, ["HEAD"])?.count, Int(try git(clone, "rev-list", "--count", "HEAD")))
            try assertCommonRanges(clone)
            XCTAssertEqual(try repository.revisionList(["HEAD"]), try sandbox.revList(in: clone, ["HEAD"]))
            XCTAssertGreaterThan(repository.shallowWalkCount, 0)
        }
    }

    func testTheWalkStopsAtTheEdgeEvenWhereTheEdgeCommitsParentIsInTheClone() throws {
        // At depth 20 from main's commit 300, commit 281 is the edge on main's first-parent line, but
        // its parent 280 is in the clone through the topic branch merged at 290 (depth 14 that way).
        let clone = try clone("depth-20", ["--depth", "20"])
        let repository = try Repository.discover(at: clone)
        XCTAssertTrue(repository.shallowCommits.contains(mainCommits[281]!), "\(repository.shallowCommits)")
        XCTAssertTrue(repository.hasCommit(mainCommits[280]!))
        let listed = try XCTUnwrap(assertMatchesGit(clone, ["HEAD"]))
        XCTAssertTrue(listed.contains(mainCommits[281]!) && listed.contains(mainCommits[280]!))
        // git does not go from 281 to 280 (281 has no parents here), nor does `HEAD~20`.
        try assertMatchesGit(clone, ["HEAD~20"])
        try assertMatchesGit(clone, ["HEAD~19^1..HEAD"])
        try assertMatchesGit(clone, ["HEAD~19"])
        try assertMatchesGit(clone, ["\(mainCommits[280]!)..HEAD"])
        try assertMatchesGit(clone, ["\(mainCommits[281]!)..HEAD"])
        try assertMatchesGit(clone, ["^\(mainCommits[283]!)", "HEAD"])
    }

    func testAllBranchesOfAShallowCloneAndSymmetricRanges() throws {
        let clone = try clone("branches", ["--depth", "12", "--no-single-branch"])
        for arguments in [["origin/release"], ["origin/topic"], ["origin/release...origin/main"], ["origin/main...origin/release"],
                          ["origin/topic...origin/main"], ["origin/release..origin/main"], ["origin/main", "^origin/release"],
                          ["origin/main", "origin/release", "^origin/topic"], ["origin/topic...origin/release"]] {
            try assertMatchesGit(clone, arguments)
        }
    }

    func testAShallowCloneWhoseEdgeIsAMerge() throws {
        // Depth 11 from commit 300 ends at 290, the merge; a clone of the merge's tag is the merge alone.
        let deep = try clone("edge-merge", ["--depth", "11"])
        let repository = try Repository.discover(at: deep)
        XCTAssertEqual(repository.shallowCommits, [mainCommits[290]!])
        try assertMatchesGit(deep, ["HEAD"])
        try assertCommonRanges(deep)
        let single = try clone("merge-alone", ["--depth", "1", "--branch", "merge-290"])
        XCTAssertEqual(try assertMatchesGit(single, ["HEAD"]), [mainCommits[290]!])
        // The commit keeps the parent count its object records: a merge stays a merge for planning,
        // however deep the clone.
        let alone = try Repository.discover(at: single)
        XCTAssertEqual(try alone.commit("HEAD").parentCount, 2)
        var counts: [Int] = []
        for readers in [1, 2] {
            try alone.scan(["HEAD"], readers: readers, threadedFrom: 0, mustRead: { _, _ in false },
                           unread: { _, parents in parents }, transform: { $0.parentCount }) { counts.append($0) }
            try alone.scan(["HEAD"], readers: readers, threadedFrom: 0, mustRead: { _, _ in true },
                           unread: { _, parents in parents }, transform: { $0.parentCount }) { counts.append($0) }
        }
        XCTAssertEqual(counts, [2, 2, 2, 2])
    }

    func testFetchingMoreHistoryMovesTheEdgeAndTheWalkFollows() throws {
        let clone = try clone("fetched", ["--depth", "3"])
        let repository = try Repository.discover(at: clone)
        let before = repository.shallowCommits
        XCTAssertEqual(before, [mainCommits[298]!])
        try pushToServer(5)
        try git(clone, "fetch", "-q", "--depth", "3", "origin", "main")
        XCTAssertNotEqual(repository.shallowCommits, before, "the same Repository reads the new shallow file")
        try assertMatchesGit(clone, ["origin/main"])
        try assertMatchesGit(clone, ["HEAD..origin/main"])
        try assertMatchesGit(clone, ["origin/main~2..origin/main"])
        try assertMatchesGit(clone, ["^HEAD", "origin/main"])
        try assertMatchesGit(clone, ["HEAD...origin/main"])
        try git(clone, "fetch", "-q", "--deepen=40")
        try assertMatchesGit(clone, ["origin/main"])
        try assertMatchesGit(clone, ["HEAD~30..origin/main"])
        try assertMatchesGit(clone, ["HEAD~60..origin/main"])
        XCTAssertTrue(repository.hasCommit(mainCommits[260]!))
        // Once the whole history is there, the file goes and the walk is libgit2's again.
        try git(clone, "fetch", "-q", "--unshallow")
        XCTAssertFalse(repository.isShallow)
        XCTAssertEqual(repository.shallowCommits, [])
        let walksBefore = repository.shallowWalkCount
        XCTAssertEqual(try repository.revisionList(["HEAD~3..origin/main"]), try sandbox.revList(in: clone, ["HEAD~3..origin/main"]))
        XCTAssertEqual(repository.shallowWalkCount, walksBefore)
    }

    func testACompleteCloneKeepsLibgit2sWalkAndItsResults() throws {
        let full = try clone("full", [])
        let repository = try Repository.discover(at: full)
        XCTAssertFalse(repository.isShallow)
        XCTAssertEqual(repository.shallowCommits, [])
        XCTAssertTrue(repository.hasCommit(mainCommits[1]!))
        XCTAssertFalse(repository.hasCommit(String(repeating: "0", count: 40)))
        XCTAssertFalse(repository.hasCommit("HEAD"))
        let tree = try git(full, "rev-parse", "HEAD^{tree}")
        XCTAssertFalse(repository.hasCommit(tree), "a tree is not a commit")
        for arguments in [["HEAD"], ["HEAD~1..HEAD"], ["HEAD~40..HEAD"], ["origin/release...HEAD"], ["^HEAD~5", "HEAD"]] {
            let expected = try sandbox.revList(in: full, arguments)
            try assertMatchesGit(full, arguments)
            XCTAssertEqual(try repository.revisionList(arguments), expected)
        }
        XCTAssertEqual(repository.shallowWalkCount, 0, "a complete clone never takes the shallow walk")
        // An empty shallow file is no shallow clone (git treats it so too).
        FileManager.default.createFile(atPath: full + "/.git/shallow", contents: Data())
        XCTAssertFalse(repository.isShallow)
        try assertMatchesGit(full, ["HEAD~3..HEAD"])
        XCTAssertEqual(repository.shallowWalkCount, 0)
    }

    func testALinkedWorktreeOfAShallowCloneReadsTheCommonShallowFile() throws {
        let clone = try clone("with-worktree", ["--depth", "5"])
        let linked = sandbox.path("linked")
        try git(clone, "worktree", "add", "-q", "-b", "side", linked)
        let repository = try Repository.discover(at: linked)
        XCTAssertTrue(repository.isShallow)
        XCTAssertEqual(repository.shallowCommits, try Repository.discover(at: clone).shallowCommits)
        try assertMatchesGit(linked, ["HEAD"])
        try assertMatchesGit(linked, ["HEAD~2..HEAD"])
    }

    func testAMissingParentTheShallowFileDoesNotListSaysHowToFetchMore() throws {
        let clone = try clone("edited", ["--depth", "3"])
        // The file names some other commit: the walk reaches the real edge's parent, which is absent.
        try Data((String(repeating: "1", count: 40) + "\n").utf8).write(to: URL(fileURLWithPath: clone + "/.git/shallow"))
        let repository = try Repository.discover(at: clone)
        XCTAssertEqual(repository.shallowCommits, [String(repeating: "1", count: 40)])
        // (An excluded tip's history is read to its end too, unlike git's, which stops early.)
        for run in [{ _ = try repository.revisionList(["HEAD~1..HEAD"]) },
                    { _ = try repository.revisionList(["HEAD"]) },
                    { try repository.scan(["HEAD"], readers: 2, threadedFrom: 0, mustRead: { _, _ in false },
                                          unread: { sha, _ in sha }, transform: { $0.sha }) { _ in } }] {
            XCTAssertThrowsError(try run()) { error in
                guard let error = error as? GitError else { return XCTFail("not a GitError: \(error)") }
                XCTAssertTrue(error.summary.hasPrefix("cannot walk past the edge of a shallow clone"), error.summary)
                XCTAssertTrue(error.summary.contains("git fetch --unshallow"), error.summary)
                XCTAssertFalse(error.summary.contains("\n"))
            }
        }
    }

    func testARevisionBeyondTheEdgeByAncestrySaysItMayLieBeyondTheEdge() throws {
        let clone = try clone("ancestry", ["--depth", "2"])
        let repository = try Repository.discover(at: clone)
        XCTAssertThrowsError(try repository.revisionList(["HEAD~5..HEAD"])) { error in
            assertShallowRevisionError(error, mentioning: "HEAD~5")
        }
        // A plain typo is still reported as libgit2 words it, with the shallow hint added.
        XCTAssertThrowsError(try repository.revisionList(["no-such-branch"])) { error in
            assertShallowRevisionError(error, mentioning: "unknown revision 'no-such-branch'")
        }
    }
}
