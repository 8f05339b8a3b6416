import Clibgit2

/// A reference (branch, tag, remote branch, …) and the commit it leads to.
public struct CommitReference: Sendable, Hashable {
    /// The full name, e.g. `refs/heads/main`.
    public let name: String
    /// The commit it points at, through annotated tags; 40 hex digits.
    public let commit: String

    public init(name: String, commit: String) {
        self.name = name
        self.commit = commit
    }
}

extension Managed where Kind == RepositoryKind {
    /// Every direct reference that leads to a commit (symbolic references and references to trees or
    /// blobs are left out), in libgit2's order.
    func commitReferences() throws -> [CommitReference] {
        let iterator = try Managed<ReferenceIteratorKind>.make("git_reference_iterator_new", "cannot list references") {
            git_reference_iterator_new($0, pointer)
        }
        var result: [CommitReference] = []
        while true {
            var next: OpaquePointer?
            let code = git_reference_next(&next, iterator.pointer)
            if code == GIT_ITEROVER.rawValue { break }
            try LibraryCall.check(code, "cannot read the next reference")
            guard let next else { throw GitError.nullResult("git_reference_next") }
            let reference = ReferenceHandle(taking: next)
            guard git_reference_type(reference.pointer) == GIT_REFERENCE_DIRECT,
                  let id = reference.peeledCommitID else { continue }
            result.append(CommitReference(name: reference.name, commit: id.hex))
        }
        return result
    }

    /// The fetch URL (after `url.*.insteadOf` rewriting) of the configured remote `name`: nil when no
    /// remote has that name (or the name is not valid), `.some(nil)` when the remote has no URL.
    func remoteURL(named name: String) throws -> String?? {
        var found: OpaquePointer?
        let code = git_remote_lookup(&found, pointer, name)
        if code == GIT_ENOTFOUND.rawValue || code == GIT_EINVALIDSPEC.rawValue { return nil }
        try LibraryCall.check(code, "cannot read remote '\(name)'")
        guard let found else { throw GitError.nullResult("git_remote_lookup") }
        let remote = Managed<RemoteKind>(taking: found)
        return .some(git_remote_url(remote.pointer).map { TextDecoder(encodingName: nil).decode(cString: $0) })
    }
}

extension Managed where Kind == ReferenceKind {
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
        return ObjectHandle(taking: peeled).id
    }
}
