import Foundation
import HookInstaller
import TestSupport
import XCTest

/// A repository's own hooks are kept, run first, and keep their say over the outcome.
final class ChainingTests: XCTestCase {
    /// Installs a post-commit hook that writes a marker file and a commit-msg hook that rejects "REJECT".
    private func benchWithOwnHooks() throws -> (HookBench, marker: String) {
        let bench = try HookBench()
        let marker = bench.sandbox.root + "/own-post-commit-ran"
        try bench.writeScript(bench.defaultHooksDirectory + "/post-commit",
                              "#!/bin/sh\necho \"own post-commit $#\" >>'\(marker)'\n", mode: 0o750)
        try bench.writeScript(bench.defaultHooksDirectory + "/commit-msg", """
            #!/bin/sh
            if grep -q REJECT "$1"; then echo "own commit-msg: rejected" >&2; exit 1; fi

            """, mode: 0o700)
        return (bench, marker)
    }

    func testOwnHooksStillRunAndCommitbridgeRunsToo() throws {
        let (bench, marker) = try benchWithOwnHooks()
        let hooks = bench.defaultHooksDirectory
        let ownPostCommit = bench.contents(hooks + "/post-commit")
        let ownCommitMsg = bench.contents(hooks + "/commit-msg")

        let installer = try bench.installer()
        XCTAssertEqual(try installer.install(installer.defaultKinds).map(\.action), [
            .chained(existing: hooks + "/post-commit.commitbridge-chained"),
            .installed,
            .chained(existing: hooks + "/commit-msg.commitbridge-chained"),
        ])
        XCTAssertEqual(bench.contents(hooks + "/post-commit.commitbridge-chained"), ownPostCommit)
        XCTAssertEqual(bench.mode(hooks + "/post-commit.commitbridge-chained"), 0o750)
        XCTAssertEqual(bench.contents(hooks + "/commit-msg.commitbridge-chained"), ownCommitMsg)
        XCTAssertEqual(bench.mode(hooks + "/commit-msg.commitbridge-chained"), 0o700)
        XCTAssertEqual(try installer.status(.postCommit),
                       .installedChained(original: hooks + "/post-commit.commitbridge-chained"))

        try bench.sandbox.commit("accepted [#5]")
        XCTAssertEqual(try String(contentsOfFile: marker, encoding: .utf8), "own post-commit 0\n")
        XCTAssertEqual(bench.log, [
            "call: hook commit-msg .git/COMMIT_EDITMSG", "message: accepted [#5]", "call: hook post-commit --commit <sha> --foreground",
        ])

        bench.clearLog()
        let head = try bench.sandbox.git(["rev-parse", "HEAD"])
        let rejected = try bench.gitResult(["commit", "-q", "--allow-empty", "-m", "REJECT me [#5]"])
        XCTAssertNotEqual(rejected.status, 0)
        XCTAssertTrue(rejected.err.contains("own commit-msg: rejected"), rejected.err)
        XCTAssertEqual(try bench.sandbox.git(["rev-parse", "HEAD"]), head)
        // A message the own hook refused is not looked at, and no post-commit runs.
        XCTAssertEqual(bench.log, [])
        XCTAssertEqual(try String(contentsOfFile: marker, encoding: .utf8), "own post-commit 0\n")
    }

    func testInstallingTwiceDoesNotChainTwice() throws {
        let (bench, _) = try benchWithOwnHooks()
        let hooks = bench.defaultHooksDirectory
        let installer = try bench.installer()
        _ = try installer.install(installer.defaultKinds)
        let listing = bench.listing(hooks)
        let ours = bench.contents(hooks + "/post-commit")
        let kept = bench.contents(hooks + "/post-commit.commitbridge-chained")

        XCTAssertEqual(try installer.install(installer.defaultKinds).map(\.action), [.alreadyInstalled, .alreadyInstalled, .alreadyInstalled])
        XCTAssertEqual(bench.listing(hooks), listing)
        XCTAssertEqual(bench.contents(hooks + "/post-commit"), ours)
        XCTAssertEqual(bench.contents(hooks + "/post-commit.commitbridge-chained"), kept)

        // A new binary path rewrites our script only; the kept hook stays kept, once.
        let moved = bench.sandbox.root + "/moved/commitbridge"
        try bench.makeFakeBinary(at: moved, label: "moved")
        XCTAssertEqual(try bench.installer(binary: moved).install([.postCommit]).map(\.action), [.updated])
        XCTAssertEqual(bench.listing(hooks), listing)
        XCTAssertEqual(bench.contents(hooks + "/post-commit.commitbridge-chained"), kept)
        let text = String(decoding: try XCTUnwrap(bench.contents(hooks + "/post-commit")), as: UTF8.self)
        XCTAssertEqual(text.components(separatedBy: ".commitbridge-chained").count, 2, text)
    }

