#if canImport(Glibc)
import CMalloc
#endif
import GitKit

/// What the process does around a command: allocator settings before any thread starts, and
/// libgit2's start-up, overlapped with argument parsing for the commands that read git.
public enum Runtime {
    /// Bytes each new allocator arena (and each growth of the main heap) makes writable at once.
    ///
    /// glibc gives each thread that allocates its own arena, and grows such an arena one page at a
    /// time, with one `mprotect` call a page: 1,203 calls (and about 5 ms of CPU) in a 300-commit
    /// `replay`. A top pad makes every new arena start with that much memory writable, so the same run
    /// makes 34. Pages still reach the resident set only when first written.
    static let topPad: Int32 = 4 << 20

    /// Call first thing. `readsGit`: the command will open a repository, so libgit2 starts now on a
    /// thread of its own.
    public static func start(readsGit: Bool) {
        #if canImport(Glibc)
        _ = mallopt(M_TOP_PAD, topPad)
        #endif
        if readsGit { Libgit2Library.initialiseInBackground() }
    }

    /// Call before exiting: never exit while libgit2 (and the TLS library under it) is still
    /// starting on its thread.
    public static func finish() {
        Libgit2Library.waitForBackgroundInitialisation()
    }
}
