import CommitBridgeCore
import XCTest

/// What makes two commits one change, and when a story's comment shows a change is already there.
final class ChangeIdentityTests: XCTestCase {
    private let authored: Int64 = 1_700_000_000

    func testTheKeyIgnoresCaseOfTheAddressTrailingBlanksAndCherryPickLines() {
        let original = ChangeIdentity(authorEmail: "Ada@Example.com", authorTime: authored, message: "[#1] parser\n\nBody line\n")
        let picked = ChangeIdentity(authorEmail: "ada@example.com", authorTime: authored,
                                    message: "[#1] parser  \n\nBody line\n\n(cherry picked from commit 0123456789abcdef0123456789abcdef01234567)\n")
        XCTAssertEqual(original.key, picked.key)
        XCTAssertEqual(picked.pickedFrom, ["0123456789abcdef0123456789abcdef01234567"])
        XCTAssertEqual(original.pickedFrom, [])
        XCTAssertNotEqual(original.key, ChangeIdentity(authorEmail: "ada@example.com", authorTime: authored + 1, message: "[#1] parser\n\nBody line\n").key)
        XCTAssertNotEqual(original.key, ChangeIdentity(authorEmail: "bob@example.com", authorTime: authored, message: "[#1] parser\n\nBody line\n").key)
        XCTAssertNotEqual(original.key, ChangeIdentity(authorEmail: "ada@example.com", authorTime: authored, message: "[#1] parser\n\nOther body\n").key)
        XCTAssertEqual(original.key.count, 32)
    }

    func testTheLedgerAndCherryPickLinesNameTheOriginal() {
        let change = ChangeIdentity(authorEmail: "ada@example.com", authorTime: authored, message: "[#1] fix\n")
        let ledger = RewriteCheck(deliveredByKey: [change.key: "a".padded], deliveredCommits: [])
        XCTAssertEqual(ledger.original(of: "b".padded, change: change, message: "[#1] fix\n", comments: [], localChange: { _ in nil }), "a".padded)
        XCTAssertNil(ledger.original(of: "a".padded, change: change, message: "[#1] fix\n", comments: [], localChange: { _ in nil }),
                     "a commit is not its own rewrite")

        let picked = ChangeIdentity(authorEmail: "ada@example.com", authorTime: authored, message: "[#1] fix\n(cherry picked from commit cccccccc)\n")
        let fromComment = RewriteCheck().original(of: "d".padded, change: picked, message: "[#1] fix\n",
                                                  comments: [TrackerComment(commitIdentifier: "c".padded, text: "other", createdAt: nil)],
                                                  localChange: { _ in nil })
        XCTAssertEqual(fromComment, "c".padded, "an abbreviated id in the cherry-pick line matches the full one")
    }

    func testACommentCountsByTextOnlyForACommitThisCloneDoesNotHold() {
        let change = ChangeIdentity(authorEmail: "ada@example.com", authorTime: authored, message: "[#1] fix typo\n")
        let later = TrackerComment(commitIdentifier: "e".padded, text: "[#1] fix typo\nhttps://example.com/e", createdAt: Double(authored) + 3600)
        let check = RewriteCheck()
        // Gone from this clone (rebased away): the same text, made after the change was authored.
        XCTAssertEqual(check.original(of: "f".padded, change: change, message: "[#1] fix typo\n", comments: [later], localChange: { _ in nil }), "e".padded)
        // Made long before the change was authored: an older commit with the same message.
        let earlier = TrackerComment(commitIdentifier: "e".padded, text: "[#1] fix typo", createdAt: Double(authored) - 86_400)
        XCTAssertNil(check.original(of: "f".padded, change: change, message: "[#1] fix typo\n", comments: [earlier], localChange: { _ in nil }))
        // Held here: compared by its change, exactly, whatever the text says.
        let other = ChangeIdentity(authorEmail: "ada@example.com", authorTime: authored - 100, message: "[#1] fix typo\n")
        XCTAssertNil(check.original(of: "f".padded, change: change, message: "[#1] fix typo\n", comments: [later], localChange: { _ in other }))
        XCTAssertEqual(check.original(of: "f".padded, change: change, message: "[#1] fix typo\n", comments: [later], localChange: { _ in change }), "e".padded)
        // Another message is another change.
        XCTAssertNil(check.original(of: "f".padded, change: change, message: "[#1] fix typo\n",
                                    comments: [TrackerComment(commitIdentifier: "e".padded, text: "[#1] something else", createdAt: nil)],
                                    localChange: { _ in nil }))
    }
}

private extension String {
    /// A 40-digit commit id made of this one character.
    var padded: String { String(repeating: self, count: 40) }
}
