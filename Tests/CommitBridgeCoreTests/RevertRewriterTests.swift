import CommitBridgeCore
import XCTest

final class RevertRewriterTests: XCTestCase {
    private let parser = TagParser()

    private func rewrite(_ message: String) -> String {
        RevertRewriter().rewrite(message, groups: parser.parse(message).groups)
    }

    func testVerbsAreDropped() {
        XCTAssertEqual(rewrite("Revert \"Fix [Finishes #1]\""), "Revert \"Fix [#1]\"")
        XCTAssertEqual(rewrite("Revert \"x\"\n\n[delivers #1, #2] and [#3 fixed]"), "Revert \"x\"\n\n[#1, #2] and [#3]")
    }

    func testRewrittenMessageOnlyMentions() {
        let rewritten = rewrite("Revert \"a [Fixes #5] b [#6 delivers]\"")
        XCTAssertEqual(parser.parse(rewritten).references, [
            StoryReference(story: 5, action: .mention), StoryReference(story: 6, action: .mention),
        ])
    }

    func testTextOutsideGroupsIsKeptByteForByte() {
        let message = "Revert \"naïve [Fixes #9] ✓\"\n\nThis reverts commit abc.\n[WIP]"
        XCTAssertEqual(rewrite(message), "Revert \"naïve [#9] ✓\"\n\nThis reverts commit abc.\n[WIP]")
    }
}
