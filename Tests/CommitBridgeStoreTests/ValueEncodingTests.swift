@testable import CommitBridgeStore
import XCTest

final class ValueEncodingTests: XCTestCase {
    func testStoryListsRoundTrip() throws {
        for ids: [Int64] in [[], [1], [12, 3, 9_007_199_254_740_993]] {
            XCTAssertEqual(try StoryIDList.decode(StoryIDList.encode(ids)), ids)
        }
        XCTAssertEqual(StoryIDList.encode([4, 5]), "[4,5]")
    }

    func testAnUnreadableStoryListThrows() {
        XCTAssertThrowsError(try StoryIDList.decode("4,5"))
        XCTAssertThrowsError(try StoryIDList.decode(#"["a"]"#))
    }

    func testErrorLinesJoinLinesAndTrim() {
        XCTAssertEqual(ErrorLine.make("  one\r\ntwo\n\n\nthree \n"), "one two three")
        XCTAssertEqual(ErrorLine.make("plain"), "plain")
    }

    func testErrorLinesAreCutAt500Characters() {
        let exact = String(repeating: "x", count: 500)
        XCTAssertEqual(ErrorLine.make(exact), exact)

        let cut = ErrorLine.make(exact + "y")
        XCTAssertEqual(cut.count, 500)
        XCTAssertEqual(cut, String(repeating: "x", count: 499) + "…")

        // A cut never splits a character made of several scalars.
        let flags = ErrorLine.make(String(repeating: "🇫🇷", count: 600))
        XCTAssertEqual(flags, String(repeating: "🇫🇷", count: 499) + "…")
    }
}
