import GRDB

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
