/// A reference (branch, tag, remote branch, …) and the commit it leads to.
public struct CommitReference: Sendable, Hashable {
    /// The full name, e.g. `refs/heads/main`.
    public let name: String
    /// The commit it points at, through annotated tags; 40 hex digits.
    public let commit: String

    public init(name: String, commit: String) {
        self.name = name
        self.commit = commit
    }
}
