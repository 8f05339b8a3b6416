import Foundation
import GitKit
import HookInstaller
import TestSupport
import XCTest

/// Installing into a work tree with no hooks of its own, and what a real `git commit` then runs.
final class WorkTreeInstallTests: XCTestCase {
    func testFreshWorkTreeGetsExecutableHooksThatGitRuns() throws {
        let bench = try HookBench()
        let installer = try bench.installer()
        XCTAssertEqual(installer.defaultKinds, [.postCommit, .prePush, .commitMsg])
        XCTAssertEqual(try installer.hooksDirectory, bench.path + "/.git/hooks")

        let results = try installer.install(installer.defaultKinds)
        let hooks = bench.path + "/.git/hooks"
        XCTAssertEqual(results, [
            InstallResult(kind: .postCommit, path: hooks + "/post-commit", action: .installed),
            InstallResult(kind: .prePush, path: hooks + "/pre-push", action: .installed),
            InstallResult(kind: .commitMsg, path: hooks + "/commit-msg", action: .installed),
        ])
        for name in ["post-commit", "commit-msg"] {
            XCTAssertEqual(bench.mode(hooks + "/" + name), 0o755, name)
            let text = String(decoding: try XCTUnwrap(bench.contents(hooks + "/" + name)), as: UTF8.self)
            XCTAssertTrue(text.contains("\nCOMMITBRIDGE_BIN='\(bench.fakeBinary)'\n"), text)
        }
        XCTAssertFalse(bench.listing(hooks).contains { $0.hasSuffix(".commitbridge-chained") })

        try bench.sandbox.commit("Add the thing [#42]")
        XCTAssertEqual(bench.log, [
            "call: hook commit-msg .git/COMMIT_EDITMSG",
            "message: Add the thing [#42]",
            "call: hook post-commit --commit <sha> --foreground",
        ])
    }

    func testMissingHooksDirectoryIsCreatedWithMode0755() throws {
        let bench = try HookBench()
        let hooks = bench.path + "/.git/hooks"
        try FileManager.default.removeItem(atPath: hooks)
        // A strict umask must not leave the directory or the scripts unreadable to others.
        let previous = umask(0o077)
        defer { umask(previous) }
        _ = try bench.installer().install([.postCommit])
        XCTAssertEqual(bench.mode(hooks), 0o755)
        XCTAssertEqual(bench.mode(hooks + "/post-commit"), 0o755)
        XCTAssertEqual(bench.listing(hooks), ["post-commit"])
    }

    func testInstallingTwiceChangesNothing() throws {
        let bench = try HookBench()
        let hooks = bench.defaultHooksDirectory
        let installer = try bench.installer()
        _ = try installer.install(installer.defaultKinds)
        let listing = bench.listing(hooks)
        let postCommit = bench.contents(hooks + "/post-commit")
        let commitMsg = bench.contents(hooks + "/commit-msg")

        let again = try installer.install(installer.defaultKinds)
        XCTAssertEqual(again.map(\.action), [.alreadyInstalled, .alreadyInstalled, .alreadyInstalled])
        XCTAssertEqual(bench.listing(hooks), listing)
        XCTAssertEqual(bench.contents(hooks + "/post-commit"), postCommit)
        XCTAssertEqual(bench.contents(hooks + "/commit-msg"), commitMsg)
    }

    func testNewBinaryPathUpdatesOurHookInPlace() throws {
        let bench = try HookBench()
        let hooks = bench.defaultHooksDirectory
        _ = try bench.installer().install([.postCommit])
        let moved = bench.sandbox.root + "/elsewhere/commitbridge"
        try bench.makeFakeBinary(at: moved, label: "moved")

        let results = try bench.installer(binary: moved).install([.postCommit])
        XCTAssertEqual(results.map(\.action), [.updated])
        let text = String(decoding: try XCTUnwrap(bench.contents(hooks + "/post-commit")), as: UTF8.self)
        XCTAssertTrue(text.contains("COMMITBRIDGE_BIN='\(moved)'"))
        XCTAssertFalse(text.contains(bench.fakeBinary))
        XCTAssertEqual(bench.listing(hooks).filter { $0.hasPrefix("post-commit") }, ["post-commit"])

        try bench.sandbox.commit("after the move")
        XCTAssertEqual(bench.log, ["moved: hook post-commit --commit <sha> --foreground"])
    }

