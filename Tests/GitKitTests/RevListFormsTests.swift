import CommitBridgeCore
@testable import GitKit
import GitTestSupport
import XCTest

/// Every revision form `replay` takes, compared with what `git rev-list` lists for the same
/// arguments, on a history with merges (one of three parents), annotated and lightweight tags,
/// nested branch names, remote-tracking branches, and then replace refs.
final class RevListFormsTests: XCTestCase {
    private var sandbox: GitSandbox!
    private var repo: String!

    /// History (dates increase in the order made; v1 annotated on a2, v2 lightweight on a5):
    ///
    ///     main:               a1 - a2 - a3 ------- m1 - a5 - oct    (oct merges a5, t1 and u1)
    ///     release/2:                \    \  \     /          / /
    ///                                s1   \  f1 - f2        / /     (feature)
    ///     release/1, release/3/hotfix:     r1 - h1         / /
    ///     t, u:                     (a3) t1 --------------' /
    ///                          (a2) u1 --------------------'
    override func setUpWithError() throws {
        sandbox = try GitSandbox()
        repo = try sandbox.makeRepository("forms")
        func commit(_ message: String) throws { try sandbox.commit(in: repo, message) }
        func git(_ arguments: String...) throws { try sandbox.git(in: repo, arguments) }
        try commit("a1")
        try commit("a2")
        try git("tag", "-a", "v1", "-m", "release v1")
        try git("checkout", "-q", "-b", "release/2")
        try commit("s1")
        try git("checkout", "-q", "main")
        try commit("a3")
        try git("checkout", "-q", "-b", "feature")
        try commit("f1")
        try commit("f2")
        try git("checkout", "-q", "-b", "release/1", "main")
        try commit("r1")
        try git("checkout", "-q", "-b", "release/3/hotfix")
        try commit("h1")
        try git("checkout", "-q", "main")
        try git("merge", "-q", "--no-ff", "-m", "m1 merges feature", "feature")
        try commit("a5")
        try git("tag", "v2")
        try git("checkout", "-q", "-b", "t", "main~2")
        try commit("t1")
        try git("checkout", "-q", "-b", "u", "main~3")
        try commit("u1")
        try git("checkout", "-q", "main")
        try git("merge", "-q", "--no-ff", "-m", "oct merges t and u", "t", "u")
        try git("update-ref", "refs/remotes/origin/main", "main~1")
        try git("update-ref", "refs/remotes/origin/feature", "feature~1")
        try git("update-ref", "refs/remotes/upstream/release/1", "release/1")
        try git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main")
    }

    override func tearDown() {
        sandbox = nil
    }

    /// Every form, with the same arguments given to git.
    private let forms: [[String]] = [
        ["main"], ["v1"], ["feature..main"], ["main..feature"], ["main...feature"], ["release/2...feature"],
        ["^feature", "main"], ["..feature"],
        ["main~1^!"], ["main^!"], ["main~2^!"], ["main~3^!"], ["v1^!"], [":/a1^!"],
        ["main~2^-"], ["main~2^-1"], ["main~2^-2"], ["main~1^-"], ["main^-"], ["main^-2"], ["main^-3"], ["release/1^-"],
        ["main~1^@"], ["main~2^@"], ["main^@"], ["release/1^@"], ["^main~1^@", "main"], ["^main^!", "main"], ["^main^-2", "feature"],
        ["main", "--not", "feature"], ["--not", "feature", "--not", "main"], ["main", "--not", "feature", "release/2"],
        ["main", "--not", "feature", "--not", "release/3/hotfix"], ["--not", "main...feature", "--not", "main"],
        ["main", "--not", "feature..release/1"], ["main", "--not", "main^!"], ["main", "--not", "main^-2"],
        ["main", "--not", "main~1^@"],
        ["--all"], ["--all", "--not", "main"], ["main", "--not", "--all"], ["--not", "--all"],
        ["--branches"], ["--branches=release/*"], ["--branches=release"], ["--branches=rel*"], ["--branches=release/?"],
        ["--branches=[mt]*"], ["--branches=nothing"], ["--branches", "--not", "--remotes"],
        ["--tags"], ["--tags=v1"], ["--tags=v*", "--not", "v1"],
        ["--remotes"], ["--remotes=origin"], ["--remotes=origin/f*"], ["--remotes=*/release/*"],
        ["--remotes", "--not", "--branches=feature", "--tags=v1"],
    ]

