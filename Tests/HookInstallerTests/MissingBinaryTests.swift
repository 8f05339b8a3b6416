import Foundation
import HookInstaller
import TestSupport
import XCTest

/// A hook whose binary is gone says so in one line and never blocks git.
final class MissingBinaryTests: XCTestCase {
    /// A PATH with the system's tools and no commitbridge.
    private let barePath = ["PATH": "/usr/bin:/bin"]

    func testCommitSucceedsWithOneLineOnStderr() throws {
        let bench = try HookBench()
        _ = try bench.installer(binary: bench.sandbox.root + "/gone/commitbridge").install([.postCommit])
        let result = try bench.gitResult(["commit", "-q", "--allow-empty", "-m", "still works [#1]"],
                                         extraEnvironment: barePath)
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.err, HookBench.notFoundLine + "\n")
        XCTAssertEqual(try bench.sandbox.git(["log", "-1", "--format=%s"]), "still works [#1]")
    }

    func testEveryKindExitsZeroWithOneLine() throws {
        let bench = try HookBench()
        let installer = try bench.installer(binary: bench.sandbox.root + "/gone/commitbridge")
        _ = try installer.install(HookKind.allCases)
        let hooks = try installer.hooksDirectory
        let message = try bench.sandbox.writeFile("message", Data("hello\n".utf8))
        for kind in HookKind.allCases {
            let arguments = kind == .commitMsg ? [message] : []
            let stdin = kind == .postReceive ? Data("a b refs/heads/main\n".utf8) : nil
            let result = try bench.run(hooks + "/" + kind.rawValue, arguments, stdin: stdin, extraEnvironment: barePath)
            XCTAssertEqual(result.status, 0, kind.rawValue)
            XCTAssertEqual(result.err, HookBench.notFoundLine + "\n", kind.rawValue)
            XCTAssertEqual(result.out, "", kind.rawValue)
        }
        XCTAssertEqual(bench.log, [])
    }

    func testTheRepositoryCopiesFindNoBinaryOfTheirOwn() throws {
        // In hooks/ the binary line is empty: only PATH can supply commitbridge.
        let bench = try HookBench()
        for kind in HookKind.allCases {
            let script = HookBench.scriptsDirectory + "/" + kind.rawValue
            let text = String(decoding: try XCTUnwrap(bench.contents(script)), as: UTF8.self)
            XCTAssertTrue(text.split(separator: "\n").contains("COMMITBRIDGE_BIN="), kind.rawValue)
            let result = try bench.run(script, kind == .commitMsg ? ["/dev/null"] : [], extraEnvironment: barePath)
            XCTAssertEqual(result.status, 0, kind.rawValue)
            XCTAssertEqual(result.err, HookBench.notFoundLine + "\n", kind.rawValue)
        }
    }
}
