import Foundation

/// Every failure commitbridge reports to a user, each with its exit code.
///
/// | case | exit |
/// |---|---|
/// | `usage` | 2 — a flag or argument is wrong |
/// | `configuration` | 2 — a setting is missing or invalid |
/// | `notARepository` | 3 — no git repository where one was expected |
/// | `badRevision` | 3 — a revision or range does not resolve |
/// | `undelivered` | 1 — some commits could not be delivered and stay queued |
public enum CommitBridgeError: Error, LocalizedError, Sendable, Equatable {
    case usage(String)
    case configuration(String)
    case notARepository(String)
    case badRevision(String)
    case undelivered(String)

    /// The process exit code for this error.
    public var exitCode: Int32 {
        switch self {
        case .undelivered: return 1
        case .usage, .configuration: return 2
        case .notARepository, .badRevision: return 3
        }
    }

    /// One line, without the token, ready for stderr.
    public var errorDescription: String? {
        switch self {
        case .usage(let text): return text
        case .configuration(let text): return "configuration: \(text)"
        case .notARepository(let text): return text
        case .badRevision(let text): return text
        case .undelivered(let text): return text
        }
    }
}

extension CommitBridgeError {
    /// A command that talks to Tracker found no token anywhere.
    public static let missingToken = CommitBridgeError.configuration(
        "no Tracker token: set TRACKER_TOKEN, pass --token-file FILE, or run 'git config commitbridge.token …' (a dry run needs none)")
}
