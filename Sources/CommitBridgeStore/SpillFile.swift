import CommitBridgeCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Commits a hook could not queue because the state database was busy (or could not be written),
/// kept in a file beside it until a later run queues them: one JSON object per line, with the
/// commit's `sha`, `stories`, `body` and `time` (seconds since 1970, when the hook kept it).
///
/// - Appending holds `<path>.lock` (flock) for one `write` of whole lines to a descriptor opened
///   with `O_APPEND`, then `fsync`s: two hooks appending at once each add whole lines, and a line is
///   on the disk before the hook says it was kept. A hook waits a bounded time for the lock, which
///   anyone holds only for a read or a write of this small file.
/// - Taking in reads the file under the lock, queues what it read without holding the lock (the
///   database may make it wait), then, under the lock again, removes exactly the bytes it read if
///   they are still the file's beginning; lines appended meanwhile stay for the next run. Two runs
///   taking in at once queue the same commits twice, which the queue skips.
/// - The file is created with mode 0600.
public struct SpillFile: Sendable {
    /// The file's path; the lock is `<path>.lock`.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Whether the file holds anything to take in. Cheap: one `stat`.
    public var isPending: Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_size > 0
    }

    /// Appends `commits`, one line each, and syncs the file to the disk.
    /// - Parameter lockWait: how long to wait for the lock at most, in seconds.
    public func append(_ commits: [QueuedCommit], lockWait: Double = 1) throws {
        guard !commits.isEmpty else { return }
        var text = Data()
        for commit in commits {
            text.append(try Self.encode(commit))
            text.append(0x0A)
        }
        try withLock(wait: lockWait) {
            let descriptor = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw StoreError("cannot open \(path): \(Self.lastErrno())") }
            defer { close(descriptor) }
            var status = stat()
            guard fstat(descriptor, &status) == 0 else { throw StoreError("cannot read \(path): \(Self.lastErrno())") }
            // A run that died in the middle of a line left it without its newline: start a fresh one.
            if status.st_size > 0 {
                var last: UInt8 = 0
                if pread(descriptor, &last, 1, off_t(status.st_size - 1)) == 1, last != 0x0A {
                    text.insert(0x0A, at: text.startIndex)
                }
            }
            try Self.writeAll(descriptor, text, path: path)
            guard fsync(descriptor) == 0 else { throw StoreError("cannot sync \(path): \(Self.lastErrno())") }
            if status.st_size == 0 { Self.syncDirectory(of: path) }
        }
    }

    /// The commits the file holds, oldest first, with a warning for each line that is not a commit.
    public func read() throws -> (commits: [QueuedCommit], warnings: [String]) {
        let data = try withLock(wait: nil) { try contents() }
        return parse(data)
    }

    /// Queues the kept commits in `store` (those already queued or delivered are skipped there) and
    /// removes them from the file. Returns how many lines were taken, how many commits the queue
    /// gained, and warnings for lines that were not commits (they are removed too). When queueing
    /// fails, the file is left as it was and the error is thrown.
    /// - Parameters:
    ///   - lockWait: how long to wait for the lock at most, in seconds; nil waits as long as it takes.
    ///   - newer: commits to queue after the kept ones, in the same transaction (a hook's own).
    @discardableResult
    public func takeIn(into store: any DeliveryStore, lockWait: Double? = nil,
                       along newer: [QueuedCommit] = []) throws -> (taken: Int, added: Int, warnings: [String]) {
        let data = isPending ? try withLock(wait: lockWait) { try contents() } : Data()
        guard !data.isEmpty else { return (0, try store.enqueue(newer), []) }
        var (commits, warnings) = parse(data)
        let added = try store.enqueue(commits + newer)
        // They are queued now; lines left behind by a failure below are skipped by the next take-in.
        do {
            try removePrefix(data, lockWait: lockWait)
        } catch {
            warnings.append("the commits taken in could not be removed from \(path): \(error); the next run skips them")
        }
        return (commits.count, added, warnings)
    }

    /// Removes `data` from the start of the file, if it is still there.
    private func removePrefix(_ data: Data, lockWait: Double?) throws {
        try withLock(wait: lockWait) {
            let now = try contents()
            // Another run took the same lines in (and removed them) meanwhile: nothing left to do.
            guard now.starts(with: data) else { return }
            if now.count == data.count {
                guard unlink(path) == 0 || errno == ENOENT else {
                    throw StoreError("cannot remove \(path): \(Self.lastErrno())")
                }
            } else {
                try replace(with: now.suffix(from: now.startIndex + data.count))
            }
        }
    }

    // MARK: - Lines

    private static func encode(_ commit: QueuedCommit) throws -> Data {
        var object: [String: Any] = [
            "sha": commit.sha,
            "stories": commit.stories.map { NSNumber(value: $0) },
            "body": commit.body,
            "time": commit.enqueuedAt,
        ]
        if let change = commit.change.flatMap(ChangeColumn.encode) { object["change"] = change }
        if commit.awaitingPush { object["awaitingPush"] = true }
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    private func parse(_ data: Data) -> (commits: [QueuedCommit], warnings: [String]) {
        var commits: [QueuedCommit] = []
        var warnings: [String] = []
        for (index, line) in data.split(separator: 0x0A, omittingEmptySubsequences: true).enumerated() {
            if let commit = Self.decode(Data(line)) {
                commits.append(commit)
            } else {
                warnings.append("line \(index + 1) of \(path) is not a kept commit (a run stopped while writing it?); left out")
            }
        }
        return (commits, warnings)
    }

    private static func decode(_ line: Data) -> QueuedCommit? {
        guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any],
              let sha = object["sha"] as? String, !sha.isEmpty,
              let body = object["body"] as? String,
              let stories = object["stories"] as? [NSNumber],
              let time = object["time"] as? NSNumber
        else { return nil }
        return QueuedCommit(sha: sha, stories: stories.map(\.int64Value), body: body, enqueuedAt: time.doubleValue,
                            change: (object["change"] as? String).flatMap(ChangeColumn.decode),
                            awaitingPush: (object["awaitingPush"] as? Bool) ?? false)
    }

    // MARK: - File

    /// The whole file, or nothing when there is none. Called with the lock held.
    private func contents() throws -> Data {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT { return Data() }
            throw StoreError("cannot open \(path): \(Self.lastErrno())")
        }
        defer { close(descriptor) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw StoreError("cannot read \(path): \(Self.lastErrno())")
            }
            if count == 0 { return data }
            data.append(contentsOf: buffer[0..<count])
        }
    }

    /// Replaces the file with `rest` (a new file renamed over it). Called with the lock held.
    private func replace(with rest: Data) throws {
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw StoreError("cannot create \(temporary): \(Self.lastErrno())") }
        do {
            try Self.writeAll(descriptor, rest, path: temporary)
            guard fsync(descriptor) == 0 else { throw StoreError("cannot sync \(temporary): \(Self.lastErrno())") }
            close(descriptor)
        } catch {
            close(descriptor)
            throw error
        }
        guard rename(temporary, path) == 0 else { throw StoreError("cannot replace \(path): \(Self.lastErrno())") }
        Self.syncDirectory(of: path)
    }

    /// Runs `body` holding an exclusive flock on `<path>.lock`; with `wait`, gives up after that many seconds.
    private func withLock<T>(wait: Double?, _ body: () throws -> T) throws -> T {
        let lockPath = path + ".lock"
        return try StateFiles.holdingLock(lockPath, wait: wait, busy: "\(lockPath) stayed locked for \(wait ?? 0) s", body)
    }

    private static func writeAll(_ descriptor: Int32, _ data: Data, path: String) throws {
        try data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw StoreError("cannot write \(path): \(lastErrno())")
                }
                offset += written
            }
        }
    }

    /// Makes a new or renamed file's directory entry durable (best effort).
    private static func syncDirectory(of path: String) {
        let descriptor = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    private static func lastErrno() -> String {
        String(cString: strerror(errno))
    }
}
