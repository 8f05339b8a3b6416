import Foundation

/// An error reported by libgit2 (or by GitKit while interpreting its input).
public struct GitError: Error, LocalizedError, CustomStringConvertible, Sendable, Hashable {
    /// The broad category callers are expected to react to.
    public enum Kind: Sendable, Hashable {
        /// The path (or the environment) does not lead to a git repository.
        case notARepository
        /// A revision did not resolve to a commit.
        case revisionNotFound
        /// A revision (typically a short SHA) matches more than one object.
        case ambiguous
        /// The list of revision arguments cannot be used (empty, unsupported option, ...).
        case invalidRange
        /// Anything else.
        case other
    }

    /// What went wrong, broadly.
    public let kind: Kind
    /// The libgit2 return code (negative), or -1 when the error was detected by GitKit itself.
    public let code: Int32
    /// The text libgit2 attached to the failure (`git_error_last()`), empty when there was none.
    public let libgit2Message: String
    /// One line describing the failure for people, e.g. `unknown revision 'nope': ...`.
    public let summary: String

    /// Creates an error; `summary` is flattened to a single line.
    public init(kind: Kind, code: Int32, libgit2Message: String, summary: String) {
        self.kind = kind
        self.code = code
        self.libgit2Message = libgit2Message
        self.summary = GitError.singleLine(summary)
    }

    public var errorDescription: String? { summary }
    public var description: String { summary }

    private static func singleLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }
}

extension GitError {
    /// Text from the user or from libgit2 as a summary quotes it: at most `limit` characters, the
    /// last being `…` when it was cut (a revision may be as long as a command line allows).
    static func shown(_ text: String, limit: Int = 100) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit - 1)) + "…"
    }

    /// A libgit2 call reported success but handed back no object; should never happen.
    static func nullResult(_ function: String) -> GitError {
        GitError(kind: .other, code: -1, libgit2Message: "", summary: "\(function) succeeded but returned nothing")
    }
}
