/// Which commits a CI job should post.
public enum CIRange: Sendable, Hashable {
    /// `git rev-list` style arguments: `["<before>..<after>"]`, `["<after>", "^<before>"]` or `["<after>"]`
    /// for the CI cases, or whatever `--range` held, split on whitespace. `note` explains a range that is
    /// wider than the push itself, for the log.
    case revisions([String], provider: CIProvider, note: String?)
    /// Nothing to post (a branch deletion, a tag push, a merge request pipeline…), with the reason.
    case nothing(reason: String)
}
