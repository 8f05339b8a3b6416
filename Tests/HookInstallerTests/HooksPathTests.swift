import Foundation
import GitKit
@testable import HookInstaller
import TestSupport
import XCTest

/// `core.hooksPath` decides where hooks go, resolved as git 2.39 resolves it.
final class HooksPathTests: XCTestCase {
    func testAbsoluteHooksPathIsUsedAndCreated() throws {
        let bench = try HookBench()
        let shared = bench.sandbox.root + "/shared/hooks"
        try bench.sandbox.git(["config", "core.hooksPath", shared])
        let installer = try bench.installer()
        XCTAssertEqual(try installer.hooksDirectory, shared)

        XCTAssertEqual(try installer.install(installer.defaultKinds).map(\.path),
                       [shared + "/post-commit", shared + "/pre-push", shared + "/commit-msg"])
        XCTAssertEqual(bench.mode(shared), 0o755)
        XCTAssertEqual(bench.mode(bench.sandbox.root + "/shared"), 0o755)
        XCTAssertFalse(FileManager.default.fileExists(atPath: bench.path + "/.git/hooks/post-commit"))

        try bench.sandbox.commit("through the shared hooks [#8]")
        XCTAssertEqual(bench.log.first, "call: hook commit-msg .git/COMMIT_EDITMSG")
        XCTAssertEqual(bench.log.last, "call: hook post-commit --commit <sha> --foreground")
    }

    func testRelativeHooksPathIsTakenFromTheWorkTreeRoot() throws {
        let bench = try HookBench()
        let subdirectory = bench.path + "/src/deep"
        try FileManager.default.createDirectory(atPath: subdirectory, withIntermediateDirectories: true)
        try bench.sandbox.git(["config", "core.hooksPath", "./tools/hooks/"])
        // Opened from a subdirectory, the path is still relative to the root of the work tree.
        let installer = try bench.installer(at: subdirectory)
        XCTAssertEqual(try installer.hooksDirectory, bench.path + "/tools/hooks")
        _ = try installer.install([.postCommit])

        try bench.sandbox.commit("from deep inside", file: "inner.txt", in: subdirectory)
        XCTAssertEqual(bench.log, ["call: hook post-commit --commit <sha> --foreground"])
    }

    func testRelativeHooksPathInABareRepositoryIsTakenFromTheGitDirectory() throws {
        let bench = try HookBench(bare: true)
        try bench.sandbox.git(["config", "core.hooksPath", "custom-hooks"])
        let installer = try bench.installer()
        XCTAssertEqual(try installer.hooksDirectory, bench.path + "/custom-hooks")
        XCTAssertEqual(try installer.install(installer.defaultKinds).map(\.path),
                       [bench.path + "/custom-hooks/post-receive"])

        let clone = try bench.clone()
        try bench.sandbox.commit("pushed [#4]", in: clone)
        try bench.sandbox.git(["push", "-q", "origin", "main"], in: clone)
        XCTAssertEqual(bench.log.first, "call: hook post-receive")
    }

    func testPostReceiveOfANonBareRepositoryResolvesFromTheGitDirectory() throws {
        // git runs push hooks from the git directory, so a relative hooksPath lands elsewhere for them.
        let bench = try HookBench()
        try bench.sandbox.commit("base")
        try bench.sandbox.git(["config", "core.hooksPath", "relative-hooks"])
        let installer = try bench.installer()
        XCTAssertEqual(try installer.hooksDirectory, bench.path + "/relative-hooks")
        XCTAssertEqual(try installer.hooksDirectory(for: .postReceive), bench.path + "/.git/relative-hooks")
        _ = try installer.install([.postReceive])

        let clone = bench.sandbox.root + "/clone"
        try bench.sandbox.git(["clone", "-q", bench.path, clone], in: bench.sandbox.root)
        try bench.sandbox.commit("to a side branch [#2]", in: clone)
        try bench.sandbox.git(["push", "-q", "origin", "HEAD:refs/heads/side"], in: clone)
        XCTAssertEqual(bench.log.first, "call: hook post-receive")
        XCTAssertEqual(bench.log.count, 2)
    }

    func testEmptyHooksPathIsAnError() throws {
        let bench = try HookBench()
        try bench.sandbox.git(["config", "core.hooksPath", ""])
        let installer = try bench.installer()
        XCTAssertThrowsError(try installer.install([.postCommit])) { error in
            XCTAssertEqual(error as? HookInstallerError, .emptyHooksPath)
        }
        XCTAssertThrowsError(try installer.status(.postCommit))
    }

    func testHooksPathThatIsAFileIsAnError() throws {
        let bench = try HookBench()
        let file = try bench.sandbox.writeFile("not-a-directory", Data("x".utf8))
        try bench.sandbox.git(["config", "core.hooksPath", file])
        XCTAssertThrowsError(try bench.installer().install([.postCommit])) { error in
            XCTAssertEqual(error as? HookInstallerError, .notADirectory(path: file))
            XCTAssertEqual(error.localizedDescription, "not a directory: \(file)")
        }
    }

    func testTildeIsExpandedAsGitDoes() throws {
        let home = try XCTUnwrap(ProcessInfo.processInfo.environment["HOME"])
        XCTAssertEqual(ConfiguredPath.resolve("~/git-hooks", relativeTo: "/repo"), ConfiguredPath.tidy(home + "/git-hooks"))
        XCTAssertEqual(ConfiguredPath.resolve("~root/hooks", relativeTo: "/repo"),
                       ConfiguredPath.tidy(String(cString: try XCTUnwrap(getpwnam("root")).pointee.pw_dir) + "/hooks"))
        XCTAssertEqual(ConfiguredPath.resolve("a/~/b/", relativeTo: "/repo"), "/repo/a/~/b")
        XCTAssertEqual(ConfiguredPath.resolve("../up//x", relativeTo: "/repo/"), "/repo/../up/x")
    }
}
