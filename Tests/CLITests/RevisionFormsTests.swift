import Foundation
import TestSupport
import XCTest

/// `replay`'s revision arguments and branch globs through the real binary: every commit that
/// `replay --dry-run --json --merges` lists is one `git rev-list` lists for the same arguments, and
/// a bad branch glob is a configuration error naming it.
final class RevisionFormsTests: XCTestCase {
    /// A history whose every commit is tagged: main with a merge of feature, release/1 and
    /// release/3/hotfix branches, a tag and a remote-tracking branch.
    private func history() throws -> GitSandbox {
        let repo = try GitSandbox()
        try repo.commit("a1 [#1]")
        try repo.commit("a2 [#2]")
        try repo.git(["tag", "-a", "v1", "-m", "v1"])
        try repo.git(["checkout", "-q", "-b", "feature"])
        try repo.commit("f1 [#3]", file: "f.txt")
        try repo.commit("f2 [#4]", file: "f.txt")
        try repo.git(["checkout", "-q", "-b", "release/1", "main"])
        try repo.commit("r1 [#5]", file: "r.txt")
        try repo.git(["checkout", "-q", "-b", "release/3/hotfix"])
        try repo.commit("h1 [#6]", file: "r.txt")
        try repo.git(["checkout", "-q", "main"])
        try repo.commit("a3 [#7]")
        try repo.gitCommitting(["merge", "-q", "--no-ff", "-m", "m1 [#8]", "feature"])
        try repo.commit("a5 [#9]")
        try repo.git(["update-ref", "refs/remotes/origin/main", "main~1"])
        return repo
    }

