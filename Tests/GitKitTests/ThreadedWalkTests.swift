import Foundation
import GitKit
import XCTest

/// `walk(_:readers:…)` reads commits on several threads and must hand them back exactly as the
/// single-threaded walk does: same commits, same order, same contents.
final class ThreadedWalkTests: XCTestCase {
    /// A history of `count` commits with merges every 25 (a side branch of two commits), by fast-import.
    private func makeHistory(_ sandbox: GitSandbox, count: Int) throws -> String {
        let repo = try sandbox.makeRepository("threaded")
        var stream = ""
        var mark = 0
        var last = 0
        for number in 1...count {
            mark += 1
            let message = "Commit \(number) [#\(number % 13)]\n"
            stream += "commit refs/heads/main\nmark :\(mark)\n"
            stream += "committer Bench <bench@example.com> \(1_500_000_000 + mark * 60) +0000\n"
            stream += "data \(message.utf8.count)\n\(message)"
            if last > 0 { stream += "from :\(last)\n" }
            if number % 25 == 0 && last > 1 { stream += "merge :\(last - 1)\n" }
            stream += "\n"
            last = mark
        }
        try sandbox.git(in: repo, ["fast-import", "--quiet"], input: Data(stream.utf8))
        return repo
    }

    func testThreadedWalkMatchesTheSingleThreadedOneAndGit() throws {
        let sandbox = try GitSandbox()
        let repo = try makeHistory(sandbox, count: 1_200)
        let repository = try Repository.discover(at: repo)
        var single: [Commit] = []
        try repository.walk(["main"]) { single.append($0) }
        for readers in [2, 3] {
            var threaded: [String] = []
            try repository.walk(["main"], readers: readers, threadedFrom: 0, transform: { "\($0.sha) \($0.message)" }) {
                threaded.append($0)
            }
            XCTAssertEqual(threaded, single.map { "\($0.sha) \($0.message)" }, "\(readers) readers")
        }
        XCTAssertEqual(single.map(\.sha), try sandbox.revList(in: repo, ["main"]))
        XCTAssertEqual(single.count, 1_200)
    }

    func testRangeWithAnExcludedSideIsTheSameThreaded() throws {
        let sandbox = try GitSandbox()
        let repo = try makeHistory(sandbox, count: 700)
        let repository = try Repository.discover(at: repo)
        var threaded: [String] = []
        try repository.walk(["main~300..main"], readers: 2, threadedFrom: 0, transform: { $0.sha }) { threaded.append($0) }
        XCTAssertEqual(threaded, try sandbox.revList(in: repo, ["main~300..main"]))
    }

    func testAnErrorFromTheBodyStopsTheWalk() throws {
        struct Stop: Error {}
        let sandbox = try GitSandbox()
        let repo = try makeHistory(sandbox, count: 600)
        let repository = try Repository.discover(at: repo)
        var seen = 0
        XCTAssertThrowsError(try repository.walk(["main"], readers: 2, threadedFrom: 0, transform: { $0.sha }) { _ in
            seen += 1
            if seen == 300 { throw Stop() }
        }) { XCTAssertTrue($0 is Stop) }
        XCTAssertEqual(seen, 300)
    }

    /// `scan` reads only the commits `mustRead` picks (from the raw message) and hands the others over
    /// unread, in the same order as the walk, threaded or not.
    func testScanReadsOnlyWhatItIsAskedToAndKeepsTheOrder() throws {
        let sandbox = try GitSandbox()
        let repo = try makeHistory(sandbox, count: 1_200)
        let repository = try Repository.discover(at: repo)
        var all: [Commit] = []
        try repository.walk(["main"]) { all.append($0) }
        // Messages are "Commit N [#N % 13]"; read those whose story is #0 (a byte test on the raw message).
        let wantedMarker = Array("[#0]".utf8)
        let expected = all.map { commit in
            commit.message.contains("[#0]") ? "read \(commit.sha) \(commit.message)" : "unread \(commit.sha) \(commit.parentCount)"
        }
        for (readers, threadedFrom) in [(1, 1_000), (2, 0), (3, 0)] {
            var seen: [String] = []
            var asked = 0
            try repository.scan(["main"], readers: readers, threadedFrom: threadedFrom,
                                mustRead: { _, message in
                                    asked += 1
                                    return message.indices.contains { index in
                                        message[index...].starts(with: wantedMarker)
                                    }
                                },
                                unread: { "unread \($0) \($1)" },
                                transform: { "read \($0.sha) \($0.message)" }) { seen.append($0) }
            XCTAssertEqual(seen, expected, "\(readers) readers")
            XCTAssertEqual(asked, 1_200, "every commit's message is looked at once")
        }
        XCTAssertEqual(expected.filter { $0.hasPrefix("read") }.count, 92, "one commit in 13 is read")
    }
}
