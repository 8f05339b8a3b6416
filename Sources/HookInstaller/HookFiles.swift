import Foundation

// The hooks directory's files as the installer sees them: what occupies a path, where core.hooksPath points, and the writes.

/// The few file operations the installer needs, on POSIX calls so that modes and renames are exact.
enum HookFileSystem {
    /// The mode of hook scripts and of the directories the installer creates.
    static let executableMode: mode_t = 0o755

    /// What is at `path` (symbolic links followed for the contents).
    static func entry(at path: String) throws -> PathEntry {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return .missing }
            throw failure("inspect", path)
        }
        guard stat(path, &info) == 0 else { return .brokenLink }
        guard info.st_mode & S_IFMT == S_IFREG else { return .notAFile }
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw HookInstallerError.fileOperationFailed(operation: "read", path: path, reason: "unreadable")
        }
        return .file(contents: contents, mode: info.st_mode & 0o7777)
    }

    /// Whether anything, even a broken symbolic link, is at `path`.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Checks, without changing anything, that `directory` exists and is writable, or could be created:
    /// its nearest existing ancestor is a writable directory.
    static func checkCanWrite(in directory: String) throws {
        var candidate = directory
        var info = stat()
        while stat(candidate, &info) != 0 {
            guard errno == ENOENT else { throw failure("inspect", candidate) }
            candidate = parent(of: candidate)
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw HookInstallerError.notADirectory(path: candidate) }
        guard access(candidate, W_OK | X_OK) == 0 else { throw HookInstallerError.directoryNotWritable(path: candidate) }
    }

    /// Creates `directory` and any missing parents, each with mode 0755.
    static func makeDirectories(_ directory: String) throws {
        var info = stat()
        if stat(directory, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw HookInstallerError.notADirectory(path: directory) }
            return
        }
        let up = parent(of: directory)
        if up != directory { try makeDirectories(up) }
        guard mkdir(directory, executableMode) == 0 || errno == EEXIST else { throw failure("create directory", directory) }
        // mkdir's mode is narrowed by the umask; the hooks directory must be readable by everyone who commits.
        guard chmod(directory, executableMode) == 0 else { throw failure("set the mode of", directory) }
    }

    /// Writes `contents` to `path` with mode 0755, replacing what is there in one rename.
    static func writeExecutable(_ contents: Data, to path: String) throws {
        let temporary = parent(of: path) + "/." + (path as NSString).lastPathComponent + ".commitbridge-new"
        do {
            try contents.write(to: URL(fileURLWithPath: temporary))
        } catch {
            throw HookInstallerError.fileOperationFailed(
                operation: "write", path: temporary, reason: error.localizedDescription)
        }
        guard chmod(temporary, executableMode) == 0 else {
            let error = failure("set the mode of", temporary)
            unlink(temporary)
            throw error
        }
        try move(temporary, to: path)
    }

    /// Renames `source` to `destination` (same directory), replacing it; the file keeps its bytes and mode.
    static func move(_ source: String, to destination: String) throws {
        guard rename(source, destination) == 0 else { throw failure("move \(source) to", destination) }
    }

    /// Deletes the file at `path`.
    static func remove(_ path: String) throws {
        guard unlink(path) == 0 else { throw failure("remove", path) }
    }

    /// `path` without its last component; `/` stays `/`.
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The error for a failed call, with the system's reason (read from errno, so call it right away).
    private static func failure(_ operation: String, _ path: String) -> HookInstallerError {
        .fileOperationFailed(operation: operation, path: path, reason: String(cString: strerror(errno)))
    }
}

/// What occupies a path in the hooks directory.
enum PathEntry: Equatable {
    /// Nothing, not even a broken symbolic link.
    case missing
    /// A regular file, or a symbolic link to one: its contents and permission bits.
    case file(contents: Data, mode: mode_t)
    /// A symbolic link whose target does not exist.
    case brokenLink
    /// A directory, socket, or anything else that cannot be a hook script.
    case notAFile
}

/// Reads a path-valued git config entry (`core.hooksPath`) the way git 2.39 does.
enum ConfiguredPath {
    /// `value` made absolute: `~` and `~user` expanded as git does, then a relative path joined to `base`.
    static func resolve(_ value: String, relativeTo base: String) -> String {
        let expanded = expandingTilde(value)
        return tidy(expanded.hasPrefix("/") ? expanded : base + "/" + expanded)
    }

    /// `~/x` becomes `$HOME/x` and `~user/x` that user's home; anything else is returned unchanged.
    static func expandingTilde(_ value: String) -> String {
        guard value.hasPrefix("~") else { return value }
        let afterTilde = value.dropFirst()
        let user = afterTilde.prefix { $0 != "/" }
        let rest = afterTilde.dropFirst(user.count)
        let home: String?
        if user.isEmpty {
            home = ProcessInfo.processInfo.environment["HOME"]
        } else if let entry = getpwnam(String(user)), let directory = entry.pointee.pw_dir {
            home = String(cString: directory)
        } else {
            home = nil
        }
        guard let home else { return value }
        return home + rest
    }

    /// Drops empty and `.` components and a trailing slash; `..` is kept, as the kernel
    /// (not the text) decides where it leads when links are involved.
    static func tidy(_ path: String) -> String {
        let parts = path.split(separator: "/").filter { $0 != "." }
        return "/" + parts.joined(separator: "/")
    }
}
