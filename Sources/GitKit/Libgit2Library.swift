import Clibgit2

/// Process-wide libgit2 set-up. libgit2 must be initialised once before any other call;
/// the library is never shut down, because other threads may still hold handles.
enum Libgit2Library {
    /// Swift initialises global and static stored properties lazily and exactly once,
    /// even when several threads race to touch them first.
    private static let initialisationResult: Int32 = git_libgit2_init()

    /// Makes sure `git_libgit2_init()` has run. Cheap after the first call.
    static func ensureInitialised() {
        _ = initialisationResult
    }
}
