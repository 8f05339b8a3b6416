import Foundation

/// Starts `commitbridge flush` as a detached process (its own session, stdin from /dev/null,
/// stdout and stderr appended to `<state directory>/delivery.log`), so a hook returns at once and
/// git never waits for Tracker. The child keeps none of the hook's pipes open.
public enum BackgroundDelivery {
    /// - Parameters:
    ///   - executable: the path of the running commitbridge binary.
    ///   - arguments: the flush arguments (state directory, tracker URL flags, …).
    ///   - lock: the background delivery's lock, handed to the child as descriptor
    ///     `FlusherLock.inheritedDescriptor`; it stays held as long as the child lives.
    public static func start(executable: String, arguments: [String], logFile: String, handing lock: FlusherLock? = nil) throws {
        markInheritedDescriptorsCloseOnExec()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logFile, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        if let lock {
            posix_spawn_file_actions_adddup2(&actions, lock.descriptor, FlusherLock.inheritedDescriptor)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // POSIX_SPAWN_SETSID (glibc 2.26+; the macro is not visible to Swift): the child starts its own session.
        posix_spawnattr_setflags(&attributes, Int16(0x80))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard status == 0 else {
            throw CommitBridgeError.configuration("cannot start background delivery: \(String(cString: strerror(status)))")
        }
    }

    /// Any descriptor above stderr that this process inherited or opened without close-on-exec (a
    /// duplicate of a pipe git or a test harness waits on, say) would keep that pipe open in the child
    /// for as long as delivery runs. The hook process exits right after spawning, so marking them all
    /// close-on-exec here costs it nothing.
    private static func markInheritedDescriptorsCloseOnExec() {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for entry in entries {
            guard let descriptor = Int32(entry), descriptor > 2 else { continue }
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
        }
    }
}