    /// What git lists for `arguments`, oldest first.
    private func gitList(_ arguments: [String]) throws -> [String] {
        try sandbox.revList(in: repo, arguments)
    }

    /// Asserts that GitKit selects exactly the commits git lists, through `revisionList`, `walk` and
    /// `scan` (the dry run's way), and that no commit comes before one of its parents.
    ///
    /// With `exactOrder`, the order must be git's too; without (replace refs, where a replacement
    /// made by `git replace --graft` keeps its original's date and git breaks such ties by the order
    /// it happened to queue commits), every commit must still come after its parents as git sees them.
    private func assertSameAsGit(_ arguments: [String], exactOrder: Bool = true, file: StaticString = #filePath, line: UInt = #line) throws {
        let repository = try Repository.discover(at: repo)
        let expected: [String]
        do {
            expected = try gitList(arguments)
        } catch {
            // What git refuses (a parent number past the last parent, say) is refused here too.
            XCTAssertThrowsError(try repository.revisionList(arguments), "git refuses \(arguments)", file: file, line: line)
            return
        }
        let listed = try repository.revisionList(arguments)
        XCTAssertEqual(Set(listed), Set(expected), "revisionList \(arguments)", file: file, line: line)
        XCTAssertEqual(listed.count, Set(listed).count, "revisionList \(arguments) lists a commit twice", file: file, line: line)
        if exactOrder {
            XCTAssertEqual(listed, expected, "order of \(arguments)", file: file, line: line)
        } else {
            let position = Dictionary(uniqueKeysWithValues: listed.enumerated().map { ($1, $0) })
            for entry in try sandbox.git(in: repo, ["rev-list", "--parents"] + arguments).split(separator: "\n") {
                let ids = entry.split(separator: " ").map(String.init)
                guard let child = position[ids[0]] else { continue }
                for parent in ids.dropFirst() {
                    if let at = position[parent] { XCTAssertLessThan(at, child, "\(arguments): a parent after its child", file: file, line: line) }
                }
            }
        }
        var walked: [String] = []
        try repository.walk(arguments) { walked.append($0.sha) }
        XCTAssertEqual(walked, listed, "walk \(arguments)", file: file, line: line)
        var scanned: [String] = []
        try repository.scan(arguments, readers: 2, threadedFrom: 1, mustRead: { _, _ in false },
                            unread: { sha, _ in sha }, transform: { $0.sha }) { scanned.append($0) }
        XCTAssertEqual(scanned, listed, "scan \(arguments)", file: file, line: line)
    }

    func testEveryFormSelectsWhatGitLists() throws {
        for arguments in forms {
            try assertSameAsGit(arguments)
        }
        // The fixture is what the forms need: a merge of three, a root, nested branch names.
        XCTAssertEqual(try sandbox.git(in: repo, ["rev-list", "--parents", "-n1", "main"]).split(separator: " ").count, 4)
        let hotfix = try sandbox.git(in: repo, ["rev-parse", "release/3/hotfix"])
        XCTAssertTrue(try gitList(["--branches=release/*"]).contains(hotfix), "--branches=<glob> crosses '/' in git")

    }

