import Foundation
import GitKit
@testable import HistoryReader
import GitTestSupport
import XCTest

/// Commits read straight from pack files (`PackDirectory`, `PackedCommitInflater`, `RawCommit`) must
/// be exactly what git and libgit2 read; whatever the direct reading does not cover must come back
/// as nil, so that libgit2 reads it instead.
final class PackedCommitReadingTests: XCTestCase {
    private func id(_ sha: String) -> ObjectID {
        objectID(sha)
    }

    /// A repository with ordinary commits, a merge, and hand-written commits of unusual shapes.
    private func makeRepository(_ sandbox: GitSandbox) throws -> (repo: String, odd: [String: String]) {
        let repo = try sandbox.makeRepository("packed")
        try sandbox.commit(in: repo, "First [#1]")
        try sandbox.commit(in: repo, "Second\r\nwith CRLF\r\n")
        try sandbox.commit(in: repo, rawMessage: Array("Ünïcödé message ✓\n".utf8))
        try sandbox.git(in: repo, ["checkout", "-q", "-b", "side"])
        try sandbox.commit(in: repo, "On the side [#2]")
        try sandbox.git(in: repo, ["checkout", "-q", "main"])
        try sandbox.commit(in: repo, "Main again")
        try sandbox.git(in: repo, ["merge", "-q", "--no-ff", "-m", "Merge side", "side"])
        var odd: [String: String] = [:]
        odd["spaces"] = try sandbox.writeCommitObject(in: repo, author: Array("  Spaced   Name  <  spaced@example.com >".utf8),
                                                      message: Array("Spaces\n".utf8))
        odd["signed"] = try sandbox.writeCommitObject(in: repo, headers: [Array("gpgsig -----BEGIN PGP SIGNATURE-----".utf8),
                                                                          Array(" abc".utf8), Array(" -----END PGP SIGNATURE-----".utf8)],
                                                      message: Array("Signed [#3]\n".utf8))
        odd["brackets"] = try sandbox.writeCommitObject(in: repo, author: Array("Name <with> <two@example.com>".utf8),
                                                        message: Array("Two brackets\n".utf8))
        odd["nul"] = try sandbox.writeCommitObject(in: repo, message: Array("Before\u{0}after\n".utf8))
        odd["empty"] = try sandbox.writeCommitObject(in: repo, message: [])
        odd["latin1"] = try sandbox.writeCommitObject(in: repo, author: [0x4A, 0xF6, 0x72, 0x67] + Array(" <j@example.com>".utf8),
                                                      headers: [Array("encoding ISO-8859-1".utf8)], message: [0x43, 0x61, 0x66, 0xE9, 0x0A])
        // Some tools write two author lines; libgit2 keeps the first.
        let tree = try sandbox.git(in: repo, ["mktree"], input: Data())
        let twoAuthors = "tree \(tree)\nauthor A <a@example.com> 1700000000 +0000\nauthor B <b@example.com> 1700000001 +0000\n"
            + "committer C <c@example.com> 1700000002 +0000\n\nTwo authors\n"
        odd["twoAuthors"] = try sandbox.git(in: repo, ["hash-object", "--literally", "-t", "commit", "-w", "--stdin"], input: Data(twoAuthors.utf8))
        let noTime = "tree \(tree)\nauthor A <a@example.com>\ncommitter C <c@example.com>\n\nNo time\n"
        odd["noTime"] = try sandbox.git(in: repo, ["hash-object", "--literally", "-t", "commit", "-w", "--stdin"], input: Data(noTime.utf8))
        // Keep every odd commit reachable, so that repacking keeps it.
        for (name, sha) in odd { try sandbox.git(in: repo, ["update-ref", "refs/odd/\(name)", sha]) }
        return (repo, odd)
    }

    private func allCommits(_ sandbox: GitSandbox, _ repo: String) throws -> [String] {
        try sandbox.git(in: repo, ["rev-list", "--all"]).split(separator: "\n").map(String.init)
    }

    func testEveryWholePackedCommitReadsAsGitPrintsItAndDeltasAreLeftToLibgit2() throws {
        let sandbox = try GitSandbox()
        let (repo, _) = try makeRepository(sandbox)
        // Loose objects only: nothing is found in packs.
        let loose = PackDirectory(objectsDirectory: repo + "/.git/objects")
        XCTAssertTrue(loose.packs.isEmpty)
        let inflater = PackedCommitInflater()
        XCTAssertNil(inflater.commit(id(try sandbox.git(in: repo, ["rev-parse", "main"])), in: loose))

        // One pack without deltas, then a second one for commits whose long, nearly equal messages
        // make git store most of them as deltas.
        try sandbox.git(in: repo, ["repack", "-a", "-d", "-q", "--window=0"])
        let long = String(repeating: "A long paragraph that repeats itself. ", count: 80)
        for number in 0..<12 {
            try sandbox.commit(in: repo, "Long \(number)\n\n\(long)\(number)\n")
        }
        try sandbox.git(in: repo, ["repack", "-d", "-q", "--window=50", "--depth=50"])
        let shas = try allCommits(sandbox, repo)
        let packs = PackDirectory(objectsDirectory: repo + "/.git/objects")
        XCTAssertEqual(packs.packs.count, 2)
        // `git verify-pack -v` lists each object; a delta's line has its depth and base.
        var deltas: Set<String> = []
        for index in try FileManager.default.contentsOfDirectory(atPath: repo + "/.git/objects/pack") where index.hasSuffix(".idx") {
            let listing = try sandbox.git(in: repo, ["verify-pack", "-v", ".git/objects/pack/\(index)"])
            for line in listing.split(separator: "\n") {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                if fields.count >= 7, fields[1] == "commit" { deltas.insert(String(fields[0])) }
            }
        }
        XCTAssertFalse(deltas.isEmpty, "the long messages should give git some commit deltas")

        var whole = 0
        for sha in shas {
            let bytes = inflater.commit(id(sha), in: packs).map(Array.init)
            if deltas.contains(sha) {
                XCTAssertNil(bytes, "\(sha) is a delta")
            } else {
                let expected = try rawObject(sandbox, repo, sha)
                XCTAssertEqual(bytes, expected, sha)
                whole += 1
            }
        }
        XCTAssertGreaterThan(whole, 10)
        // Not a commit: the empty tree is in the pack too, but is not read as one.
        let tree = try sandbox.git(in: repo, ["rev-parse", "main^{tree}"])
        XCTAssertNotNil(packs.location(of: id(tree)))
        XCTAssertNil(inflater.commit(id(tree), in: packs))
    }

