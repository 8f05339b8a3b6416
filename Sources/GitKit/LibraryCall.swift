import Clibgit2

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
        case GIT_ENOTFOUND.rawValue: return notFoundKind
        default: return .other
        }
    }

    /// `"context: detail"`, or just the context when libgit2 said nothing.
    static func joined(_ context: String, _ detail: String) -> String {
        detail.isEmpty ? context : "\(context): \(detail)"
    }
}
