import Clibgit2
import Foundation
import HistoryReader

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
        /// git's ownership check (`safe.directory`) refused the repository: another user owns it.
        case notOwned
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

/// Checks libgit2 return codes and turns failures into `GitError`s.
enum LibraryCall {
    /// Reads (and copies) the thread-local libgit2 error text. Must run right after the failing call.
    static func lastErrorText() -> String {
        guard let last = git_error_last(), let text = last.pointee.message else { return "" }
        return plainWords(TextDecoder(encodingName: nil).decode(cString: text))
    }

    /// libgit2's wording for failures a user can cause, in plain words (the rest is kept).
    static func plainWords(_ text: String) -> String {
        // A lookup or peel that found an object of another kind (a tree where a commit was asked for).
        if text.hasPrefix("the requested type does not match the type in the ODB") { return "the object is not a commit" }
        return text
    }

    /// Throws a `GitError` when `code` is negative; returns `code` otherwise.
    ///
    /// - Parameters:
    ///   - notFoundKind: the kind to report for `GIT_ENOTFOUND` (its meaning depends on the call).
    ///   - describe: builds the one-line summary from libgit2's text.
    @discardableResult
    static func check(
        _ code: Int32,
        notFoundKind: GitError.Kind = .other,
        _ describe: (_ libgit2Text: String) -> String
    ) throws -> Int32 {
        guard code < 0 else { return code }
        let text = lastErrorText()
        throw GitError(
            kind: kind(for: code, notFoundKind: notFoundKind),
            code: code,
            libgit2Message: text,
            summary: describe(text)
        )
    }

    /// Shorthand for calls whose failure has no special meaning: `"<operation>: <libgit2 text>"`.
    @discardableResult
    static func check(_ code: Int32, _ operation: @autoclosure () -> String) throws -> Int32 {
        try check(code) { text in joined(operation(), text) }
    }

    /// Maps a libgit2 return code to an error kind.
    static func kind(for code: Int32, notFoundKind: GitError.Kind) -> GitError.Kind {
        switch code {
        case GIT_EAMBIGUOUS.rawValue: return .ambiguous
        case GIT_EOWNER.rawValue: return .notOwned
        case GIT_ENOTFOUND.rawValue: return notFoundKind
        default: return .other
        }
    }

    /// `"context: detail"`, or just the context when libgit2 said nothing.
    static func joined(_ context: String, _ detail: String) -> String {
        detail.isEmpty ? context : "\(context): \(detail)"
    }
}

extension LibraryCall {
    /// A problem `HistoryReader` found in the repository's data, as libgit2 would have reported it
    /// (`code` -1, libgit2's words in `libgit2Message`).
    static func gitError(_ error: HistoryReaderError) -> GitError {
        GitError(kind: .other, code: -1, libgit2Message: error.detail, summary: joined(error.summary, error.detail))
    }

    /// Runs `body`, rethrowing a `HistoryReaderError` as the `GitError` libgit2's reading would have given.
    static func readingHistory<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as HistoryReaderError {
            throw gitError(error)
        }
    }
}
