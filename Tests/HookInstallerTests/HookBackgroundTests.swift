import Foundation
import TestSupport
import XCTest

/// The installed post-commit hands the new commit's id to a background `commitbridge` and returns:
/// git waits for neither that process nor its output, and a rebase hands over nothing.
final class HookBackgroundTests: XCTestCase {
    /// A fake commitbridge that, for a background call, waits until `gate` exists (20 s at most)
    /// before logging; every other call logs at once.
    private func makeGatedBinary(_ bench: HookBench, gate: String) throws -> String {
        let path = bench.sandbox.root + "/gated/commitbridge"
        try FileManager.default.createDirectory(atPath: bench.sandbox.root + "/gated", withIntermediateDirectories: true)
        try bench.writeScript(path, """
            #!/bin/sh
            case "$*" in *--background*)
            \ttries=0
            \twhile [ ! -e '\(gate)' ] && [ $tries -lt 200 ]; do sleep 0.1; tries=$((tries + 1)); done;;
            esac
            printf 'gated:' >>'\(bench.logPath)'
            printf ' %s' "$@" >>'\(bench.logPath)'
            printf '\\n' >>'\(bench.logPath)'

            """)
        return path
    }

    private func waitForLog(_ bench: HookBench, lines: Int) -> [String] {
        for _ in 0..<200 where bench.rawLog.count < lines { usleep(100_000) }
        return bench.rawLog
    }

    func testGitCommitReturnsBeforeTheBackgroundCallFinishes() throws {
        let bench = try HookBench()
        bench.sandbox.extraEnvironment["COMMITBRIDGE_HOOK_FOREGROUND"] = nil
        let gate = bench.sandbox.root + "/gate"
        _ = try bench.installer(binary: try makeGatedBinary(bench, gate: gate)).install([.postCommit])

        // gitResult reads git's stdout and stderr to their end: had the background process kept
        // either pipe open, this would not return before the gate opens (and the log would be written).
        let result = try bench.gitResult(["commit", "-q", "--allow-empty", "-m", "quick [#3]"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.err, "")
        XCTAssertEqual(bench.rawLog, [], "the background call is still waiting at its gate")

        let head = try bench.sandbox.git(["rev-parse", "HEAD"])
        FileManager.default.createFile(atPath: gate, contents: nil)
        XCTAssertEqual(waitForLog(bench, lines: 1), ["gated: hook post-commit --commit \(head) --background"])
    }

    func testEachCommitOfAQuickSeriesIsHandedOverByItsOwnId() throws {
        let bench = try HookBench()
        bench.sandbox.extraEnvironment["COMMITBRIDGE_HOOK_FOREGROUND"] = nil
        _ = try bench.installer().install([.postCommit])
        let shas = try (1...5).map { try bench.sandbox.commit("series \($0) [#\($0)]") }
        let logged = waitForLog(bench, lines: 5)
        XCTAssertEqual(Set(logged), Set(shas.map { "call: hook post-commit --commit \($0) --background" }))
    }

    func testARebaseHandsOverNothing() throws {
        let bench = try HookBench()
        try bench.sandbox.commit("base")
        try bench.sandbox.git(["checkout", "-q", "-b", "topic"])
        try bench.sandbox.commit("topic one [#1]", file: "topic.txt")
        try bench.sandbox.commit("topic two [#2]", file: "topic.txt")
        try bench.sandbox.git(["checkout", "-q", "main"])
        try bench.sandbox.commit("main moves on", file: "main.txt")
        _ = try bench.installer().install([.postCommit])
        bench.clearLog()

        try bench.sandbox.git(["rebase", "-q", "main", "topic"])
        XCTAssertEqual(bench.log, [], "no commit rewritten by the rebase is handed over")
        try bench.sandbox.commit("after the rebase [#3]")
        XCTAssertEqual(bench.log, ["call: hook post-commit --commit <sha> --foreground"])
    }
}
