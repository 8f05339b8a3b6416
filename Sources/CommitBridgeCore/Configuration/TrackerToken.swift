/// A Tracker API token. Its description is redacted, so string interpolation,
/// `print` and `dump` never reveal it; only `revealedForRequest` does, for the request header.
public struct TrackerToken: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let secret: String

    /// Trims surrounding whitespace (a token file usually ends with a newline).
    public init?(_ raw: String) {
        let trimmed = raw.trimmingWhitespace()
        guard !trimmed.isEmpty else { return nil }
        self.secret = trimmed
    }

    /// The token text, for the `X-TrackerToken` header only.
    public var revealedForRequest: String { secret }

    public var description: String { "<token redacted>" }
    public var debugDescription: String { "<token redacted>" }
    /// `dump` and debuggers see no fields.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
