import Clibgit2

/// Owns a `git_object *` (any object type) and frees it when the owner goes away.
final class ObjectHandle {
    let pointer: OpaquePointer

    /// Takes ownership of an object returned by libgit2.
    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        git_object_free(pointer)
    }

    /// The object's id.
    var id: git_oid {
        git_object_id(pointer).pointee
    }

    /// Peels tags (and anything else peelable) down to a commit.
    func peeledToCommit() throws -> ObjectHandle {
        var peeled: OpaquePointer?
        let code = git_object_peel(&peeled, pointer, GIT_OBJECT_COMMIT)
        try LibraryCall.check(code, "cannot peel object to a commit")
        guard let peeled else { throw GitError.nullResult("git_object_peel") }
        return ObjectHandle(taking: peeled)
    }
}