    func testFormsGitRefusesAreRefused() throws {
        let repository = try Repository.discover(at: repo)
        for arguments in [["main^-4"], ["main~1^-3"], ["release/1~4^-"], ["nothing^!"], ["nothing^@"]] {
            XCTAssertThrowsError(try sandbox.revList(in: repo, arguments), "git takes \(arguments)")
            XCTAssertThrowsError(try repository.revisionList(arguments), "\(arguments)") { error in
                XCTAssertEqual((error as? GitError)?.kind, .revisionNotFound, "\(arguments): \(error)")
            }
        }
        XCTAssertThrowsError(try repository.revisionList(["main^-0"])) { error in
            XCTAssertTrue("\(error)".contains("parent number"), "\(error)")
        }
        XCTAssertThrowsError(try repository.revisionList(["--branches=["])) { error in
            XCTAssertTrue("\(error)".contains("never closed"), "\(error)")
        }
    }

    /// In a shallow clone git treats the edge commits as having no parents; the new forms do too,
    /// including an `A...B` after `--not`, whose merge bases are then taken in.
    func testFormsInAShallowClone() throws {
        let clone = sandbox.path("shallow")
        try sandbox.git(in: sandbox.root.path, ["clone", "-q", "--depth", "2", "--no-single-branch", "file://" + repo, clone])
        repo = clone
        XCTAssertTrue(try Repository.discover(at: clone).isShallow)
        for arguments in [["origin/main"], ["origin/main^!"], ["origin/main^@"], ["origin/main~1^-"], ["--all"], ["--remotes=origin/rel*"],
                          ["origin/main", "--not", "origin/main~1^@"], ["--all", "--not", "origin/main...origin/feature"],
                          ["--not", "origin/main...origin/feature", "--not", "origin/main"], ["origin/main~2^!"]] {
            try assertSameAsGit(arguments)
        }
    }

    /// Replace refs: one graft that drops a parent (f2 now stems from a1), one that rewrites the
    /// message of a commit, one replacing a merge by a commit with one parent. Every form still
    /// selects what git selects, and a replaced commit is read with its replacement's message and
    /// parents under its own id.
    func testReplaceRefsAreHonoured() throws {
        let f2 = try sandbox.git(in: repo, ["rev-parse", "feature"])
        let a1 = try sandbox.git(in: repo, ["rev-list", "--max-parents=0", "main"])
        XCTAssertEqual(try sandbox.git(in: repo, ["log", "-1", "--format=%s", a1]), "a1")
        try sandbox.git(in: repo, ["replace", "--graft", f2, a1])
        let s1 = try sandbox.git(in: repo, ["rev-parse", "release/2"])
        let tree = try sandbox.git(in: repo, ["rev-parse", "release/2^{tree}"])
        let parent = try sandbox.git(in: repo, ["rev-parse", "release/2^"])
        let rewritten = try sandbox.git(in: repo, ["commit-tree", tree, "-p", parent, "-m", "s1 reworded"])
        try sandbox.git(in: repo, ["replace", s1, rewritten])
        let oct = try sandbox.git(in: repo, ["rev-parse", "main"])
        try sandbox.git(in: repo, ["replace", "--graft", oct, "main^1"])
        XCTAssertNotEqual(Set(try gitList(["feature"])), Set(try sandbox.git(in: repo, ["--no-replace-objects", "rev-list", "feature"]).split(separator: "\n").map(String.init)))

        for arguments in forms + [["feature~1"], ["main..feature~1"], ["release/2^!"], ["feature^@"]] {
            try assertSameAsGit(arguments, exactOrder: false)
        }

        let repository = try Repository.discover(at: repo)
        let reworded = try repository.commit("release/2")
        XCTAssertEqual(reworded.sha, s1)
        XCTAssertEqual(reworded.message, "s1 reworded\n")
        var messages: [String: String] = [:]
        try repository.walk(["release/2"]) { messages[$0.sha] = $0.message }
        XCTAssertEqual(messages[s1], "s1 reworded\n")
        XCTAssertNil(messages[rewritten], "the replacement is read under the original's id")
        XCTAssertEqual(try repository.commit("feature").parentCount, 1)
        XCTAssertEqual(try repository.commit("main").parentCount, 1, "the octopus merge is replaced by a one-parent commit")
        XCTAssertEqual(try repository.commit("feature~1").sha, a1)
    }
}