    func testChainedPostCommitPassesArgumentsAndKeepsTheOldStatus() throws {
        let bench = try HookBench()
        let hook = bench.defaultHooksDirectory + "/post-commit"
        let seen = bench.sandbox.root + "/own-arguments"
        try bench.sandbox.commit("base")  // the hook names HEAD, so there must be one
        try bench.writeScript(hook, "#!/bin/sh\nprintf '%s|' \"$@\" >'\(seen)'\nexit 3\n")
        _ = try bench.installer().install([.postCommit])

        let result = try bench.run(hook, ["one", "two words"])
        XCTAssertEqual(result.status, 3)
        XCTAssertEqual(try String(contentsOfFile: seen, encoding: .utf8), "one|two words|")
        XCTAssertEqual(bench.log, ["call: hook post-commit --commit <sha> --foreground"], "commitbridge runs even when the old hook failed")
    }

    func testChainedCommitMsgRunsCommitbridgeOnTheMessageTheOldHookLeft() throws {
        let bench = try HookBench()
        try bench.writeScript(bench.defaultHooksDirectory + "/commit-msg",
                              "#!/bin/sh\nprintf 'rewritten [#9]\\n' >\"$1\"\n")
        _ = try bench.installer().install([.commitMsg])
        try bench.sandbox.commit("original")
        XCTAssertEqual(bench.log, ["call: hook commit-msg .git/COMMIT_EDITMSG", "message: rewritten [#9]"])
        XCTAssertEqual(try bench.sandbox.git(["log", "-1", "--format=%s"]), "rewritten [#9]")
    }

    func testNonExecutableOwnHookIsKeptButNotRunLikeGit() throws {
        let bench = try HookBench()
        let hooks = bench.defaultHooksDirectory
        try bench.writeScript(hooks + "/commit-msg", "#!/bin/sh\nexit 1\n", mode: 0o644)
        try bench.sandbox.commit("git ignores the hook")
        _ = try bench.installer().install([.commitMsg])
        try bench.sandbox.commit("so does ours")
        XCTAssertEqual(bench.log, ["call: hook commit-msg .git/COMMIT_EDITMSG", "message: so does ours"])
        _ = try bench.installer().uninstall([.commitMsg])
        XCTAssertEqual(bench.mode(hooks + "/commit-msg"), 0o644)
    }

    func testForeignHookWhereTheKeptOneWouldGoIsAnError() throws {
        let (bench, _) = try benchWithOwnHooks()
        let hooks = bench.defaultHooksDirectory
        _ = try bench.installer().install([.postCommit])
        // Another tool later replaces our script: chaining it would overwrite the hook kept before.
        try bench.writeScript(hooks + "/post-commit", "#!/bin/sh\necho other tool\n")
        let before = bench.listing(hooks).map { ($0, bench.contents(hooks + "/" + $0)) }

        XCTAssertThrowsError(try bench.installer().install([.postCommit])) { error in
            XCTAssertEqual(error as? HookInstallerError, .chainedHookInTheWay(
                hook: hooks + "/post-commit", chained: hooks + "/post-commit.commitbridge-chained"))
        }
        let after = bench.listing(hooks).map { ($0, bench.contents(hooks + "/" + $0)) }
        XCTAssertEqual(after.map(\.0), before.map(\.0))
        XCTAssertEqual(after.map(\.1), before.map(\.1))
    }

    func testKeptHookWhoseScriptWasDeletedIsChainedAgain() throws {
        let (bench, marker) = try benchWithOwnHooks()
        let hooks = bench.defaultHooksDirectory
        _ = try bench.installer().install([.postCommit])
        try FileManager.default.removeItem(atPath: hooks + "/post-commit")
        XCTAssertEqual(try bench.installer().install([.postCommit]).map(\.action),
                       [.chained(existing: hooks + "/post-commit.commitbridge-chained")])
        try bench.sandbox.commit("both again")
        XCTAssertTrue(FileManager.default.fileExists(atPath: marker))
        XCTAssertTrue(bench.log.contains("call: hook post-commit --commit <sha> --foreground"))
    }
}
