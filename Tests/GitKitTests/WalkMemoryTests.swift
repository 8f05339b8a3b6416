import Foundation
import GitKit
import GitTestSupport
import XCTest

/// The walk streams: holding on to nothing per commit, memory stays flat while the body runs.
final class WalkMemoryTests: XCTestCase {
    func testMemoryStaysFlatDuringLongWalk() throws {
        #if os(Linux)
        let sandbox = try GitSandbox()
        let repo = try sandbox.makeRepository("long")
        let commitCount = 20_000
        // Messages of about 2 KB: small enough that libgit2 would cache them if GitKit let it.
        let body = String(repeating: "This line pads the message so that each commit is large. ", count: 35)
        try sandbox.importLinearHistory(in: repo, count: commitCount, message: { "Commit \($0)\n\n\(body)\n" },
                                        time: { 1_500_000_000 + $0 })

        let repository = try Repository.discover(at: repo)
        let before = Self.residentKilobytes()
        var seen = 0
        var early = 0
        var earlyAnonymous = 0
        var lateAnonymous = 0
        try repository.walk(["main"]) { _ in
            seen += 1
            if seen == commitCount / 10 { early = Self.residentKilobytes(); earlyAnonymous = Self.residentKilobytes("RssAnon:") }
            if seen == commitCount * 9 / 10 { lateAnonymous = Self.residentKilobytes("RssAnon:") }
        }
        XCTAssertEqual(seen, commitCount)
        XCTAssertGreaterThan(before, 0)
        // Before the first commit libgit2 has sorted the whole history: its commit list (about a
        // hundred bytes a commit) and the mapped pack. With libgit2's object cache left on, the
        // ~2 KB raw commits were kept as well, about 50 MB here.
        XCTAssertLessThan(early - before, 24 * 1024, "walk set-up grew memory from \(before) kB to \(early) kB")
        // 16,000 commits pass between the samples; nothing of them may stay behind. Anonymous memory
        // is compared: the mapped pack windows (file pages, up to 8 MiB, mapped 2 MiB at a time) come
        // and go as the walk moves through the pack, and would add a window's worth of noise.
        XCTAssertLessThan(lateAnonymous - earlyAnonymous, 2 * 1024,
                          "anonymous resident memory grew from \(earlyAnonymous) kB to \(lateAnonymous) kB")
        #else
        throw XCTSkip("reads /proc/self/status")
        #endif
    }

    /// A resident-memory line of /proc/self/status (default: the whole resident set), in kB.
    private static func residentKilobytes(_ field: String = "VmRSS:") -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        for line in status.split(separator: "\n") where line.hasPrefix(field) {
            return line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        }
        return 0
    }
}
