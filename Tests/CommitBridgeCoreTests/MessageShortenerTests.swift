import CommitBridgeCore
import XCTest

final class MessageShortenerTests: XCTestCase {
    private let parser = TagParser()

    private func shorten(_ message: String, limit: Int = MessageShortener.trackerCommentLimit) -> (text: String, wasShortened: Bool) {
        MessageShortener(limit: limit).shorten(message, groups: parser.parse(message).groups)
    }

    /// The note is for people: the parser (ours, and Tracker's on the server) must find nothing in it.
    func testTheNoteAddsNoWarningsOrReferences() {
        let message = "Subject [#7]\n\n" + String(repeating: "plain words ", count: 400) + "\nlast [finishes #8]"
        let original = parser.parse(message)
        XCTAssertEqual(original.warnings, [])
        let (text, wasShortened) = shorten(message, limit: 1_000)
        XCTAssertTrue(wasShortened)
        let again = parser.parse(text)
        XCTAssertEqual(again.warnings, [], text)
        XCTAssertEqual(again.references, original.references)
    }

    func testShortMessageUnchanged() {
        let message = "[#1] small\n\nbody"
        let result = shorten(message)
        XCTAssertEqual(result.text, message)
        XCTAssertFalse(result.wasShortened)
    }

    func testExactlyAtLimitUnchanged() {
        let message = "[#1] " + String(repeating: "x", count: 20_000 - 5)
        XCTAssertEqual(message.unicodeScalars.count, 20_000)
        XCTAssertFalse(shorten(message).wasShortened)
    }

    func testLongMessageKeepsEveryTagGroupAndFits() {
        var message = "[Finishes #10] subject\n\n"
        for index in 0..<400 {
            message += String(repeating: "word ", count: 40) + "\n"
            if index % 50 == 7 { message += "see [#\(1000 + index)] and [delivers #\(2000 + index)]\n" }
        }
        XCTAssertGreaterThan(message.unicodeScalars.count, 50_000)
        let before = parser.parse(message).references
        let result = shorten(message)
        XCTAssertTrue(result.wasShortened)
        XCTAssertLessThanOrEqual(result.text.unicodeScalars.count, 20_000)
        XCTAssertTrue(result.text.contains("message shortened"))
        XCTAssertEqual(parser.parse(result.text).references, before)
    }

    func testCutNeverSplitsAGroup() {
        // The group straddles the point where a plain cut would fall.
        let filler = String(repeating: "a", count: 80)
        let message = filler + "[fixes #4242]" + String(repeating: "b", count: 200)
        let result = shorten(message, limit: 150)
        XCTAssertTrue(result.wasShortened)
        XCTAssertTrue(result.text.contains("[fixes #4242]"))
        XCTAssertEqual(parser.parse(result.text).references, [StoryReference(story: 4242, action: .finish)])
    }

    func testMultibyteTextIsCountedInCharactersAndNotBroken() {
        let message = "[#7] " + String(repeating: "é😀", count: 15_000)
        let result = shorten(message)
        XCTAssertTrue(result.wasShortened)
        XCTAssertLessThanOrEqual(result.text.unicodeScalars.count, 20_000)
        XCTAssertFalse(result.text.contains("\u{FFFD}"))
        XCTAssertEqual(parser.parse(result.text).references.map(\.story), [7])
    }
}
