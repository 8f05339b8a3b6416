/// What `install` or `uninstall` did to one hook.
public enum HookAction: Sendable, Equatable {
    /// Our script was written where there was no hook.
    case installed
    /// Our script was already there, byte for byte; nothing was written.
    case alreadyInstalled
    /// Our script was there but different (another binary path, say) and was rewritten in place.
    case updated
    /// Another hook was there: it was moved to `existing` and our script, which runs it first, took its place.
    case chained(existing: String)
    /// Our script was removed; no hook is left.
    case removed
    /// Our script was replaced by the hook it had been chaining, moved back unchanged.
    case restored
    /// `uninstall` found neither our script nor a chained hook.
    case notInstalled
    /// Another tool's hook is there; `uninstall` did not touch it.
    case leftForeign
}
