import CommitBridgeCore
@testable import GitKit

/// The tests' shorthand: `git rev-list` arguments as text, parsed into a `RevisionRange` (an option
/// is a `GitError` of kind `invalidRange`, as a bad revision would be) for the entry points that
/// take a range.
extension Repository {
    private func parsed(_ revisions: [String]) throws -> RevisionRange {
        do {
            return try RevisionRange(parsing: revisions)
        } catch let error as RevisionRangeError {
            throw GitError(kind: .invalidRange, code: -1, libgit2Message: "", summary: error.message)
        }
    }

    /// `walk(_:_:)` over `git rev-list` arguments (`A`, `^A`, `A..B`, `A...B`; an empty side means HEAD).
    func walk(_ revisions: [String], _ body: (Commit) throws -> Void) throws {
        try walk(parsed(revisions), body)
    }

    /// `walk(_:readers:threadedFrom:transform:_:)` over `git rev-list` arguments.
    func walk<Result: Sendable>(_ revisions: [String], readers: Int, threadedFrom: Int = 2_000,
                                       transform: @escaping @Sendable (Commit) -> Result,
                                       _ body: (Result) throws -> Void) throws {
        try walk(parsed(revisions), readers: readers, threadedFrom: threadedFrom, transform: transform, body)
    }

    /// `scan(_:readers:threadedFrom:mustRead:unread:transform:_:)` over `git rev-list` arguments.
    func scan<Result: Sendable>(_ revisions: [String], readers: Int, threadedFrom: Int = 1_000,
                                       mustRead: @escaping @Sendable (_ parentCount: Int, _ message: UnsafeBufferPointer<UInt8>) -> Bool,
                                       unread: @escaping @Sendable (_ sha: String, _ parentCount: Int) -> Result,
                                       transform: @escaping @Sendable (Commit) -> Result,
                                       _ body: (Result) throws -> Void) throws {
        try scan(parsed(revisions), readers: readers, threadedFrom: threadedFrom,
                 mustRead: mustRead, unread: unread, transform: transform, body)
    }

    /// `revisionList(_:)` over `git rev-list` arguments.
    func revisionList(_ revisions: [String]) throws -> [String] {
        try revisionList(parsed(revisions))
    }
}
