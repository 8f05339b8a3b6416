import Clibgit2

/// One reader thread's own libgit2 repository handle (libgit2 handles are not to be shared between
/// threads), opened the first time the thread needs libgit2: commits read straight from pack files
/// need none, so a reader that meets only those never opens the repository again. Used by one thread.
final class ReaderRepositoryHandle {
    private let gitDirectory: String
    private var opened: RepositoryHandle?

    init(gitDirectory: String) {
        self.gitDirectory = gitDirectory
    }

    /// The handle, opened on first use.
    func handle() throws -> RepositoryHandle {
        if let opened { return opened }
        var pointer: OpaquePointer?
        try LibraryCall.check(git_repository_open(&pointer, gitDirectory), "cannot open \(gitDirectory) for reading")
        guard let pointer else { throw GitError.nullResult("git_repository_open") }
        let handle = RepositoryHandle(taking: pointer)
        try CheckedLooseBackend.install(on: handle.pointer)
        opened = handle
        return handle
    }
}