    /// The object's bytes exactly, through `git cat-file` writing to a file (the sandbox's `git`
    /// returns text without its last newline).
    private func rawObject(_ sandbox: GitSandbox, _ repo: String, _ sha: String) throws -> [UInt8] {
        let file = sandbox.path("object-\(sha)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "git -C \"$1\" cat-file commit \"$2\" > \"$3\"", "sh", repo, sha, file]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        return Array(try Data(contentsOf: URL(fileURLWithPath: file)))
    }

    func testRawCommitAgreesWithLibgit2OrLeavesTheCommitToIt() throws {
        let sandbox = try GitSandbox()
        let (repo, odd) = try makeRepository(sandbox)
        // libgit2, through GitKit, is what the direct reading must agree with.
        let libgit2 = try Repository.discover(at: repo)
        var read = 0
        for sha in try allCommits(sandbox, repo) {
            let bytes = try rawObject(sandbox, repo, sha)
            let expected = try libgit2.commit(sha)
            let parsed = bytes.withUnsafeBufferPointer { buffer in
                RawCommit(buffer).map { $0.makeValue(sha: sha, buffer) }
            }
            switch sha {
            case odd["latin1"], odd["twoAuthors"], odd["brackets"]:
                XCTAssertNil(parsed, "\(sha) is left to libgit2")
            default:
                XCTAssertEqual(parsed, expected, sha)
                read += 1
            }
        }
        XCTAssertEqual(read, try allCommits(sandbox, repo).count - 3)
        // The shapes that are read directly, checked against what libgit2 gives for them.
        let spaced = try libgit2.commit(odd["spaces"]!)
        XCTAssertEqual([spaced.authorName, spaced.authorEmail], ["Spaced   Name", "spaced@example.com"])
        let noTime = try libgit2.commit(odd["noTime"]!)
        XCTAssertEqual(noTime.authorTime, 0)
        let nul = try libgit2.commit(odd["nul"]!)
        XCTAssertEqual(nul.message, "Before")
    }

    func testMalformedHeadersAreLeftToLibgit2() {
        let tree = String(repeating: "a", count: 40)
        let cases = [
            "tree \(tree)\nauthor A <a@example.com> 1 +0000\ncommitter C <c@example.com> 2 +0000",  // no newline at the end
            "tree abc\nauthor A <a@example.com> 1 +0000\ncommitter C <c@example.com> 2 +0000\n\nx",  // short tree id
            "tree \(tree)\nparent zz\nauthor A <a@example.com> 1 +0000\ncommitter C <c@example.com> 2 +0000\n\nx",
            "tree \(tree)\nauthor A a@example.com 1 +0000\ncommitter C <c@example.com> 2 +0000\n\nx",  // no brackets
            "tree \(tree)\nauthor A <a@example.com>  1 +0000\ncommitter C <c@example.com> 2 +0000\n\nx",  // two spaces
            "tree \(tree)\nauthor A <a@example.com> 1x +0000\ncommitter C <c@example.com> 2 +0000\n\nx",
            "tree \(tree)\nauthor A <a@example.com> 1 +0000\n\nx",  // no committer
            "tree \(tree)\nauthor A <a@example.com> 1 +0000\ncommitter C <c@example.com> 2 +0000\nencoding utf8\n\nx",
        ]
        for text in cases {
            let bytes = Array(text.utf8)
            XCTAssertNil(bytes.withUnsafeBufferPointer { RawCommit($0) }, text)
        }
        let good = "tree \(tree)\nparent \(tree)\nparent \(tree)\nauthor A <a@example.com> 1 +0000\n"
            + "committer C <c@example.com> 2 +0000\nmergetag object x\n type commit\n\nMerge\n"
        let parsed = Array(good.utf8).withUnsafeBufferPointer { buffer in RawCommit(buffer).map { $0.makeValue(sha: "s", buffer) } }
        XCTAssertEqual(parsed, Commit(sha: "s", message: "Merge\n", messageEncoding: nil, authorName: "A",
                                      authorEmail: "a@example.com", authorTime: 1, committerTime: 2, parentCount: 2))
    }
}
