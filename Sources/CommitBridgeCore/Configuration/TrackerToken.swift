/// A Tracker API token. Its description is redacted, so string interpolation,
/// `print` and `dump` never reveal it; only `revealedForRequest` does, for the request header.
public struct TrackerToken: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let secret: String

    /// Why a token was refused. Neither case holds the token's text.
    public enum Problem: Error, Sendable, Hashable {
        /// Nothing but white space.
        case empty
        /// A control character (a line break, a tab, NUL, DEL, C1) inside the token: no HTTP header
        /// can carry it, and it is never a real token (a token file with two lines, say).
        case controlCharacter
    }

    /// Trims surrounding whitespace (a token file usually ends with a newline), then refuses an
    /// empty token and one with a control character inside.
    public init(validating raw: String) throws(Problem) {
        let trimmed = raw.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .empty }
        guard !trimmed.unicodeScalars.contains(where: { TerminalSafeText.isControl($0.value) }) else {
            throw .controlCharacter
        }
        self.secret = trimmed
    }

    /// Like `init(validating:)`, nil for either problem.
    public init?(_ raw: String) {
        guard let token = try? TrackerToken(validating: raw) else { return nil }
        self = token
    }

    /// The token text, for the `X-TrackerToken` header only.
    public var revealedForRequest: String { secret }

    public var description: String { "<token redacted>" }
    public var debugDescription: String { "<token redacted>" }
    /// `dump` and debuggers see no fields.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
