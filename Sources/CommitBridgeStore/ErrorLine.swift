import Foundation

/// Shapes a failure message for the queue's `last_error` column.
enum ErrorLine {
    /// The longest stored message, in characters.
    static let maximumLength = 500

    /// `text` on one line: each run of line breaks becomes one space, surrounding white space is
    /// trimmed, and a longer result is cut to `maximumLength` characters, the last being `…`.
    static func make(_ text: String) -> String {
        var line = ""
        var pendingBreak = false
        for character in text {
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
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.count > maximumLength else { return trimmed }
        return String(trimmed.prefix(maximumLength - 1)) + "…"
    }
}

