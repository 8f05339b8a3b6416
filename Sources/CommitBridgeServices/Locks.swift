import Foundation

// The state directory's two locks (flock): one delivery at a time, one background delivery at a time.

/// An exclusive lock on `<state directory>/deliver.lock` (flock), so that only one process delivers
/// from a queue at a time: a hook's background delivery, `flush` and `replay` take turns instead of
/// posting the same queued commit twice. The kernel releases it when the process dies.
final class DeliveryLock: Sendable {
    private let descriptor: Int32

    /// Waits until the lock is free, then holds it until `release()` or deinit.
    init(stateDirectory: String) throws {
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let path = stateDirectory + "/deliver.lock"
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CommitBridgeError.configuration("cannot open '\(path)': \(String(cString: strerror(errno)))")
        }
        while flock(descriptor, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw CommitBridgeError.configuration("cannot lock '\(path)': \(reason)")
        }
    }

    deinit {
        close(descriptor)
    }
}

/// `<state directory>/flusher.lock` (flock): held for its whole life by the one background delivery
/// of a state directory, so that hooks never pile up delivery processes. A hook takes it without
/// waiting before it starts a background `flush`, and hands it to that process (an inherited
/// descriptor); a hook that finds it taken leaves its commits to the running delivery, which looks
/// at the queue again after each pass. The kernel releases it when the holder dies.
final class FlusherLock {
    /// The descriptor the child process receives the lock on.
    static let inheritedDescriptor: Int32 = 3

    /// The open lock file; the lock belongs to its open file description.
    let descriptor: Int32
    private var held = true

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Takes the lock if it is free; nil when a background delivery holds it.
    static func take(stateDirectory: String) throws -> FlusherLock? {
        let path = stateDirectory + "/flusher.lock"
        let opened = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard opened >= 0 else {
            throw CommitBridgeError.configuration("cannot open '\(path)': \(String(cString: strerror(errno)))")
        }
        // Kept above the standard and the inherited descriptor numbers, so that handing it to a
        // child is always a real dup2 (which clears close-on-exec on the copy).
        let descriptor = fcntl(opened, F_DUPFD_CLOEXEC, 10)
        close(opened)
        guard descriptor >= 0 else {
            throw CommitBridgeError.configuration("cannot open '\(path)': \(String(cString: strerror(errno)))")
        }
        let lock = FlusherLock(descriptor: descriptor)
        guard try lock.retake() else { return nil }
        return lock
    }

    /// The lock a hook handed to this process on `descriptor`, held already.
    static func adopt(descriptor: Int32) -> FlusherLock? {
        guard fcntl(descriptor, F_GETFD) >= 0 else { return nil }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        return FlusherLock(descriptor: descriptor)
    }

    /// Lets another hook start a delivery; `retake()` may take the lock back.
    func release() {
        guard held else { return }
        _ = flock(descriptor, LOCK_UN)
        held = false
    }

    /// Takes the lock again without waiting; false when someone else holds it now.
    func retake() throws -> Bool {
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            if errno == EWOULDBLOCK { held = false; return false }
            throw CommitBridgeError.configuration("cannot lock the background delivery's lock file: \(String(cString: strerror(errno)))")
        }
        held = true
        return true
    }

    deinit {
        close(descriptor)
    }
}
