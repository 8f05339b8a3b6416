/// The git hooks commitbridge can install; the raw value is the hook's file name.
public enum HookKind: String, CaseIterable, Sendable {
    /// Runs after each local commit; hands the new commit over.
    case postCommit = "post-commit"
    /// Runs in the repository that receives a push, with `<old> <new> <ref>` lines on stdin.
    case postReceive = "post-receive"
    /// Runs before a commit is made, with the message file's path; may reject the commit.
    case commitMsg = "commit-msg"

    /// Whether git runs this hook on the receiving side of a push, from the git directory
    /// rather than from the root of the work tree.
    var runsInGitDirectory: Bool { self == .postReceive }
}
