import CommitBridgeCore
import GitKit
import GitTestSupport
import XCTest

/// Walks and revision lists, compared with `git rev-list --reverse --date-order`.
final class RevisionWalkTests: XCTestCase {
    private var sandbox: GitSandbox!
    private var repo: String!
    /// SHAs of the named commits in the fixture history.
    private var sha: [String: String] = [:]

    /// History (dates increase in the order the commits are listed):
    ///
    ///     main:     a1 - a2 ----- a4 ----- a6 - M - a8      (M merges feature; tag v1 on a2)
    ///                      \            /
    ///     feature:          b3 ----- b5
    ///     orphan:   o1 - o2                                  (no common history)
    override func setUpWithError() throws {
        sandbox = try GitSandbox()
        repo = try sandbox.makeRepository("history")
        sha["a1"] = try sandbox.commit(in: repo, "a1")
        sha["a2"] = try sandbox.commit(in: repo, "a2")
        try sandbox.git(in: repo, ["tag", "-a", "v1", "-m", "release v1"])
        try sandbox.git(in: repo, ["checkout", "-q", "-b", "feature"])
        sha["b3"] = try sandbox.commit(in: repo, "b3")
        try sandbox.git(in: repo, ["checkout", "-q", "main"])
        sha["a4"] = try sandbox.commit(in: repo, "a4")
        try sandbox.git(in: repo, ["checkout", "-q", "feature"])
        sha["b5"] = try sandbox.commit(in: repo, "b5")
        try sandbox.git(in: repo, ["checkout", "-q", "main"])
        sha["a6"] = try sandbox.commit(in: repo, "a6")
        try sandbox.git(in: repo, ["merge", "-q", "--no-ff", "-m", "merge feature", "feature"])
        sha["M"] = try sandbox.git(in: repo, ["rev-parse", "HEAD"])
        sha["a8"] = try sandbox.commit(in: repo, "a8")
        try sandbox.git(in: repo, ["checkout", "-q", "--orphan", "orphan"])
        sha["o1"] = try sandbox.commit(in: repo, "o1")
        sha["o2"] = try sandbox.commit(in: repo, "o2")
        try sandbox.git(in: repo, ["checkout", "-q", "main"])
    }

    override func tearDown() {
        sandbox = nil
    }

    /// Asserts that GitKit selects exactly what git selects, in the same order, both through
    /// `revisionList` and through `walk`. Returns the list for further checks.
    @discardableResult
    private func assertMatchesGit(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let expected = try sandbox.revList(in: repo, arguments)
        let repository = try Repository.discover(at: repo)
        let listed = try repository.revisionList(arguments)
        XCTAssertEqual(listed, expected, "revisionList(\(arguments))", file: file, line: line)
        var walked: [String] = []
        try repository.walk(arguments) { walked.append($0.sha) }
        XCTAssertEqual(walked, expected, "walk(\(arguments))", file: file, line: line)
        return listed
    }

    private func names(_ shas: [String]) -> [String] {
        let byID = Dictionary(uniqueKeysWithValues: sha.map { ($0.value, $0.key) })
        return shas.map { byID[$0] ?? $0 }
    }

    func testLinearHistoryIsOldestFirst() throws {
        let list = try assertMatchesGit([sha["a4"]!])
        XCTAssertEqual(names(list), ["a1", "a2", "a4"])
    }

    func testMergeHistoryIncludesMergeCommitAndBothSides() throws {
        let list = try assertMatchesGit(["main"])
        XCTAssertEqual(names(list), ["a1", "a2", "b3", "a4", "b5", "a6", "M", "a8"])
        var merges: [Commit] = []
        try Repository.discover(at: repo).walk(["main"]) { if $0.isMerge { merges.append($0) } }
        XCTAssertEqual(merges.map(\.sha), [sha["M"]!])
        XCTAssertEqual(merges.first?.parentCount, 2)
        XCTAssertEqual(merges.first?.summary, "merge feature")
    }

    func testParentsAlwaysComeBeforeChildren() throws {
        let repository = try Repository.discover(at: repo)
        let order = try repository.revisionList(["main", "orphan"])
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        for child in order {
            let parents = try sandbox.git(in: repo, ["rev-parse", "\(child)^@"]).split(separator: "\n")
            for parent in parents {
                XCTAssertLessThan(position[String(parent)]!, position[child]!)
            }
        }
    }

    func testOrphanBranchHasOnlyItsOwnCommits() throws {
        let list = try assertMatchesGit(["orphan"])
        XCTAssertEqual(names(list), ["o1", "o2"])
        let root = try Repository.discover(at: repo).commit("orphan~1")
        XCTAssertEqual(root.parentCount, 0)
    }

