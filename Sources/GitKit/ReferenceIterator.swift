import Clibgit2

/// Owns a `git_reference_iterator *` and frees it when the owner goes away.
final class ReferenceIterator {
    let pointer: OpaquePointer

    init(repository: RepositoryHandle) throws {
        var iterator: OpaquePointer?
        try LibraryCall.check(git_reference_iterator_new(&iterator, repository.pointer), "cannot list references")
        guard let iterator else { throw GitError.nullResult("git_reference_iterator_new") }
        pointer = iterator
    }

    deinit {
        git_reference_iterator_free(pointer)
    }

    /// The next reference, or nil at the end.
    func next() throws -> ReferenceHandle? {
        var reference: OpaquePointer?
        let code = git_reference_next(&reference, pointer)
        if code == GIT_ITEROVER.rawValue { return nil }
        try LibraryCall.check(code, "cannot read the next reference")
        guard let reference else { throw GitError.nullResult("git_reference_next") }
        return ReferenceHandle(taking: reference)
    }
}
