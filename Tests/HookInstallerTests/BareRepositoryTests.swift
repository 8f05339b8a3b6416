import Foundation
import HookInstaller
import TestSupport
import XCTest

/// post-receive in a bare repository: real pushes, and stdin for every hook that wants it.
final class BareRepositoryTests: XCTestCase {
    private let zero = String(repeating: "0", count: 40)

    /// A clone of the bare sandbox with two branches pushed at once; returns the pushed tips.
    private func pushTwoBranches(_ bench: HookBench) throws -> (main: String, topic: String) {
        let clone = try bench.clone()
        let main = try bench.sandbox.commit("first [#1]", in: clone)
        try bench.sandbox.git(["checkout", "-q", "-b", "topic"], in: clone)
        let topic = try bench.sandbox.commit("second [#2]", in: clone)
        try bench.sandbox.git(["push", "-q", "origin", "main", "topic"], in: clone)
        return (main, topic)
    }

    func testDefaultKindIsPostReceiveAndAPushFeedsItTheRefLines() throws {
        let bench = try HookBench(bare: true)
        let installer = try bench.installer()
        XCTAssertEqual(installer.defaultKinds, [.postReceive])
        XCTAssertEqual(try installer.hooksDirectory, bench.path + "/hooks")
        XCTAssertEqual(try installer.install(installer.defaultKinds),
                       [InstallResult(kind: .postReceive, path: bench.path + "/hooks/post-receive", action: .installed)])

        let tips = try pushTwoBranches(bench)
        XCTAssertEqual(bench.log, [
            "call: hook post-receive",
            "stdin: \(zero) \(tips.main) refs/heads/main",
            "stdin: \(zero) \(tips.topic) refs/heads/topic",
        ])
    }

    func testOwnPostReceiveAndOursBothReadTheWholeStdin() throws {
        let bench = try HookBench(bare: true)
        let copy = bench.sandbox.root + "/own-stdin"
        try bench.writeScript(bench.path + "/hooks/post-receive", "#!/bin/sh\ncat >'\(copy)'\n")
        let installer = try bench.installer()
        XCTAssertEqual(try installer.install(installer.defaultKinds).map(\.action),
                       [.chained(existing: bench.path + "/hooks/post-receive.commitbridge-chained")])

        let tips = try pushTwoBranches(bench)
        let expected = "\(zero) \(tips.main) refs/heads/main\n\(zero) \(tips.topic) refs/heads/topic\n"
        XCTAssertEqual(try String(contentsOfFile: copy, encoding: .utf8), expected)
        XCTAssertEqual(bench.log, ["call: hook post-receive"] + expected.split(separator: "\n").map { "stdin: \($0)" })
    }

    func testChainedPostReceiveKeepsTheOldStatusAndLeavesNoTemporaryFile() throws {
        let bench = try HookBench(bare: true)
        let hook = bench.path + "/hooks/post-receive"
        let copy = bench.sandbox.root + "/own-stdin"
        try bench.writeScript(hook, "#!/bin/sh\necho \"$#\" >'\(copy)'\ncat >>'\(copy)'\nexit 5\n")
        _ = try bench.installer().install([.postReceive])
        let temporary = bench.sandbox.root + "/tmp"
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)

        let input = "a b refs/heads/x\nc d refs/heads/y\n"
        let result = try bench.run(hook, stdin: Data(input.utf8), extraEnvironment: ["TMPDIR": temporary])
        XCTAssertEqual(result.status, 5)
        XCTAssertEqual(try String(contentsOfFile: copy, encoding: .utf8), "0\n" + input)
        XCTAssertEqual(bench.log, ["call: hook post-receive", "stdin: a b refs/heads/x", "stdin: c d refs/heads/y"])
        XCTAssertEqual(bench.listing(temporary), [])
    }

    func testUninstallInABareRepositoryRestoresTheOwnHook() throws {
        let bench = try HookBench(bare: true)
        let hook = bench.path + "/hooks/post-receive"
        try bench.writeScript(hook, "#!/bin/sh\ncat >/dev/null\n", mode: 0o775)
        let installer = try bench.installer()
        _ = try installer.install(installer.defaultKinds)
        XCTAssertEqual(try installer.uninstall(installer.defaultKinds).map(\.action), [.restored])
        XCTAssertEqual(bench.contents(hook), Data("#!/bin/sh\ncat >/dev/null\n".utf8))
        XCTAssertEqual(bench.mode(hook), 0o775)
    }
}
