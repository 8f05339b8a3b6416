/// What is found at a hook's path.
public enum HookStatus: Sendable, Equatable {
    /// No hook file.
    case absent
    /// Our script, alone.
    case installed
    /// Our script, running the hook that was there before, kept at `original`, first.
    case installedChained(original: String)
    /// Another tool's hook (no commitbridge marker); commitbridge leaves it alone.
    case foreign
}
