import CommitBridgeCore
import XCTest

/// Commit text printed to a terminal cannot carry escape sequences.
final class TerminalSafeTextTests: XCTestCase {
    func testControlCharactersBecomeSpaces() {
        XCTAssertEqual(TerminalSafeText.line("a\u{1B}[2Jb\u{7F}c\u{9B}d\te"), "a [2Jb c d e")
        XCTAssertEqual(TerminalSafeText.line("plain ünïcode ✓"), "plain ünïcode ✓")
    }

    func testWarningsQuoteNoEscapeSequences() {
        let result = TagParser().parse("Title \u{1B}]0;owned\u{07} [fnishes\u{9B}31m #12]")
        XCTAssertFalse(result.warnings.isEmpty)
        for warning in result.warnings {
            XCTAssertFalse(warning.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x9B || $0.value == 0x07 }, warning)
        }
    }

    func testLinesAreCutToTheLimitWithAMarker() {
        XCTAssertEqual(TerminalSafeText.line("short", limit: 10), "short")
        XCTAssertEqual(TerminalSafeText.line("exactly10!", limit: 10), "exactly10!")
        XCTAssertEqual(TerminalSafeText.line("eleven char", limit: 10), "eleven ch…")
        // Characters, not bytes: a line of 10 accented letters fits a limit of 10.
        let accented = String(repeating: "é", count: 10)
        XCTAssertEqual(TerminalSafeText.line(accented, limit: 10), accented)
        XCTAssertEqual(TerminalSafeText.line(accented + "é", limit: 10), String(repeating: "é", count: 9) + "…")
        let hostile = "\u{1B}]0;pwned\u{07}" + String(repeating: "p", count: 5000)
        let cut = TerminalSafeText.line(hostile, limit: 300)
        XCTAssertEqual(cut.count, 300)
        XCTAssertTrue(cut.hasPrefix(" ]0;pwned "), cut)
        XCTAssertTrue(cut.hasSuffix("p…"))
        XCTAssertFalse(cut.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        XCTAssertEqual(TerminalSafeText.line("abc", limit: 0), "")
        XCTAssertEqual(TerminalSafeText.line("abc", limit: 1), "…")
    }
}
