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
