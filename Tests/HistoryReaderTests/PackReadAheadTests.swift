import Foundation
@testable import HistoryReader
import GitTestSupport
import XCTest

/// Reading commits ahead of the walk in pack order (`PackObjectOrder`, `PackReadAhead`) must give
/// the walk exactly what it would have read itself, in a pack that `git fast-import` wrote (oldest
/// commit first, each after its blob and trees) and in one that `git repack` wrote (commits first,
/// newest first).
final class PackReadAheadTests: XCTestCase {
    /// A history of `count` commits, each changing a file; every 20th merges a side commit. Tags in
    /// every third message.
    private func makeHistory(_ sandbox: GitSandbox, count: Int) throws -> String {
        let repo = try sandbox.makeRepository("read-ahead")
        var stream = ""
        var mark = 0
        var last = 0
        for number in 1...count {
            var side = 0
            if number % 20 == 0 && last > 0 {
                mark += 1
                side = mark
                let text = "Side \(number)\n"
                stream += "commit refs/heads/side\nmark :\(side)\n"
                stream += "committer Bench <bench@example.com> \(1_500_000_000 + mark * 60) +0000\n"
                stream += "data \(text.utf8.count)\n\(text)from :\(last)\n"
                stream += "M 644 inline side.txt\ndata 6\nside \(number % 10)\n\n"
            }
            mark += 1
            let text = number % 3 == 0 ? "Commit \(number) [#\(number)]\n" : "Commit \(number)\n"
            stream += "commit refs/heads/main\nmark :\(mark)\n"
            stream += "committer Bench <bench@example.com> \(1_500_000_000 + mark * 60) +0000\n"
            stream += "data \(text.utf8.count)\n\(text)"
            if last > 0 { stream += "from :\(last)\n" }
            if side > 0 { stream += "merge :\(side)\n" }
            let content = "line \(number)\n"
            stream += "M 644 inline file.txt\ndata \(content.utf8.count)\n\(content)\n"
            last = mark
        }
        try sandbox.git(in: repo, ["fast-import", "--quiet"], input: Data(stream.utf8))
        return repo
    }

    private func id(_ sha: String) -> ObjectID {
        objectID(sha)
    }

    private static let isTagged: @Sendable (UnsafeBufferPointer<UInt8>, CommitHeader) -> Bool = { bytes, header in
        bytes[header.messageRange].contains(UInt8(ascii: "#"))
    }

