import GitKit

/// Opens the repository a command works on, mapping libgit2's failure to exit code 3.
public enum RepositoryOpener {
    /// - Parameter path: a path inside the repository, or nil for `GIT_DIR` / the current directory.
    public static func open(_ path: String?) throws -> Repository {
        do {
            return try Repository.discover(at: path)
        } catch let error as GitError {
            throw CommitBridgeError.notARepository(error.localizedDescription)
        }
    }
}
