/// Where a range came from: a CI service recognised from its variables, or the `--range` flag.
public enum CIProvider: String, Sendable, Hashable, CaseIterable {
    /// `GITHUB_ACTIONS=true`.
    case githubActions = "GitHub Actions"
    /// `GITLAB_CI=true`.
    case gitlabCI = "GitLab CI"
    /// The range was given with `--range`.
    case explicit = "--range"
}
