import Clibgit2

/// Owns a `git_remote *` and frees it when done.
final class RemoteHandle {
    let pointer: OpaquePointer

    /// Looks up a configured remote; nil when no remote has that name (or the name is not valid).
    static func lookup(named name: String, in repository: RepositoryHandle) throws -> RemoteHandle? {
        var remote: OpaquePointer?
        let code = git_remote_lookup(&remote, repository.pointer, name)
        if code == GIT_ENOTFOUND.rawValue || code == GIT_EINVALIDSPEC.rawValue { return nil }
        try LibraryCall.check(code, "cannot read remote '\(name)'")
        guard let remote else { throw GitError.nullResult("git_remote_lookup") }
        return RemoteHandle(taking: remote)
    }

    /// Takes ownership of a remote returned by libgit2.
    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        git_remote_free(pointer)
    }

    /// The fetch URL (after `url.*.insteadOf` rewriting), nil when the remote has none.
    var url: String? {
        git_remote_url(pointer).map { TextDecoder(encodingName: nil).decode(cString: $0) }
    }
}
