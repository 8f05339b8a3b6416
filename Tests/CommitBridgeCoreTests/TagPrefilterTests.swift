import CommitBridgeCore
import XCTest

/// `TagParser.mayFindTags(in:)` lets a scan skip reading messages: it must never rule out a message
/// in which the parser finds a reference or has a warning.
final class TagPrefilterTests: XCTestCase {
    func testMessagesWithoutHashOrBracketParseToNothing() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["Fixes", "fixes", "finishes", "Finished", "delivers", "Delivered", "accepts", "started", "Closes",
                      "12", "123456", " ", ",", "\n", "\n\n", "(", ")", "]", "{", "}", "story", "＃", "［", "］", "\t",
                      "Revert \"", "This reverts commit abc.", "Merge", ":", "-", "é", "😀", "\u{0}", "＃12", "#"]
            .filter { !$0.contains("#") && !$0.contains("[") }
        for _ in 0..<3_000 {
            let message = (0..<Int.random(in: 1...25, using: &generator))
                .map { _ in pieces.randomElement(using: &generator)! }.joined()
            XCTAssertFalse(TagParser.mayFindTags(in: Array(message.utf8)))
            let parsed = TagParser().parse(message)
            XCTAssertTrue(parsed.references.isEmpty, message)
            XCTAssertEqual(parsed.warnings, [], message)
        }
    }

    func testEveryMessageWithAFindingPassesThePrefilter() {
        let messages = ["[#12]", "[Fixes 12]", "Fixes #123", "[# 12]", "[Fixes#9]", "[finsihes #1]", "[#9.]"]
        for message in messages {
            let parsed = TagParser().parse(message)
            XCTAssertFalse(parsed.references.isEmpty && parsed.warnings.isEmpty, "the sample \(message) finds something")
            XCTAssertTrue(TagParser.mayFindTags(in: Array(message.utf8)), message)
        }
    }
}