    func testWrongModeOnOurHookIsRepaired() throws {
        let bench = try HookBench()
        let hook = bench.defaultHooksDirectory + "/post-commit"
        _ = try bench.installer().install([.postCommit])
        XCTAssertEqual(chmod(hook, 0o644), 0)
        XCTAssertEqual(try bench.installer().install([.postCommit]).map(\.action), [.updated])
        XCTAssertEqual(bench.mode(hook), 0o755)
    }

    func testBinaryPathWithSpacesAndQuotesIsQuotedForTheShell() throws {
        let bench = try HookBench()
        let odd = bench.sandbox.root + "/my tools/it's $HOME `x`/commitbridge"
        try bench.makeFakeBinary(at: odd, label: "odd")
        _ = try bench.installer(binary: odd).install([.postCommit, .commitMsg])
        try bench.sandbox.commit("quoted [#7]")
        XCTAssertEqual(bench.log, [
            "odd: hook commit-msg .git/COMMIT_EDITMSG", "message: quoted [#7]", "odd: hook post-commit --commit <sha> --foreground",
        ])
    }

    func testBinaryIsFoundOnPathWhenTheInstalledOneIsGone() throws {
        let bench = try HookBench()
        _ = try bench.installer(binary: bench.sandbox.root + "/gone/commitbridge").install([.postCommit])
        let onPath = bench.sandbox.root + "/path-bin"
        try bench.makeFakeBinary(at: onPath + "/commitbridge", label: "from-path")
        let result = try bench.gitResult(["commit", "-q", "--allow-empty", "-m", "x"],
                                         extraEnvironment: ["PATH": onPath + ":/usr/bin:/bin"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.err, "")
        XCTAssertEqual(bench.log, ["from-path: hook post-commit --commit <sha> --foreground"])
    }

    func testRelativeBinaryPathIsRefusedBeforeAnythingIsWritten() throws {
        let bench = try HookBench()
        XCTAssertThrowsError(try bench.installer(binary: "bin/commitbridge").install([.postCommit])) { error in
            XCTAssertEqual(error as? HookInstallerError, .invalidBinaryPath("bin/commitbridge"))
        }
        XCTAssertFalse(bench.listing(bench.defaultHooksDirectory).contains("post-commit"))
    }

    func testMissingTemplateStopsTheWholeInstallUpFront() throws {
        let bench = try HookBench()
        let scripts = bench.sandbox.root + "/scripts"
        try FileManager.default.createDirectory(atPath: scripts, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: HookBench.scriptsDirectory + "/post-commit",
                                         toPath: scripts + "/post-commit")
        let installer = try bench.installer(scripts: scripts)
        XCTAssertThrowsError(try installer.install([.postCommit, .commitMsg])) { error in
            XCTAssertEqual(error as? HookInstallerError, .templateMissing(path: scripts + "/commit-msg"))
            XCTAssertEqual(error.localizedDescription, "hook script not found: \(scripts)/commit-msg")
        }
        // post-commit came first and could have been written: nothing is, when any kind fails its checks.
        XCTAssertEqual(try installer.status(.postCommit), .absent)
    }

    func testTemplateWithoutMarkerIsRefused() throws {
        let bench = try HookBench()
        let scripts = bench.sandbox.root + "/scripts"
        try bench.writeScript(scripts + "/post-commit", "#!/bin/sh\nCOMMITBRIDGE_BIN=\n# commitbridge:chain\n")
        XCTAssertThrowsError(try bench.installer(scripts: scripts).install([.postCommit])) { error in
            guard case .templateInvalid(let path, _) = error as? HookInstallerError else {
                return XCTFail("unexpected \(error)")
            }
            XCTAssertEqual(path, scripts + "/post-commit")
        }
    }

    func testStatusFollowsInstallAndUninstall() throws {
        let bench = try HookBench()
        let installer = try bench.installer()
        XCTAssertEqual(try installer.status(.postCommit), .absent)
        _ = try installer.install([.postCommit])
        XCTAssertEqual(try installer.status(.postCommit), .installed)
        XCTAssertEqual(try installer.status(.commitMsg), .absent)
        _ = try installer.uninstall([.postCommit])
        XCTAssertEqual(try installer.status(.postCommit), .absent)
    }
}