    func testTheOrderListsEveryObjectOfThePackByOffset() throws {
        let sandbox = try GitSandbox()
        let repo = try makeHistory(sandbox, count: 300)
        let packs = PackDirectory(objectsDirectory: repo + "/.git/objects")
        XCTAssertEqual(packs.packs.count, 1)
        let order = try XCTUnwrap(PackObjectOrder(packs.packs[0]))
        let index = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: repo + "/.git/objects/pack")
            .first { $0.hasSuffix(".idx") })
        let listing = try sandbox.git(in: repo, ["show-index"],
                                      input: try Data(contentsOf: URL(fileURLWithPath: repo + "/.git/objects/pack/" + index)))
        let expected = listing.split(separator: "\n").map { Int($0.split(separator: " ")[0])! }.sorted()
        XCTAssertEqual(order.count, expected.count)
        XCTAssertEqual((0..<order.count).map(order.offset(at:)), expected)
        for (position, offset) in expected.enumerated() {
            XCTAssertEqual(order.position(of: offset), position)
        }
        XCTAssertNil(order.position(of: expected[0] + 1), "no object starts inside another")
        XCTAssertNil(order.position(of: -1))
    }

    /// The whole walk, with and without reading ahead: same commits, same order, same wanted ones.
    func testTheWalkIsTheSameWithReadingAheadInBothPackLayouts() throws {
        let sandbox = try GitSandbox()
        let repo = try makeHistory(sandbox, count: 1_500)
        var newCommits = 0
        for layout in ["fast-import", "repack", "a small pack on top"] {
            if layout == "repack" { try sandbox.git(in: repo, ["repack", "-a", "-d", "-f", "-q"]) }
            if layout == "a small pack on top" {
                // The newest commits in a pack of their own: the larger pack is read ahead.
                try sandbox.git(in: repo, ["checkout", "-q", "main"])
                for number in 1...5 { try sandbox.commit(in: repo, "New \(number) [#9]") }
                try sandbox.git(in: repo, ["repack", "-d", "-q"])
                newCommits = 5
            }
            let fallback = try RecordingFallback(repo: repo)
            let packs = PackDirectory(objectsDirectory: repo + "/.git/objects")
            XCTAssertEqual(packs.packs.count, newCommits > 0 ? 2 : 1, layout)
            let tips = [id(try sandbox.git(in: repo, ["rev-parse", "main"]))]
            var plain: [Int32: Bool] = [:]
            let alone = try CompactHistoryWalk.walk(tips: tips, fallback: fallback, packs: packs, isWanted: Self.isTagged) {
                plain[$0] = $1
            }
            var ahead: [Int32: Bool] = [:]
            let retained = RetainedCommitBytes()
            let helped = try CompactHistoryWalk.walk(tips: tips, fallback: fallback, packs: packs, readsAhead: true,
                                                     retained: retained, isWanted: Self.isTagged) { ahead[$0] = $1 }
            let shas = { (result: CompactHistoryWalk.Result) in result.order.map { result.ids[Int($0)].hex } }
            XCTAssertEqual(shas(helped), shas(alone), layout)
            XCTAssertEqual(shas(alone), try sandbox.revList(in: repo, ["main"]), layout)
            // Numbers are given in the order commits are met, which is the same in both walks.
            XCTAssertEqual(ahead, plain, layout)
            XCTAssertEqual(plain.values.filter { $0 }.count, 500 + newCommits, layout)
            // The wanted commits' bytes were kept, whichever thread read them, exactly as stored.
            XCTAssertTrue(retained.isKeeping, layout)
            XCTAssertEqual(retained.count, 500 + newCommits, layout)
            let stored = rawCommits(in: repo, plain.keys.map { helped.ids[Int($0)].hex })
            for (number, wanted) in plain {
                let commit = helped.ids[Int(number)]
                let kept = retained.bytes(of: commit).map(Array.init)
                XCTAssertEqual(kept, wanted ? try XCTUnwrap(stored[commit.hex]) : nil, layout)
            }
        }
    }

    /// Taking commits one by one in the walk's order: what was read ahead equals a direct read, and
    /// once the reading thread has had time, commits do come from it.
    func testTakenCommitsAreWhatTheWalkWouldReadAndSomeComeFromTheOtherThread() throws {
        let sandbox = try GitSandbox()
        let repo = try makeHistory(sandbox, count: 600)
        for layout in ["fast-import", "repack"] {
            if layout == "repack" { try sandbox.git(in: repo, ["repack", "-a", "-d", "-f", "-q"]) }
            let packs = PackDirectory(objectsDirectory: repo + "/.git/objects")
            let walkOrder = try sandbox.git(in: repo, ["rev-list", "main"]).split(separator: "\n").map { id(String($0)) }
            let readAhead = PackReadAhead(packs: packs, pack: 0, isWanted: Self.isTagged)
            defer { readAhead.stop() }
            let ordered = Date().addingTimeInterval(10)
            while !readAhead.isOrdered && Date() < ordered { usleep(1_000) }
            XCTAssertTrue(readAhead.isOrdered, layout)
            let direct = PackedCommitInflater()
            var fromTheOtherThread = 0
            for (step, commit) in walkOrder.enumerated() {
                let (pack, offset) = try XCTUnwrap(packs.location(of: commit))
                let taken = readAhead.take(pack: pack, offset: offset)
                if step == 0 {
                    // The walk's first step tells the reader where to start; give it time to read.
                    let deadline = Date().addingTimeInterval(10)
                    while readAhead.readyCount < 20 && Date() < deadline { usleep(1_000) }
                }
                guard let taken else { continue }
                fromTheOtherThread += 1
                let bytes = try XCTUnwrap(direct.commit(pack: pack, offset: offset, in: packs))
                let header = CommitHeader(bytes)
                XCTAssertEqual(taken.time, header.commitTime)
                XCTAssertEqual(taken.parents.map(\.hex), header.parentHexRanges.map {
                    String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self)
                })
                XCTAssertEqual(taken.wanted, Self.isTagged(bytes, header))
            }
            XCTAssertGreaterThanOrEqual(fromTheOtherThread, 10, layout)
        }
    }

    /// An index whose offsets cannot be trusted gives no order; the walk then reads everything itself.
    func testAPackThatCannotBeOrderedIsWalkedWithoutReadingAhead() throws {
        let sandbox = try GitSandbox()
        let repo = try makeHistory(sandbox, count: 80)
        let packDirectory = repo + "/.git/objects/pack/"
        let index = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: packDirectory).first { $0.hasSuffix(".idx") })
        let expected = try sandbox.revList(in: repo, ["main"])
        // A blob's offset now says it is in the table of large offsets, which this index does not have.
        let listing = try sandbox.git(in: repo, ["show-index"], input: try Data(contentsOf: URL(fileURLWithPath: packDirectory + index)))
        let idsInIndexOrder = listing.split(separator: "\n").map { String($0.split(separator: " ")[1]) }
        let blob = try sandbox.git(in: repo, ["rev-parse", "main:file.txt"])
        let position = try XCTUnwrap(idsInIndexOrder.firstIndex(of: blob))
        var bytes = try Data(contentsOf: URL(fileURLWithPath: packDirectory + index))
        let entry = 8 + 1024 + 24 * idsInIndexOrder.count + 4 * position
        bytes.replaceSubrange(entry..<(entry + 4), with: [0x80, 0, 0, 5])
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: packDirectory + index)
        try bytes.write(to: URL(fileURLWithPath: packDirectory + index))

        let packs = PackDirectory(objectsDirectory: repo + "/.git/objects")
        XCTAssertEqual(packs.packs.count, 1)
        XCTAssertNil(PackObjectOrder(packs.packs[0]))
        let tips = [id(try XCTUnwrap(expected.last))]
        let walked = try CompactHistoryWalk.walk(tips: tips, fallback: try RecordingFallback(repo: repo), packs: packs,
                                                 readsAhead: true, isWanted: Self.isTagged)
        XCTAssertEqual(walked.order.map { walked.ids[Int($0)].hex }, expected)
        let readAhead = PackReadAhead(packs: packs, pack: 0, isWanted: Self.isTagged)
        defer { readAhead.stop() }
        let deadline = Date().addingTimeInterval(10)
        while !readAhead.failedToOrder && Date() < deadline { usleep(1_000) }
        XCTAssertTrue(readAhead.failedToOrder)
        for sha in expected {
            let (pack, offset) = try XCTUnwrap(packs.location(of: id(sha)))
            XCTAssertNil(readAhead.take(pack: pack, offset: offset))
        }
        XCTAssertFalse(readAhead.isOrdered)
        // Nothing is kept for an order that will never come.
        XCTAssertEqual(readAhead.offsetsWaitingForOrder, 0)
    }

    func testAPackOtherThanTheOneReadAheadIsLeftToTheWalk() throws {
        let sandbox = try GitSandbox()
        let repo = try makeHistory(sandbox, count: 50)
        let packs = PackDirectory(objectsDirectory: repo + "/.git/objects")
        let readAhead = PackReadAhead(packs: packs, pack: 0, isWanted: Self.isTagged)
        defer { readAhead.stop() }
        XCTAssertNil(readAhead.take(pack: 1, offset: 12))
    }
}
