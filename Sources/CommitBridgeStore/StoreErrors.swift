import CommitBridgeCore
import Foundation
import GRDB

// How the store's failures are put: its error type, an unreadable database, and one-line errors.

/// A failure of the state database that is not an SQLite error: a state directory that cannot be
/// made, a file that cannot be created, a row that cannot be read back.
public struct StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    /// One line, suitable for the command line.
    public let message: String

    /// Creates an error with a one-line message.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

extension StoreError {
    /// One line for a failure of the state database (an SQLite error such as a full disk or a
    /// read-only file, or a `StoreError`), or nil when `error` is something else. Never holds SQL
    /// arguments.
    public static func line(for error: Error) -> String? {
        if let error = error as? StoreError { return error.message }
        if let error = error as? DatabaseError {
            let message = error.message ?? "SQLite result code \(error.resultCode.rawValue)"
            return "\(message) (SQLite error \(error.extendedResultCode.rawValue))"
        }
        return nil
    }
}

/// Raised while opening when the state database file cannot be used as a database at all, so that
/// it is moved aside rather than reported.
struct UnreadableDatabase: Error {
    /// Why, in SQLite's words.
    let reason: String

    /// Whether an SQLite error means the file itself is damaged (as opposed to locked, missing or
    /// not permitted, which moving the file would not cure).
    static func isDamage(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT
    }
}

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
