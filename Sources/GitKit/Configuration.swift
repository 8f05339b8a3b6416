import Clibgit2

/// A read-only snapshot of a repository's configuration (all levels merged, the most specific level
/// winning), as libgit2 gives it.
typealias ConfigSnapshot = Managed<ConfigKind>

extension Managed where Kind == ConfigKind {
    /// A snapshot of `repository`'s configuration as it is right now.
    static func snapshot(of repository: RepositoryHandle) throws -> ConfigSnapshot {
        try make("git_repository_config_snapshot", "cannot read the repository configuration") {
            git_repository_config_snapshot($0, repository.pointer)
        }
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
        let iterator = try Managed<ConfigIteratorKind>.make("git_config_multivar_iterator_new",
                                                           "cannot read configuration values '\(key)'") {
            git_config_multivar_iterator_new($0, pointer, key, nil)
        }
        var values: [String] = []
        // The entries belong to the snapshot, which `self` keeps alive while they are copied.
        while true {
            var entry: UnsafeMutablePointer<git_config_entry>?
            let code = git_config_next(&entry, iterator.pointer)
            if code == GIT_ITEROVER.rawValue { break }
            try LibraryCall.check(code, "cannot read configuration values '\(key)'")
            values.append(TextDecoder(encodingName: nil).decode(cString: entry?.pointee.value))
        }
        return values
    }

    /// Every entry whose name matches the regular expression `pattern` (names as git prints them:
    /// section and key lower-cased, a subsection as written), least specific level first.
    func entries(matching pattern: String) throws -> [(name: String, value: String)] {
        let iterator = try Managed<ConfigIteratorKind>.make("git_config_iterator_glob_new", "cannot list configuration values") {
            git_config_iterator_glob_new($0, pointer, pattern)
        }
        var found: [(name: String, value: String)] = []
        while true {
            var entry: UnsafeMutablePointer<git_config_entry>?
            let code = git_config_next(&entry, iterator.pointer)
            if code == GIT_ITEROVER.rawValue { break }
            try LibraryCall.check(code, "cannot list configuration values")
            let decoder = TextDecoder(encodingName: nil)
            found.append((decoder.decode(cString: entry?.pointee.name), decoder.decode(cString: entry?.pointee.value)))
        }
        return found
    }
}
