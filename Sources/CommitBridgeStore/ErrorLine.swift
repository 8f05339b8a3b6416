import CommitBridgeCore
import Foundation

/// Shapes a failure message for the queue's `last_error` column.
enum ErrorLine {
    /// The longest stored message, in characters.
    static let maximumLength = 500

    /// `text` on one line: secrets are taken out (`SecretRedactor`), each run of line breaks
    /// becomes one space, any other control character a space, surrounding white space is
    /// trimmed, and a longer result is cut to `maximumLength` characters, the last being `…`.
    static func make(_ text: String) -> String {
        var line = ""
        var pendingBreak = false
        for character in SecretRedactor.redact(text) {
            if character.isNewline {
                pendingBreak = true
                continue
            }
            if pendingBreak {
                line.append(" ")
                pendingBreak = false
            }
            line.append(character)
        }
        let trimmed = TerminalSafeText.line(line).trimmingCharacters(in: .whitespaces)
        return TerminalSafeText.cut(trimmed, limit: maximumLength)
    }
}

