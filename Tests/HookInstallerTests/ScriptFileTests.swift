import Foundation
import HookInstaller
import TestSupport
import XCTest

/// The scripts of hooks/ as they are committed, and as the installer writes them.
final class ScriptFileTests: XCTestCase {
    func testScriptsAreCommittedExecutable() throws {
        let repositoryRoot = (HookBench.scriptsDirectory as NSString).deletingLastPathComponent
        let listed = try ProcessRunner.run("/usr/bin/git", ["-C", repositoryRoot, "ls-files", "-s", "hooks"])
        guard listed.status == 0, !listed.outLines.isEmpty else {
            throw XCTSkip("the sources are not a git checkout with hooks/ committed")
        }
        let modes = Dictionary(uniqueKeysWithValues: listed.outLines.map { line -> (String, String) in
            let fields = line.split(separator: "\t")
            return (String(fields[1]), String(fields[0].prefix(6)))
        })
        XCTAssertEqual(modes, ["hooks/commit-msg": "100755", "hooks/post-commit": "100755", "hooks/post-receive": "100755", "hooks/pre-push": "100755"])
        for kind in HookKind.allCases {
            XCTAssertTrue(FileManager.default.isExecutableFile(atPath: HookBench.scriptsDirectory + "/" + kind.rawValue))
        }
    }

    func testEveryWrittenVariantIsValidShAndSmall() throws {
        let bench = try HookBench()
        // Foreign hooks in place make the installer write the chained variants.
        for kind in HookKind.allCases {
            try bench.writeScript(bench.defaultHooksDirectory + "/" + kind.rawValue, "#!/bin/sh\nexit 0\n")
        }
        let plain = try HookBench()
        _ = try bench.installer().install(HookKind.allCases)
        _ = try plain.installer().install(HookKind.allCases)
        for (variant, hooks) in [("chained", bench.defaultHooksDirectory), ("plain", plain.defaultHooksDirectory)] {
            for kind in HookKind.allCases {
                let path = hooks + "/" + kind.rawValue
                let check = try ProcessRunner.run("/bin/sh", ["-n", path])
                XCTAssertEqual(check.status, 0, "\(variant) \(kind.rawValue): \(check.err)")
                let lines = String(decoding: try XCTUnwrap(bench.contents(path)), as: UTF8.self).split(separator: "\n")
                XCTAssertLessThan(lines.count, 40, "\(variant) \(kind.rawValue)")
                // One git call at most: post-commit's, which names the git directory and the new commit.
                let gitCalls = lines.filter { $0.contains("git ") && !$0.hasPrefix("#") }
                XCTAssertEqual(gitCalls.map { $0.contains("$(git rev-parse --git-dir HEAD 2>/dev/null)") },
                               kind == .postCommit ? [true] : [], "\(variant) \(kind.rawValue) calls git")
            }
        }
        // The plain post-commit starts commitbridge in the background, holding none of git's pipes.
        let postCommit = String(decoding: try XCTUnwrap(plain.contents(plain.defaultHooksDirectory + "/post-commit")),
                                as: UTF8.self)
        XCTAssertTrue(postCommit.contains("\t\"$bin\" hook post-commit --commit \"$head\" --background </dev/null >/dev/null 2>&1 &\n"), postCommit)
        XCTAssertFalse(postCommit.contains(" | "), "no pipelines")
    }
}
