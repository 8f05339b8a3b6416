import Foundation
import HookInstaller
import TestSupport
import XCTest

/// Hooks are shared by all worktrees: installing from a linked one writes to the common directory.
final class LinkedWorktreeTests: XCTestCase {
    func testLinkedWorktreeInstallsIntoTheCommonDirectory() throws {
        let bench = try HookBench()
        try bench.sandbox.commit("base")
        let linked = bench.sandbox.root + "/linked"
        try bench.sandbox.git(["worktree", "add", "-q", "-b", "side", linked])

        let installer = try bench.installer(at: linked)
        XCTAssertNotEqual(installer.repository.gitDirectory, installer.repository.commonDirectory)
        XCTAssertEqual(try installer.hooksDirectory, installer.repository.commonDirectory + "/hooks")
        XCTAssertEqual(try installer.install(installer.defaultKinds).map(\.path),
                       [bench.path + "/.git/hooks/post-commit", bench.path + "/.git/hooks/pre-push", bench.path + "/.git/hooks/commit-msg"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: installer.repository.gitDirectory + "/hooks"))

        try bench.sandbox.commit("in the linked worktree [#6]", in: linked)
        XCTAssertEqual(bench.log.last, "call: hook post-commit --commit <sha> --foreground")
        bench.clearLog()
        try bench.sandbox.commit("in the main worktree [#6]")
        XCTAssertEqual(bench.log.last, "call: hook post-commit --commit <sha> --foreground")
    }
}
