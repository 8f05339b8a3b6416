/// The outcome of `install` or `uninstall` for one hook.
public struct InstallResult: Sendable, Equatable, CustomStringConvertible {
    /// Which hook.
    public let kind: HookKind
    /// The hook file's path.
    public let path: String
    /// What was done.
    public let action: HookAction

    /// Creates a result.
    public init(kind: HookKind, path: String, action: HookAction) {
        self.kind = kind
        self.path = path
        self.action = action
    }

    /// One line for people, e.g. `post-commit: installed (/repo/.git/hooks/post-commit)`.
    public var description: String {
        let what: String
        switch action {
        case .installed: what = "installed"
        case .alreadyInstalled: what = "already installed"
        case .updated: what = "updated"
        case .chained(let existing): what = "installed; the existing hook runs first, kept at \(existing)"
        case .removed: what = "removed"
        case .restored: what = "removed; the hook that was there before is back"
        case .notInstalled: what = "not installed"
        case .leftForeign: what = "not ours, left alone"
        }
        return "\(kind.rawValue): \(what) (\(path))"
    }
}