    func testDoubleDotRange() throws {
        let list = try assertMatchesGit(["\(sha["a2"]!)..main"])
        XCTAssertEqual(names(list), ["b3", "a4", "b5", "a6", "M", "a8"])
        XCTAssertEqual(names(try assertMatchesGit(["feature..main"])), ["a4", "a6", "M", "a8"])
    }

    func testDoubleDotWithEmptySideMeansHead() throws {
        XCTAssertEqual(names(try assertMatchesGit(["\(sha["a6"]!).."])), ["b3", "b5", "M", "a8"])
        XCTAssertEqual(names(try assertMatchesGit(["..feature"])), [])
        try sandbox.git(in: repo, ["checkout", "-q", "feature"])
        XCTAssertEqual(names(try assertMatchesGit(["..main"])), ["a4", "a6", "M", "a8"])
    }

    func testTripleDotSymmetricDifference() throws {
        try sandbox.git(in: repo, ["branch", "side", sha["a4"]!])
        let list = try assertMatchesGit(["side...feature"])
        XCTAssertEqual(names(list), ["b3", "a4", "b5"])
        XCTAssertEqual(names(try assertMatchesGit(["feature...main"])), ["a4", "a6", "M", "a8"])
        XCTAssertEqual(try assertMatchesGit(["main...main"]), [])
    }

    func testTripleDotBetweenUnrelatedHistoriesIncludesBoth() throws {
        let list = try assertMatchesGit(["\(sha["a2"]!)...orphan"])
        XCTAssertEqual(names(list), ["a1", "a2", "o1", "o2"])
    }

    func testCaretExclusion() throws {
        XCTAssertEqual(names(try assertMatchesGit(["^feature", "main"])), ["a4", "a6", "M", "a8"])
        XCTAssertEqual(names(try assertMatchesGit(["main", "^\(sha["a6"]!)"])), ["b3", "b5", "M", "a8"])
        XCTAssertEqual(try assertMatchesGit(["^main"]), [])
    }

    func testSingleRevisionExpression() throws {
        XCTAssertEqual(names(try assertMatchesGit(["HEAD~2"])), ["a1", "a2", "a4", "a6"])
        XCTAssertEqual(names(try assertMatchesGit(["main~1^2"])), ["a1", "a2", "b3", "b5"])
    }

    func testAnnotatedTagIsPeeledToItsCommit() throws {
        XCTAssertEqual(names(try assertMatchesGit(["v1"])), ["a1", "a2"])
        XCTAssertEqual(names(try assertMatchesGit(["v1..feature"])), ["b3", "b5"])
        XCTAssertEqual(try Repository.discover(at: repo).commit("v1").sha, sha["a2"])
    }

    func testSeveralArgumentsCombine() throws {
        XCTAssertEqual(names(try assertMatchesGit(["main", "orphan", "^\(sha["a2"]!)"])),
                       ["b3", "a4", "b5", "a6", "M", "a8", "o1", "o2"])
        XCTAssertEqual(names(try assertMatchesGit(["v1..\(sha["a6"]!)", "feature", "^\(sha["b3"]!)"])),
                       ["a4", "b5", "a6"])
        XCTAssertEqual(names(try assertMatchesGit(["feature", "feature"])), ["a1", "a2", "b3", "b5"])
    }

    func testClockSkewStillMatchesGit() throws {
        // A child whose dates are older than its parent's: topology must still win.
        try sandbox.git(in: repo, ["checkout", "-q", "-b", "skewed", sha["a2"]!])
        try sandbox.git(in: repo, ["commit", "-q", "--allow-empty", "-m", "s"], date: "@1600000000 +0000")
        sha["s"] = try sandbox.git(in: repo, ["rev-parse", "HEAD"])
        sha["s2"] = try sandbox.commit(in: repo, "s2")
        XCTAssertEqual(names(try assertMatchesGit(["skewed"])), ["a1", "a2", "s", "s2"])
        try assertMatchesGit(["skewed", "main"])
        try assertMatchesGit(["skewed...main"])
    }

    func testWalkYieldsFullCommitValues() throws {
        var commits: [Commit] = []
        try Repository.discover(at: repo).walk([sha["a4"]!]) { commits.append($0) }
        XCTAssertEqual(commits.map(\.summary), ["a1", "a2", "a4"])
        XCTAssertEqual(commits.map(\.parentCount), [0, 1, 1])
        XCTAssertTrue(commits.allSatisfy { $0.authorName == "Ada Author" && $0.authorEmail == "ada@example.com" })
        XCTAssertTrue(commits.allSatisfy { $0.sha.count == 40 && $0.messageEncoding == nil })
        let authorTimes = commits.map(\.authorTime)
        XCTAssertEqual(authorTimes, authorTimes.sorted())
        XCTAssertEqual(Set(authorTimes).count, 3)
        XCTAssertEqual(commits, try ["a1", "a2", "a4"].map { try Repository.discover(at: repo).commit(sha[$0]!) })
    }

