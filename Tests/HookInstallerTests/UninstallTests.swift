import Foundation
import HookInstaller
import TestSupport
import XCTest

/// `uninstall` puts back exactly what was there before `install`.
final class UninstallTests: XCTestCase {
    func testOwnHooksComeBackByteForByteWithTheirModes() throws {
        let bench = try HookBench()
        let hooks = bench.defaultHooksDirectory
        try bench.writeScript(hooks + "/post-commit", "#!/bin/sh\n# mine\ntrue\n", mode: 0o751)
        try bench.writeScript(hooks + "/commit-msg", "#!/bin/bash\nexit 0 # no newline at the end", mode: 0o700)
        let before = bench.listing(hooks).map { ($0, bench.contents(hooks + "/" + $0), bench.mode(hooks + "/" + $0)) }

        let installer = try bench.installer()
        _ = try installer.install(installer.defaultKinds)
        XCTAssertEqual(try installer.uninstall(installer.defaultKinds), [
            InstallResult(kind: .postCommit, path: hooks + "/post-commit", action: .restored),
            InstallResult(kind: .prePush, path: hooks + "/pre-push", action: .removed),
            InstallResult(kind: .commitMsg, path: hooks + "/commit-msg", action: .restored),
        ])
        let after = bench.listing(hooks).map { ($0, bench.contents(hooks + "/" + $0), bench.mode(hooks + "/" + $0)) }
        XCTAssertEqual(after.map(\.0), before.map(\.0))
        XCTAssertEqual(after.map(\.1), before.map(\.1))
        XCTAssertEqual(after.map(\.2), before.map(\.2))
        XCTAssertEqual(try installer.status(.postCommit), .foreign)

        // The next commit runs only the repository's own hooks.
        try bench.sandbox.commit("after uninstall [#3]")
        XCTAssertEqual(bench.log, [])
    }

    func testOurHooksAreRemovedWhenNothingWasThere() throws {
        let bench = try HookBench()
        let hooks = bench.defaultHooksDirectory
        let before = bench.listing(hooks)
        let installer = try bench.installer()
        _ = try installer.install(installer.defaultKinds)
        XCTAssertEqual(try installer.uninstall(installer.defaultKinds).map(\.action), [.removed, .removed, .removed])
        XCTAssertEqual(bench.listing(hooks), before)
        XCTAssertEqual(try installer.uninstall(installer.defaultKinds).map(\.action), [.notInstalled, .notInstalled, .notInstalled])

        try bench.sandbox.commit("no hooks [#3]")
        XCTAssertEqual(bench.log, [])
    }

    func testForeignHookIsNeverTouched() throws {
        let bench = try HookBench()
        let hook = bench.defaultHooksDirectory + "/post-commit"
        try bench.writeScript(hook, "#!/bin/sh\necho another tool\n", mode: 0o700)
        let installer = try bench.installer()
        XCTAssertEqual(try installer.uninstall([.postCommit]),
                       [InstallResult(kind: .postCommit, path: hook, action: .leftForeign)])
        XCTAssertEqual(bench.contents(hook), Data("#!/bin/sh\necho another tool\n".utf8))
        XCTAssertEqual(bench.mode(hook), 0o700)
        XCTAssertEqual(try installer.status(.postCommit), .foreign)
    }

    func testUninstallAfterAnUpdateStillRestoresTheOriginal() throws {
        let bench = try HookBench()
        let hook = bench.defaultHooksDirectory + "/post-commit"
        try bench.writeScript(hook, "#!/bin/sh\necho original\n", mode: 0o755)
        _ = try bench.installer().install([.postCommit])
        let moved = bench.sandbox.root + "/moved/commitbridge"
        try bench.makeFakeBinary(at: moved, label: "moved")
        _ = try bench.installer(binary: moved).install([.postCommit])
        XCTAssertEqual(try bench.installer().uninstall([.postCommit]).map(\.action), [.restored])
        XCTAssertEqual(bench.contents(hook), Data("#!/bin/sh\necho original\n".utf8))
        XCTAssertFalse(FileManager.default.fileExists(atPath: hook + ".commitbridge-chained"))
    }
}
