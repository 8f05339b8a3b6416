import Clibgit2

/// Owns a `git_config_iterator *` over the values of one multi-valued key and frees it when done.
final class ConfigIterator {
    let pointer: OpaquePointer
    /// Keeps the snapshot alive while entries are read from it.
    private let config: ConfigSnapshot
    private let key: String

    /// Iterates every value of `key` in `config`.
    init(config: ConfigSnapshot, key: String) throws {
        var iterator: OpaquePointer?
        try LibraryCall.check(git_config_multivar_iterator_new(&iterator, config.pointer, key, nil),
                              "cannot read configuration values '\(key)'")
        guard let iterator else { throw GitError.nullResult("git_config_multivar_iterator_new") }
        pointer = iterator
        self.config = config
        self.key = key
    }

    deinit {
        git_config_iterator_free(pointer)
    }

    /// The next value (copied), or nil when there are no more.
    func nextValue() throws -> String? {
        var entry: UnsafeMutablePointer<git_config_entry>?
        let code = git_config_next(&entry, pointer)
        if code == GIT_ITEROVER.rawValue { return nil }
        try LibraryCall.check(code, "cannot read configuration values '\(key)'")
        return TextDecoder(encodingName: nil).decode(cString: entry?.pointee.value)
    }
}
