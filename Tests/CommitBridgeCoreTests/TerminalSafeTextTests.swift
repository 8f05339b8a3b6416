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
}
