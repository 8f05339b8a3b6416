import Clibgit2

/// Owns a `git_revwalk *` and frees it when the owner goes away.
final class RevisionWalker {
    let pointer: OpaquePointer

    /// Creates a walker over `repository`, ordered like `git rev-list --date-order --reverse`
    /// (parents always come before their children).
    init(repository: RepositoryHandle) throws {
        var walker: OpaquePointer?
        try LibraryCall.check(git_revwalk_new(&walker, repository.pointer), "cannot create revision walker")
        guard let walker else { throw GitError.nullResult("git_revwalk_new") }
        pointer = walker
        let order = GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue | GIT_SORT_REVERSE.rawValue
        try LibraryCall.check(git_revwalk_sorting(pointer, order), "cannot set revision walk order")
    }

    deinit {
        git_revwalk_free(pointer)
    }

    /// Adds a commit (and its ancestors) to the walk.
    func include(_ id: git_oid) throws {
        var id = id
        try LibraryCall.check(git_revwalk_push(pointer, &id), "cannot add \(ObjectID.hex(id)) to the walk")
    }

    /// Removes a commit and its ancestors from the walk.
    func exclude(_ id: git_oid) throws {
        var id = id
        try LibraryCall.check(git_revwalk_hide(pointer, &id), "cannot hide \(ObjectID.hex(id)) from the walk")
    }

    /// The next commit id, or nil once the walk is over.
    func next() throws -> git_oid? {
        var id = git_oid()
        let code = git_revwalk_next(&id, pointer)
        if code == GIT_ITEROVER.rawValue { return nil }
        try LibraryCall.check(code, "revision walk failed")
        return id
    }
}
