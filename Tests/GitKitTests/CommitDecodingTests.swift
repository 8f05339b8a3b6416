import Foundation
import GitKit
import GitTestSupport
import XCTest

/// Messages and identities as git stores them: legacy encodings, invalid bytes, very long text.
final class CommitDecodingTests: XCTestCase {
    private var sandbox: GitSandbox!
    private var repo: String!

    override func setUpWithError() throws {
        sandbox = try GitSandbox()
        repo = try sandbox.makeRepository("text")
    }

    override func tearDown() {
        sandbox = nil
    }

    private func commit(_ sha: String) throws -> Commit {
        try Repository.discover(at: repo).commit(sha)
    }

    func testISO88591MessageIsConvertedToUTF8() throws {
        // "Café crème\n\nRésumé\n" in Latin-1.
        let latin1: [UInt8] = Array("Caf".utf8) + [0xE9] + Array(" cr".utf8) + [0xE8] + Array("me\n\nR".utf8)
            + [0xE9] + Array("sum".utf8) + [0xE9, 0x0A]
        let sha = try sandbox.commit(in: repo, rawMessage: latin1, config: ["i18n.commitEncoding=ISO-8859-1"])
        let value = try commit(sha)
        XCTAssertEqual(value.messageEncoding, "ISO-8859-1")
        XCTAssertTrue(value.message.contains("é"))
        XCTAssertEqual(value.message, "Café crème\n\nRésumé\n")
        XCTAssertEqual(value.summary, "Café crème")
    }

    func testWindows1252MessageIsConvertedToUTF8() throws {
        // 0x80 is the euro sign and 0x93/0x94 are curly quotes in windows-1252 (not in Latin-1).
        let bytes: [UInt8] = [0x80] + Array("5 ".utf8) + [0x93] + Array("fix".utf8) + [0x94, 0x0A]
        let sha = try sandbox.commit(in: repo, rawMessage: bytes, config: ["i18n.commitEncoding=windows-1252"])
        let value = try commit(sha)
        XCTAssertEqual(value.messageEncoding, "windows-1252")
        XCTAssertEqual(value.message, "€5 “fix”\n")
    }

    func testLowercaseUTF8HeaderIsDecodedAsUTF8() throws {
        // `git commit` never writes a UTF-8 encoding header, so write the object by hand.
        let sha = try sandbox.writeCommitObject(
            in: repo, headers: [Array("encoding utf8".utf8)], message: Array("naïve ✓\n".utf8))
        let value = try commit(sha)
        XCTAssertEqual(value.messageEncoding, "utf8")
        XCTAssertEqual(value.message, "naïve ✓\n")
    }

    func testInvalidUTF8BytesBecomeReplacementCharacters() throws {
        // Written by hand: `git commit` would "repair" the bytes by reading them as Latin-1.
        let bytes: [UInt8] = Array("bad ".utf8) + [0xFF, 0xFE] + Array(" end\n".utf8)
        let sha = try sandbox.writeCommitObject(in: repo, message: bytes)
        let value = try commit(sha)
        XCTAssertNil(value.messageEncoding)
        XCTAssertEqual(value.message, "bad \u{FFFD}\u{FFFD} end\n")
    }

    func testInvalidUTF8UnderUppercaseHeaderBecomesReplacementCharacters() throws {
        let bytes: [UInt8] = Array("half ".utf8) + [0xC3] + Array(" char\n".utf8)
        let sha = try sandbox.writeCommitObject(in: repo, headers: [Array("encoding UTF-8".utf8)], message: bytes)
        XCTAssertEqual(try commit(sha).message, "half \u{FFFD} char\n")
    }

    func testUnknownEncodingFallsBackToLossyUTF8() throws {
        let bytes: [UInt8] = Array("caf".utf8) + [0xE9] + Array(" ok\n".utf8)
        let sha = try sandbox.commit(in: repo, rawMessage: bytes, config: ["i18n.commitEncoding=x-no-such-charset"])
        let value = try commit(sha)
        XCTAssertEqual(value.messageEncoding, "x-no-such-charset")
        XCTAssertEqual(value.message, "caf\u{FFFD} ok\n")
    }

    func testBytesInvalidInDeclaredEncodingFallBackToLossyUTF8() throws {
        // 0xFF never starts a character in EUC-JP, so iconv stops with EILSEQ.
        let bytes: [UInt8] = Array("abc ".utf8) + [0xFF] + Array(" é\n".utf8)
        let sha = try sandbox.commit(in: repo, rawMessage: bytes, config: ["i18n.commitEncoding=EUC-JP"])
        let value = try commit(sha)
        XCTAssertEqual(value.messageEncoding, "EUC-JP")
        XCTAssertEqual(value.message, "abc \u{FFFD} é\n")
    }

    func testFiftyKilobyteMessageRoundTrips() throws {
        var text = "Large change\n\n"
        var line = 0
        while text.utf8.count < 50_000 {
            line += 1
            text += "line \(line): the quick brown fox — jumps over the lazy dog ✓\n"
        }
        let sha = try sandbox.commit(in: repo, rawMessage: Array(text.utf8))
        let value = try commit(sha)
        XCTAssertGreaterThanOrEqual(value.message.utf8.count, 50_000)
        XCTAssertEqual(value.message, text)
        XCTAssertEqual(value.summary, "Large change")
    }

    func testIdentityAndDatesAreCopied() throws {
        let sha = try sandbox.commit(in: repo, "plain")
        let date = sandbox.lastDate - 1 // rev-parse after the commit advanced the clock once more
        let value = try commit(sha)
        XCTAssertEqual(value.sha, sha)
        XCTAssertEqual(value.authorName, "Ada Author")
        XCTAssertEqual(value.authorEmail, "ada@example.com")
        XCTAssertEqual(value.authorTime, date)
        XCTAssertEqual(value.committerTime, date)
        XCTAssertEqual(value.parentCount, 0)
        XCTAssertFalse(value.isMerge)
        XCTAssertEqual(value.message, "plain\n")
    }

    func testAuthorInLegacyEncodedCommitIsConvertedToo() throws {
        let sha = try sandbox.writeCommitObject(
            in: repo,
            author: Array("Jos".utf8) + [0xE9] + Array(" <jose@example.com>".utf8),
            headers: [Array("encoding ISO-8859-1".utf8)],
            message: Array("Ol".utf8) + [0xE1, 0x0A])
        let value = try commit(sha)
        XCTAssertEqual(value.authorName, "José")
        XCTAssertEqual(value.authorEmail, "jose@example.com")
        XCTAssertEqual(value.message, "Olá\n")
        XCTAssertEqual(value.authorTime, 1_700_000_100)
        XCTAssertEqual(value.committerTime, 1_700_000_200)
    }

    func testInvalidUTF8InAuthorBecomesReplacementCharacter() throws {
        let sha = try sandbox.writeCommitObject(
            in: repo, author: Array("Bj".utf8) + [0xF6] + Array("rn <bjorn@example.com>".utf8),
            message: Array("hello\n".utf8))
        XCTAssertEqual(try commit(sha).authorName, "Bj\u{FFFD}rn")
    }

    func testSummaryIsFirstNonEmptyLine() {
        let value = Commit(sha: String(repeating: "0", count: 40), message: "\n\nSubject line  \r\nbody\n",
                           messageEncoding: nil, authorName: "", authorEmail: "", authorTime: 0,
                           committerTime: 0, parentCount: 3)
        XCTAssertEqual(value.summary, "Subject line")
        XCTAssertTrue(value.isMerge)
    }
}