    private func listed(_ result: ProcessResult, file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        XCTAssertEqual(result.status, 0, "stderr: \(result.err)", file: file, line: line)
        return try result.outLines.map { text in
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], file: file, line: line)
            return try XCTUnwrap(object["commit"] as? String, file: file, line: line)
        }
    }

    private func revList(_ repo: GitSandbox, _ arguments: [String], environment: [String: String] = [:]) throws -> [String] {
        try repo.git(["rev-list"] + arguments, extraEnvironment: environment).split(separator: "\n").map(String.init)
    }

    func testEveryFormThroughTheBinaryListsWhatGitLists() throws {
        let repo = try history()
        let forms: [[String]] = [
            ["main"], ["feature..main"], ["main...release/1"], ["^feature", "main"],
            ["main~1^!"], ["main~1^-"], ["main~1^-2"], ["main~1^@"], ["^main~1^@", "main"],
            ["main", "--not", "feature"], ["--not", "feature", "--not", "release/3/hotfix"],
            ["--all"], ["--all", "--not", "main"], ["--branches=release/*"], ["--branches=release"],
            ["--tags"], ["--remotes"], ["--remotes", "--not", "v1"],
        ]
        for form in forms {
            let expected = try revList(repo, form)
            XCTAssertFalse(expected.isEmpty, "\(form) selects something in git")
            let got = try listed(try CommitBridgeBinary.run(["replay"] + form + ["--dry-run", "--json", "--merges", "--offline"], sandbox: repo),
                                 line: #line)
            XCTAssertEqual(Set(got), Set(expected), "replay \(form)")
            XCTAssertEqual(got.count, expected.count, "replay \(form) lists each commit once")
        }
    }

    /// replay's own flags still work before, between and after the rev-list options.
    func testReplayFlagsWorkInAnyPosition() throws {
        let repo = try history()
        let expected = Set(try revList(repo, ["main", "--not", "feature"]))
        let orders: [[String]] = [
            ["--dry-run", "--json", "main", "--not", "feature", "--merges", "--offline"],
            ["main", "--dry-run", "--not", "--json", "feature", "--offline", "--merges"],
            ["--not", "feature", "--not", "main", "--not", "--dry-run", "--merges", "--offline", "--json"],
        ]
        for arguments in orders.prefix(2) {
            XCTAssertEqual(Set(try listed(try CommitBridgeBinary.run(["replay"] + arguments, sandbox: repo))), expected, "\(arguments)")
        }
        // `--not` thrice: feature, then main, then nothing counted the other way round.
        XCTAssertEqual(Set(try listed(try CommitBridgeBinary.run(["replay"] + orders[2], sandbox: repo))),
                       Set(try revList(repo, ["--not", "feature", "--not", "main", "--not"])))
        // -C from elsewhere, in the middle.
        let elsewhere = try CommitBridgeBinary.run(["replay", "main", "--not", "-C", repo.path, "feature", "--dry-run", "--json", "--merges", "--offline"],
                                                   in: repo.root, sandbox: repo)
        XCTAssertEqual(Set(try listed(elsewhere)), expected)
        // Without --json the summary counts them.
        let summary = try CommitBridgeBinary.run(["replay", "--all", "--dry-run", "--offline", "--not", "v1"], sandbox: repo)
        XCTAssertEqual(summary.status, 0, summary.err)
        XCTAssertTrue(summary.err.contains("scanned \(try revList(repo, ["--all", "--not", "v1"]).count) commits"), summary.err)
        // An option that is neither replay's nor a rev-list one: a usage error, as before.
        let typo = try CommitBridgeBinary.run(["replay", "main", "--dry-runn"], sandbox: repo)
        XCTAssertEqual(typo.status, 2, typo.err)
        XCTAssertTrue(typo.err.contains("--dry-runn"), typo.err)
        let badGlob = try CommitBridgeBinary.run(["replay", "--branches=[", "--dry-run"], sandbox: repo)
        XCTAssertEqual(badGlob.status, 2, badGlob.err)
        XCTAssertTrue(badGlob.err.contains("invalid glob in '--branches=['"), badGlob.err)
        let badParent = try CommitBridgeBinary.run(["replay", "main^-2", "--dry-run"], sandbox: repo)
        XCTAssertEqual(badParent.status, 3, badParent.err)
        XCTAssertTrue(badParent.err.hasPrefix("commitbridge: "), badParent.err)
    }

    /// A replace ref: the replaced commit's message (and so its story) and parents are git's, under
    /// the original id; GIT_NO_REPLACE_OBJECTS turns that off, as in git.
    func testReplaceRefsAreHonouredUnlessTurnedOff() throws {
        let repo = try history()
        let f2 = try repo.git(["rev-parse", "feature"])
        let tree = try repo.git(["rev-parse", "feature^{tree}"])
        // f2 reworded to another story and grafted straight onto a1: f1 drops out of main's history.
        let a1 = try repo.git(["rev-list", "--max-parents=0", "main"])
        let replacement = try repo.git(["commit-tree", tree, "-p", a1, "-m", "f2 reworded [#42]"])
        try repo.git(["replace", f2, replacement])
        let f1 = try repo.git(["--no-replace-objects", "rev-parse", "feature~1"])

        let run = { (environment: [String: String]) -> [[String: Any]] in
            let result = try CommitBridgeBinary.run(["replay", "main", "--dry-run", "--json", "--merges", "--offline"],
                                                    sandbox: repo, environment: environment)
            XCTAssertEqual(result.status, 0, result.err)
            return try result.outLines.map { try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        }
        let replaced = try run([:])
        XCTAssertEqual(Set(replaced.compactMap { $0["commit"] as? String }), Set(try revList(repo, ["main"])))
        XCTAssertFalse(replaced.contains { $0["commit"] as? String == f1 }, "f1 is no longer in main's history")
        let posted = try XCTUnwrap(replaced.first { $0["commit"] as? String == f2 })
        XCTAssertEqual((posted["references"] as? [[String: Any]])?.first?["story"] as? Int, 42)
        XCTAssertFalse(replaced.contains { $0["commit"] as? String == replacement }, "listed under the original id")

        let off = ["GIT_NO_REPLACE_OBJECTS": "1"]
        let original = try run(off)
        XCTAssertEqual(Set(original.compactMap { $0["commit"] as? String }), Set(try revList(repo, ["main"], environment: off)))
        XCTAssertTrue(original.contains { $0["commit"] as? String == f1 })
        let unreplaced = try XCTUnwrap(original.first { $0["commit"] as? String == f2 })
        XCTAssertEqual((unreplaced["references"] as? [[String: Any]])?.first?["story"] as? Int, 4)
    }

    /// A branch glob git would match nothing with is refused, wherever it comes from, naming it.
    func testInvalidBranchGlobIsAConfigurationError() throws {
        let repo = try history()
        try repo.git(["config", "commitbridge.branches", "main, release/["])
        let line = "commitbridge: configuration: invalid branch pattern 'release/[': its '[' is never closed by a ']' (from git config commitbridge.branches)"
        let replay = try CommitBridgeBinary.run(["replay", "main", "--dry-run", "--offline"], sandbox: repo)
        XCTAssertEqual(replay.status, 2, replay.err)
        XCTAssertEqual(replay.err.split(separator: "\n").first.map(String.init), line)
        let ci = try CommitBridgeBinary.run(["ci", "--range", "main~1..main", "--dry-run", "--offline"], sandbox: repo)
        XCTAssertEqual(ci.status, 2, ci.err)
        XCTAssertTrue(ci.err.contains(line), ci.err)

        // A flag wins over git config, and is checked the same way.
        let flag = try CommitBridgeBinary.run(["ci", "--range", "main~1..main", "--dry-run", "--offline", "--branch", "["], sandbox: repo)
        XCTAssertEqual(flag.status, 2, flag.err)
        XCTAssertTrue(flag.err.contains("invalid branch pattern '[': its '[' is never closed by a ']' (from --branch)"), flag.err)
        let empty = try CommitBridgeBinary.run(["ci", "--range", "main~1..main", "--dry-run", "--offline", "--branch", ""], sandbox: repo)
        XCTAssertEqual(empty.status, 2, empty.err)
        XCTAssertTrue(empty.err.contains("invalid branch pattern '': an empty pattern matches no branch (from --branch)"), empty.err)
        let good = try CommitBridgeBinary.run(["ci", "--range", "main~1..main", "--dry-run", "--offline", "--branch", "release/**"], sandbox: repo)
        XCTAssertEqual(good.status, 0, good.err)

        // post-receive: with --strict the hook fails with the same line; without, it says it and lets the push be.
        let old = try repo.git(["rev-parse", "main~1"]), new = try repo.git(["rev-parse", "main"])
        let input = "\(old) \(new) refs/heads/main\n"
        let strict = try CommitBridgeBinary.run(["hook", "post-receive", "--strict"], stdin: input, sandbox: repo)
        XCTAssertEqual(strict.status, 2, strict.err)
        XCTAssertTrue(strict.err.contains(line), strict.err)
        let lenient = try CommitBridgeBinary.run(["hook", "post-receive"], stdin: input, sandbox: repo)
        XCTAssertEqual(lenient.status, 0, lenient.err)
        XCTAssertTrue(lenient.err.contains("invalid branch pattern 'release/['"), lenient.err)

        try repo.git(["config", "commitbridge.branches", ""])
        let blank = try CommitBridgeBinary.run(["replay", "main", "--dry-run", "--offline"], sandbox: repo)
        XCTAssertEqual(blank.status, 2, blank.err)
        XCTAssertTrue(blank.err.contains("commitbridge.branches holds an empty value"), blank.err)
    }
}
