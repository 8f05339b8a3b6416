import Clibgit2

/// Owns a read-only `git_config *` snapshot of a repository's configuration
/// (all levels merged, the most specific level winning) and frees it when done.
final class ConfigSnapshot {
    let pointer: OpaquePointer

    /// Takes a snapshot of the repository's configuration as it is right now.
    init(repository: RepositoryHandle) throws {
        var config: OpaquePointer?
        try LibraryCall.check(git_repository_config_snapshot(&config, repository.pointer),
                              "cannot read the repository configuration")
        guard let config else { throw GitError.nullResult("git_repository_config_snapshot") }
        pointer = config
    }

    deinit {
        git_config_free(pointer)
    }

    /// The effective value of `key`, nil when it is not set at any level.
    func string(_ key: String) throws -> String? {
        var value: UnsafePointer<CChar>?
        let code = git_config_get_string(&value, pointer, key)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try LibraryCall.check(code, "cannot read configuration value '\(key)'")
        // The returned text belongs to the snapshot: copy it before the snapshot is freed.
        return value.map { TextDecoder(encodingName: nil).decode(cString: $0) }
    }

    /// Every value of a multi-valued `key`, from the least specific level to the most specific,
    /// in file order within a level (like `git config --get-all`); [] when unset.
    func strings(_ key: String) throws -> [String] {
        let iterator = try ConfigIterator(config: self, key: key)
        var values: [String] = []
        while let value = try iterator.nextValue() {
            values.append(value)
        }
        return values
    }
}
