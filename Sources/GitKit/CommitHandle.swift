import Clibgit2
import Foundation

/// Owns a `git_commit *` and frees it when the owner goes away.
final class CommitHandle {
    let pointer: OpaquePointer

    /// Takes ownership of a commit returned by libgit2.
    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        git_commit_free(pointer)
    }

    /// Looks a commit up by id.
    static func lookup(_ id: git_oid, in repository: RepositoryHandle) throws -> CommitHandle {
        var id = id
        var commit: OpaquePointer?
        let code = git_commit_lookup(&commit, repository.pointer, &id)
        try LibraryCall.check(code, "cannot read commit \(ObjectID.hex(id))")
        guard let commit else { throw GitError.nullResult("git_commit_lookup") }
        return CommitHandle(taking: commit)
    }

    /// The sha and parent count when `mustRead` rules the commit out from its raw message (a commit
    /// that declares an encoding is never ruled out); nil when it must be read in full.
    func screened(by mustRead: (Int, UnsafeBufferPointer<UInt8>) -> Bool) -> (sha: String, parentCount: Int)? {
        guard git_commit_message_encoding(pointer) == nil, let raw = git_commit_message_raw(pointer) else { return nil }
        let parentCount = Int(git_commit_parentcount(pointer))
        let message = UnsafeBufferPointer(start: UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self), count: strlen(raw))
        guard !mustRead(parentCount, message) else { return nil }
        return (ObjectID.hex(git_commit_id(pointer).pointee), parentCount)
    }

    /// Copies everything GitKit exposes into a plain value; the handle may be freed afterwards.
    func makeValue() -> Commit {
        let encodingName = git_commit_message_encoding(pointer).map { String(cString: $0) }
        let decoder = TextDecoder(encodingName: encodingName)
        let author = git_commit_author(pointer)
        return Commit(
            sha: ObjectID.hex(git_commit_id(pointer).pointee),
            message: decoder.decode(cString: git_commit_message_raw(pointer)),
            messageEncoding: encodingName,
            authorName: decoder.decode(cString: author?.pointee.name),
            authorEmail: decoder.decode(cString: author?.pointee.email),
            authorTime: author?.pointee.when.time ?? 0,
            committerTime: git_commit_time(pointer),
            parentCount: Int(git_commit_parentcount(pointer))
        )
    }
}
