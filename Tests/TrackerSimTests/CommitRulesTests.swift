import TrackerSimKit
import XCTest

/// The simulator's reading of Tracker's rules on the contract's own examples, without the client.
final class CommitRulesTests: XCTestCase {
    private func read(_ message: String) -> [String] {
        TrackerCommitRules.storyRequests(in: message).map { "\($0.storyID):\($0.request)" }
    }

    func testTheContractsExamples() {
        XCTAssertEqual(read("Add login [#123]"), ["123:mention"])
        XCTAssertEqual(read("[Fixes #123] crash on start"), ["123:finish"])
        XCTAssertEqual(read("[#123 delivers] ship it"), ["123:deliver"])
        XCTAssertEqual(read("[finishes #1, #2] both"), ["1:finish", "2:finish"])
        XCTAssertEqual(read("[Finishes: #41]"), ["41:finish"])
        XCTAssertEqual(read("[#1] then [fixed #1] and [#2]"), ["1:finish", "2:mention"])
        XCTAssertEqual(read("[Delivers #3] [Fixes #3] [#3]"), ["3:deliver"])
        XCTAssertEqual(read("[finishes delivers #5]"), ["5:deliver"])
        XCTAssertEqual(read("[FIXING #6] [CoMpLeTeD #7]"), ["6:finish", "7:finish"])
    }

    func testWordsTouchingAHashStillCount() {
        XCTAssertEqual(read("[Fixes#9]"), ["9:finish"])
        XCTAssertEqual(read("[#finishes #9]"), ["9:finish"])
        XCTAssertEqual(read("[Finishes#9](https://example.com)"), ["9:finish"])
        XCTAssertEqual(read("[##9] [PT#10] [(#11]"), ["9:mention", "10:mention", "11:mention"])
    }

    func testWhatNamesNoStory() {
        for message in ["Fixes #123", "(#45)", "[# 9]", "[#9a]", "[#]", "[#0]", "[#9.]", "[#9#]", "[Finishes\n#1]",
                        "[#12345678901234567890]", "[#9223372036854775808]", "[fixes\r\n#4]", "[#１２]", "[WIP]"] {
            XCTAssertEqual(read(message), [], message.debugDescription)
        }
        XCTAssertEqual(read("[#9223372036854775807] [#00012] [a [#1] [#1#2]"),
                       ["9223372036854775807:mention", "12:mention", "1:mention", "2:mention"])
        XCTAssertEqual(read("[prefixes #24] [finsihes #12] [Fixes #1, 2]"), ["24:mention", "12:mention", "1:finish"])
    }

    func testTheStateTable() {
        func after(_ request: TrackerCommitRules.Request, _ type: TrackerStoryType, _ state: TrackerStoryState) -> TrackerStoryState? {
            TrackerCommitRules.stateAfter(request, type: type, from: state)
        }
        for type in [TrackerStoryType.feature, .bug, .chore] {
            for state in [TrackerStoryState.unscheduled, .unstarted, .planned] {
                XCTAssertEqual(after(.mention, type, state), .started)
            }
            for state in [TrackerStoryState.started, .finished, .delivered, .rejected, .accepted] {
                XCTAssertNil(after(.mention, type, state))
            }
        }
        XCTAssertEqual(after(.finish, .feature, .rejected), .finished)
        XCTAssertEqual(after(.deliver, .bug, .rejected), .delivered)
        XCTAssertEqual(after(.deliver, .feature, .finished), .delivered)
        XCTAssertNil(after(.finish, .feature, .delivered))
        XCTAssertNil(after(.deliver, .bug, .accepted))
        XCTAssertEqual(after(.finish, .chore, .started), .accepted)
        XCTAssertEqual(after(.deliver, .chore, .unstarted), .accepted)
        XCTAssertNil(after(.finish, .chore, .accepted))
        for request in TrackerCommitRules.Request.allCases {
            for state in TrackerStoryState.allCases {
                XCTAssertNil(after(request, .release, state))
            }
        }
    }
}
