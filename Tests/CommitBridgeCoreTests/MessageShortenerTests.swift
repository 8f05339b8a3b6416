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
        let filler = String(repeating: "a", count: 220)
        let message = filler + "[fixes #4242]" + String(repeating: "b", count: 600)
        let result = shorten(message, limit: 400)
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

    func testAGroupRepeatedAHundredThousandTimesIsKeptOnce() {
        let message = "Subject\n\n" + String(repeating: "[#1001] ", count: 100_000)
        let result = shorten(message)
        XCTAssertTrue(result.wasShortened)
        XCTAssertLessThanOrEqual(result.text.unicodeScalars.count, 20_000)
        XCTAssertEqual(result.text.components(separatedBy: "[#1001]").count - 1, 1, String(result.text.prefix(200)))
        XCTAssertTrue(result.text.hasPrefix("Subject\n\n[#1001] "), String(result.text.prefix(200)))
        XCTAssertEqual(parser.parse(result.text).references, [StoryReference(story: 1001, action: .mention)])
    }

    func testEachDistinctGroupOfTheCutPartComesOnceInOrder() {
        var message = "[#1] start\n"
        message += String(repeating: "filler ", count: 300)
        message += "[finishes #2] [#1] [finishes #2] [#3] [delivers #4] [#3]"
        let result = shorten(message, limit: 1_000)
        XCTAssertTrue(result.wasShortened)
        XCTAssertLessThanOrEqual(result.text.unicodeScalars.count, 1_000)
        let groups = parser.parse(result.text).groups.map { String(decoding: Array(result.text.utf8)[$0.utf8Range], as: UTF8.self) }
        XCTAssertEqual(groups, ["[#1]", "[finishes #2]", "[#3]", "[delivers #4]"])
        XCTAssertEqual(parser.parse(result.text).references, parser.parse(message).references)
    }

    func testTheKeptBeginningEndsBeforeARepeatedGroup() {
        let message = "[#5] first\n" + String(repeating: "a", count: 50) + " again [#5] " + String(repeating: "b", count: 2_000)
        let result = shorten(message, limit: 500)
        XCTAssertTrue(result.wasShortened)
        XCTAssertTrue(result.text.hasPrefix("[#5] first\n" + String(repeating: "a", count: 50) + " again \n\n(commitbridge: message shortened"),
                      result.text)
        XCTAssertEqual(result.text.components(separatedBy: "[#5]").count - 1, 1)
    }

    func testDistinctGroupsThatCannotAllFitAreLeftOutWithANoteAndTheResultFits() {
        let message = (1...5_000).map { "[#\(100_000 + $0)]" }.joined(separator: " ")
        let before = parser.parse(message)
        let result = shorten(message)
        XCTAssertTrue(result.wasShortened)
        XCTAssertLessThanOrEqual(result.text.unicodeScalars.count, 20_000)
        XCTAssertTrue(result.text.contains("did not fit were left out"), String(result.text.prefix(300)))
        let after = parser.parse(result.text)
        XCTAssertEqual(after.warnings, [])
        XCTAssertGreaterThan(after.references.count, 1_000)
        XCTAssertLessThan(after.references.count, 5_000)
        XCTAssertEqual(Array(before.references.prefix(after.references.count)), after.references)
        let leftOut = 5_000 - after.references.count
        XCTAssertTrue(result.text.contains("; \(leftOut) more that did not fit"), String(result.text.prefix(300)))
    }
}
