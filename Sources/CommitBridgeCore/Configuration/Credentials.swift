

// Secrets in settings: the Tracker token, and passwords inside URLs.

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

/// Makes URLs safe to show: drops any `user:secret@` part.
public enum RemoteSafeText {
    /// `https://user:secret@host/x` → `https://host/x`; other text unchanged.
    public static func redactingCredentials(_ url: String) -> String {
        guard let schemeEnd = url[...].range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<schemeEnd.upperBound]) + String(rest[rest.index(after: at)...])
    }

    /// The secret part of a URL's user information: the password of `user:secret@`, or the whole
    /// of `secret@` (a token used as the user name); nil when the URL has none.
    public static func credential(in url: String) -> String? {
        guard let schemeEnd = url[...].range(of: "://") else { return nil }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return nil }
        let userInformation = rest[..<at]
        let secret = userInformation.firstIndex(of: ":").map { userInformation[userInformation.index(after: $0)...] }
            ?? userInformation
        return secret.isEmpty ? nil : String(secret)
    }
}
