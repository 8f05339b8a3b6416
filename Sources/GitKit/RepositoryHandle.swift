import Clibgit2

/// Owns a `git_repository *` and frees it when the owner goes away.
final class RepositoryHandle {
    let pointer: OpaquePointer

    /// Takes ownership of a repository opened by libgit2.
    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        git_repository_free(pointer)
    }
}
