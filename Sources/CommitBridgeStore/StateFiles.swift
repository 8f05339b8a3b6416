import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// File-system steps around the state database: the private directory, the private file, and
/// moving an unreadable file out of the way.
enum StateFiles {
    /// Creates `directory` (and any missing parents) if needed. A directory this call creates is
    /// mode 0700 whatever the umask; an existing one is left as it is.
    static func prepareDirectory(_ directory: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw StoreError("the state directory \(directory) exists but is not a directory")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError("cannot create the state directory \(directory): \(error.localizedDescription)")
        }
        guard chmod(directory, 0o700) == 0 else {
            throw StoreError("cannot make the state directory \(directory) private: \(lastErrno())")
        }
    }

    /// Runs `body` holding an exclusive `flock` on `<directory>/open.lock`, so that processes
    /// opening the same database for the first time at once (a hook's background run and a
    /// command, say) create, set up and migrate it one after the other. SQLite's own locks do not
    /// cover that: two migrators could both find no table, and switching to WAL is refused while
    /// another connection holds the file. The kernel drops the lock if the process dies.
    /// - Parameter wait: how long to wait for the lock at most, in seconds; nil waits as long as it takes.
    static func whileOpening<T>(_ directory: String, wait: Double? = nil, _ body: () throws -> T) throws -> T {
        let path = directory + "/open.lock"
        return try holdingLock(path, wait: wait,
                               busy: "the state database is busy: another process is opening it (\(path) stayed locked for \(wait ?? 0) s)",
                               body)
    }

    /// Runs `body` holding an exclusive `flock` on the file at `path` (made, mode 0600, if missing).
    /// With `wait`, gives up after that many seconds, throwing `busy`; else waits as long as it takes.
    static func holdingLock<T>(_ path: String, wait: Double?, busy: @autoclosure () -> String,
                               _ body: () throws -> T) throws -> T {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StoreError("cannot open \(path): \(lastErrno())")
        }
        defer { close(descriptor) }
        let deadline = wait.map { Date().addingTimeInterval($0) }
        while flock(descriptor, deadline == nil ? LOCK_EX : LOCK_EX | LOCK_NB) != 0 {
            switch errno {
            case EINTR:
                continue
            case EWOULDBLOCK where Date() < deadline!:
                usleep(10_000)
            case EWOULDBLOCK:
                throw StoreError(busy())
            default:
                throw StoreError("cannot lock \(path): \(lastErrno())")
            }
        }
        return try body()
    }

    /// Creates an empty file at `path` with mode 0600 if there is none (SQLite treats an empty file
    /// as an empty database, and gives its -wal and -shm files the same mode). An existing file
    /// readable by others is narrowed to 0600; returns a warning if that fails.
    static func createPrivateFile(_ path: String) throws -> String? {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            defer { close(descriptor) }
            guard fchmod(descriptor, 0o600) == 0 else {
                throw StoreError("cannot make \(path) private: \(lastErrno())")
            }
            return nil
        }
        guard errno == EEXIST else {
            throw StoreError("cannot create \(path): \(lastErrno())")
        }
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw StoreError("cannot read the mode of \(path): \(lastErrno())")
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw StoreError("\(path) exists but is not a regular file")
        }
        if status.st_mode & 0o077 != 0, chmod(path, 0o600) != 0 {
            return "\(path) is readable by other users and its mode could not be changed to 0600: \(lastErrno())"
        }
        return nil
    }

    /// Renames `path` to `<path>.corrupt-<unix time>` (with `-2`, `-3`, … if that name is taken),
    /// moves its -wal file along with it, and removes its -shm file (an index SQLite rebuilds).
    /// Returns the new path.
    static func moveAside(_ path: String, at time: Double) throws -> String {
        let manager = FileManager.default
        let stem = "\(path).corrupt-\(Int64(time.rounded(.down)))"
        var target = stem
        var suffix = 2
        while manager.fileExists(atPath: target) {
            target = "\(stem)-\(suffix)"
            suffix += 1
        }
        guard rename(path, target) == 0 else {
            throw StoreError("cannot move the unreadable state database \(path) aside: \(lastErrno())")
        }
        // A stale write-ahead log must not be replayed into the new database.
        if manager.fileExists(atPath: path + "-wal"), rename(path + "-wal", target + "-wal") != 0 {
            throw StoreError("cannot move \(path)-wal aside: \(lastErrno())")
        }
        if manager.fileExists(atPath: path + "-shm"), unlink(path + "-shm") != 0 {
            throw StoreError("cannot remove \(path)-shm: \(lastErrno())")
        }
        return target
    }

    /// Renames the database at `older` (and its -wal file; its -shm index is removed, SQLite
    /// rebuilds it) to `path`, when `path` does not exist and `older` does. Call it holding the
    /// open lock (`whileOpening`), so that no other process opens either file meanwhile.
    static func adopt(_ older: String, as path: String) throws {
        let manager = FileManager.default
        guard !manager.fileExists(atPath: path), manager.fileExists(atPath: older) else { return }
        guard rename(older, path) == 0 else {
            throw StoreError("cannot rename the state database \(older) to \(path): \(lastErrno())")
        }
        if manager.fileExists(atPath: older + "-wal"), rename(older + "-wal", path + "-wal") != 0 {
            throw StoreError("cannot rename \(older)-wal to \(path)-wal: \(lastErrno())")
        }
        if manager.fileExists(atPath: older + "-shm") { unlink(older + "-shm") }
    }

    private static func lastErrno() -> String {
        String(cString: strerror(errno))
    }
}