    func testBodyMayUseTheRepositoryAgain() throws {
        let repository = try Repository.discover(at: repo)
        var parents: [String] = []
        try repository.walk(["feature"]) { commit in
            guard commit.parentCount > 0 else { return }
            parents.append(try repository.commit("\(commit.sha)^").summary)
        }
        XCTAssertEqual(parents, ["a1", "a2", "b3"])
    }

    func testErrorThrownByBodyStopsTheWalk() throws {
        struct Stop: Error {}
        var seen = 0
        XCTAssertThrowsError(try Repository.discover(at: repo).walk(["main"]) { _ in
            seen += 1
            if seen == 2 { throw Stop() }
        }) { error in
            XCTAssertTrue(error is Stop, "\(error)")
        }
        XCTAssertEqual(seen, 2)
    }

    func testEmptyArgumentListIsAnInvalidRange() throws {
        let repository = try Repository.discover(at: repo)
        XCTAssertThrowsError(try repository.revisionList([])) { error in
            XCTAssertEqual((error as? GitError)?.kind, .invalidRange)
        }
        XCTAssertThrowsError(try repository.walk([]) { _ in XCTFail("nothing to walk") }) { error in
            XCTAssertEqual((error as? GitError)?.kind, .invalidRange)
        }
    }

    func testOptionsAreRejectedAsInvalidRange() throws {
        XCTAssertThrowsError(try Repository.discover(at: repo).revisionList(["--reflog"])) { error in
            XCTAssertEqual((error as? GitError)?.kind, .invalidRange)
            XCTAssertTrue((error as? GitError)?.errorDescription?.contains("--reflog") == true)
        }
    }

    /// The entry points taking text parse it through `RevisionRange` and report an option as before.
    func testOptionsThroughEveryTextEntryPointGiveTheSameError() throws {
        let repository = try Repository.discover(at: repo)
        let expected = GitError(kind: .invalidRange, code: -1, libgit2Message: "", summary: "unsupported rev-list option '--reflog'")
        XCTAssertThrowsError(try repository.revisionList(["main", "--reflog"])) { XCTAssertEqual($0 as? GitError, expected) }
        XCTAssertThrowsError(try repository.walk(["--reflog"]) { _ in }) { XCTAssertEqual($0 as? GitError, expected) }
        XCTAssertThrowsError(try repository.walk(["--reflog"], readers: 2, transform: { $0.sha }) { _ in }) {
            XCTAssertEqual($0 as? GitError, expected)
        }
        XCTAssertThrowsError(try repository.scan(["--reflog"], readers: 2, mustRead: { _, _ in true }, unread: { sha, _ in sha },
                                                 transform: { $0.sha }) { _ in }) { XCTAssertEqual($0 as? GitError, expected) }
    }

    /// A range given as a value selects what the same text does.
    func testARangeValueWalksLikeItsText() throws {
        let repository = try Repository.discover(at: repo)
        for texts in [["main"], ["main~2..main"], ["^main~3", "main"], ["main~2...feature"]] {
            let range = try RevisionRange(parsing: texts)
            XCTAssertEqual(try repository.revisionList(range), try sandbox.revList(in: repo, texts), "\(texts)")
            var walked: [String] = []
            try repository.walk(range) { walked.append($0.sha) }
            XCTAssertEqual(walked, try repository.revisionList(texts), "\(texts)")
        }
        XCTAssertEqual(try repository.revisionList(.commits(reachableFrom: ["main"], excluding: ["main~2"])),
                       try sandbox.revList(in: repo, ["main~2..main"]))
    }

    func testUnknownRevisionIsReportedWithItsText() throws {
        let repository = try Repository.discover(at: repo)
        for arguments in [["nope"], ["nope..main"], ["main...nope"], ["^nope", "main"]] {
            XCTAssertThrowsError(try repository.revisionList(arguments), "\(arguments)") { error in
                guard let error = error as? GitError else { return XCTFail("not a GitError: \(error)") }
                XCTAssertEqual(error.kind, .revisionNotFound)
                XCTAssertTrue(error.errorDescription?.hasPrefix("unknown revision 'nope'") == true,
                              error.errorDescription ?? "")
                XCTAssertLessThan(error.code, 0)
            }
        }
        XCTAssertThrowsError(try repository.commit("main~40")) { error in
            XCTAssertEqual((error as? GitError)?.kind, .revisionNotFound)
            XCTAssertTrue((error as? GitError)?.errorDescription?.contains("main~40") == true)
        }
    }

    func testRevisionThatIsNotACommitIsNotFound() throws {
        XCTAssertThrowsError(try Repository.discover(at: repo).revisionList(["main^{tree}"])) { error in
            XCTAssertEqual((error as? GitError)?.kind, .revisionNotFound)
            XCTAssertTrue((error as? GitError)?.errorDescription?.contains("main^{tree}") == true)
        }
    }
}
