import Foundation
import GitKit
import GitTestSupport
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
            let asked = Counter()
            try repository.scan(["main"], readers: readers, threadedFrom: threadedFrom,
                                mustRead: { _, message in
                                    asked.add()
                                    return message.indices.contains { index in
                                        message[index...].starts(with: wantedMarker)
                                    }
                                },
                                unread: { "unread \($0) \($1)" },
                                transform: { "read \($0.sha) \($0.message)" }) { seen.append($0) }
            XCTAssertEqual(seen, expected, "\(readers) readers")
            XCTAssertEqual(asked.value, 1_200, "every commit's message is looked at once")
        }
        XCTAssertEqual(expected.filter { $0.hasPrefix("read") }.count, 92, "one commit in 13 is read")
    }

    /// Over more batches than the readers may run ahead (24 of 256 commits), with and without a
    /// commit-graph file, the threaded scan gives what the single-threaded one gives; an error from
    /// the body stops it there.
    func testALongThreadedScanKeepsOrderAndStopsOnAnError() throws {
        struct Stop: Error {}
        let sandbox = try GitSandbox()
        let repo = try makeHistory(sandbox, count: 6_000)
        let repository = try Repository.discover(at: repo)
        func scanned(readers: Int, stopAt: Int? = nil) throws -> [String] {
            var seen: [String] = []
            try repository.scan(["main"], readers: readers, threadedFrom: 0,
                                mustRead: { _, message in message.starts(with: Array("Commit 1".utf8)) },
                                unread: { "unread \($0) \($1)" },
                                transform: { "read \($0.sha) \($0.message)" }) {
                seen.append($0)
                if seen.count == stopAt { throw Stop() }
            }
            return seen
        }
        let single = try scanned(readers: 1)
        XCTAssertEqual(single.count, 6_000)
        XCTAssertEqual(single.filter { $0.hasPrefix("read") }.count, 1_111, "Commit 1, 10-19, 100-199, 1000-1999")
        XCTAssertEqual(try scanned(readers: 2), single)
        var stoppedAfter = 0
        XCTAssertThrowsError(try scanned(readers: 2, stopAt: 3_500)) { XCTAssertTrue($0 is Stop) }
        try repository.scan(["main"], readers: 2, threadedFrom: 0, mustRead: { _, _ in true }, unread: { _, _ in 0 },
                            transform: { _ in 1 }) { stoppedAfter += $0 }
        XCTAssertEqual(stoppedAfter, 6_000, "the repository reads normally after a stopped scan")

        try sandbox.git(in: repo, ["commit-graph", "write", "--reachable"])
        let withGraph = try Repository.discover(at: repo)
        var graphSeen: [String] = []
        try withGraph.scan(["main"], readers: 2, threadedFrom: 0,
                           mustRead: { _, message in message.starts(with: Array("Commit 1".utf8)) },
                           unread: { "unread \($0) \($1)" },
                           transform: { "read \($0.sha) \($0.message)" }) { graphSeen.append($0) }
        XCTAssertEqual(graphSeen, single, "with a commit-graph file")
    }

    /// With a commit-graph file (either generation version, written before the last commits were
    /// made, with octopus merges in it), `scan` takes parents and times from the file and must still
    /// hand over exactly what the plain walk and `git rev-list` give. A damaged file is ignored.
    func testScanWithACommitGraphMatchesTheWalkAndGit() throws {
        for version in [1, 2] {
            let sandbox = try GitSandbox()
            let repo = try makeHistory(sandbox, count: 900)
            // Merges of side commits reachable only through second and third parents; the octopus
            // merges' third parents go to the graph's extra-edge list.
            for number in 0..<3 {
                let head = try sandbox.git(in: repo, ["rev-parse", "main"])
                let tree = try sandbox.git(in: repo, ["rev-parse", "main^{tree}"])
                var sides: [String] = []
                for side in 0..<2 {
                    let base = try sandbox.git(in: repo, ["rev-parse", "main~\(5 + 4 * number + side)"])
                    sides.append(try sandbox.git(in: repo, ["commit-tree", tree, "-p", base, "-m", "Side \(number).\(side) [#0]"],
                                                 date: "@\(1_550_000_000 + 10 * number + side) +0000"))
                }
                let octopus = try sandbox.git(in: repo, ["commit-tree", tree, "-p", head, "-p", sides[0], "-p", sides[1],
                                                         "-m", "Octopus \(number) [#\(number)]"], date: "@\(1_600_000_000 + number) +0000")
                try sandbox.git(in: repo, ["update-ref", "refs/heads/main", octopus])
            }
            // And a two-parent merge of a side commit.
            let tree = try sandbox.git(in: repo, ["rev-parse", "main^{tree}"])
            let side = try sandbox.git(in: repo, ["commit-tree", tree, "-p", "main~30", "-m", "Side of a plain merge [#0]"],
                                       date: "@1550000100 +0000")
            let merge = try sandbox.git(in: repo, ["commit-tree", tree, "-p", "main", "-p", side, "-m", "Plain merge"],
                                        date: "@1600000100 +0000")
            try sandbox.git(in: repo, ["update-ref", "refs/heads/main", merge])
            try sandbox.git(in: repo, ["-c", "commitGraph.generationVersion=\(version)", "commit-graph", "write", "--reachable"])
            XCTAssertTrue(FileManager.default.fileExists(atPath: repo + "/.git/objects/info/commit-graph"))
            // Commits made after the file was written are read from the object database.
            for number in 0..<20 {
                try sandbox.commit(in: repo, "After the graph \(number) [#\(number % 4)]")
            }

            let repository = try Repository.discover(at: repo)
            var all: [Commit] = []
            try repository.walk(["main"]) { all.append($0) }
            XCTAssertEqual(all.map(\.sha), try sandbox.revList(in: repo, ["main"]))
            XCTAssertEqual(all.filter { $0.parentCount == 3 }.count, 3)
            let expected = all.map { commit in
                commit.message.contains("[#0]") ? "read \(commit.sha) \(commit.message)" : "unread \(commit.sha) \(commit.parentCount)"
            }
            func scanned(readers: Int) throws -> [String] {
                var seen: [String] = []
                try repository.scan(["main"], readers: readers, threadedFrom: 0,
                                    mustRead: { _, message in
                                        message.indices.contains { message[$0...].starts(with: Array("[#0]".utf8)) }
                                    },
                                    unread: { "unread \($0) \($1)" },
                                    transform: { "read \($0.sha) \($0.message)" }) { seen.append($0) }
                return seen
            }
            XCTAssertEqual(try scanned(readers: 2), expected, "generation version \(version), graph used")
            XCTAssertEqual(try scanned(readers: 1), expected, "generation version \(version), one reader")

            // A damaged file: the walk reads every commit instead, with the same result.
            let graphPath = repo + "/.git/objects/info/commit-graph"
            XCTAssertEqual(chmod(graphPath, 0o644), 0)
            var damaged = try Data(contentsOf: URL(fileURLWithPath: graphPath))
            damaged.replaceSubrange(8..<40, with: Data(repeating: 0xFF, count: 32))
            try damaged.write(to: URL(fileURLWithPath: graphPath))
            XCTAssertEqual(try scanned(readers: 2), expected, "generation version \(version), damaged graph")
        }
    }
}

/// Counts calls from any thread.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func add() {
        lock.lock()
        count += 1
        lock.unlock()
    }

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
}
