import Foundation

/// An exclusive lock on `<state directory>/deliver.lock` (flock), so that only one process delivers
/// from a queue at a time: a hook's background delivery, `flush` and `replay` take turns instead of
/// posting the same queued commit twice. The kernel releases it when the process dies.
public final class DeliveryLock: @unchecked Sendable {
    private let descriptor: Int32

    /// Waits until the lock is free, then holds it until `release()` or deinit.
    public init(stateDirectory: String) throws {
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
