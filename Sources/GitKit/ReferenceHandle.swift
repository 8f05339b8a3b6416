import Clibgit2

/// Owns a `git_reference *` and frees it when the owner goes away.
final class ReferenceHandle {
    let pointer: OpaquePointer

    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        git_reference_free(pointer)
    }

    /// The full name, e.g. `refs/heads/main`.
    var name: String {
        TextDecoder(encodingName: nil).decode(cString: git_reference_name(pointer))
    }

    /// The commit the reference leads to (through tags), or nil when it leads to no commit.
    var peeledCommitID: git_oid? {
        var peeled: OpaquePointer?
        guard git_reference_peel(&peeled, pointer, GIT_OBJECT_COMMIT) == 0, let peeled else {
            git_error_clear()
            return nil
        }
        let object = ObjectHandle(taking: peeled)
        return object.id
    }
}
